#!/bin/sh
# Regenerates the captures of this folder by running Python services people run beside the web
# frameworks, failing for real on this machine: uWSGI (a port a helper holds, port 80 as
# `nobody`, an `--ini` never written, a `--need-app` module importing a package not installed),
# streamlit (a port a helper holds, a script never written), celery (as `nobody` a `--logfile` in
# a root-owned directory; a syntax error in the `-A` package under honcho), alembic (env.py
# reading an unset DATABASE_URL, a script_location never created, a psycopg2 URL without
# psycopg2 under a shell entrypoint, two heads under make), SQLAlchemy `mysql+pymysql://` without
# PyMySQL, an rq worker on a redis host that does not resolve, dramatiq's RabbitMQ broker
# without pika, `python -m celery` where celery is not installed (honcho), gunicorn
# `-k uvicorn.workers.UvicornWorker` without uvicorn, uvicorn `--env-file` never written, as
# `nobody` aiohttp `web.run_app`, daphne and tornado on port 80, packages that do not fit (Flask
# 1.1.4 under Jinja2 3.1, Flask-SQLAlchemy 2.5.1 under SQLAlchemy 2, pandas 1.5.3 under numpy 2),
# pip refusing Debian's externally managed python3, pydantic-settings with its `.env` never
# written under supervisord.
# Needs: Debian's python3 (3.11) with venv and pip (python3-pip, for the externally-managed
# case), gcc and python3-dev (pip builds uwsgi), `su nobody`. pip installs, only if missing, into
# venvs under /tmp/zoo-python-4 (v-main: uwsgi celery redis rq dramatiq alembic sqlalchemy
# aiohttp tornado daphne honcho supervisor uvicorn gunicorn pydantic-settings python-dotenv;
# v-bare: gunicorn honcho; v-streamlit: streamlit; v-flask1: flask 1.1.4 then jinja2>=3.1;
# v-fsa: flask 2.2.5 werkzeug 2.2.3 flask-sqlalchemy 2.5.1 sqlalchemy>=2; v-pandas: pandas
# 1.5.3 then numpy>=2). A venv that cannot be built skips its cases.
# Ports: 47900-47949 only. A helper holds 47901 (uwsgi) and 47902 (streamlit); 47905 (mysql),
# 47906 (postgres) and 47907 (redis) are only named in URLs that fail before connecting; the
# servers that would start listen on 47910-47915; 80 as `nobody`, refused before anything binds.
# Work directory: /tmp/zoo-python-4/work (removed at start and at exit).
# Wrapped in noise: uwsgi-missing-module-compose and rq-worker-unresolvable-compose
# (compose-style prefixes); streamlit-port-in-use-timestamps and daphne-privileged-port-timestamps
# (a timestamping `while read` loop); celery-syntax-error-honcho and python-m-celery-honcho
# (honcho's prefixes); flask-jinja2-escape-supervisord and pydantic-dotenv-missing-supervisord
# (supervisord's own lines); alembic-psycopg2-missing-entrypoint (a shell entrypoint);
# alembic-multiple-heads-make (make's `Error N`); pip-externally-managed-docker (a build step's
# `returned a non-zero code`).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
[ -x "$py" ] || { echo "no /usr/bin/python3: skipping"; exit 0; }
base=/tmp/zoo-python-4
work=$base/work
rm -rf "$work"
holders=
cleanup() {
    for pid in $holders; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    [ -f "$work/sv/supervisord.pid" ] && kill "$(cat "$work/sv/supervisord.pid")" 2>/dev/null || true
    sleep 0.5
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
mkdir -p "$work"
chmod 755 "$base" "$work"
export PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
unset DATABASE_URL REDIS_URL 2>/dev/null || true

. "$here/../lib.sh"  # stamp, wait_port
compose() { sed "s/^/$1  | /"; }
run() {  # run NAME DIR COMMAND...: capture COMMAND run in DIR, bounded by timeout
    name=$1 dir=$2; shift 2
    (cd "$dir" && timeout 60 "$@") > "$here/$name.log" 2>&1 || true
}
wrap() {  # wrap NAME DIR FILTER COMMAND...: as run, the output piped through FILTER
    name=$1 dir=$2 filter=$3; shift 3
    (cd "$dir" && timeout 60 "$@" 2>&1 | $filter) > "$here/$name.log" 2>&1 || true
}
nobody() {  # nobody NAME DIR COMMAND: capture the shell COMMAND run as nobody in DIR
    (cd "$2" && timeout 60 su nobody -s /bin/sh -c "cd $2 && $3") > "$here/$1.log" 2>&1 || true
}
hold() {  # hold PORT: a python3 helper listens on 127.0.0.1:PORT
    $py -c 'import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen()
time.sleep(600)' "$1" &
    holders="$holders $!"
    wait_port "$1"
}
venv() {  # venv NAME PIP-ARGS...: $base/v-NAME with the packages, built once (a marker says so);
    # each further argument group after `--` is a second pip install (one that breaks the first)
    v=$base/v-$1; shift
    [ -f "$v/.built" ] && return 0
    rm -rf "$v"
    $py -m venv "$v" >/dev/null 2>&1 || return 1
    set -- "$@" --
    args=
    for a in "$@"; do
        if [ "$a" = -- ]; then
            [ -n "$args" ] && { eval "\"$v/bin/pip\" install -q $args" >/dev/null 2>&1 || return 1; }
            args=
        else
            args="$args '$a'"
        fi
    done
    touch "$v/.built"
}
supervise() {  # supervise NAME PROGRAM DIR COMMAND: supervisord (nodaemon, its log on stdout)
    # running COMMAND in DIR as [program:PROGRAM] until it gives up; the capture is NAME.log
    name=$1 program=$2; shift 2
    mkdir -p "$work/sv"
    cat > "$work/sv/$name.conf" <<CONF
[supervisord]
nodaemon=true
logfile=/dev/null
logfile_maxbytes=0
pidfile=$work/sv/supervisord.pid

[program:$program]
command=$2
directory=$1
startsecs=3
startretries=1
redirect_stderr=true
stdout_logfile=/dev/stdout
stdout_logfile_maxbytes=0
CONF
    rm -f "$work/sv/supervisord.pid"
    : > "$work/sv/$name.out"
    # stdout a pipe, as under docker: supervisord reopens /dev/stdout for the program's output.
    "$main/supervisord" -c "$work/sv/$name.conf" 2>&1 | cat > "$work/sv/$name.out" &
    pipe=$!
    i=0
    while [ $i -lt 120 ] && ! grep -q "gave up:" "$work/sv/$name.out"; do sleep 0.25; i=$((i + 1)); done
    [ -f "$work/sv/supervisord.pid" ] && kill "$(cat "$work/sv/supervisord.pid")" 2>/dev/null || true
    wait "$pipe" 2>/dev/null || true
    cp "$work/sv/$name.out" "$here/$name.log"
}

main=$base/v-main/bin
venv main uwsgi celery redis rq dramatiq alembic sqlalchemy aiohttp tornado daphne honcho \
    supervisor uvicorn gunicorn pydantic-settings python-dotenv || { echo "v-main: cannot build"; exit 1; }
have_bare=true; venv bare gunicorn honcho || have_bare=false
have_streamlit=true; venv streamlit streamlit || have_streamlit=false
have_flask1=true; venv flask1 flask==1.1.4 -- 'jinja2>=3.1' || have_flask1=false
have_fsa=true; venv fsa flask==2.2.5 werkzeug==2.2.3 flask-sqlalchemy==2.5.1 'sqlalchemy>=2' || have_fsa=false
have_pandas=true; venv pandas pandas==1.5.3 -- 'numpy>=2' || have_pandas=false

hold 47901
hold 47902

# ---------------------------------------------------------------------------- uwsgi
u=$work/uwsgi
mkdir -p "$u"
cat > "$u/app.py" <<'PY'
def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok\n"]
PY
run uwsgi-port-in-use "$u" "$main/uwsgi" --master --http-socket 127.0.0.1:47901 --wsgi-file app.py
nobody uwsgi-privileged-port "$u" "$main/uwsgi --master --http-socket 127.0.0.1:80 --wsgi-file app.py"
# --ini names a file the image never got (it was left in deploy/).
run uwsgi-ini-missing "$u" "$main/uwsgi" --ini uwsgi.ini
# wsgi.py imports flask, which this venv never installed; --need-app makes uwsgi give up.
cat > "$u/wsgi.py" <<'PY'
from flask import Flask

application = Flask(__name__)


@application.get("/")
def index():
    return "ok"
PY
wrap uwsgi-missing-module-compose "$u" "compose web-1" "$main/uwsgi" --master --need-app \
    --http-socket 127.0.0.1:47910 --module wsgi:application

# ---------------------------------------------------------------------------- streamlit
if $have_streamlit; then
    s=$work/streamlit
    mkdir -p "$s/home"
    cat > "$s/app.py" <<'PY'
import streamlit as st

st.title("Orders")
PY
    st() { HOME=$s/home timeout 30 "$base/v-streamlit/bin/streamlit" run "$@" \
        --server.headless true --server.address 127.0.0.1 --browser.gatherUsageStats false; }
    (cd "$s" && st app.py --server.port 47902 2>&1 | stamp) > "$here/streamlit-port-in-use-timestamps.log" || true
    # The script is app.py; the command names dashboard.py.
    (cd "$s" && st dashboard.py --server.port 47911) > "$here/streamlit-script-missing.log" 2>&1 || true
fi

# ---------------------------------------------------------------------------- celery
c=$work/celery
mkdir -p "$c/var/log/celery" "$c/proj"
chmod 755 "$c" "$c/var" "$c/var/log" "$c/var/log/celery"
cat > "$c/tasks.py" <<'PY'
from celery import Celery

app = Celery("tasks", broker="redis://127.0.0.1:47907/0")


@app.task
def send_receipt(order_id):
    return order_id
PY
# As nobody, --logfile names worker.log in var/log/celery, a root-owned 0755 directory nobody
# may not create it in.
nobody celery-logfile-permission-denied "$c" \
    "HOME=$c $main/celery -A tasks worker --loglevel=info --logfile=$c/var/log/celery/worker.log"
# proj/celery.py's line 6 opens a { that line 7 closes with a ); honcho runs the worker.
cat > "$c/proj/__init__.py" <<'PY'
from .celery import app

__all__ = ("app",)
PY
cat > "$c/proj/celery.py" <<'PY'
from celery import Celery

app = Celery("proj", broker="redis://127.0.0.1:47907/0")
app.conf.update(
    task_acks_late=True,
    task_routes={"proj.tasks.*": {"queue": "default"},
)
PY
echo "worker: $main/celery -A proj worker --loglevel=info" > "$c/Procfile"
run celery-syntax-error-honcho "$c" "$main/honcho" start

# ---------------------------------------------------------------------------- alembic
a=$work/alembic
mkdir -p "$a"
# alembic_project DIR URL: an `alembic init` project in DIR with one revision and URL.
alembic_project() {
    mkdir -p "$1"
    (cd "$1" && "$main/alembic" init migrations >/dev/null 2>&1)
    sed -i "s|^sqlalchemy.url = .*|sqlalchemy.url = $2|" "$1/alembic.ini"
    (cd "$1" && "$main/alembic" revision -m "create orders" >/dev/null 2>&1)
}
# env.py sets the URL from os.environ["DATABASE_URL"], which nothing exports.
alembic_project "$a/envvar" "driver://unused"
sed -i 's|^config = context.config$|config = context.config\nconfig.set_main_option("sqlalchemy.url", os.environ["DATABASE_URL"])|; s|^from logging.config import fileConfig$|import os\nfrom logging.config import fileConfig|' \
    "$a/envvar/migrations/env.py"
run alembic-env-missing-var "$a/envvar" "$main/alembic" upgrade head
# alembic.ini says script_location = %(here)s/alembic; the folder is migrations/.
alembic_project "$a/location" "sqlite:///app.db"
sed -i 's|^script_location = .*|script_location = %(here)s/alembic|' "$a/location/alembic.ini"
run alembic-script-location-missing "$a/location" "$main/alembic" upgrade head
# The URL names the psycopg2 driver, never installed; the entrypoint migrates then serves.
alembic_project "$a/driver" "postgresql+psycopg2://app:secret@127.0.0.1:47906/app"
cat > "$a/driver/entrypoint.sh" <<SH
#!/bin/sh
set -e
echo "running migrations"
$main/alembic upgrade head
echo "starting gunicorn"
exec $main/gunicorn --bind 127.0.0.1:47912 app:app
SH
chmod +x "$a/driver/entrypoint.sh"
run alembic-psycopg2-missing-entrypoint "$a/driver" ./entrypoint.sh
# Two branches each add a revision on top of base: two heads; `make migrate` runs upgrade head.
alembic_project "$a/heads" "sqlite:///app.db"
(cd "$a/heads" && "$main/alembic" revision -m "add invoices" --head base --splice >/dev/null 2>&1)
printf 'migrate:\n\t%s upgrade head\n' "$main/alembic" > "$a/heads/Makefile"
if command -v make >/dev/null; then
    run alembic-multiple-heads-make "$a/heads" make migrate
fi

# ---------------------------------------------------------------------------- sqlalchemy
q=$work/sqlalchemy
mkdir -p "$q"
cat > "$q/db.py" <<'PY'
from sqlalchemy import create_engine, text

engine = create_engine("mysql+pymysql://shop:secret@127.0.0.1:47905/shop", pool_pre_ping=True)

with engine.connect() as conn:
    print(conn.execute(text("select 1")).scalar())
PY
run sqlalchemy-missing-pymysql "$q" "$main/python" db.py

# ---------------------------------------------------------------------------- rq, dramatiq
w=$work/workers
mkdir -p "$w"
cat > "$w/jobs.py" <<'PY'
def send_receipt(order_id):
    return order_id
PY
# redis is the compose service name, which does not resolve here.
wrap rq-worker-unresolvable-compose "$w" "compose worker-1" "$main/rq" worker \
    --url redis://redis:6379/0 default
# The RabbitMQ broker needs pika (dramatiq[rabbitmq]), never installed: the worker process fails
# to import the module before any connection (47908 is never reached).
cat > "$w/tasks.py" <<'PY'
import dramatiq
from dramatiq.brokers.rabbitmq import RabbitmqBroker

dramatiq.set_broker(RabbitmqBroker(url="amqp://guest:guest@127.0.0.1:47908/"))


@dramatiq.actor
def send_receipt(order_id):
    return order_id
PY
run dramatiq-rabbitmq-no-pika "$w" "$main/dramatiq" --processes 1 --threads 1 tasks

# ---------------------------------------------------------------------------- v-bare
if $have_bare; then
    b=$work/bare
    mkdir -p "$b"
    cp "$c/tasks.py" "$b/tasks.py"
    # honcho from a venv that has no celery: python -m celery finds no module.
    echo "worker: $base/v-bare/bin/python -m celery -A tasks worker --loglevel=info" > "$b/Procfile"
    run python-m-celery-honcho "$b" "$base/v-bare/bin/honcho" start
    cat > "$b/main.py" <<'PY'
async def app(scope, receive, send):
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})
PY
    run gunicorn-uvicorn-worker-missing "$b" "$base/v-bare/bin/gunicorn" \
        -k uvicorn.workers.UvicornWorker --bind 127.0.0.1:47913 main:app
