#!/bin/sh
# Regenerates the captures of this folder by running services that log structured records (JSON
# lines, logfmt) through real logging libraries, failing for real on this machine, the error inside
# the record the way each library writes it:
# Node pino 9 (a server on a port a helper holds, ioredis refused on a closed port, an uncaught
# TypeError under `npm start`, a required route file with a syntax error behind a compose prefix;
# through pino-pretty: pg with a wrong password against a real postgres, port 80 as `nobody`),
# winston 3 with format.json() (pg on a host `db` that does not resolve, a config json never
# written), bunyan (an uncaught `Cannot find module 'amqplib'`, `mkdirSync` in a root-owned dir
# as `nobody`); Python structlog (JSONRenderer with format_exc_info: redis refused; JSONRenderer
# with dict_tracebacks: a plugin with a syntax error; LogfmtRenderer: a wrong password against a
# real redis-server; KeyValueRenderer: `os.environ["SECRET_KEY"]`), python-json-logger on stdlib
# logging (psycopg2 against a real postgres: a wrong password, a database never created, a host
# `db` that does not resolve behind a compose prefix), loguru with serialize=True
# (`@logger.catch` on a missing boto3 under a shell entrypoint saying the exit code, a file
# written as `nobody` into a root-owned dir), uvicorn with a JSON `--log-config`
# (python-json-logger: a port a helper holds, a lifespan whose postgres is refused); Go 1.19
# programs built in GOPATH mode against Debian's packaged logrus 1.9 (JSONFormatter: a port a
# helper holds, an unset DATABASE_URL, timestamped; TextFormatter/logfmt: a refused redis port)
# and zap 1.23 (NewProduction: a host `redis` that does not resolve, port 80 as `nobody`, a config
# file never written behind a compose prefix); Ruby 3.1's Logger with a JSON formatter the app
# defines (TCPSocket refused, timestamped; TCPServer on a port a helper holds; ENV.fetch of an
# unset SECRET_KEY_BASE).
# Needs: node 20 + npm (pino@9 pino-pretty@11 winston@3 bunyan@1 ioredis@5 pg@8 npm-installed,
# only if missing, into /tmp/zoo-structured/node_modules), Debian's python3 + venv (structlog
# python-json-logger loguru uvicorn redis psycopg2-binary pip-installed, only if missing, into
# /tmp/zoo-structured/venv), golang-go with golang-github-sirupsen-logrus-dev and
# golang-go.uber-zap-dev (GO111MODULE=off, GOPATH=/usr/share/gocode:WORK/gopath; GOCACHE in
# /tmp/zoo-structured/gocache), ruby, redis-server, postgresql 15 (run as `nobody`), `su nobody`.
# A program that is missing skips its cases with a message.
# Ports: 48100-48149 only. Helpers hold 48101 (pino), 48115 (uvicorn), 48120 (logrus), 48131
# (ruby). Nothing listens on 48102 (ioredis), 48110 (redis-py), 48116 (postgres in the lifespan),
# 48121 (logrus' redis), 48130 (ruby). A real postgres 15 listens on 48140 (role app, password
# secret, database app) and a real redis-server with requirepass on 48141; 80 as `nobody`,
# refused before anything binds.
# Work directory: /tmp/zoo-structured/work (removed at start and at exit).
# Wrapped in noise: pino-crash-npm (npm's `> name@version start` header), pino-syntax-error-compose,
# jsonlogger-pg-unresolvable-compose and zap-config-missing-compose (compose-style prefixes),
# loguru-missing-module-entrypoint (a shell entrypoint saying the exit code),
# logrus-missing-env-timestamps and ruby-refused-timestamps (lib.sh `stamp`).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
base=/tmp/zoo-structured
work=$base/work
pgbin=/usr/lib/postgresql/15/bin
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
unset DATABASE_URL REDIS_URL SECRET_KEY SECRET_KEY_BASE NODE_ENV LOG_LEVEL 2>/dev/null || true
rm -rf "$work"
holders= pg= redis_pid=
cleanup() {
    for pid in $holders $redis_pid; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    [ -n "$pg" ] && su nobody -s /bin/sh -c "$pgbin/pg_ctl -D $work/pgdata -m immediate stop" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
mkdir -p "$work"
chmod 755 "$base" "$work"
export PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1

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
    python3 -c 'import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen()
time.sleep(600)' "$1" &
    holders="$holders $!"
    wait_port "$1"
}

