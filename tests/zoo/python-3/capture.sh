#!/bin/sh
# Regenerates the captures of this folder by running real Python programs failing on this
# machine: alembic `upgrade head` refused and without an alembic.ini; rq, arq and dramatiq
# workers refused by a closed redis port; asyncpg against a real postgres (wrong password, no
# such database) and a closed port; SQLAlchemy URLs whose driver is not installed (psycopg, the default of SQLAlchemy 2.1 for postgresql://;
# MySQLdb) and a sqlite file in a directory never created; code and packages that do not fit
# (`from pydantic import BaseSettings` under pydantic 2, flask-login 0.6.2 under Werkzeug 3,
# Jinja2 2.11 under MarkupSafe 2.1, pip refusing pandas 2.2 beside a numpy 2.0 pin);
# jupyter server, daphne and waitress on a port a helper holds; as `nobody`: uvicorn `--uds`
# in a root-owned directory, `os.makedirs` of a log directory, `python -m http.server 80`;
# gunicorn `--chdir` to a missing directory; a missing config yaml; a missing package;
# `os.environ[...]` under supervisord; a syntax error in an imported module; Python 3.12
# syntax (PEP 695 generics, PEP 701 f-string quotes) on 3.11.
# Needs: Debian's python3 (3.11) with venv; pip installs into throwaway venvs under the work
# dir (alembic sqlalchemy psycopg2-binary rq arq redis dramatiq pydantic asyncpg uvicorn
# gunicorn jupyter_server daphne waitress supervisor pyyaml; flask 2.3.3 + flask-login 0.6.2 +
# werkzeug 3; jinja2 2.11.3 + markupsafe 2.1+); postgresql 15 (/usr/lib/postgresql/15/bin, run
# as `nobody` through `su nobody -s /bin/sh -c`); `su nobody`. A case whose tool is missing is
# skipped.
# Ports: 47750-47774. Closed (nothing listens): 47750 postgres, 47751 redis. A real postgres:
# 47752. A helper holds 47755 (the port-in-use cases).
# Work directory: /tmp/zoo-python-3 (removed at start and at exit).
# Wrapped in noise: missing-module-compose, dramatiq-redis-refused-compose (a compose-style
# `api_1  | ` prefix); asyncpg-refused-timestamps, waitress-port-in-use-timestamps (a
# timestamping `while read` loop, as a log shipper adds); supervisord-keyerror-env
# (supervisord's own lines).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
[ -x "$py" ] || { echo "no /usr/bin/python3: skipping"; exit 0; }
work=/tmp/zoo-python-3
pgbin=/usr/lib/postgresql/15/bin
rm -rf "$work"
pg= holder_pid=
. "$here/../lib.sh"  # stamp, wait_port, stop
cleanup() {
    stop "$holder_pid"
    [ -n "$pg" ] && su nobody -s /bin/sh -c "$pgbin/pg_ctl -D $work/pgdata -m immediate stop" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work"
chmod 755 "$work"
export PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
unset REDIS_URL DATABASE_URL STRIPE_API_KEY 2>/dev/null || true

run() {  # run NAME DIR COMMAND...: capture COMMAND run in DIR, bounded by timeout
    name=$1 dir=$2; shift 2
    (cd "$dir" && timeout 60 "$@") > "$here/$name.log" 2>&1 || true
}
compose() { sed 's/^/api_1  | /'; }
wrap() {  # wrap NAME DIR FILTER COMMAND...: as run, with the output piped through FILTER
    name=$1 dir=$2 filter=$3; shift 3
    (cd "$dir" && timeout 60 "$@" 2>&1 | $filter) > "$here/$name.log" 2>&1 || true
}
nobody() {  # nobody NAME DIR COMMAND: capture the shell COMMAND run as nobody in DIR
    (cd "$2" && timeout 60 su nobody -s /bin/sh -c "$3") > "$here/$1.log" 2>&1 || true
}

$py -m venv "$work/venv" >/dev/null
bin=$work/venv/bin
"$bin/pip" install -q alembic sqlalchemy psycopg2-binary rq arq redis dramatiq pydantic asyncpg \
    uvicorn gunicorn jupyter_server daphne waitress supervisor pyyaml >/dev/null 2>&1
app=$work/app
mkdir -p "$app"

# ---------------------------------------------------------------------------- servers
have_pg=false
if [ -x "$pgbin/initdb" ]; then
    mkdir -p "$work/pgdata" "$work/pgsock"
    printf 'postgres-pw\n' > "$work/pwfile"
    chown nobody:nogroup "$work/pgdata" "$work/pgsock" "$work/pwfile"
    su nobody -s /bin/sh -c "$pgbin/initdb -D $work/pgdata -U postgres --pwfile=$work/pwfile --auth-host=scram-sha-256 --auth-local=trust" >/dev/null 2>&1
    su nobody -s /bin/sh -c "$pgbin/pg_ctl -D $work/pgdata -l $work/pgsock/log -w -o '-p 47752 -k $work/pgsock -c listen_addresses=127.0.0.1' start" >/dev/null 2>&1
    pg=1
    su nobody -s /bin/sh -c "$pgbin/psql -h $work/pgsock -p 47752 -U postgres -q -c \"CREATE ROLE app LOGIN PASSWORD 'secret'\" -c 'CREATE DATABASE app OWNER app'" >/dev/null 2>&1
    have_pg=true
fi
# Something else holds 47755 on every address.
$py -c 'import socket, time
s = socket.socket()
s.bind(("0.0.0.0", 47755))
s.listen()
time.sleep(3600)' &
holder_pid=$!
wait_port 47755

# ---------------------------------------------------------------------------- alembic
mkdir -p "$app/migrations"
(cd "$app/migrations" && "$bin/alembic" init alembic >/dev/null 2>&1)
sed -i 's|^sqlalchemy.url = .*|sqlalchemy.url = postgresql+psycopg2://app:secret@127.0.0.1:47750/app|' \
    "$app/migrations/alembic.ini"
(cd "$app/migrations" && "$bin/alembic" revision -m "create orders" >/dev/null 2>&1)
run alembic-upgrade-refused "$app/migrations" "$bin/alembic" upgrade head
# Run from the app's root, one directory above the alembic.ini.
run alembic-no-config "$app" "$bin/alembic" upgrade head

# ---------------------------------------------------------------------------- task queues
cat > "$app/jobs.py" <<'PY'
def send_receipt(order_id):
    return order_id
PY
run rq-worker-redis-refused "$app" "$bin/rq" worker --url redis://127.0.0.1:47751/0 default
cat > "$app/arq_worker.py" <<'PY'
from arq.connections import RedisSettings


async def send_receipt(ctx, order_id):
    return order_id


class WorkerSettings:
    functions = [send_receipt]
    redis_settings = RedisSettings(host="127.0.0.1", port=47751, conn_retries=3, conn_retry_delay=1)
PY
run arq-worker-redis-refused "$app" "$bin/arq" arq_worker.WorkerSettings
cat > "$app/dramatiq_tasks.py" <<'PY'
import os

import dramatiq
from dramatiq.brokers.redis import RedisBroker

dramatiq.set_broker(RedisBroker(url=os.environ["REDIS_URL"]))


@dramatiq.actor
def send_receipt(order_id):
    return order_id
PY
# The worker retries for ever: it is stopped after 15 seconds.
(cd "$app" && REDIS_URL=redis://127.0.0.1:47751/0 timeout 15 "$bin/dramatiq" --processes 1 \
    --threads 1 dramatiq_tasks 2>&1 | compose) > "$here/dramatiq-redis-refused-compose.log" 2>&1 || true

# ---------------------------------------------------------------------------- asyncpg
cat > "$app/pgcheck.py" <<'PY'
import asyncio
import os

import asyncpg


async def main():
    conn = await asyncpg.connect(os.environ["DATABASE_URL"])
    print(await conn.fetchval("select 1"))


asyncio.run(main())
PY
DATABASE_URL=postgresql://app:secret@127.0.0.1:47750/app wrap asyncpg-refused-timestamps "$app" stamp "$bin/python" pgcheck.py
if $have_pg; then
    DATABASE_URL=postgresql://app:wrong@127.0.0.1:47752/app run asyncpg-auth-failed "$app" "$bin/python" pgcheck.py
    DATABASE_URL=postgresql://app:secret@127.0.0.1:47752/billing run asyncpg-database-missing "$app" "$bin/python" pgcheck.py
fi

# ---------------------------------------------------------------------------- sqlalchemy
# A venv with SQLAlchemy alone: the URL's driver was never installed.
$py -m venv "$work/bare" >/dev/null
"$work/bare/bin/pip" install -q sqlalchemy >/dev/null 2>&1
cat > "$app/db.py" <<'PY'
import os

from sqlalchemy import create_engine, text

engine = create_engine(os.environ["DATABASE_URL"])
with engine.connect() as conn:
    print(conn.execute(text("select 1")).scalar())
PY
DATABASE_URL=postgresql://app:secret@127.0.0.1:47752/app run sqlalchemy-missing-psycopg "$app" "$work/bare/bin/python" db.py
DATABASE_URL=mysql://app:secret@127.0.0.1:3306/shop run sqlalchemy-missing-mysqldb "$app" "$work/bare/bin/python" db.py
# The sqlite file's directory (data/) was never created.
DATABASE_URL=sqlite:///data/app.db run sqlalchemy-sqlite-unable-to-open "$app" "$work/bare/bin/python" db.py

# ---------------------------------------------------------------------------- versions that do not fit
cat > "$app/settings.py" <<'PY'
from pydantic import BaseSettings


class Settings(BaseSettings):
    database_url: str = "sqlite:///app.db"


settings = Settings()
print(settings.database_url)
PY
run pydantic-basesettings-moved "$app" "$bin/python" settings.py
$py -m venv "$work/flask" >/dev/null
"$work/flask/bin/pip" install -q flask==2.3.3 flask-login==0.6.2 'werkzeug>=3' >/dev/null 2>&1
cat > "$app/auth.py" <<'PY'
from flask import Flask
from flask_login import LoginManager

app = Flask(__name__)
login_manager = LoginManager(app)
PY
run flask-login-werkzeug3 "$app" "$work/flask/bin/python" auth.py
$py -m venv "$work/jinja" >/dev/null
"$work/jinja/bin/pip" install -q jinja2==2.11.3 >/dev/null 2>&1
cat > "$app/render.py" <<'PY'
from jinja2 import Template

print(Template("Hello {{ name }}").render(name="world"))
PY
run jinja2-markupsafe-soft-unicode "$app" "$work/jinja/bin/python" render.py
$py -m venv "$work/pipconflict" >/dev/null
printf 'pandas==2.2.0\nnumpy==2.0.0\n' > "$app/requirements.txt"
run pip-pandas-numpy-conflict "$app" "$work/pipconflict/bin/pip" install -r requirements.txt

# ---------------------------------------------------------------------------- ports taken
run jupyter-port-in-use "$app" "$bin/jupyter" server --ip 127.0.0.1 --port 47755 \
    --ServerApp.port_retries=0 --no-browser --allow-root
cat > "$app/asgi.py" <<'PY'
async def application(scope, receive, send):
    if scope["type"] == "http":
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})
PY
run daphne-port-in-use "$app" "$bin/daphne" -b 127.0.0.1 -p 47755 asgi:application
cat > "$app/wsgi.py" <<'PY'
def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]
PY
wrap waitress-port-in-use-timestamps "$app" stamp "$bin/waitress-serve" --listen=127.0.0.1:47755 wsgi:app

