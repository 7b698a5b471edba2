#!/bin/sh
# Regenerates the captures of this folder by running Python frameworks, servers, workers and the
# tools that start them, failing for real on this machine: Django Channels (daphne on a
# django-environ `env.db("DATABASE_URL")` never set; `runworker` with a channels_redis layer on a
# closed port, and on a host `redis` that does not resolve behind a compose prefix), Django with
# celery beat on a django_celery_beat scheduler never installed, FastAPI with SQLAlchemy 2's async
# engine over asyncpg (refused in the lifespan; a wrong password against a real postgres,
# timestamped), pydantic-settings v2 with a nested model whose variable is never set, gunicorn
# 20.1 with eventlet workers (eventlet 0.41 no longer has `ALREADY_HANDLED`) and gevent workers
# without gevent, the huey consumer refused under honcho, APScheduler 3's SQLAlchemy job store on
# a host `db` that does not resolve, Litestar, granian (timestamped), Robyn and CherryPy on a port
# a helper holds, CherryPy's error log in a root-owned dir as `nobody`, twistd on port 80 as
# `nobody` and on a .tac file with a syntax error, Pyramid under pserve importing
# `typing.override` (3.12) on 3.11, a Falcon app under gunicorn importing `itertools.batched`
# (3.12) behind a compose prefix, `poetry run` / `pipenv run` of a gunicorn never installed, `uv
# run` of a project requiring Python 3.12, an app run by Debian's python3 without its venv
# activated, an Alembic env.py importing the app package from a path not on sys.path, psycopg 3's
# pool with a wrong password against a real postgres, redis-py's RedisCluster refused.
# Needs: Debian's python3 with venv (no redis-server: the redis cases are refused on closed ports),
# postgresql 15 (/usr/lib/postgresql/15/bin, run as `nobody`), `su nobody`. pip installs, only if
# missing, into /tmp/zoo-python-5/venv (django channels channels-redis daphne django-environ
# celery redis fastapi uvicorn sqlalchemy asyncpg pydantic-settings huey apscheduler<4 psycopg
# psycopg-pool litestar cherrypy twisted granian robyn pyramid waitress falcon alembic honcho poetry uv
# pipenv) and /tmp/zoo-python-5/venv2 (gunicorn==20.1.0 eventlet falcon, no gevent).
# Ports: 48500-48549 only. A real postgres on 48500 (as nobody, scram-sha-256, role app with
# password s3cret); a helper holds 48501-48504; 48509, 48510, 48511 closed (nothing listens);
# 48505-48506 for servers started to fail; 80 as `nobody`, refused before anything binds.
# Work directory: /tmp/zoo-python-5/work (removed at start and at exit).
# Wrapped in noise: channels-runworker-unresolvable-compose, falcon-itertools-batched-compose
# (compose prefixes); fastapi-asyncpg-auth-failed-timestamps, granian-port-in-use-timestamps (lib.sh
# stamp); huey-consumer-refused-honcho (honcho); poetry, pipenv and uv as wrappers.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
pgbin=/usr/lib/postgresql/15/bin
base=/tmp/zoo-python-5
work=$base/work
rm -rf "$work"
mkdir -p "$base"
chmod 755 "$base"
pg_up= holder=
. "$here/../lib.sh"  # stamp, wait_port, stop
cleanup() {
    if [ -n "$pg_up" ]; then
        su nobody -s /bin/sh -c "$pgbin/pg_ctl -D $work/pg/main -m immediate -w stop" >/dev/null 2>&1 || true
    fi
    stop "$holder"
    sleep 0.5
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
mkdir -p "$work"
chmod 755 "$work"
export PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1

compose() { sed "s/^/$1  | /"; }
run() {  # run NAME DIR SECONDS COMMAND...: capture COMMAND run in DIR, bounded by timeout
    name=$1 dir=$2 secs=$3; shift 3
    (cd "$dir" && timeout "$secs" "$@") > "$here/$name.log" 2>&1 || true
}
wrap() {  # wrap NAME DIR FILTER COMMAND...: as run (20 s), the output piped through FILTER
    name=$1 dir=$2 filter=$3; shift 3
    (cd "$dir" && timeout 20 "$@" 2>&1 | $filter) > "$here/$name.log" 2>&1 || true
}
nobody() {  # nobody NAME DIR SECONDS COMMAND: capture the shell COMMAND run as nobody in DIR
    (cd "$2" && su nobody -s /bin/sh -c "cd $2 && timeout $3 $4") > "$here/$1.log" 2>&1 || true
}
as_nobody() { su nobody -s /bin/sh -c "$1"; }

# ---------------------------------------------------------------------------- installs
V=$base/venv
if [ ! -f "$V/.built" ]; then
    rm -rf "$V"
    { $py -m venv "$V" && "$V/bin/pip" install -q django channels channels-redis daphne \
        django-environ celery redis fastapi uvicorn "sqlalchemy[asyncio]" asyncpg \
        pydantic-settings huey "apscheduler<4" "psycopg[binary]" psycopg-pool litestar cherrypy \
        twisted granian robyn pyramid waitress falcon alembic honcho poetry uv pipenv \
        && touch "$V/.built"; } >/dev/null 2>&1 || true
fi
[ -f "$V/.built" ] || { echo "venv: cannot build $V"; exit 1; }
V2=$base/venv2
if [ ! -f "$V2/.built" ]; then
    rm -rf "$V2"
    { $py -m venv "$V2" && "$V2/bin/pip" install -q "gunicorn==20.1.0" eventlet falcon \
        && touch "$V2/.built"; } >/dev/null 2>&1 || true
fi
[ -f "$V2/.built" ] || { echo "venv2: cannot build $V2"; exit 1; }
P=$V/bin/python
chmod -R a+rX "$base"
export PATH="$V/bin:$PATH"

# A helper holds 48501-48504, as another service would.
$py -c '
import socket, time
held = []
for port in range(48501, 48505):
    s = socket.socket()
    s.bind(("127.0.0.1", port))
    s.listen()
    held.append(s)
time.sleep(600)
' &
holder=$!
wait_port 48504

# ---------------------------------------------------------------------------- postgres server
pg=$work/pg
mkdir -p "$pg/sock"
chown nobody "$pg" "$pg/sock"
echo s3cret > "$pg/pwfile"
chmod 644 "$pg/pwfile"
as_nobody "$pgbin/initdb -D $pg/main -U postgres --pwfile=$pg/pwfile --auth-host=scram-sha-256 --auth-local=trust" >/dev/null 2>&1
if as_nobody "$pgbin/pg_ctl -D $pg/main -l $pg/server.log -w -o \"-p 48500 -k $pg/sock -c listen_addresses=127.0.0.1\" start" >/dev/null 2>&1; then
    pg_up=1
    as_nobody "$pgbin/psql -h $pg/sock -p 48500 -U postgres -qc \"CREATE ROLE app LOGIN PASSWORD 's3cret'\" -c 'CREATE DATABASE app OWNER app'" >/dev/null
fi

# ---------------------------------------------------------------------------- Django, Channels, celery beat
dj=$work/django
mkdir -p "$dj/proj"
touch "$dj/proj/__init__.py"
cat > "$dj/proj/settings.py" <<'PY'
import environ

env = environ.Env()

SECRET_KEY = "dev-only"
DEBUG = True
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "channels"]
ASGI_APPLICATION = "proj.asgi.application"
DATABASES = {"default": env.db("DATABASE_URL")}
PY
cat > "$dj/proj/worker_settings.py" <<'PY'
import os