# ---------------------------------------------------------------------------- servers
have_pg=false
if [ -x "$pgbin/initdb" ]; then
    mkdir -p "$work/pgdata" "$work/pgsock"
    printf 'postgres-pw\n' > "$work/pwfile"
    chown nobody:nogroup "$work/pgdata" "$work/pgsock" "$work/pwfile"
    su nobody -s /bin/sh -c "$pgbin/initdb -D $work/pgdata -U postgres --pwfile=$work/pwfile --auth-host=scram-sha-256 --auth-local=trust" >/dev/null 2>&1
    su nobody -s /bin/sh -c "$pgbin/pg_ctl -D $work/pgdata -l $work/pgsock/log -w -o '-p 48140 -k $work/pgsock -c listen_addresses=127.0.0.1' start" >/dev/null 2>&1
    pg=1
    su nobody -s /bin/sh -c "$pgbin/psql -h $work/pgsock -p 48140 -U postgres -q -c \"CREATE ROLE app LOGIN PASSWORD 'secret'\" -c 'CREATE DATABASE app OWNER app'" >/dev/null 2>&1
    have_pg=true
else
    echo "no postgresql 15: skipping the postgres cases"
fi
have_redis=false
if command -v redis-server >/dev/null; then
    redis-server --port 48141 --bind 127.0.0.1 --requirepass s3cret-server --save '' \
        --appendonly no --dir "$work" > "$work/redis.out" 2>&1 &
    redis_pid=$!
    wait_port 48141
    have_redis=true
else
    echo "no redis-server: skipping the redis password case"
fi
hold 48101
hold 48115
hold 48120
hold 48131

# ---------------------------------------------------------------------------- node
have_node=false
if command -v node >/dev/null && command -v npm >/dev/null; then
    if [ ! -d "$base/node_modules/pino" ] || [ ! -d "$base/node_modules/pino-pretty" ] \
        || [ ! -d "$base/node_modules/winston" ] || [ ! -d "$base/node_modules/bunyan" ] \
        || [ ! -d "$base/node_modules/ioredis" ] || [ ! -d "$base/node_modules/pg" ]; then
        (cd "$base" && { [ -f package.json ] || npm init -y >/dev/null; } \
            && timeout 300 npm install --silent --no-audit --no-fund pino@9 pino-pretty@11 \
                winston@3 bunyan@1 ioredis@5 pg@8 >/dev/null 2>&1) || true
    fi
    [ -d "$base/node_modules/pino" ] && [ -d "$base/node_modules/winston" ] && have_node=true
fi
$have_node || echo "no node + npm (or the packages would not install): skipping the node cases"

if $have_node; then
    n=$work/node
    mkdir -p "$n"
    pretty=$base/node_modules/.bin/pino-pretty

    # pino: an http server on a port a helper holds; the error handler logs it and exits.
    cat > "$n/server.js" <<'JS'
const http = require('http');
const logger = require('pino')();

const server = http.createServer((req, res) => res.end('ok'));
server.on('error', (err) => {
  logger.fatal({ err }, 'http server failed to start');
  process.exit(1);
});
server.listen(48101, '127.0.0.1', () => logger.info({ port: 48101 }, 'listening'));
JS
    run pino-port-in-use "$n" node server.js

    # pino: ioredis to a redis port nothing listens on; no retries, the error handler exits.
    cat > "$n/cache.js" <<'JS'
const Redis = require('ioredis');
const logger = require('pino')({ name: 'cache-warmer' });

const redis = new Redis({ host: '127.0.0.1', port: 48102, maxRetriesPerRequest: 0,
  retryStrategy: () => null });