# ---------------------------------------------------------------------------- as nobody
mkdir -p "$work/run" "$work/var/log"
cat > "$app/main.py" <<'PY'
async def app(scope, receive, send):
    if scope["type"] == "http":
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})
PY
chmod -R a+rX "$app"
nobody uvicorn-uds-permission-denied "$app" "$bin/uvicorn main:app --uds $work/run/api.sock"
cat > "$app/worker.py" <<'PY'
import logging
import os

LOG_DIR = os.environ.get("LOG_DIR", "/var/log/worker")
os.makedirs(LOG_DIR, exist_ok=True)
logging.basicConfig(filename=os.path.join(LOG_DIR, "worker.log"), level=logging.INFO)
logging.info("worker started")
PY
nobody makedirs-log-permission-denied "$app" "LOG_DIR=$work/var/log/worker $py worker.py"
nobody http-server-privileged-port "$app" "$py -m http.server 80"

# ---------------------------------------------------------------------------- paths, modules, env
run gunicorn-chdir-missing "$app" "$bin/gunicorn" --chdir "$work/srv/api" -b 127.0.0.1:47756 wsgi:app
cat > "$app/load_config.py" <<'PY'
import yaml

with open("config/settings.yaml") as f:
    config = yaml.safe_load(f)
print(config["database"]["url"])
PY
run config-yaml-missing "$app" "$bin/python" load_config.py
# The bare venv never installed PyYAML.
wrap missing-module-compose "$app" compose "$work/bare/bin/python" load_config.py
cat > "$app/billing_worker.py" <<'PY'
import os
import time

