#!/bin/sh
# Regenerates the captures of this folder by running real Python web servers failing on this
# machine: Django (runserver, manage.py migrate and under gunicorn), Flask (`flask run`,
# `python app.py` with the debug reloader), FastAPI and Starlette under uvicorn, gunicorn,
# hypercorn, and pip refusing an install (Requires-Python, ResolutionImpossible).
# Needs: Debian's python3 (/usr/bin/python3, 3.11) with venv; pip installs into throwaway venvs
# (django gunicorn flask fastapi uvicorn hypercorn starlette pydantic-settings redis
# psycopg[binary] honcho; flask 2.2 + werkzeug 3.0 in a second venv); postgresql 15
# (/usr/lib/postgresql/15/bin, run as `nobody`) for the database-missing and auth cases.
# Runs as root; the privileged-port and permission cases run as `nobody` through
# `su nobody -s /bin/sh -c`. Ports: 45300-45349 (a helper holds 45301-45309; 45311 and 45312
# stay closed; a throwaway postgres listens on 45320). Work directory: /tmp/zoo-python-web
# (removed at start and at exit).
# Wrapped in noise: django-migrate-refused-honcho, django-port-in-use-honcho,
# flask-port-in-use-honcho and uvicorn-redis-refused-honcho (honcho's `HH:MM:SS web.1  | `
# prefixes); django-secret-key-compose, gunicorn-worker-boot-compose, uvicorn-settings-compose
# and uvicorn-redis-unresolvable-compose (a compose-style `web_1  | ` prefix);
# uvicorn-port-in-use-timestamps, gunicorn-port-in-use-timestamps,
# flask-missing-module-timestamps, starlette-config-missing-timestamps and
# hypercorn-missing-env-timestamps (a timestamping `while read` loop, as a log shipper adds).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
[ -x "$py" ] || { echo "no /usr/bin/python3: skipping"; exit 0; }
work=/tmp/zoo-python-web
pgbin=/usr/lib/postgresql/15/bin
rm -rf "$work"
helper=
pg=
cleanup() {
    [ -n "$helper" ] && kill "$helper" 2>/dev/null || true
    [ -n "$helper" ] && wait "$helper" 2>/dev/null || true
    [ -n "$pg" ] && su nobody -s /bin/sh -c "$pgbin/pg_ctl -D $work/pgdata -m immediate stop" >/dev/null 2>&1 || true
    chmod -R u+w "$work" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work"
chmod 755 "$work"
export PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
unset DJANGO_SETTINGS_MODULE SECRET_KEY DJANGO_SECRET_KEY DATABASE_URL FLASK_APP 2>/dev/null || true
closed_redis=45311
closed_pg=45312
pg_port=45320

# Every case is bounded: `timeout` ends the whole process group of a server that would hang.
run() {  # run NAME DIR COMMAND...: capture COMMAND run in DIR as root
    name=$1 dir=$2; shift 2
    (cd "$dir" && timeout 40 "$@") > "$here/$name.log" 2>&1 || true
}
run_nobody() {  # run_nobody NAME DIR 'COMMAND': capture COMMAND run in DIR as nobody
    su nobody -s /bin/sh -c "cd $2 && PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 timeout 40 env $3" \
        > "$here/$1.log" 2>&1 || true
}
. "$here/../lib.sh"  # stamp, wait_port
compose() { sed 's/^/web_1  | /'; }

# The venv every server runs from (Debian's python, so that `nobody` can run it too).
$py -m venv "$work/venv" >/dev/null
"$work/venv/bin/pip" install -q django gunicorn flask fastapi uvicorn hypercorn starlette \
    pydantic-settings redis 'psycopg[binary]' honcho >/dev/null 2>&1
bin=$work/venv/bin

# A helper holds ports 45301-45309 on every address, as another service would.
cat > "$work/holder.py" <<'PY'
import socket, time
socks = []
for port in range(45301, 45310):
    s = socket.socket()
    s.bind(("0.0.0.0", port))
    s.listen()
    socks.append(s)
time.sleep(600)
PY
$py "$work/holder.py" &
helper=$!
sleep 1

# ---------------------------------------------------------------------------- Django
dj=$work/django
mkdir -p "$dj/mysite"
cat > "$dj/manage.py" <<'PY'
#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
PY
: > "$dj/mysite/__init__.py"
cat > "$dj/mysite/urls.py" <<'PY'
from django.http import HttpResponse
from django.urls import path



def home(request):
    request.session["visits"] = request.session.get("visits", 0) + 1
    return HttpResponse("ok")


urlpatterns = [path("", home)]
PY
cat > "$dj/mysite/wsgi.py" <<'PY'
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")
application = get_wsgi_application()
PY
cat > "$dj/mysite/settings.py" <<'PY'
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = os.environ.get("DEBUG", "0") == "1"
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.staticfiles",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
]
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
ROOT_URLCONF = "mysite.urls"
WSGI_APPLICATION = "mysite.wsgi.application"
DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}
}
STATIC_URL = "static/"
USE_TZ = True
PY
cat > "$dj/mysite/settings_prod.py" <<'PY'
import os