SECRET_KEY = "dev-only"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "channels"]
ASGI_APPLICATION = "proj.asgi.application"
DATABASES = {}
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {"hosts": [(os.environ["REDIS_HOST"], int(os.environ["REDIS_PORT"]))]},
    },
}
CELERY_BROKER_URL = "redis://127.0.0.1:48509/0"
PY
cat > "$dj/proj/asgi.py" <<'PY'
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")
django_asgi_app = get_asgi_application()

from channels.consumer import AsyncConsumer  # noqa: E402
from channels.routing import ChannelNameRouter, ProtocolTypeRouter  # noqa: E402


class Thumbnails(AsyncConsumer):
    async def thumbnail(self, message):
        print("thumbnail", message)


application = ProtocolTypeRouter({
    "http": django_asgi_app,
    "channel": ChannelNameRouter({"thumbnails": Thumbnails.as_asgi()}),
})
PY
cat > "$dj/proj/celery.py" <<'PY'
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.worker_settings")
app = Celery("proj")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
PY
cat > "$dj/manage.py" <<'PY'
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")
    from django.core.management import execute_from_command_line
    execute_from_command_line(sys.argv)
PY
# daphne loads settings that read DATABASE_URL through django-environ; it was never set.
run daphne-environ-missing-env "$dj" 20 env -u DATABASE_URL "$V/bin/daphne" -b 127.0.0.1 -p 48505 proj.asgi:application
# runworker listens on the channels_redis layer: nothing listens on 48509.
run channels-runworker-redis-refused "$dj" 12 env DJANGO_SETTINGS_MODULE=proj.worker_settings \
    REDIS_HOST=127.0.0.1 REDIS_PORT=48509 "$P" manage.py runworker thumbnails