redis.on('error', (err) => {
  logger.error({ err }, 'redis connection error');
});
redis.ping().catch((err) => {
  logger.fatal({ err }, 'cannot reach redis, exiting');
  process.exit(1);
});
JS
    run pino-ioredis-refused "$n" node cache.js

    # pino under npm start: config.json has no "features", so .map of undefined throws;
    # the uncaughtException handler logs it and exits 1.
    mkdir -p "$n/crash"
    cat > "$n/crash/package.json" <<'JSON'
{
  "name": "orders-api",
  "version": "1.4.0",
  "private": true,
  "scripts": {
    "start": "node server.js"
  }
}
JSON
    echo '{ "port": 48103 }' > "$n/crash/config.json"
    cat > "$n/crash/server.js" <<'JS'
const logger = require('pino')({ name: 'orders-api' });

process.on('uncaughtException', (err) => {
  logger.fatal({ err }, 'uncaught exception');
  process.exit(1);
});

const config = require('./config.json');
const routes = config.features.map((name) => `/api/${name}`);
logger.info({ routes }, 'routes mounted');
JS
    run pino-crash-npm "$n/crash" npm start

    # pino behind a compose prefix: routes/orders.js line 4 closes a { with a ).
    mkdir -p "$n/syntax/routes"
    cat > "$n/syntax/server.js" <<'JS'
const logger = require('pino')({ name: 'api' });

process.on('uncaughtException', (err) => {
  logger.fatal({ err }, 'uncaught exception');
  process.exit(1);
});

const orders = require('./routes/orders');
logger.info({ routes: Object.keys(orders) }, 'routes loaded');
JS
    cat > "$n/syntax/routes/orders.js" <<'JS'