from .settings import *  # noqa: F401,F403

DEBUG = False
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
PY
cat > "$dj/mysite/settings_blog.py" <<'PY'
from .settings import *  # noqa: F401,F403

SECRET_KEY = "dev-only-not-secret"
INSTALLED_APPS = INSTALLED_APPS + ["blog"]
PY
cat > "$dj/mysite/settings_api.py" <<'PY'
from .settings import *  # noqa: F401,F403

SECRET_KEY = "dev-only-not-secret"
INSTALLED_APPS = INSTALLED_APPS + ["rest_framework"]
PY
cat > "$dj/mysite/settings_pg.py" <<'PY'
import os

from .settings import *  # noqa: F401,F403

SECRET_KEY = "dev-only-not-secret"
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("DB_NAME", "shop"),
        "USER": os.environ.get("DB_USER", "postgres"),
        "PASSWORD": os.environ.get("DB_PASSWORD", ""),
        "HOST": os.environ.get("DB_HOST", "127.0.0.1"),
        "PORT": os.environ.get("DB_PORT", "5432"),
    }
}
PY
cat > "$dj/mysite/settings_logfile.py" <<'PY'
from .settings import *  # noqa: F401,F403

SECRET_KEY = "dev-only-not-secret"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {
        "file": {
            "class": "logging.FileHandler",
            "filename": "/tmp/zoo-python-web/logs/django.log",
        },
    },
    "root": {"handlers": ["file"], "level": "INFO"},
}
PY
mkdir -p "$work/logs"
chmod 755 "$work/logs"
chmod -R a+rX "$work"

# SECRET_KEY left empty: runserver starts, and the first request that signs a session fails.
(cd "$dj" && DEBUG=1 exec timeout 40 "$bin/python" manage.py runserver --noreload 127.0.0.1:45330) \
    > "$here/django-missing-secret-key.log" 2>&1 &
server=$!
sleep 3
"$py" -c 'import urllib.request
try: urllib.request.urlopen("http://127.0.0.1:45330/")
except Exception: pass' || true
sleep 1
kill "$server" 2>/dev/null || true
wait "$server" 2>/dev/null || true
DJANGO_SETTINGS_MODULE=mysite.settings_prod run django-secret-key-keyerror "$dj" "$bin/python" manage.py runserver 127.0.0.1:45330
(cd "$dj" && DJANGO_SETTINGS_MODULE=mysite.settings_prod timeout 40 "$bin/python" manage.py runserver 127.0.0.1:45330 2>&1 | compose) \
    > "$here/django-secret-key-compose.log" || true