STRIPE_API_KEY = os.environ["STRIPE_API_KEY"]
print("billing worker started", flush=True)
time.sleep(60)
PY
mkdir -p "$work/sv"
cat > "$work/sv/supervisord.conf" <<CONF
[supervisord]
nodaemon=true
logfile=/dev/null
logfile_maxbytes=0
pidfile=$work/sv/supervisord.pid
childlogdir=$work/sv

[program:billing]
command=$py $app/billing_worker.py
directory=$app
startsecs=5
startretries=1
redirect_stderr=true
stdout_logfile=/dev/stdout
stdout_logfile_maxbytes=0
CONF
: > "$work/sv/out"
# stdout a pipe, as under docker: supervisord reopens /dev/stdout for the program's output.
"$bin/supervisord" -c "$work/sv/supervisord.conf" 2>&1 | cat > "$work/sv/out" &
pipe=$!
i=0
while [ $i -lt 120 ] && ! grep -q "gave up:" "$work/sv/out"; do sleep 0.25; i=$((i + 1)); done
[ -f "$work/sv/supervisord.pid" ] && kill "$(cat "$work/sv/supervisord.pid")" 2>/dev/null || true
wait "$pipe" 2>/dev/null || true
cp "$work/sv/out" "$here/supervisord-keyerror-env.log"

# ---------------------------------------------------------------------------- syntax
mkdir -p "$app/shop/services"
: > "$app/shop/__init__.py"
: > "$app/shop/services/__init__.py"
cat > "$app/shop/services/billing.py" <<'PY'
def total(items):
    amount = 0
    for item in items
        amount += item["price"] * item["qty"]
    return amount
PY
cat > "$app/serve.py" <<'PY'
from shop.services.billing import total

print(total([{"price": 3, "qty": 2}]))
PY
run syntax-error-imported-module "$app" "$bin/python" serve.py
cat > "$app/generics.py" <<'PY'
from dataclasses import dataclass


@dataclass
class Page[T]:
    items: list[T]
    total: int


def first[T](page: Page[T]) -> T:
    return page.items[0]


print(first(Page(items=[1, 2], total=2)))
PY
run python312-pep695-generics "$app" "$py" generics.py
cat > "$app/report.py" <<'PY'
order = {"id": 7, "customer": {"name": "Ada"}}
print(f"order {order["id"]} for {order["customer"]["name"]}")
PY
run python312-fstring-quotes "$app" "$py" report.py

echo "captured into $here"