module.exports = {
  list: (req, res) => res.json([]),
  show: (req, res) =>
    res.json({ id: req.params.id ),
};
JS
    wrap pino-syntax-error-compose "$n/syntax" "compose api-1" node server.js

    # pino-pretty: pg logs in to a real postgres with the wrong password.
    if $have_pg; then
        cat > "$n/db.js" <<'JS'
const { Client } = require('pg');
const logger = require('pino')({ name: 'billing' });

const client = new Client({ connectionString: process.env.DATABASE_URL });
client.connect()
  .then(() => logger.info('connected to postgres'))
  .catch((err) => {
    logger.fatal({ err }, 'database connection failed');
    process.exit(1);
  });
JS
        (cd "$n" && DATABASE_URL=postgresql://app:wrong-password@127.0.0.1:48140/app \
            timeout 60 sh -c "node db.js | $pretty") > "$here/pino-pretty-pg-auth-failed.log" 2>&1 || true
    fi

    # pino-pretty: as nobody, an http server on port 80.
    sed 's/48101/80/g' "$n/server.js" > "$n/server80.js"
    nobody pino-pretty-privileged-port "$n" "node server80.js | $pretty"

    # winston with format.json(): pg on the compose host db, which does not resolve here.
    cat > "$n/logger.js" <<'JS'
const winston = require('winston');

module.exports = winston.createLogger({
  level: 'info',
  format: winston.format.combine(
    winston.format.timestamp(),
    winston.format.errors({ stack: true }),
    winston.format.json(),
  ),
  defaultMeta: { service: 'inventory' },
  transports: [new winston.transports.Console()],
});
JS
    cat > "$n/inventory.js" <<'JS'
const { Client } = require('pg');
const logger = require('./logger');

const client = new Client({ host: 'db', port: 5432, user: 'app', password: 'secret',
  database: 'inventory' });
client.connect()
  .then(() => logger.info('connected to postgres'))
  .catch((err) => {
    logger.error('failed to connect to the database', err);
    process.exit(1);
  });
JS
    run winston-pg-unresolvable "$n" node inventory.js

    # winston: config/ exists, production.json was never written there.
    mkdir -p "$n/config"
    echo '{ "port": 48104 }' > "$n/config/development.json"
    cat > "$n/settings.js" <<'JS'
const fs = require('fs');
const logger = require('./logger');

const file = `config/${process.env.APP_ENV || 'production'}.json`;
try {
  const settings = JSON.parse(fs.readFileSync(file, 'utf8'));
  logger.info('configuration loaded', { port: settings.port });
} catch (err) {
  logger.error(err);
  process.exit(1);
}
JS
    run winston-config-missing "$n" node settings.js

    # bunyan: the worker requires amqplib, never installed; uncaughtException logs the error as
    # the first argument (bunyan's err serializer applies).
    cat > "$n/mailer.js" <<'JS'
const bunyan = require('bunyan');

const log = bunyan.createLogger({ name: 'mailer' });
process.on('uncaughtException', (err) => {
  log.fatal(err, 'mailer crashed');
  process.exit(1);
});

const amqp = require('amqplib');
amqp.connect('amqp://127.0.0.1:48105').then(() => log.info('connected'));
JS
    run bunyan-missing-module "$n" node mailer.js

    # bunyan: as nobody, mkdirSync of var/uploads inside a root-owned 0755 var/; the error goes in
    # an { err } field with no serializers configured, so only its own enumerable fields print.
    mkdir -p "$n/perm/var"
    chmod 755 "$n/perm" "$n/perm/var"
    cat > "$n/perm/uploads.js" <<'JS'
const fs = require('fs');
const path = require('path');
const bunyan = require('bunyan');

const log = bunyan.createLogger({ name: 'uploads' });
const dir = path.join(__dirname, 'var', 'uploads');
try {
  fs.mkdirSync(dir, { recursive: true });
  log.info({ dir }, 'upload directory ready');
} catch (err) {
  log.fatal({ err, dir }, 'cannot create the upload directory');
  process.exit(1);
}
JS
    nobody bunyan-mkdir-permission-denied "$n/perm" "node uploads.js"
fi

# ---------------------------------------------------------------------------- python
py=$base/venv/bin/python
have_py=false
if command -v python3 >/dev/null; then
    if [ ! -f "$base/venv/.built" ]; then
        rm -rf "$base/venv"
        python3 -m venv "$base/venv" >/dev/null 2>&1 \
            && timeout 300 "$base/venv/bin/pip" install -q structlog python-json-logger loguru \
                uvicorn redis psycopg2-binary >/dev/null 2>&1 \
            && touch "$base/venv/.built" || true
    fi
    [ -f "$base/venv/.built" ] && have_py=true
fi
$have_py || echo "no python3 venv (or the packages would not install): skipping the python cases"

if $have_py; then
    p=$work/py
    mkdir -p "$p/plugins"

    # structlog JSONRenderer with format_exc_info: redis-py on a port nothing listens on.
    cat > "$p/warm_cache.py" <<'PY'
import sys

import redis
import structlog

structlog.configure(processors=[
    structlog.processors.add_log_level,
    structlog.processors.TimeStamper(fmt="iso"),
    structlog.processors.format_exc_info,
    structlog.processors.JSONRenderer(),
])
log = structlog.get_logger()

client = redis.Redis(host="127.0.0.1", port=48110)
try:
    client.ping()
except redis.exceptions.ConnectionError:
    log.exception("cache unavailable", service="cache-warmer")
    sys.exit(1)
PY
    run structlog-json-redis-refused "$p" "$py" warm_cache.py

    # structlog JSONRenderer with dict_tracebacks: plugins/report.py's for on line 3 lacks its ':'.
    cat > "$p/plugins/__init__.py" <<'PY'
PY
    cat > "$p/plugins/report.py" <<'PY'
def run(orders):
    total = 0
    for order in orders
        total += order["amount"]
    return total
PY
    cat > "$p/scheduler.py" <<'PY'
import importlib
import sys

import structlog

structlog.configure(processors=[
    structlog.processors.add_log_level,
    structlog.processors.TimeStamper(fmt="iso"),
    structlog.processors.dict_tracebacks,
    structlog.processors.JSONRenderer(),
])
log = structlog.get_logger()

for name in ("plugins.report",):
    try:
        importlib.import_module(name)
    except Exception:
        log.exception("plugin failed to load", plugin=name)
        sys.exit(1)
PY
    run structlog-json-syntax-error "$p" "$py" scheduler.py

    # structlog LogfmtRenderer: a real redis-server wants another password.
    if $have_redis; then
        cat > "$p/sessions.py" <<'PY'
import os
import sys

import redis
import structlog

structlog.configure(processors=[
    structlog.processors.add_log_level,
    structlog.processors.TimeStamper(fmt="iso"),
    structlog.processors.format_exc_info,
    structlog.processors.LogfmtRenderer(),
])
log = structlog.get_logger()

client = redis.Redis.from_url(os.environ["REDIS_URL"])
try:
    client.ping()
except redis.exceptions.RedisError:
    log.exception("session store unavailable")
    sys.exit(1)
PY
        REDIS_URL=redis://:not-the-password@127.0.0.1:48141/0 run structlog-logfmt-redis-wrongpass \
            "$p" "$py" sessions.py
    fi

    # structlog KeyValueRenderer: os.environ["SECRET_KEY"], which nothing exports.
    cat > "$p/web_settings.py" <<'PY'
import os
import sys

import structlog

structlog.configure(processors=[
    structlog.processors.add_log_level,
    structlog.processors.TimeStamper(fmt="iso"),
    structlog.processors.format_exc_info,
    structlog.processors.KeyValueRenderer(key_order=["timestamp", "level", "event"]),
])
log = structlog.get_logger()

try:
    settings = {"secret_key": os.environ["SECRET_KEY"], "debug": False}
except KeyError:
    log.exception("invalid configuration")
    sys.exit(1)
PY
    run structlog-kv-missing-env "$p" "$py" web_settings.py

    # python-json-logger on stdlib logging: psycopg2 against postgres.
    cat > "$p/migrate.py" <<'PY'
import logging
import os
import sys

import psycopg2
from pythonjsonlogger.json import JsonFormatter

handler = logging.StreamHandler()
handler.setFormatter(JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
logging.basicConfig(level=logging.INFO, handlers=[handler])
logger = logging.getLogger("migrate")

try:
    conn = psycopg2.connect(os.environ["DATABASE_URL"], connect_timeout=5)
except psycopg2.OperationalError:
    logger.exception("database connection failed")
    sys.exit(1)
logger.info("connected", extra={"server_version": conn.server_version})
PY
    if $have_pg; then
        DATABASE_URL=postgresql://app:wrong-password@127.0.0.1:48140/app \
            run jsonlogger-pg-auth-failed "$p" "$py" migrate.py
        DATABASE_URL=postgresql://app:secret@127.0.0.1:48140/billing \
            run jsonlogger-pg-database-missing "$p" "$py" migrate.py
    fi
    DATABASE_URL=postgresql://app:secret@db:5432/app \
        wrap jsonlogger-pg-unresolvable-compose "$p" "compose migrate-1" "$py" migrate.py

    # loguru serialize=True: @logger.catch on a worker importing boto3, never installed, under a
    # shell entrypoint that says the exit code.
    cat > "$p/export_worker.py" <<'PY'
import sys

from loguru import logger

logger.remove()
logger.add(sys.stderr, serialize=True)


@logger.catch(onerror=lambda _: sys.exit(1))
def main():
    import boto3

    s3 = boto3.client("s3")
    logger.info("uploading exports to {}", s3.meta.endpoint_url)


main()
PY
    cat > "$p/entrypoint.sh" <<SH
#!/bin/sh
echo "starting export worker"
$py export_worker.py
status=\$?
echo "export worker exited with code \$status"
exit \$status
SH
    chmod +x "$p/entrypoint.sh"
    run loguru-missing-module-entrypoint "$p" ./entrypoint.sh

    # loguru serialize=True: as nobody, a csv into exports/, a root-owned 0755 directory.
    mkdir -p "$p/perm/exports"
    chmod 755 "$p" "$p/perm" "$p/perm/exports"
    cat > "$p/perm/export.py" <<'PY'
import csv
import sys

from loguru import logger

logger.remove()
logger.add(sys.stderr, serialize=True)

path = "/tmp/zoo-structured/work/py/perm/exports/orders.csv"
try:
    with open(path, "w", newline="") as out:
        csv.writer(out).writerow(["id", "total"])
except OSError:
    logger.exception("export failed")
    sys.exit(1)
PY
    nobody loguru-permission-denied "$p/perm" "$py export.py"

    # uvicorn with a JSON --log-config (python-json-logger).
    u=$work/uvicorn
    mkdir -p "$u"
    cat > "$u/log.json" <<'JSON'
{
  "version": 1,
  "disable_existing_loggers": false,
  "formatters": {
    "json": {
      "()": "pythonjsonlogger.json.JsonFormatter",
      "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s"
    }
  },
  "handlers": {
    "default": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
  },
  "loggers": {
    "uvicorn": {"handlers": ["default"], "level": "INFO", "propagate": false},
    "uvicorn.error": {"level": "INFO"},
    "uvicorn.access": {"handlers": ["default"], "level": "INFO", "propagate": false}
  }
}
JSON
    cat > "$u/main.py" <<'PY'
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})
PY
    run uvicorn-json-port-in-use "$u" "$base/venv/bin/uvicorn" main:app --host 127.0.0.1 \
        --port 48115 --log-config log.json
    # The lifespan connects to postgres on 48116, where nothing listens.
    cat > "$u/api.py" <<'PY'