DJANGO_SETTINGS_MODULE=mysite.settings_staging run django-settings-module-missing "$dj" "$bin/python" manage.py runserver 127.0.0.1:45330
DJANGO_SETTINGS_MODULE=mysite.settings_blog run django-missing-app "$dj" "$bin/python" manage.py runserver --noreload 127.0.0.1:45330
DJANGO_SETTINGS_MODULE=mysite.settings_api run django-missing-package "$dj" "$bin/python" manage.py migrate
DJANGO_SETTINGS_MODULE=mysite.settings_pg DB_PORT=$closed_pg run django-migrate-refused "$dj" "$bin/python" manage.py migrate
DJANGO_SETTINGS_MODULE=mysite.settings_pg DB_PORT=$closed_pg run django-runserver-db-refused "$dj" "$bin/python" manage.py runserver --noreload 127.0.0.1:45330
DJANGO_SETTINGS_MODULE=mysite.settings_pg DB_HOST=db DB_PORT=5432 run django-migrate-unresolvable "$dj" "$bin/python" manage.py migrate
SECRET_KEY=dev run django-port-in-use "$dj" "$bin/python" manage.py runserver 127.0.0.1:45301
run_nobody django-privileged-port "$dj" "SECRET_KEY=dev $bin/python manage.py runserver --noreload 0.0.0.0:80"
run_nobody django-log-permission-denied "$dj" "DJANGO_SETTINGS_MODULE=mysite.settings_logfile $bin/python manage.py runserver --noreload 127.0.0.1:45330"
run django-manage-cant-open "$work" "$bin/python" manage.py runserver
# Under gunicorn: the worker imports the project and fails to boot.
DJANGO_SETTINGS_MODULE=mysite.settings_prod run gunicorn-django-secret-key "$dj" "$bin/gunicorn" --bind 127.0.0.1:45331 mysite.wsgi
DJANGO_SETTINGS_MODULE=mysite.settings.production run gunicorn-django-settings-missing "$dj" "$bin/gunicorn" --bind 127.0.0.1:45331 mysite.wsgi
run gunicorn-django-wsgi-missing "$dj" "$bin/gunicorn" --bind 127.0.0.1:45331 mysite.wsgi_prod
SECRET_KEY=dev run gunicorn-django-port-in-use "$dj" "$bin/gunicorn" --bind 0.0.0.0:45302 mysite.wsgi
printf 'web: %s manage.py runserver 127.0.0.1:45301\n' "$bin/python" > "$dj/Procfile"
SECRET_KEY=dev run django-port-in-use-honcho "$dj" "$bin/honcho" start
# honcho runs the Procfile of a release step (migrate) before the server.
cat > "$dj/Procfile" <<PROC
web: DJANGO_SETTINGS_MODULE=mysite.settings_pg DB_PORT=$closed_pg $bin/python manage.py migrate && $bin/gunicorn --bind 127.0.0.1:45331 mysite.wsgi
PROC
run django-migrate-refused-honcho "$dj" "$bin/honcho" start

# A real postgres (run as nobody): a database that was never created, then a wrong password.
if [ -x "$pgbin/initdb" ]; then
    printf 's3cret-pw\n' > "$work/pwfile"
    chmod 644 "$work/pwfile"
    mkdir -p "$work/pgdata" "$work/pgsock"
    chown nobody:nogroup "$work/pgdata" "$work/pgsock"
    su nobody -s /bin/sh -c "$pgbin/initdb -D $work/pgdata -U postgres --pwfile=$work/pwfile --auth=scram-sha-256" >/dev/null 2>&1
    su nobody -s /bin/sh -c "$pgbin/pg_ctl -D $work/pgdata -l $work/pgsock/log -w -o '-p $pg_port -k $work/pgsock -c listen_addresses=127.0.0.1' start" >/dev/null 2>&1
    pg=1
    DJANGO_SETTINGS_MODULE=mysite.settings_pg DB_PORT=$pg_port DB_PASSWORD=s3cret-pw run django-database-missing "$dj" "$bin/python" manage.py migrate
    DJANGO_SETTINGS_MODULE=mysite.settings_pg DB_PORT=$pg_port DB_PASSWORD=wrong-pw DB_NAME=postgres run django-postgres-auth-failed "$dj" "$bin/python" manage.py migrate
    su nobody -s /bin/sh -c "$pgbin/pg_ctl -D $work/pgdata -m fast -w stop" >/dev/null 2>&1 || true
    pg=