# The layer's host is the compose service `redis`, which does not resolve here.
wrap channels-runworker-unresolvable-compose "$dj" "compose worker-1" env DJANGO_SETTINGS_MODULE=proj.worker_settings \
    REDIS_HOST=redis REDIS_PORT=6379 "$P" manage.py runworker thumbnails
# celery beat with django_celery_beat's DatabaseScheduler: the package was never installed.
run celery-beat-django-scheduler-missing "$dj" 20 env REDIS_HOST=127.0.0.1 REDIS_PORT=48509 "$V/bin/celery" -A proj beat -l info \
    -S django_celery_beat.schedulers:DatabaseScheduler

# ---------------------------------------------------------------------------- FastAPI + SQLAlchemy 2 async
fa=$work/fastapi
mkdir -p "$fa"
cat > "$fa/main.py" <<'PY'
import os
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

engine = create_async_engine(os.environ["DATABASE_URL"])


@asynccontextmanager
async def lifespan(app: FastAPI):
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))
    yield
    await engine.dispose()


app = FastAPI(lifespan=lifespan)


@app.get("/health")
async def health():
    return {"ok": True}
PY
run fastapi-asyncpg-refused "$fa" 20 env DATABASE_URL=postgresql+asyncpg://app:s3cret@127.0.0.1:48510/app \
    "$V/bin/uvicorn" main:app --host 127.0.0.1 --port 48506
if [ -n "$pg_up" ]; then
    wrap fastapi-asyncpg-auth-failed-timestamps "$fa" stamp env DATABASE_URL=postgresql+asyncpg://app:hunter2@127.0.0.1:48500/app \
        "$V/bin/uvicorn" main:app --host 127.0.0.1 --port 48506
fi

# ---------------------------------------------------------------------------- pydantic-settings nested
ps=$work/settings
mkdir -p "$ps"
cat > "$ps/config.py" <<'PY'
from pydantic import BaseModel
from pydantic_settings import BaseSettings, SettingsConfigDict


class DatabaseSettings(BaseModel):
    host: str
    port: int = 5432
    name: str = "app"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_nested_delimiter="__")

    debug: bool = False
    database: DatabaseSettings


settings = Settings()
PY
cat > "$ps/app.py" <<'PY'
from config import settings

print("connecting to", settings.database.host)
PY
# DATABASE__PORT is set; DATABASE__HOST, which the nested model requires, is not.
run pydantic-settings-nested-missing "$ps" 20 env DATABASE__PORT=5433 "$P" app.py

# ---------------------------------------------------------------------------- gunicorn workers (venv2)
gu=$work/gunicorn
mkdir -p "$gu"
cat > "$gu/app.py" <<'PY'
import falcon


class Health:
    def on_get(self, req, resp):
        resp.media = {"ok": True}


app = falcon.App()
app.add_route("/health", Health())
PY
# gunicorn 20.1's eventlet worker imports eventlet.wsgi.ALREADY_HANDLED, gone from eventlet 0.41.
run gunicorn-eventlet-already-handled "$gu" 20 "$V2/bin/gunicorn" -k eventlet -b 127.0.0.1:48505 app:app
# -k gevent, gevent never installed in this venv.
run gunicorn-gevent-not-installed "$gu" 20 "$V2/bin/gunicorn" -k gevent -b 127.0.0.1:48505 app:app

# ---------------------------------------------------------------------------- huey under honcho, APScheduler
hu=$work/huey
mkdir -p "$hu"
cat > "$hu/tasks.py" <<'PY'
from huey import RedisHuey

huey = RedisHuey("reports", host="127.0.0.1", port=48509)


@huey.task()
def build_report(report_id):
    return report_id
PY
printf 'worker: huey_consumer tasks.huey -w 2\n' > "$hu/Procfile"
run huey-consumer-refused-honcho "$hu" 4 "$V/bin/honcho" start
cat > "$hu/scheduler.py" <<'PY'
import os

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.blocking import BlockingScheduler