import contextlib
import os

import psycopg2


class App:
    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            message = await receive()
            if message["type"] == "lifespan.startup":
                self.db = psycopg2.connect(os.environ["DATABASE_URL"], connect_timeout=5)
                await send({"type": "lifespan.startup.complete"})
            with contextlib.suppress(Exception):
                await receive()
            return
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


app = App()
PY
    DATABASE_URL=postgresql://app:secret@127.0.0.1:48116/app run uvicorn-json-lifespan-refused \
        "$u" "$base/venv/bin/uvicorn" api:app --host 127.0.0.1 --port 48117 --lifespan on \
        --log-config log.json
fi

# ---------------------------------------------------------------------------- go
have_go=false
if command -v go >/dev/null && [ -d /usr/share/gocode/src/github.com/sirupsen/logrus ] \
    && [ -d /usr/share/gocode/src/go.uber.org/zap ]; then
    have_go=true
else
    echo "no go or no Debian logrus/zap under /usr/share/gocode: skipping the go cases"
fi
if $have_go; then
    g=$work/gopath
    gobin=$work/gobin
    mkdir -p "$gobin"
    chmod 755 "$gobin"
    gobuild() {  # gobuild NAME: build $g/src/NAME (main.go from stdin) into $gobin/NAME
        mkdir -p "$g/src/$1"
        cat > "$g/src/$1/main.go"
        (cd "$g/src/$1" && GO111MODULE=off GOPATH=/usr/share/gocode:$g GOCACHE=$base/gocache \
            GOFLAGS= timeout 300 go build -o "$gobin/$1" .) || echo "go build of $1 failed"
    }
    gobuild logrus-listen <<'GO'