fi

# ---------------------------------------------------------------------------- Flask
fl=$work/flask
mkdir -p "$fl/empty" "$fl/needs" "$fl/syntax" "$fl/reloader" "$fl/factory/shop" "$fl/logging"
cat > "$fl/needs/app.py" <<'PY'
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///shop.db"
db = SQLAlchemy(app)


@app.get("/")
def index():
    return "ok"
PY
cat > "$fl/syntax/app.py" <<'PY'
from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/health")
def health():
    return jsonify(status="ok"


@app.get("/")
def index():
    return "hello"
PY
cat > "$fl/reloader/app.py" <<'PY'
import os

from flask import Flask

app = Flask(__name__)


@app.get("/")
def index():
    return "ok"


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")), debug=True)
PY
cat > "$fl/reloader/config_app.py" <<'PY'
import os

from flask import Flask

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ["FLASK_SECRET_KEY"]
app.config["DATABASE_URL"] = os.environ.get("DATABASE_URL", "sqlite:///dev.db")


@app.get("/")
def index():
    return "ok"


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=45332, debug=True)
PY
cat > "$fl/factory/shop/__init__.py" <<'PY'
from flask import Flask


def create_app():
    app = Flask(__name__)
    from shop.views import bp

    app.register_blueprint(bp)
    return app
PY
cat > "$fl/logging/app.py" <<'PY'
import logging

from flask import Flask

handler = logging.FileHandler("/tmp/zoo-python-web/logs/flask/app.log")
logging.basicConfig(level=logging.INFO, handlers=[handler])
app = Flask(__name__)


@app.get("/")
def index():
    return "ok"


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=45333)
PY
mkdir -p "$work/logs/flask"
chmod -R a+rX "$work"

run flask-app-module-not-found "$fl/empty" "$bin/flask" --app hello run --port 45332
run flask-factory-missing-module "$fl/factory" "$bin/flask" --app 'shop:create_app()' run --port 45332
run flask-missing-module "$fl/needs" "$bin/flask" run --port 45332
(cd "$fl/needs" && timeout 40 "$bin/flask" run --port 45332 2>&1 | stamp) > "$here/flask-missing-module-timestamps.log" || true
run flask-port-in-use "$fl/reloader" "$bin/flask" run --port 45303
run flask-syntax-error "$fl/syntax" "$bin/flask" run --port 45332
PORT=45303 run flask-debug-reloader-port-in-use "$fl/reloader" "$bin/python" app.py
run flask-debug-missing-env "$fl/reloader" "$bin/python" config_app.py
run_nobody flask-log-permission-denied "$fl/logging" "$bin/python app.py"
run flask-cant-open-file "$fl" "$bin/python" app.py
printf 'web: %s run --port 45303\n' "$bin/flask" > "$fl/reloader/Procfile"
run flask-port-in-use-honcho "$fl/reloader" "$bin/honcho" start

# An old Flask (2.2.2, which asks only Werkzeug>=2.2.2) under a Werkzeug released after it
# (3.0 dropped werkzeug.urls.url_quote, which Flask 2.2.2 imports).
$py -m venv "$work/oldflask" >/dev/null
"$work/oldflask/bin/pip" install -q 'flask==2.2.2' 'werkzeug==3.0.6' >/dev/null 2>&1
run flask-werkzeug-conflict "$fl/reloader" "$work/oldflask/bin/flask" run --port 45332