fi

# ---------------------------------------------------------------------------- uvicorn
v=$work/uvicorn
mkdir -p "$v"
cp "$work/bare/main.py" "$v/main.py" 2>/dev/null || cat > "$v/main.py" <<'PY'
async def app(scope, receive, send):
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})
PY
echo "DATABASE_URL=postgresql://app:secret@127.0.0.1:47906/app" > "$v/.env.example"
run uvicorn-env-file-missing "$v" "$main/uvicorn" main:app --host 127.0.0.1 --port 47914 \
    --env-file .env.production

# ---------------------------------------------------------------------------- port 80 as nobody
p=$work/priv
mkdir -p "$p"
cat > "$p/web.py" <<'PY'
from aiohttp import web


async def index(request):
    return web.Response(text="ok")


app = web.Application()
app.router.add_get("/", index)
web.run_app(app, host="127.0.0.1", port=80)
PY
nobody aiohttp-privileged-port "$p" "$main/python web.py"
cat > "$p/asgi.py" <<'PY'
async def application(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})
PY
(cd "$p" && timeout 60 su nobody -s /bin/sh -c "cd $p && $main/daphne -b 127.0.0.1 -p 80 asgi:application" 2>&1 | stamp) \
    > "$here/daphne-privileged-port-timestamps.log" || true
