#!/bin/sh
# Regenerates the captures of this folder by running real Python workers and clients failing
# against real servers started here: celery workers and beat (redis and amqp brokers refused,
# unresolvable, needing a password, a missing app or tasks module), redis-py (sync and asyncio),
# psycopg2 and psycopg 3, SQLAlchemy over psycopg2/psycopg/PyMySQL, PyMySQL and
# mysql-connector-python, pika and kombu against RabbitMQ, requests/httpx/aiohttp/urllib3, and
# packages that do not fit each other (kombu's redis-py VersionMismatch, requests-toolbelt
# 0.9.1 under urllib3 2, pip's ResolutionImpossible on a kombu pin).
# Needs: Debian's python3 (3.11) with venv; pip installs into throwaway venvs (celery redis
# kombu psycopg2-binary psycopg[binary] sqlalchemy pymysql mysql-connector-python pika requests
# httpx aiohttp urllib3 honcho; celery + redis 5.0.8; requests + requests-toolbelt 0.9.1);
# redis-server (apt install redis-server); postgresql 15 (/usr/lib/postgresql/15/bin, run as
# `nobody` through `su nobody -s /bin/sh -c`); mariadb-server (mariadbd run as root with
# --user=root on its own datadir); rabbitmq-server (apt install rabbitmq-server; run from
# /usr/lib/rabbitmq/bin with its own node name, ports, mnesia/log dirs and its own epmd).
# A case whose server is missing is skipped.
# Ports: 44600-44649. Closed (nothing listens): 44611 redis, 44612 amqp, 44613 postgres,
# 44614 mysql, 44615 http. redis with requirepass: 44620; postgres: 44621; mariadb: 44622;
# rabbitmq: 44630 (epmd 44631, distribution 44632).
# Work directory: /tmp/zoo-python-clients (removed at start and at exit).
# redis-noauth is redis-py's default RESP3 `HELLO` refused; redis-noauth-resp2 the classic NOAUTH.
# Wrapped in noise: celery-redis-refused-honcho, celery-amqp-access-refused-honcho,
# pymysql-access-denied-honcho, psycopg-auth-failed-honcho (honcho's `HH:MM:SS name.1 | `
# prefixes); celery-amqp-unresolvable-compose, celery-redis-noauth-compose,
# psycopg2-refused-compose, requests-unresolvable-compose, aiohttp-refused-compose (a
# compose-style `worker_1  | ` prefix); redis-retry-timestamps, sqlalchemy-retry-timestamps,
# kombu-refused-timestamps, mysql-connector-unknown-database-timestamps (a timestamping
# `while read` loop, as a log shipper adds). Retry loops: the celery worker and beat cases,
# redis-retry-timestamps, sqlalchemy-retry-timestamps, kombu-refused-timestamps, urllib3-*.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
[ -x "$py" ] || { echo "no /usr/bin/python3: skipping"; exit 0; }
work=/tmp/zoo-python-clients
pgbin=/usr/lib/postgresql/15/bin
rmqbin=/usr/lib/rabbitmq/bin
rm -rf "$work"
redis_pid= pg= maria_pid= epmd_pid= rmq_pid=
rmqenv() {
    env HOME="$work/rmq/home" ERL_EPMD_PORT=44631 RABBITMQ_NODE_PORT=44630 \
        RABBITMQ_DIST_PORT=44632 RABBITMQ_NODENAME=zoopc@localhost \
        RABBITMQ_MNESIA_BASE="$work/rmq/mnesia" RABBITMQ_LOG_BASE="$work/rmq/log" \
        RABBITMQ_ENABLED_PLUGINS_FILE="$work/rmq/enabled_plugins" \
        RABBITMQ_CONFIG_FILE="$work/rmq/rabbitmq.conf" "$@"
}
. "$here/../lib.sh"  # stamp, wait_port, stop
cleanup() {
    stop "$redis_pid"
    [ -n "$pg" ] && su nobody -s /bin/sh -c "$pgbin/pg_ctl -D $work/pgdata -m immediate stop" >/dev/null 2>&1 || true
    stop "$maria_pid"
    if [ -n "$rmq_pid" ]; then
        rmqenv "$rmqbin/rabbitmqctl" stop >/dev/null 2>&1 || true
        stop "$rmq_pid"
    fi
    stop "$epmd_pid"
    rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work"
chmod 755 "$work"
export PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
unset REDIS_URL DATABASE_URL BROKER_URL CELERY_BROKER_URL 2>/dev/null || true

run() {  # run NAME DIR COMMAND...: capture COMMAND run in DIR, bounded by timeout
    name=$1 dir=$2; shift 2
    (cd "$dir" && timeout 60 "$@") > "$here/$name.log" 2>&1 || true
}
compose() { sed 's/^/worker_1  | /'; }
wrap() {  # wrap NAME DIR FILTER COMMAND...: as run, with the output piped through FILTER
    name=$1 dir=$2 filter=$3; shift 3
    (cd "$dir" && timeout 60 "$@" 2>&1 | $filter) > "$here/$name.log" 2>&1 || true
}

$py -m venv "$work/venv" >/dev/null
"$work/venv/bin/pip" install -q 'celery[redis]' redis kombu psycopg2-binary 'psycopg[binary]' sqlalchemy \
    pymysql mysql-connector-python pika requests httpx aiohttp urllib3 honcho >/dev/null 2>&1
bin=$work/venv/bin
app=$work/app
mkdir -p "$app"

# ---------------------------------------------------------------------------- servers
have_redis=false
if command -v redis-server >/dev/null; then
    redis-server --port 44620 --bind 127.0.0.1 --requirepass s3cret --save '' --appendonly no \
        --dir "$work" >/dev/null 2>&1 &
    redis_pid=$!
    have_redis=true
fi
have_pg=false
if [ -x "$pgbin/initdb" ]; then
    mkdir -p "$work/pgdata" "$work/pgsock"
    printf 'postgres-pw\n' > "$work/pwfile"
    chown nobody:nogroup "$work/pgdata" "$work/pgsock" "$work/pwfile"
    su nobody -s /bin/sh -c "$pgbin/initdb -D $work/pgdata -U postgres --pwfile=$work/pwfile --auth-host=scram-sha-256 --auth-local=trust" >/dev/null 2>&1
    su nobody -s /bin/sh -c "$pgbin/pg_ctl -D $work/pgdata -l $work/pgsock/log -w -o '-p 44621 -k $work/pgsock -c listen_addresses=127.0.0.1' start" >/dev/null 2>&1
    pg=1
    su nobody -s /bin/sh -c "$pgbin/psql -h $work/pgsock -p 44621 -U postgres -q -c \"CREATE ROLE app LOGIN PASSWORD 'secret'\" -c 'CREATE DATABASE app OWNER app'" >/dev/null 2>&1
    have_pg=true
fi
have_maria=false
if command -v mariadbd >/dev/null && command -v mariadb-install-db >/dev/null; then
    mariadb-install-db --no-defaults --datadir="$work/mysql" --user=root \
        --auth-root-authentication-method=normal >/dev/null 2>&1
    mariadbd --no-defaults --datadir="$work/mysql" --socket="$work/mysql.sock" --port=44622 \
        --bind-address=127.0.0.1 --user=root --skip-log-error >/dev/null 2>&1 &
    maria_pid=$!
    for i in $(seq 1 30); do [ -S "$work/mysql.sock" ] && break; sleep 0.5; done
    mariadb --no-defaults -S "$work/mysql.sock" -uroot -e "DROP USER IF EXISTS ''@'localhost'; CREATE USER 'app'@'%' IDENTIFIED BY 'secret'; GRANT ALL ON *.* TO 'app'@'%'; CREATE USER 'app'@'localhost' IDENTIFIED BY 'secret'; GRANT ALL ON *.* TO 'app'@'localhost'; CREATE DATABASE shop;" >/dev/null 2>&1
    have_maria=true
fi
have_rmq=false
if [ -x "$rmqbin/rabbitmq-server" ]; then
    mkdir -p "$work/rmq/mnesia" "$work/rmq/log" "$work/rmq/home"
    : > "$work/rmq/enabled_plugins"
    printf 'listeners.tcp.default = 44630\n' > "$work/rmq/rabbitmq.conf"
    epmd -port 44631 >/dev/null 2>&1 &
    epmd_pid=$!
    rmqenv "$rmqbin/rabbitmq-server" > "$work/rmq/out.log" 2>&1 &
    rmq_pid=$!
    for i in $(seq 1 60); do grep -q "completed with" "$work/rmq/out.log" && break; sleep 1; done
    have_rmq=true
fi
sleep 1

# ---------------------------------------------------------------------------- celery
cat > "$app/tasks.py" <<'PY'
import os

from celery import Celery

app = Celery("tasks", broker=os.environ.get("BROKER_URL", "redis://localhost:6379/0"))
app.conf.broker_connection_max_retries = int(os.environ.get("BROKER_RETRIES", "3"))
app.conf.broker_connection_retry_on_startup = True
app.conf.beat_schedule = {"invoices": {"task": "tasks.send_invoice", "schedule": 2.0, "args": (1,)}}


@app.task
def send_invoice(order_id):
    return order_id
PY
mkdir -p "$app/proj"
: > "$app/proj/__init__.py"
cat > "$app/proj/celery.py" <<'PY'
import os

from celery import Celery

app = Celery(
    "proj",
    broker=os.environ.get("BROKER_URL", "redis://localhost:6379/0"),
    include=["proj.tasks", "proj.billing.tasks"],
)
PY
cat > "$app/proj/tasks.py" <<'PY'
from proj.celery import app


@app.task
def ping():
    return "pong"
PY
celery=$bin/celery
wk="worker --loglevel=INFO --concurrency=1 --without-heartbeat --without-mingle --without-gossip"
BROKER_URL=redis://127.0.0.1:44611/0 run celery-redis-refused "$app" $celery -A tasks $wk
BROKER_URL=amqp://guest:guest@127.0.0.1:44612// run celery-amqp-refused "$app" $celery -A tasks $wk
BROKER_URL=redis://redis-broker:6379/0 run celery-redis-unresolvable "$app" $celery -A tasks $wk
BROKER_URL=amqp://guest:guest@rabbitmq-broker:5672// wrap celery-amqp-unresolvable-compose "$app" compose $celery -A tasks $wk
# beat retries its publish for ever: it is stopped after 20 seconds.
(cd "$app" && BROKER_URL=redis://127.0.0.1:44611/0 timeout 20 $celery -A tasks beat --loglevel=INFO \
    -s "$work/beat-schedule") > "$here/celery-beat-redis-refused.log" 2>&1 || true
# Started from the directory above the app: there is no tasks module there.
run celery-missing-app-module "$work" $celery -A tasks $wk
BROKER_URL=redis://127.0.0.1:44611/0 run celery-missing-include-module "$app" $celery -A proj $wk
printf 'worker: %s -A tasks %s\n' "$celery" "$wk" > "$app/Procfile"
BROKER_URL=redis://127.0.0.1:44611/0 run celery-redis-refused-honcho "$app" "$bin/honcho" start
if $have_redis; then
    BROKER_URL=redis://127.0.0.1:44620/0 wrap celery-redis-noauth-compose "$app" compose $celery -A tasks $wk
    BROKER_URL=redis://:wrong@127.0.0.1:44620/0 run celery-redis-wrongpass "$app" $celery -A tasks $wk
fi
if $have_rmq; then
    BROKER_URL=amqp://guest:nope@127.0.0.1:44630// run celery-amqp-access-refused "$app" $celery -A tasks $wk
    printf 'worker: %s -A tasks %s\n' "$celery" "$wk" > "$app/Procfile"
    BROKER_URL=amqp://guest:nope@127.0.0.1:44630// run celery-amqp-access-refused-honcho "$app" "$bin/honcho" start
fi

# ---------------------------------------------------------------------------- redis-py
cat > "$app/cache_check.py" <<'PY'
import logging
import os

import redis

logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
log = logging.getLogger("cache")
url = os.environ.get("REDIS_URL", "redis://localhost:6379/0")
log.info("connecting to the session cache")
if url.startswith("unix://"):
    client = redis.Redis(unix_socket_path=url[len("unix://"):])
else:
    client = redis.Redis.from_url(url)
client.ping()
log.info("cache ready")
PY
cat > "$app/cache_retry.py" <<'PY'
import logging
import os
import sys
import time

import redis

logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
log = logging.getLogger("worker")
client = redis.Redis.from_url(os.environ.get("REDIS_URL", "redis://localhost:6379/0"))
for attempt in range(1, 9):
    try:
        client.ping()
        break
    except redis.exceptions.ConnectionError as exc:
        log.warning("redis not ready (attempt %d/8): %s", attempt, exc)
        time.sleep(0.3)
else:
    log.error("giving up on redis after 8 attempts")
    sys.exit(1)
PY
cat > "$app/cache_async.py" <<'PY'
import asyncio
import os

import redis.asyncio as redis


async def main():
    client = redis.from_url(os.environ.get("REDIS_URL", "redis://localhost:6379/0"))
    await client.set("warmup", "1")
    await client.aclose()


asyncio.run(main())
PY
REDIS_URL=redis://127.0.0.1:44611/0 run redis-refused "$app" "$bin/python" cache_check.py
REDIS_URL=redis://cache.internal:6379/0 run redis-unresolvable "$app" "$bin/python" cache_check.py
REDIS_URL=unix://$work/run/redis.sock run redis-socket-missing "$app" "$bin/python" cache_check.py
REDIS_URL=redis://127.0.0.1:44611/0 run redis-asyncio-refused "$app" "$bin/python" cache_async.py
REDIS_URL=redis://127.0.0.1:44611/0 wrap redis-retry-timestamps "$app" stamp "$bin/python" cache_retry.py
if $have_redis; then
    REDIS_URL=redis://127.0.0.1:44620/0 run redis-noauth "$app" "$bin/python" cache_check.py
    REDIS_URL='redis://127.0.0.1:44620/0?protocol=2' run redis-noauth-resp2 "$app" "$bin/python" cache_check.py
    REDIS_URL=redis://:wrong@127.0.0.1:44620/0 run redis-wrongpass "$app" "$bin/python" cache_check.py
    REDIS_URL=redis://127.0.0.1:44620/0 run redis-asyncio-noauth "$app" "$bin/python" cache_async.py
fi

# ---------------------------------------------------------------------------- postgres
cat > "$app/db_psycopg2.py" <<'PY'
import os

import psycopg2

print("migrating: connecting to", os.environ.get("DB_LABEL", "the database"))
conn = psycopg2.connect(os.environ["DATABASE_URL"])
conn.close()
PY
cat > "$app/db_psycopg.py" <<'PY'
import os

import psycopg

print("migrating: connecting to", os.environ.get("DB_LABEL", "the database"))
with psycopg.connect(os.environ["DATABASE_URL"]) as conn:
    conn.execute("SELECT 1")
PY
cat > "$app/db_sqlalchemy.py" <<'PY'
import os

from sqlalchemy import create_engine, text

engine = create_engine(os.environ["DATABASE_URL"])
with engine.connect() as conn:
    conn.execute(text("SELECT 1"))
PY
cat > "$app/db_retry.py" <<'PY'
import logging
import os
import time

from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

logging.basicConfig(level=logging.INFO, format="%(levelname)s:%(name)s:%(message)s")
log = logging.getLogger("app.db")
engine = create_engine(os.environ["DATABASE_URL"])
for attempt in range(1, 6):
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        break
    except OperationalError as exc:
        if attempt == 5:
            raise
        log.warning("database not ready, retrying in 0.5s (%d/5): %s", attempt, exc.orig)
        time.sleep(0.5)
PY
for drv in psycopg2 psycopg; do
    DATABASE_URL="postgresql://app:secret@127.0.0.1:44613/app" run $drv-refused "$app" "$bin/python" db_$drv.py
    DATABASE_URL="postgresql://app:secret@db:5432/app" run $drv-unresolvable "$app" "$bin/python" db_$drv.py
    DATABASE_URL="postgresql://app@/app?host=$work/run/postgresql" run $drv-socket-missing "$app" "$bin/python" db_$drv.py
    if $have_pg; then
        DATABASE_URL="postgresql://app:wrong@127.0.0.1:44621/app" run $drv-auth-failed "$app" "$bin/python" db_$drv.py
        DATABASE_URL="postgresql://app:secret@127.0.0.1:44621/orders" run $drv-database-missing "$app" "$bin/python" db_$drv.py
        DATABASE_URL="postgresql://worker@/app?host=$work/pgsock&port=44621" run $drv-role-missing "$app" "$bin/python" db_$drv.py
    fi
done
DATABASE_URL="postgresql://app:secret@127.0.0.1:44613/app" wrap psycopg2-refused-compose "$app" compose "$bin/python" db_psycopg2.py
DATABASE_URL="postgresql+psycopg2://app:secret@127.0.0.1:44613/app" run sqlalchemy-psycopg2-refused "$app" "$bin/python" db_sqlalchemy.py
DATABASE_URL="postgresql+psycopg://app:secret@postgres-primary:5432/app" run sqlalchemy-psycopg-unresolvable "$app" "$bin/python" db_sqlalchemy.py
DATABASE_URL="postgresql+psycopg2://app:secret@127.0.0.1:44613/app" wrap sqlalchemy-retry-timestamps "$app" stamp "$bin/python" db_retry.py
if $have_pg; then
    DATABASE_URL="postgresql+psycopg://app:wrong@127.0.0.1:44621/app" run sqlalchemy-psycopg-auth-failed "$app" "$bin/python" db_sqlalchemy.py
    DATABASE_URL="postgresql+psycopg2://app:secret@127.0.0.1:44621/orders" run sqlalchemy-psycopg2-database-missing "$app" "$bin/python" db_sqlalchemy.py
    printf 'migrate: %s/python db_psycopg.py\n' "$bin" > "$app/Procfile"
    DATABASE_URL="postgresql://app:wrong@127.0.0.1:44621/app" run psycopg-auth-failed-honcho "$app" "$bin/honcho" start
fi

# ---------------------------------------------------------------------------- mysql / mariadb
cat > "$app/db_pymysql.py" <<'PY'
import os

import pymysql

host = os.environ.get("DB_HOST", "localhost")
port = int(os.environ.get("DB_PORT", "3306"))
print(f"db: connecting to mysql at {host}:{port}", flush=True)
conn = pymysql.connect(
    host=host,
    port=port,
    user=os.environ.get("DB_USER", "app"),
    password=os.environ.get("DB_PASSWORD", ""),
    database=os.environ.get("DB_NAME", "shop"),
)
conn.close()
PY
cat > "$app/db_mysqlconnector.py" <<'PY'
import os

import mysql.connector

conn = mysql.connector.connect(
    host=os.environ.get("DB_HOST", "localhost"),
    port=int(os.environ.get("DB_PORT", "3306")),
    user=os.environ.get("DB_USER", "app"),
    password=os.environ.get("DB_PASSWORD", ""),
    database=os.environ.get("DB_NAME", "shop"),
)
conn.close()
PY
for drv in pymysql mysqlconnector; do
    mname=$drv; [ $drv = mysqlconnector ] && mname=mysql-connector
    DB_HOST=127.0.0.1 DB_PORT=44614 DB_PASSWORD=secret run $mname-refused "$app" "$bin/python" db_$drv.py
    DB_HOST=mysql DB_PORT=3306 DB_PASSWORD=secret run $mname-unresolvable "$app" "$bin/python" db_$drv.py
    if $have_maria; then
        DB_HOST=127.0.0.1 DB_PORT=44622 DB_PASSWORD=wrong run $mname-access-denied "$app" "$bin/python" db_$drv.py
        DB_HOST=127.0.0.1 DB_PORT=44622 DB_PASSWORD=secret DB_NAME=inventory run $mname-unknown-database "$app" "$bin/python" db_$drv.py
        if [ $drv = mysqlconnector ]; then
            DB_HOST=127.0.0.1 DB_PORT=44622 DB_PASSWORD=secret DB_NAME=inventory \
                wrap mysql-connector-unknown-database-timestamps "$app" stamp "$bin/python" db_$drv.py
        fi
    fi
done
if $have_maria; then
    DATABASE_URL="mysql+pymysql://app:wrong@127.0.0.1:44622/shop" run sqlalchemy-pymysql-access-denied "$app" "$bin/python" db_sqlalchemy.py
    printf 'api: %s/python db_pymysql.py\n' "$bin" > "$app/Procfile"
    DB_HOST=127.0.0.1 DB_PORT=44622 DB_PASSWORD=hunter2 run pymysql-access-denied-honcho "$app" "$bin/honcho" start
fi

# ---------------------------------------------------------------------------- rabbitmq
cat > "$app/publish_pika.py" <<'PY'
import logging
import os

import pika

logging.basicConfig(level=logging.WARNING)
params = pika.URLParameters(os.environ.get("AMQP_URL", "amqp://guest:guest@localhost:5672/%2F"))
connection = pika.BlockingConnection(params)
channel = connection.channel()
channel.queue_declare(queue="emails")
PY
cat > "$app/publish_kombu.py" <<'PY'
import logging
import os

from kombu import Connection

logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
log = logging.getLogger("publisher")


def errback(exc, interval):
    log.warning("broker unavailable: %s; retrying in %ss", exc, interval)


with Connection(os.environ.get("AMQP_URL", "amqp://guest:guest@localhost:5672//")) as conn:
    log.info("connecting to %s", conn.as_uri())
    conn.ensure_connection(errback=errback, max_retries=4, interval_start=0.2, interval_step=0.2)
    conn.SimpleQueue("emails").put({"to": "ops@example.com"})
PY
AMQP_URL="amqp://guest:guest@127.0.0.1:44612/%2F" run pika-refused "$app" "$bin/python" publish_pika.py
AMQP_URL="amqp://guest:guest@127.0.0.1:44612//" wrap kombu-refused-timestamps "$app" stamp "$bin/python" publish_kombu.py
if $have_rmq; then
    AMQP_URL="amqp://guest:letmein@127.0.0.1:44630/%2F" run pika-access-refused "$app" "$bin/python" publish_pika.py
    AMQP_URL="amqp://guest:letmein@127.0.0.1:44630//" run kombu-access-refused "$app" "$bin/python" publish_kombu.py
fi

# ---------------------------------------------------------------------------- http clients
cat > "$app/http_requests.py" <<'PY'
import os

import requests

resp = requests.get(os.environ["API_URL"], timeout=5)
resp.raise_for_status()
PY
cat > "$app/http_httpx.py" <<'PY'
import logging
import os

import httpx

logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
url = os.environ["API_URL"]
logging.getLogger("sync").info("fetching %s", url)
httpx.get(url, timeout=5).raise_for_status()
PY
cat > "$app/http_aiohttp.py" <<'PY'
import asyncio
import os

import aiohttp


async def main():
    async with aiohttp.ClientSession() as session:
        async with session.get(os.environ["API_URL"]) as resp:
            resp.raise_for_status()


asyncio.run(main())
PY
cat > "$app/http_urllib3.py" <<'PY'
import logging
import os

import urllib3

logging.basicConfig(level=logging.WARNING)
http = urllib3.PoolManager(retries=urllib3.Retry(total=3, backoff_factor=0.1))
http.request("GET", os.environ["API_URL"])
PY
for lib in requests httpx aiohttp urllib3; do
    API_URL=http://127.0.0.1:44615/health run $lib-refused "$app" "$bin/python" http_$lib.py
    API_URL=http://payments.internal/v1/health run $lib-unresolvable "$app" "$bin/python" http_$lib.py
done
API_URL=http://payments.internal/v1/health wrap requests-unresolvable-compose "$app" compose "$bin/python" http_requests.py
API_URL=http://127.0.0.1:44615/health wrap aiohttp-refused-compose "$app" compose "$bin/python" http_aiohttp.py

# ---------------------------------------------------------------------------- dependency conflicts
# celery 5.7's kombu wants redis-py >= 6.1; a later `pip install redis==5.0.8` (an old pin)
# downgrades it anyway.
$py -m venv "$work/venv-pin" >/dev/null
"$work/venv-pin/bin/pip" install -q 'celery[redis]' >/dev/null 2>&1
"$work/venv-pin/bin/pip" install -q 'redis==5.0.8' >/dev/null 2>&1
BROKER_URL=redis://127.0.0.1:44611/0 run celery-redis-version-mismatch "$app" "$work/venv-pin/bin/celery" -A tasks $wk
# pip refusing a kombu pin that celery 5.7 does not accept.
run pip-celery-kombu-conflict "$app" "$work/venv-pin/bin/pip" install --dry-run 'celery==5.7.0' 'kombu==5.4.2'
# requests-toolbelt 0.9.1 (pinned) imports urllib3's appengine module, gone in urllib3 2.
$py -m venv "$work/venv-toolbelt" >/dev/null
"$work/venv-toolbelt/bin/pip" install -q requests 'requests-toolbelt==0.9.1' >/dev/null 2>&1
cat > "$app/upload.py" <<'PY'
import requests
from requests_toolbelt.multipart.encoder import MultipartEncoder

body = MultipartEncoder(fields={"file": ("report.csv", b"a,b\n", "text/csv")})
requests.post("http://127.0.0.1:44615/upload", data=body, headers={"Content-Type": body.content_type})
PY
run requests-toolbelt-urllib3-conflict "$app" "$work/venv-toolbelt/bin/python" upload.py

# Keep a log as the program printed it, trimmed from the top to its last 300 lines (celery beat
# writes its traceback through its logger, one fragment a line).
for log in "$here"/*.log; do
    if [ "$(wc -l < "$log")" -gt 300 ]; then
        tail -n 300 "$log" > "$work/trimmed" && mv "$work/trimmed" "$log"
    fi
done
echo "captured into $here"