# ---------------------------------------------------------------------------- FastAPI / uvicorn
fa=$work/fastapi
mkdir -p "$fa/empty" "$fa/env" "$fa/settings" "$fa/redis" "$fa/redis-dns" "$fa/pg" "$fa/syntax" "$fa/py312" "$fa/pkg/app" "$fa/needs" "$fa/ok"
cat > "$fa/ok/main.py" <<'PY'
from fastapi import FastAPI

app = FastAPI()


@app.get("/")
def index():
    return {"status": "ok"}
PY
cat > "$fa/env/main.py" <<'PY'
import os

from fastapi import FastAPI

DATABASE_URL = os.environ["DATABASE_URL"]
app = FastAPI()


@app.get("/")
def index():
    return {"db": DATABASE_URL.split("@")[-1]}
PY
cat > "$fa/settings/main.py" <<'PY'
from fastapi import FastAPI
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    PROJECT_NAME: str = "shop-api"
    POSTGRES_SERVER: str
    POSTGRES_USER: str
    POSTGRES_PASSWORD: str
    SECRET_KEY: str


settings = Settings()
app = FastAPI(title=settings.PROJECT_NAME)
PY
cat > "$fa/redis/main.py" <<'PY'
import os
from contextlib import asynccontextmanager

import redis.asyncio as redis
from fastapi import FastAPI

REDIS_URL = os.environ.get("REDIS_URL", "redis://localhost:6379/0")


@asynccontextmanager
async def lifespan(app: FastAPI):
    app.state.redis = redis.from_url(REDIS_URL)
    await app.state.redis.ping()
    yield
    await app.state.redis.aclose()


app = FastAPI(lifespan=lifespan)
PY
cat > "$fa/redis-dns/main.py" <<'PY'
import os

import redis.asyncio as redis
from fastapi import FastAPI

app = FastAPI()


@app.on_event("startup")
async def connect_cache():
    app.state.cache = redis.Redis(host=os.environ.get("REDIS_HOST", "redis"), port=6379)
    await app.state.cache.ping()
PY
cat > "$fa/pg/main.py" <<'PY'
import os
from contextlib import asynccontextmanager

import psycopg
from fastapi import FastAPI

DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://app@localhost:5432/app")


@asynccontextmanager
async def lifespan(app: FastAPI):
    app.state.db = await psycopg.AsyncConnection.connect(DATABASE_URL)
    yield
    await app.state.db.close()


app = FastAPI(lifespan=lifespan)
PY
cat > "$fa/syntax/main.py" <<'PY'
from fastapi import FastAPI

app = FastAPI()


@app.get("/items/{item_id}")
def read_item(item_id: int):
    if item_id < 0
        return {"error": "negative"}
    return {"item_id": item_id}
PY
cat > "$fa/py312/main.py" <<'PY'
from fastapi import FastAPI

type ItemId = int

app = FastAPI()


@app.get("/items/{item_id}")
def read_item(item_id: ItemId):
    return {"item_id": item_id}
PY
: > "$fa/pkg/app/__init__.py"
cat > "$fa/pkg/app/main.py" <<'PY'
from fastapi import FastAPI

from app.routers import users

app = FastAPI()
app.include_router(users.router)
PY
cat > "$fa/needs/main.py" <<'PY'
from contextlib import asynccontextmanager

import asyncpg
from fastapi import FastAPI


@asynccontextmanager
async def lifespan(app: FastAPI):
    app.state.pool = await asyncpg.create_pool("postgresql://app@localhost/app")
    yield


app = FastAPI(lifespan=lifespan)
PY
chmod -R a+rX "$work"