scheduler = BlockingScheduler(jobstores={"default": SQLAlchemyJobStore(url=os.environ["JOBS_DATABASE_URL"])})


@scheduler.scheduled_job("interval", minutes=5, id="sync")
def sync():
    print("sync")


scheduler.start()
PY
run apscheduler-jobstore-unresolvable "$hu" 20 env JOBS_DATABASE_URL=postgresql+psycopg://app:s3cret@db:5432/app "$P" scheduler.py

# ---------------------------------------------------------------------------- servers on a port a helper holds
sv=$work/servers
mkdir -p "$sv"
cat > "$sv/lite.py" <<'PY'
from litestar import Litestar, get


@get("/health")
async def health() -> dict:
    return {"ok": True}


app = Litestar([health])
PY
run litestar-port-in-use "$sv" 20 "$V/bin/litestar" --app lite:app run --host 127.0.0.1 --port 48502
cat > "$sv/asgi.py" <<'PY'
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})
PY
wrap granian-port-in-use-timestamps "$sv" stamp "$V/bin/granian" --interface asgi --host 127.0.0.1 --port 48503 asgi:app
cat > "$sv/rob.py" <<'PY'
from robyn import Robyn

app = Robyn(__file__)


@app.get("/health")
async def health():
    return "ok"


app.start(host="127.0.0.1", port=48504)
PY
run robyn-port-in-use "$sv" 3 "$P" rob.py
cat > "$sv/cherry.py" <<'PY'
import os

import cherrypy


class Root:
    @cherrypy.expose
    def index(self):
        return "ok"


cherrypy.config.update({
    "server.socket_host": "127.0.0.1",
    "server.socket_port": int(os.environ.get("PORT", "48501")),
    "log.error_file": os.environ.get("ERROR_LOG", ""),
})
cherrypy.quickstart(Root())
PY
run cherrypy-port-in-use "$sv" 20 "$P" cherry.py
mkdir -p "$sv/logs"
chmod 755 "$sv" "$sv/logs"
chmod 644 "$sv/cherry.py"
# As nobody, log.error_file names logs/error.log in a directory root owns.
nobody cherrypy-error-log-permission-nobody "$sv" 20 "env PORT=48505 ERROR_LOG=$sv/logs/error.log $P cherry.py"

# ---------------------------------------------------------------------------- twisted
tw=$work/twisted
mkdir -p "$tw/public"
chmod 755 "$tw" "$tw/public"
echo ok > "$tw/public/index.html"
# As nobody, twistd's web plugin on port 80: below 1024, only root may bind it.
nobody twistd-privileged-port-nobody "$tw" 20 "$V/bin/twistd -n --pidfile= web --listen tcp:80:interface=127.0.0.1 --path $tw/public"
cat > "$tw/app.tac" <<'PY'
from twisted.application import internet, service
from twisted.web import server, static