package main

import (
	"net"
	"net/http"

	log "github.com/sirupsen/logrus"
)

func main() {
	log.SetFormatter(&log.JSONFormatter{})
	addr := "127.0.0.1:48120"
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		log.WithError(err).WithField("addr", addr).Fatal("cannot start http server")
	}
	log.WithField("addr", addr).Info("listening")
	log.Fatal(http.Serve(ln, nil))
}
GO
    gobuild logrus-redis <<'GO'
package main

import (
	"net"
	"time"

	log "github.com/sirupsen/logrus"
)

func main() {
	log.SetFormatter(&log.TextFormatter{DisableColors: true, FullTimestamp: true})
	addr := "127.0.0.1:48121"
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		log.WithError(err).WithField("component", "ratelimiter").Fatal("redis unavailable")
	}
	defer conn.Close()
	log.Info("connected to redis")
}
GO
    gobuild logrus-env <<'GO'
package main

import (
	"os"

	log "github.com/sirupsen/logrus"
)

func main() {
	log.SetFormatter(&log.JSONFormatter{})
	dsn := os.Getenv("DATABASE_URL")
	if dsn == "" {
		log.WithField("variable", "DATABASE_URL").Fatal("required environment variable is not set")
	}
	log.Info("configuration loaded")
}
GO
    gobuild zap-redis <<'GO'
package main

import (
	"net"
	"time"

	"go.uber.org/zap"
)