run uvicorn-module-not-found "$fa/empty" "$bin/uvicorn" main:app --port 45334
run uvicorn-package-missing-module "$fa/pkg" "$bin/uvicorn" app.main:app --port 45334
run uvicorn-missing-package "$fa/needs" "$bin/uvicorn" main:app --port 45334
run uvicorn-port-in-use "$fa/ok" "$bin/uvicorn" main:app --port 45304
(cd "$fa/ok" && timeout 40 "$bin/uvicorn" main:app --host 0.0.0.0 --port 45304 2>&1 | stamp) > "$here/uvicorn-port-in-use-timestamps.log" || true
run_nobody uvicorn-privileged-port "$fa/ok" "$bin/uvicorn main:app --host 0.0.0.0 --port 80"
run uvicorn-missing-env "$fa/env" "$bin/uvicorn" main:app --port 45334
run uvicorn-settings-field-required "$fa/settings" "$bin/uvicorn" main:app --port 45334
(cd "$fa/settings" && timeout 40 "$bin/uvicorn" main:app --host 0.0.0.0 --port 45334 2>&1 | compose) > "$here/uvicorn-settings-compose.log" || true
REDIS_URL=redis://127.0.0.1:$closed_redis/0 run uvicorn-redis-refused "$fa/redis" "$bin/uvicorn" main:app --port 45334
printf 'web: %s main:app --port 45334\n' "$bin/uvicorn" > "$fa/redis/Procfile"
REDIS_URL=redis://127.0.0.1:$closed_redis/0 run uvicorn-redis-refused-honcho "$fa/redis" "$bin/honcho" start
REDIS_HOST=redis-cache run uvicorn-redis-unresolvable "$fa/redis-dns" "$bin/uvicorn" main:app --port 45334
(cd "$fa/redis-dns" && timeout 40 "$bin/uvicorn" main:app --host 0.0.0.0 --port 45334 2>&1 | compose) > "$here/uvicorn-redis-unresolvable-compose.log" || true
DATABASE_URL=postgresql://app@127.0.0.1:$closed_pg/app run uvicorn-postgres-refused "$fa/pg" "$bin/uvicorn" main:app --port 45334
run uvicorn-syntax-error "$fa/syntax" "$bin/uvicorn" main:app --port 45334
run uvicorn-python312-syntax "$fa/py312" "$bin/uvicorn" main:app --port 45334

# ---------------------------------------------------------------------------- gunicorn
gu=$work/gunicorn
mkdir -p "$gu"
cat > "$gu/wsgi.py" <<'PY'
import os

import psycopg2
from flask import Flask

app = Flask(__name__)
conn = psycopg2.connect(os.environ.get("DATABASE_URL", "postgresql://app@localhost/app"))


@app.get("/")
def index():
    return "ok"
PY
cp "$fl/reloader/app.py" "$gu/app.py"
mkdir -p "$work/logs/gunicorn"
chmod -R a+rX "$work"
run gunicorn-worker-boot-failure "$gu" "$bin/gunicorn" --bind 127.0.0.1:45335 wsgi:app
(cd "$gu" && timeout 40 "$bin/gunicorn" --bind 127.0.0.1:45335 wsgi:app 2>&1 | compose) > "$here/gunicorn-worker-boot-compose.log" || true
run gunicorn-port-in-use "$gu" "$bin/gunicorn" --bind 127.0.0.1:45306 app:app
(cd "$gu" && timeout 40 "$bin/gunicorn" --bind 0.0.0.0:45306 --workers 2 app:app 2>&1 | stamp) > "$here/gunicorn-port-in-use-timestamps.log" || true
run_nobody gunicorn-privileged-port "$gu" "$bin/gunicorn --bind 0.0.0.0:443 app:app"
run_nobody gunicorn-error-log-permission "$gu" "$bin/gunicorn --bind 127.0.0.1:45335 --error-logfile /tmp/zoo-python-web/logs/gunicorn/error.log app:app"
DATABASE_URL=postgresql://app@127.0.0.1:$closed_pg/app run gunicorn-uvicorn-worker-db-refused "$fa/pg" "$bin/gunicorn" -k uvicorn.workers.UvicornWorker --bind 127.0.0.1:45335 main:app