cat > "$p/server.py" <<'PY'
import asyncio

import tornado.web


class MainHandler(tornado.web.RequestHandler):
    def get(self):
        self.write("ok")


async def main():
    app = tornado.web.Application([(r"/", MainHandler)])
    app.listen(80, address="127.0.0.1")
    await asyncio.Event().wait()


asyncio.run(main())
PY
nobody tornado-privileged-port "$p" "$main/python server.py"

# ---------------------------------------------------------------------------- packages that do not fit
f=$work/fit
mkdir -p "$f"
cat > "$f/app.py" <<'PY'
from flask import Flask

app = Flask(__name__)


@app.route("/")
def index():
    return "ok"


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=47915)
PY
$have_flask1 && supervise flask-jinja2-escape-supervisord web "$f" "$base/v-flask1/bin/python app.py"
cat > "$f/models.py" <<'PY'
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///shop.db"
db = SQLAlchemy(app)


class Order(db.Model):
    id = db.Column(db.Integer, primary_key=True)
PY
$have_fsa && run flask-sqlalchemy-sqlalchemy2 "$f" "$base/v-fsa/bin/python" models.py
cat > "$f/report.py" <<'PY'
import pandas as pd

orders = pd.DataFrame({"id": [1, 2], "total": [30, 12]})
print(orders.total.sum())
PY
$have_pandas && run pandas-numpy2-abi "$f" "$base/v-pandas/bin/python" report.py
# A Dockerfile's `RUN pip install -r requirements.txt` on Debian's own python3.
echo "requests" > "$f/requirements.txt"
(cd "$f" && { echo "Step 4/6 : RUN pip install -r requirements.txt"; rc=0
    timeout 60 $py -m pip install -r requirements.txt 2>&1 || rc=$?
    echo "The command '/bin/sh -c pip install -r requirements.txt' returned a non-zero code: $rc"; }) \
    > "$here/pip-externally-managed-docker.log" 2>&1 || true

# ---------------------------------------------------------------------------- pydantic-settings
d=$work/settings
mkdir -p "$d"
cat > "$d/settings.py" <<'PY'
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env")

    database_url: str
    redis_url: str = "redis://127.0.0.1:47907/0"
    batch_size: int = 100


settings = Settings()
PY
cat > "$d/worker.py" <<'PY'
from settings import settings

print(f"exporting orders in batches of {settings.batch_size}")
PY
# .env.example was committed; .env (which env_file names) was never written.
echo "DATABASE_URL=postgresql://app:secret@127.0.0.1:47906/app" > "$d/.env.example"
supervise pydantic-dotenv-missing-supervisord exporter "$d" "$main/python worker.py"

echo "captured into $here"