application = service.Application("static"
site = server.Site(static.File("public"))
internet.TCPServer(48505, site, interface="127.0.0.1").setServiceParent(application)
PY
run twistd-tac-syntax-error "$tw" 20 "$V/bin/twistd" -n --pidfile= -y app.tac

# ---------------------------------------------------------------------------- 3.12 code on Debian's 3.11
py12=$work/py312
mkdir -p "$py12/shop"
cat > "$py12/shop/__init__.py" <<'PY'
from pyramid.config import Configurator

from shop.views import includeme as views


def main(global_config, **settings):
    with Configurator(settings=settings) as config:
        config.include(views)
        return config.make_wsgi_app()
PY
cat > "$py12/shop/views.py" <<'PY'
from typing import override

from pyramid.response import Response


class Base:
    def render(self) -> str:
        return "base"


class Home(Base):
    @override
    def render(self) -> str:
        return "home"


def home(request):
    return Response(Home().render())


def includeme(config):
    config.add_route("home", "/")
    config.add_view(home, route_name="home")
PY
cat > "$py12/development.ini" <<'INI'
[app:main]
use = call:shop:main

[server:main]
use = egg:waitress#main
listen = 127.0.0.1:48505
INI
run pyramid-typing-override-py311 "$py12" 20 env PYTHONPATH="$py12" "$V/bin/pserve" development.ini
cat > "$py12/api.py" <<'PY'
from itertools import batched

import falcon


class Export:
    def on_get(self, req, resp):
        resp.media = [list(chunk) for chunk in batched(range(10), 3)]


app = falcon.App()
app.add_route("/export", Export())
PY
wrap falcon-itertools-batched-compose "$py12" "compose api-1" "$V2/bin/gunicorn" -b 127.0.0.1:48505 api:app

# ---------------------------------------------------------------------------- poetry, pipenv, uv
po=$work/poetry
mkdir -p "$po"
cat > "$po/pyproject.toml" <<'TOML'
[tool.poetry]
name = "billing"
version = "0.1.0"
description = ""
authors = ["Dev <dev@example.com>"]
package-mode = false

[tool.poetry.dependencies]
python = "^3.11"
TOML
echo 'def app(environ, start_response): pass' > "$po/wsgi.py"
# The project's venv has no gunicorn (never added): poetry run cannot find it.
run poetry-run-command-not-found "$po" 60 env POETRY_VIRTUALENVS_IN_PROJECT=true POETRY_CACHE_DIR="$po/.cache" \
    "$V/bin/poetry" run gunicorn -b 127.0.0.1:48505 wsgi:app
pe=$work/pipenv
mkdir -p "$pe"
printf '[packages]\n\n[requires]\npython_version = "3.11"\n' > "$pe/Pipfile"
cp "$po/wsgi.py" "$pe/wsgi.py"
run pipenv-run-command-not-found "$pe" 90 env PIPENV_VENV_IN_PROJECT=1 PIPENV_YES=1 PIPENV_NOSPIN=1 \
    "$V/bin/pipenv" run gunicorn -b 127.0.0.1:48505 wsgi:app
uvp=$work/uv
mkdir -p "$uvp"
cat > "$uvp/pyproject.toml" <<'TOML'
[project]
name = "ingest"
version = "0.1.0"
requires-python = ">=3.12"
dependencies = []
TOML
echo 'print("ingest")' > "$uvp/main.py"
# Only Debian's 3.11 is here and uv may not download one.
run uv-run-requires-python "$uvp" 60 env UV_CACHE_DIR="$uvp/.cache" "$V/bin/uv" run --no-python-downloads --python /usr/bin/python3 main.py

# ---------------------------------------------------------------------------- a venv not activated, alembic env.py
nv=$work/novenv
mkdir -p "$nv"
cat > "$nv/app.py" <<'PY'
import uvicorn
from fastapi import FastAPI

app = FastAPI()

if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=48505)
PY
# The packages are in ./.venv, but Debian's python3 runs the app: the venv was never activated.
$py -m venv "$nv/.venv"
run venv-not-activated "$nv" 20 $py app.py
al=$work/alembic
mkdir -p "$al"
(cd "$al" && "$V/bin/alembic" init migrations >/dev/null)
mkdir -p "$al/src/app"
touch "$al/src/app/__init__.py"
printf 'from sqlalchemy.orm import DeclarativeBase\n\n\nclass Base(DeclarativeBase):\n    pass\n' > "$al/src/app/models.py"
sed -i 's|^sqlalchemy.url = .*|sqlalchemy.url = postgresql+psycopg://app:s3cret@127.0.0.1:48500/app|' "$al/alembic.ini"
# env.py imports the app's models; the package lives in src/, which is not on sys.path.
sed -i 's|^target_metadata = None|from app.models import Base\ntarget_metadata = Base.metadata|' "$al/migrations/env.py"
run alembic-env-import-app "$al" 20 "$V/bin/alembic" upgrade head

# ---------------------------------------------------------------------------- psycopg pool, redis cluster
cl=$work/clients
mkdir -p "$cl"
cat > "$cl/pool.py" <<'PY'
import logging
import os

from psycopg_pool import ConnectionPool

logging.basicConfig(level=logging.WARNING)

pool = ConnectionPool(os.environ["DATABASE_URL"], min_size=1, open=False)
pool.open(wait=True, timeout=5)
with pool.connection() as conn:
    print(conn.execute("SELECT 1").fetchone())
PY
if [ -n "$pg_up" ]; then
    run psycopg-pool-auth-failed "$cl" 20 env DATABASE_URL="postgresql://app:hunter2@127.0.0.1:48500/app" "$P" pool.py
fi
cat > "$cl/cluster.py" <<'PY'
from redis.cluster import RedisCluster

rc = RedisCluster(host="127.0.0.1", port=48511)
print(rc.get("sessions:count"))
PY
run rediscluster-refused "$cl" 20 "$P" cluster.py

echo "captured into $here"