# ---------------------------------------------------------------------------- hypercorn / starlette
run hypercorn-module-not-found "$fa/empty" "$bin/hypercorn" main:app --bind 127.0.0.1:45336
run hypercorn-port-in-use "$fa/ok" "$bin/hypercorn" main:app --bind 127.0.0.1:45307
run_nobody hypercorn-privileged-port "$fa/ok" "$bin/hypercorn main:app --bind 0.0.0.0:80"
run hypercorn-missing-env "$fa/env" "$bin/hypercorn" main:app --bind 127.0.0.1:45336
(cd "$fa/env" && timeout 40 "$bin/hypercorn" main:app --bind 127.0.0.1:45336 2>&1 | stamp) > "$here/hypercorn-missing-env-timestamps.log" || true
st=$work/starlette
mkdir -p "$st/config" "$st/db"
cat > "$st/config/app.py" <<'PY'
from starlette.applications import Starlette
from starlette.config import Config
from starlette.responses import PlainTextResponse
from starlette.routing import Route

config = Config(".env")
DATABASE_URL = config("DATABASE_URL")
DEBUG = config("DEBUG", cast=bool, default=False)


async def homepage(request):
    return PlainTextResponse("ok")


app = Starlette(debug=DEBUG, routes=[Route("/", homepage)])
PY
cat > "$st/db/app.py" <<'PY'
import contextlib
import os

import psycopg
from starlette.applications import Starlette


@contextlib.asynccontextmanager
async def lifespan(app):
    app.state.db = await psycopg.AsyncConnection.connect(os.environ["DATABASE_URL"])
    yield
    await app.state.db.close()


app = Starlette(lifespan=lifespan)
PY
chmod -R a+rX "$work"
run starlette-config-missing "$st/config" "$bin/uvicorn" app:app --port 45337
(cd "$st/config" && timeout 40 "$bin/uvicorn" app:app --port 45337 2>&1 | stamp) > "$here/starlette-config-missing-timestamps.log" || true
DATABASE_URL=postgresql://app@db:5432/app run starlette-db-unresolvable "$st/db" "$bin/uvicorn" app:app --port 45337
run starlette-lifespan-missing-env "$st/db" "$bin/uvicorn" app:app --port 45337
DATABASE_URL=postgresql://app@127.0.0.1:$closed_pg/app run starlette-port-in-use "$st/config" "$bin/uvicorn" app:app --port 45308

# ---------------------------------------------------------------------------- pip
# pip with --isolated (no machine-local index settings), against PyPI.
pp=$work/pip
mkdir -p "$pp/project"
cat > "$pp/project/pyproject.toml" <<'TOML'
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "shop-api"
version = "1.4.0"
requires-python = ">=3.12"
dependencies = ["fastapi", "uvicorn"]
TOML
mkdir -p "$pp/project/shop_api"
: > "$pp/project/shop_api/__init__.py"
$py -m venv "$pp/venv" >/dev/null
pipi() { "$pp/venv/bin/pip" --isolated --cert /etc/ssl/certs/ca-certificates.crt --disable-pip-version-check "$@"; }
(cd "$pp/project" && pipi install .) > "$here/pip-requires-python-project.log" 2>&1 || true
pipi install 'django==6.1.3' > "$here/pip-requires-python-django.log" 2>&1 || true
pipi install 'flask==3.0.0' 'werkzeug==2.3.8' > "$here/pip-resolution-impossible.log" 2>&1 || true
pipi install 'fastapi==0.110.0' 'starlette==0.40.0' > "$here/pip-fastapi-starlette-conflict.log" 2>&1 || true
printf 'django==5.2.8\ndjango-celery-beat==2.7.0\ncelery==5.3.6\nkombu==5.2.4\n' > "$pp/requirements.txt"
pipi install -r "$pp/requirements.txt" > "$here/pip-requirements-conflict.log" 2>&1 || true

echo "captured into $here"