func main() {
	logger, _ := zap.NewProduction()
	defer logger.Sync()
	addr := "redis:6379"
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		logger.Fatal("cannot connect to redis", zap.String("addr", addr), zap.Error(err))
	}
	defer conn.Close()
	logger.Info("connected to redis")
}
GO
    gobuild zap-listen <<'GO'
package main

import (
	"net/http"

	"go.uber.org/zap"
)

func main() {
	logger, _ := zap.NewProduction()
	defer logger.Sync()
	addr := "127.0.0.1:80"
	logger.Info("starting metrics server", zap.String("addr", addr))
	if err := http.ListenAndServe(addr, nil); err != nil {
		logger.Fatal("metrics server failed", zap.Error(err))
	}
}
GO
    gobuild zap-config <<'GO'
package main

import (
	"os"

	"go.uber.org/zap"
)

func main() {
	logger, _ := zap.NewProduction()
	defer logger.Sync()
	sugar := logger.Sugar()
	path := "config/app.yaml"
	data, err := os.ReadFile(path)
	if err != nil {
		sugar.Fatalw("failed to load config", "path", path, "error", err)
	}
	sugar.Infow("config loaded", "bytes", len(data))
}
GO
    gd=$work/goapp
    mkdir -p "$gd/config"
    chmod 755 "$gd" "$gd/config"
    [ -x "$gobin/logrus-listen" ] && run logrus-json-port-in-use "$gd" "$gobin/logrus-listen"
    [ -x "$gobin/logrus-redis" ] && run logrus-text-redis-refused "$gd" "$gobin/logrus-redis"
    [ -x "$gobin/logrus-env" ] && wrap logrus-missing-env-timestamps "$gd" stamp "$gobin/logrus-env"
    [ -x "$gobin/zap-redis" ] && run zap-unresolvable-host "$gd" "$gobin/zap-redis"
    [ -x "$gobin/zap-listen" ] && nobody zap-privileged-port "$gd" "$gobin/zap-listen"
    [ -x "$gobin/zap-config" ] && wrap zap-config-missing-compose "$gd" "compose api-1" "$gobin/zap-config"
fi

# ---------------------------------------------------------------------------- ruby
if command -v ruby >/dev/null; then
    r=$work/ruby
    mkdir -p "$r"
    cat > "$r/json_logger.rb" <<'RB'
require "json"
require "logger"
require "time"

def json_logger(progname)
  logger = Logger.new($stdout, progname: progname)
  logger.formatter = proc do |severity, time, name, msg|
    entry = { time: time.utc.iso8601(3), level: severity, app: name }
    if msg.is_a?(Exception)
      entry[:message] = msg.message
      entry[:error] = { class: msg.class.name, message: msg.message,
                        backtrace: (msg.backtrace || []).first(5) }
    else
      entry[:message] = msg
    end
    "#{JSON.generate(entry)}\n"
  end
  logger
end
RB
    cat > "$r/poller.rb" <<'RB'
require "socket"
require_relative "json_logger"

log = json_logger("poller")
begin
  sock = TCPSocket.new("127.0.0.1", 48130)
  log.info("connected")
  sock.close
rescue SystemCallError => e
  log.error(e)
  exit 1
end
RB
    wrap ruby-refused-timestamps "$r" stamp ruby poller.rb
    cat > "$r/server.rb" <<'RB'
require "socket"
require_relative "json_logger"

log = json_logger("webhooks")
begin
  server = TCPServer.new("127.0.0.1", 48131)
  log.info("listening on 127.0.0.1:48131")
  server.close
rescue SystemCallError => e
  log.fatal(e)
  exit 1
end
RB
    run ruby-port-in-use "$r" ruby server.rb
    cat > "$r/boot.rb" <<'RB'
require_relative "json_logger"

log = json_logger("web")
begin
  secret = ENV.fetch("SECRET_KEY_BASE")
  log.info("secret loaded (#{secret.length} chars)")
rescue KeyError => e
  log.fatal(e)
  exit 1
end
RB
    run ruby-missing-env "$r" ruby boot.rb
else
    echo "no ruby: skipping the ruby cases"
fi

echo "captured into $here"
