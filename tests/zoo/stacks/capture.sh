#!/bin/sh
# Regenerates the captures of this folder: multi-service failures as people paste them from
# `docker compose up`, two to four real programs started together on this machine, where ONE
# service's failure explains what the others then print. There is no Docker engine here: a
# small runner (up.py below) starts each service as a plain process in its own session, reads
# its stdout and stderr as one stream, and writes every line as it arrives behind compose's
# prefix, v2 style (`web-1    | `) or v1 style (`web_1  | `), the name padded to the longest,
# then compose's own `NAME exited with code N` when a service ends; after the case's seconds
# the services still running are stopped and nothing more is written.
# The cases: a node api whose REDIS_HOST names a host that does not resolve (ioredis'
# ENOTFOUND) while a worker polling it is refused; postgres 15 on a data directory left 0755
# while the api's psycopg2 is refused; redis-server on a misspelled directive while ioredis is
# refused; a celery worker importing boto3, never installed, beside a healthy gunicorn web and
# redis; a port a first service (python http.server, express) holds so a second (express,
# uvicorn, nginx) cannot bind it; a gunicorn api bound to 127.0.0.1 that a node client reaches
# at 127.0.0.2; a node api on ::1 that a python worker reaches at 127.0.0.1; an entrypoint
# without its exec bit beside a running redis and web; gunicorn on a missing DATABASE_URL
# while a node web and a python worker keep retrying it; bash's `yarn: command not found`
# from a wrapper that then runs node without express installed; celery's SecurityWarning
# (running as root) before its broker, a redis-server whose `--dir` was never created,
# refuses it; Node's DEP0005 Buffer() warning before node pg's password
# authentication failed against a real postgres; psycopg2 on a database never created; redis
# OOM-killed in a 64 MB cgroup (exit 137) while a loader and an ioredis web lose it; mariadbd
# on a datadir never created while mysql2 is refused; nginx on an upstream `backend` that does
# not resolve beside a healthy api; redis with requirepass and redis-py sending none; celery on
# an amqp broker `rabbitmq` that does not resolve beside a healthy web; a node api with a
# syntax error while a worker is refused; `exec celery` where celery is not installed beside a
# running redis and web; redis-server on a config file never written while ioredis is refused;
# nginx answering 502 (connect() failed ... upstream) to a probe while the flask app behind it
# cannot import flask_sqlalchemy.
# Needs: Debian's python3 with venv (pip installs, only if missing, flask redis psycopg2-binary
# celery gunicorn uvicorn fastapi into /tmp/zoo-stacks/venv), node 20 + npm (express ioredis
# pg mysql2 npm-installed into /tmp/zoo-stacks/npm), redis-server, postgresql 15
# (/usr/lib/postgresql/15/bin, run as `nobody`), mariadb-server, nginx, curl, bash, `su
# nobody`, root and the cgroup v1 memory controller (for the OOM case, skipped without it).
# A program that is missing skips its cases with a message.
# Ports: 48400-48449 only, on 127.0.0.1 (127.0.0.2 and ::1 for the two address cases); each
# case's own, listed beside it. Work directory: /tmp/zoo-stacks/work (removed at start and at
# exit); cgroup /sys/fs/cgroup/memory/zoo-stacks (removed at exit).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
pgbin=/usr/lib/postgresql/15/bin
base=/tmp/zoo-stacks
work=$base/work
cg=/sys/fs/cgroup/memory/zoo-stacks
rm -rf "$work"
mkdir -p "$base"
chmod 755 "$base"
cleanup() {
    sleep 0.5
    rm -rf "$work"
    [ -d "$cg" ] && rmdir "$cg" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
mkdir -p "$work"
chmod 755 "$work"
export PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH

. "$here/../lib.sh"  # stamp, wait_port (unused: the runner paces the services itself)
have() { command -v "$1" >/dev/null 2>&1 || [ -x "$1" ]; }
as_nobody() { su nobody -s /bin/sh -c "$1"; }

# ---------------------------------------------------------------------------- the runner
# up NAME STYLE SECONDS < SERVICES: one line a service, `name delay command`, command a shell
# line started `delay` seconds in; the whole log into NAME.log.
cat > "$work/up.py" <<'PY'
import os
import selectors
import signal
import subprocess
import sys
import time

style, seconds = sys.argv[1], float(sys.argv[2])
specs = [line.split(None, 2) for line in sys.stdin.read().splitlines() if line.strip()]
sep = "-" if style == "v2" else "_"
services = [(f"{name}{sep}1", float(delay), cmd) for name, delay, cmd in specs]
width = max(len(name) for name, _, _ in services) + 1
out = sys.stdout.buffer


def emit(data):
    out.write(data)
    out.flush()


signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # still stop the services below
emit(f"Attaching to {', '.join(name for name, _, _ in services)}\n".encode())
sel = selectors.DefaultSelector()
pending = sorted(services, key=lambda service: service[1])
procs, partial = {}, {}
start = time.monotonic()
try:
    while True:
        now = time.monotonic() - start
        if now >= seconds:
            break
        while pending and pending[0][1] <= now:
            name, _, cmd = pending.pop(0)
            proc = subprocess.Popen(["/bin/sh", "-c", cmd], stdin=subprocess.DEVNULL,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                    start_new_session=True)
            procs[name] = proc
            partial[name] = b""
            sel.register(proc.stdout, selectors.EVENT_READ, name)
        if not pending and not sel.get_map():
            break
        wait = min([seconds - now, 0.1] + [delay - now for _, delay, _ in pending])
        for key, _ in sel.select(max(wait, 0)):
            name = key.data
            prefix = f"{name:<{width}} | ".encode()
            data = os.read(key.fd, 65536)
            if data:
                *lines, partial[name] = (partial[name] + data).split(b"\n")
                emit(b"".join(prefix + line + b"\n" for line in lines))
                continue
            if partial[name]:
                emit(prefix + partial[name] + b"\n")
            sel.unregister(key.fileobj)
            code = procs[name].wait()
            emit(f"{name} exited with code {128 - code if code < 0 else code}\n".encode())
finally:
    for proc in procs.values():
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    for proc in procs.values():
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
PY
up() {
    $py "$work/up.py" "$2" "$3" > "$here/$1.log" 2>&1 || true
    sleep 0.5
}

# ---------------------------------------------------------------------------- installs
V=$base/venv
if [ ! -f "$V/.built" ]; then
    rm -rf "$V"
    { $py -m venv "$V" && "$V/bin/pip" install -q flask redis psycopg2-binary celery packaging gunicorn \
        uvicorn fastapi && touch "$V/.built"; } >/dev/null 2>&1 || true
fi
have_venv=false
[ -f "$V/.built" ] && have_venv=true
$have_venv || echo "venv: cannot build, skipping the Python cases"
P=$V/bin/python
N=$base/npm
have_npm=false
if have npm; then
    mkdir -p "$N"
    if [ ! -d "$N/node_modules/mysql2" ]; then
        (cd "$N" && { [ -f package.json ] || npm init -y >/dev/null; } \
            && npm install -s express ioredis pg mysql2 >/dev/null 2>&1) || true
    fi
    [ -d "$N/node_modules/mysql2" ] && have_npm=true
fi
$have_npm || echo "no npm packages: skipping the Node cases"
have_redis=false
have redis-server && have_redis=true
$have_redis || echo "no redis-server: skipping its cases"

# ---------------------------------------------------------------------------- the apps
a=$work/app
mkdir -p "$a"
chmod 755 "$a"
ln -s "$N/node_modules" "$a/node_modules"
# A worker that waits for the api, as people write one: five tries a second apart.
cat > "$a/wait_api.py" <<'PY'
import os
import time
import urllib.request

url = os.environ["API_URL"]
for attempt in range(1, 6):
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            print(f"api is up: {response.status}")
            break
    except OSError as exc:
        print(f"waiting for api at {url} (attempt {attempt}/5): {exc}")
        time.sleep(1)
else:
    raise SystemExit("api never came up, giving up")
PY
# The same in node, logging what fetch failed on.
cat > "$a/wait_api.js" <<'JS'
const url = process.env.API_URL;

async function main() {
  for (let attempt = 1; attempt <= 5; attempt++) {
    try {
      const res = await fetch(url);
      console.log(`api answered ${res.status}`);
      return;
    } catch (err) {
      console.error(`api unreachable (attempt ${attempt}/5):`, err.cause ?? err);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  console.error("giving up on the api");
  process.exit(1);
}

main();
JS
# A healthy flask web for gunicorn.
cat > "$a/web.py" <<'PY'
from flask import Flask

app = Flask(__name__)


@app.get("/health")
def health():
    return {"status": "ok"}
PY
# A node api that serves once redis is ready (ioredis, no error handler: its own log lines).
cat > "$a/cache_api.js" <<'JS'
const http = require("http");
const Redis = require("ioredis");

const redis = new Redis({ host: process.env.REDIS_HOST, port: Number(process.env.REDIS_PORT || 6379) });
redis.on("ready", () => {
  const port = Number(process.env.PORT);
  http.createServer(async (req, res) => res.end(String(await redis.incr("hits")))).listen(port, "127.0.0.1", () => {
    console.log(`api listening on 127.0.0.1:${port}`);
  });
});
JS
# A redis-py worker that pings its cache at start.
cat > "$a/cache_worker.py" <<'PY'
import os
import time

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"])
r.ping()
print("connected to redis")
while True:
    r.incr("worker:beats")
    time.sleep(1)
PY

# ---------------------------------------------------------------------------- redis, unresolvable
# REDIS_HOST is redis-cache, a service name that does not resolve here (the service is called
# redis); the worker polls the api, which never listens. Ports: 48400 (the api).
if $have_npm && $have_venv; then
    up redis-host-unresolvable-worker-refused v2 7 <<EOF
api 0 cd $a && REDIS_HOST=redis-cache PORT=48400 exec node cache_api.js
worker 1 cd $a && API_URL=http://127.0.0.1:48400/health exec $P wait_api.py
EOF
fi

# ---------------------------------------------------------------------------- postgres servers
pg=$work/pg
have_pg=false
if [ -x "$pgbin/postgres" ]; then
    mkdir -p "$pg/sock"
    chmod 755 "$pg"
    chown nobody "$pg" "$pg/sock"
    echo s3cret > "$pg/pwfile"
    chmod 644 "$pg/pwfile"
    as_nobody "$pgbin/initdb -D $pg/main -U postgres --pwfile=$pg/pwfile --auth-host=scram-sha-256 --auth-local=trust" >/dev/null 2>&1
    if as_nobody "$pgbin/pg_ctl -D $pg/main -l $pg/setup.log -w -o \"-p 48449 -k $pg/sock -c listen_addresses=127.0.0.1\" start" >/dev/null 2>&1; then
        as_nobody "$pgbin/psql -h $pg/sock -p 48449 -U postgres -q -c \"CREATE ROLE app LOGIN PASSWORD 's3cret'\" -c 'CREATE DATABASE shop OWNER app'" >/dev/null 2>&1 || true
        as_nobody "$pgbin/pg_ctl -D $pg/main -m fast -w stop" >/dev/null 2>&1 || true
        have_pg=true
    fi
    # A copy of the cluster whose directory a volume mount left 0755.
    cp -a "$pg/main" "$pg/volume"
    chmod 755 "$pg/volume"
fi
$have_pg || echo "no postgres 15: skipping its cases"
postgres() {  # postgres DATADIR PORT: the db service's command line
    echo "exec su nobody -s /bin/sh -c 'exec $pgbin/postgres -D $1 -p $2 -k $pg/sock -c listen_addresses=127.0.0.1'"
}
cat > "$a/db_api.py" <<'PY'
import os
import time

import psycopg2

dsn = os.environ["DATABASE_URL"]
for attempt in range(1, 6):
    try:
        conn = psycopg2.connect(dsn)
        break
    except psycopg2.OperationalError as exc:
        if attempt == 5:
            raise
        print(f"database not ready (attempt {attempt}/5): {exc}".rstrip())
        time.sleep(1)
print("connected:", conn.server_version)
PY
if $have_pg && $have_venv; then
    # Ports: 48402 (db).
    up postgres-data-mode-api-refused v2 8 <<EOF
db 0 $(postgres "$pg/volume" 48402)
api 1 cd $a && DATABASE_URL=postgresql://app:s3cret@127.0.0.1:48402/shop exec $P db_api.py
EOF
    # orders was never created (the db only has shop). Ports: 48416 (db).
    up postgres-database-missing-v1 v1 7 <<EOF
db 0 $(postgres "$pg/main" 48416)
api 2 cd $a && DATABASE_URL=postgresql://app:s3cret@127.0.0.1:48416/orders exec $P db_api.py
EOF
fi
cat > "$a/orders.js" <<'JS'
const { Client } = require("pg");

// Signs session cookies (an old helper, written before Buffer.from).
const sessionKey = new Buffer(process.env.SESSION_SECRET || "dev-secret");

async function main() {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  const { rows } = await client.query("select count(*) from pg_tables");
  console.log("orders api ready", rows[0].count, sessionKey.length);
}

main();
JS
if $have_pg && $have_npm; then
    # DATABASE_URL carries the password the .env.example had, not the db's. Ports: 48415 (db).
    up node-deprecation-then-pg-auth-failed v2 7 <<EOF
db 0 $(postgres "$pg/main" 48415)
orders 2 cd $a && DATABASE_URL=postgresql://app:changeme@127.0.0.1:48415/shop exec node orders.js
EOF
fi

# ---------------------------------------------------------------------------- redis servers
r=$work/redis
mkdir -p "$r"
# Line 3 misspells maxmemory-policy.
printf 'port 48403\nsave ""\nmaxmemory-polcy allkeys-lru\n' > "$r/redis.conf"
if $have_redis && $have_npm; then
    # Ports: 48403 (cache).
    up redis-bad-directive-app-refused-v1 v1 6 <<EOF
cache 0 exec redis-server $r/redis.conf
api 1 cd $a && REDIS_HOST=127.0.0.1 REDIS_PORT=48403 PORT=48404 exec node cache_api.js
EOF
    # The config file the service names was never written. Ports: 48424 (cache).
    up redis-config-missing-app-refused-v1 v1 6 <<EOF
cache 0 exec redis-server $r/conf/redis.conf
api 1 cd $a && REDIS_HOST=127.0.0.1 REDIS_PORT=48424 PORT=48423 exec node cache_api.js
EOF
fi
if $have_redis && $have_venv; then
    # --dir names data/, never created; celery warns (SecurityWarning: it runs as root) before
    # its broker is refused. Ports: 48414 (broker).
    cat > "$a/tasks.py" <<'PY'
import os

from celery import Celery

app = Celery("tasks", broker=os.environ["CELERY_BROKER_URL"])


@app.task
def send_receipt(order_id):
    return order_id
PY
    up redis-dir-missing-celery-warning-v1 v1 9 <<EOF
broker 0 exec redis-server --port 48414 --save '' --dir $r/data
worker 1 cd $a && CELERY_BROKER_URL=redis://127.0.0.1:48414/0 exec $V/bin/celery -A tasks worker --loglevel=INFO --concurrency=1 --without-heartbeat --without-mingle --without-gossip
EOF
    # The cache demands a password; REDIS_URL carries none. Ports: 48420 (cache).
    up redis-requirepass-worker-noauth v2 6 <<EOF
cache 0 exec redis-server --port 48420 --save '' --requirepass s3cret
worker 1 cd $a && REDIS_URL=redis://127.0.0.1:48420/0 exec $P cache_worker.py
EOF
fi

# ---------------------------------------------------------------------------- python services
if $have_venv; then
    gunicorn="$V/bin/gunicorn --access-logfile - --workers 1"
    # The worker's tasks import boto3, never added to its requirements; web and redis are fine.
    # Ports: 48405 (redis), 48406 (web).
    cat > "$a/exports.py" <<'PY'
import os

import boto3
from celery import Celery

app = Celery("exports", broker=os.environ["CELERY_BROKER_URL"])
s3 = boto3.client("s3")


@app.task
def export_report(report_id):
    s3.upload_file(f"/tmp/{report_id}.csv", "reports", f"{report_id}.csv")
PY
    if $have_redis; then
        up worker-missing-module-web-healthy v2 7 <<EOF
redis 0 exec redis-server --port 48405 --save ''
web 0.5 cd $a && exec $gunicorn -b 127.0.0.1:48406 web:app
worker 1 cd $a && CELERY_BROKER_URL=redis://127.0.0.1:48405/0 exec $V/bin/celery -A exports worker --loglevel=INFO
probe 2 exec curl -sS http://127.0.0.1:48406/health
EOF
        # The worker's command runs celery, which its image never installed (it is only in
        # the web's venv). Ports: 48421 (redis), 48422 (web).
        up worker-missing-binary-siblings-run v2 6 <<EOF
redis 0 exec redis-server --port 48421 --save ''
web 0.5 cd $a && exec $gunicorn -b 127.0.0.1:48422 web:app
worker 1 cd $a && exec sh -c 'exec celery -A tasks worker --loglevel=INFO'
EOF
        # The worker's entrypoint.sh was committed without its exec bit. Ports: 48410 (redis),
        # 48411 (web).
        e=$work/worker
        mkdir -p "$e"
        printf '#!/bin/sh\nset -e\necho "starting worker"\nexec python -m worker\n' > "$e/entrypoint.sh"
        chmod 644 "$e/entrypoint.sh"
        up entrypoint-no-exec-bit-siblings-run v2 6 <<EOF
redis 0 exec redis-server --port 48410 --save ''
web 0.5 cd $a && exec $gunicorn -b 127.0.0.1:48411 web:app
worker 1 cd $e && exec sh -c ./entrypoint.sh
EOF
    fi
    # The api reads DATABASE_URL at import; the compose file never sets it. The web and the
    # worker keep retrying the api. Ports: 48412 (api).
    printf 'import os\n\nfrom flask import Flask\n\nDATABASE_URL = os.environ["DATABASE_URL"]\napp = Flask(__name__)\n\n\n@app.get("/health")\ndef health():\n    return {"db": DATABASE_URL.split("@")[-1]}\n' > "$a/api.py"
    if $have_npm; then
        up api-missing-env-others-retry v2 8 <<EOF
api 0 cd $a && exec $gunicorn -b 127.0.0.1:48412 api:app
web 1 cd $a && API_URL=http://127.0.0.1:48412/health exec node wait_api.js
worker 1.5 cd $a && API_URL=http://127.0.0.1:48412/health exec $P wait_api.py
EOF
    fi
    # A celery worker whose broker is amqp://rabbitmq, a service this compose file does not
    # have, beside a healthy web. Ports: 48419 (web).
    up celery-broker-unresolvable-web-healthy-v1 v1 9 <<EOF
web 0 cd $a && exec $gunicorn -b 127.0.0.1:48419 web:app
worker 1 cd $a && CELERY_BROKER_URL=amqp://guest:guest@rabbitmq:5672// exec $V/bin/celery -A tasks worker --loglevel=INFO --concurrency=1 --without-heartbeat --without-mingle --without-gossip
probe 2 exec curl -sS http://127.0.0.1:48419/health
EOF
fi

# ---------------------------------------------------------------------------- ports and addresses
if $have_npm; then
    cat > "$a/admin.js" <<'JS'
const express = require("express");

const app = express();
app.get("/health", (req, res) => res.json({ ok: true }));
const port = Number(process.env.PORT);
const host = process.env.HOST || "127.0.0.1";
// Express 5 hands a listen error to the callback.
app.listen(port, host, (err) => {
  if (err) throw err;
  console.log(`${process.env.NAME || "admin"} listening on ${host}:${port}`);
});
JS
    # Both services were given PORT 48407; the web got there first. Ports: 48407.
    up port-taken-second-service v2 5 <<EOF
web 0 cd $a && exec $py -m http.server 48407 --bind 127.0.0.1
admin 1 cd $a && PORT=48407 exec node admin.js
EOF
    if $have_venv; then
        # The node gateway holds 48408; uvicorn's api is told the same port. Ports: 48408.
        printf 'from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/health")\ndef health():\n    return {"ok": True}\n' > "$a/main.py"
        up uvicorn-port-taken-by-node-v1 v1 6 <<EOF
gateway 0 cd $a && NAME=gateway PORT=48408 exec node admin.js
api 1 cd $a && exec $V/bin/uvicorn main:app --host 127.0.0.1 --port 48408
EOF
        # The api binds 127.0.0.1; the web's API_URL says 127.0.0.2, the address the api
        # was meant to serve on. Ports: 48409.
        up api-bound-loopback-client-other-address v2 7 <<EOF
api 0 cd $a && exec $V/bin/gunicorn --workers 1 -b 127.0.0.1:48409 web:app
web 1 cd $a && API_URL=http://127.0.0.2:48409/health exec node wait_api.js
EOF
        # The node api listens on ::1 (HOST=::1); the worker reaches it at 127.0.0.1.
        # Ports: 48413.
        up api-ipv6-worker-ipv4-v1 v1 7 <<EOF
api 0 cd $a && NAME=api HOST=::1 PORT=48413 exec node admin.js
worker 1 cd $a && API_URL=http://127.0.0.1:48413/health exec $P wait_api.py
EOF
    fi
    # A node api with a syntax error (line 5 never closes its call) while a worker polls it.
    # Ports: 48418.
    printf 'const express = require("express");\n\nconst app = express();\n\napp.get("/health", (req, res) => res.json({ ok: true });\n\napp.listen(Number(process.env.PORT), "127.0.0.1");\n' > "$a/server.js"
    if $have_venv; then
        up node-syntax-error-worker-refused v2 7 <<EOF
api 0 cd $a && PORT=48418 exec node server.js
worker 1 cd $a && API_URL=http://127.0.0.1:48418/health exec $P wait_api.py
EOF
    fi
    # The web's wrapper prints yarn's version first (yarn is not installed: bash says so and
    # goes on), then runs node in a checkout where npm install never ran. Ports: 48417 (redis).
    y=$work/web
    mkdir -p "$y"
    printf 'const express = require("express");\n\nconst app = express();\napp.listen(Number(process.env.PORT || 3000));\n' > "$y/server.js"
    printf '#!/bin/bash\necho "node $(node --version), yarn $(yarn --version)"\nexec node server.js\n' > "$y/start.sh"
    chmod 755 "$y/start.sh"
    if $have_redis; then
        up yarn-not-found-then-missing-module v2 5 <<EOF
redis 0 exec redis-server --port 48417 --save ''
web 1 cd $y && PORT=48425 exec ./start.sh
EOF
    fi
fi

# ---------------------------------------------------------------------------- redis OOM-killed
# The cache runs in a 64 MB cgroup (compose's mem_limit); a loader fills it with 1 MB values
# until the kernel's OOM killer ends redis-server, and the loader and an ioredis api lose it.
# Ports: 48426 (cache), 48427 (api).
cat > "$a/loader.py" <<'PY'
import os

import redis

r = redis.Redis.from_url(os.environ["REDIS_URL"])
blob = os.urandom(1 << 20)
for i in range(1, 1000):
    r.set(f"report:{i}", blob)
    if i % 16 == 0:
        print(f"cached {i} reports")
PY
if $have_redis && $have_venv && $have_npm && [ -d /sys/fs/cgroup/memory ] && mkdir "$cg" 2>/dev/null; then
    echo $((64 * 1024 * 1024)) > "$cg/memory.limit_in_bytes"
    up redis-oom-killed-clients-lost v2 9 <<EOF
cache 0 echo \$\$ > $cg/cgroup.procs && exec redis-server --port 48426 --save '' --appendonly no
api 1 cd $a && REDIS_HOST=127.0.0.1 REDIS_PORT=48426 PORT=48427 exec node cache_api.js
loader 2 cd $a && REDIS_URL=redis://127.0.0.1:48426/0 exec $P loader.py
EOF
else
    echo "no cgroup v1 memory controller: skipping the OOM case"
fi

# ---------------------------------------------------------------------------- mariadb
# --datadir names a volume path never created; the api's mysql2 pool is refused. Ports: 48428.
cat > "$a/accounts.js" <<'JS'
const mysql = require("mysql2/promise");

async function main() {
  for (let attempt = 1; ; attempt++) {
    try {
      const conn = await mysql.createConnection({ host: "127.0.0.1", port: Number(process.env.DB_PORT), user: "app", password: "s3cret", database: "accounts" });
      console.log("db connected");
      return conn.end();
    } catch (err) {
      if (attempt === 4) throw err;
      console.log(`db not ready (${err.code}), retrying in 1s`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

main();
JS
if have mariadbd && $have_npm; then
    m=$work/mysql
    mkdir -p "$m/run"
    chown nobody "$m/run"
    up mariadb-datadir-missing-api-refused v2 8 <<EOF
db 0 exec mariadbd --no-defaults --user=nobody --datadir=$m/data --port=48428 --bind-address=127.0.0.1 --socket=$m/run/mysqld.sock --pid-file=$m/run/mysqld.pid --skip-log-bin
api 1 cd $a && DB_PORT=48428 exec node accounts.js
EOF
else
    echo "no mariadbd: skipping its case"
fi

# ---------------------------------------------------------------------------- nginx in front
ngx() {  # ngx NAME BODY: an nginx prefix dir NAME whose http block holds BODY
    mkdir -p "$work/$1/logs"
    cat > "$work/$1/nginx.conf" <<EOF
daemon off;
worker_processes 1;
pid $work/$1/nginx.pid;
error_log stderr notice;
events { worker_connections 64; }
http {
    access_log /dev/stdout;
    client_body_temp_path $work/$1/body;
    proxy_temp_path $work/$1/proxy;
    fastcgi_temp_path $work/$1/fastcgi;
    uwsgi_temp_path $work/$1/uwsgi;
    scgi_temp_path $work/$1/scgi;
$2
}
EOF
    echo "exec nginx -p $work/$1/ -c $work/$1/nginx.conf -e stderr"
}
if have nginx && $have_venv; then
    # The proxy's upstream names backend, the service is called api. Ports: 48429 (api),
    # 48430 (proxy).
    nginx1=$(ngx proxy1 "    server {
        listen 127.0.0.1:48430;
        location / { proxy_pass http://backend:48429; }
    }")
    up nginx-upstream-unresolvable-api-healthy-v1 v1 6 <<EOF
api 0 cd $a && exec $gunicorn -b 127.0.0.1:48429 web:app
proxy 1 $nginx1
EOF
    # The app already serves on 48431, the port the proxy was told to listen on.
    nginx2=$(ngx proxy2 "    server {
        listen 127.0.0.1:48431;
        location / { proxy_pass http://127.0.0.1:48432; }
    }")
    up nginx-port-taken-by-app v2 8 <<EOF
app 0 cd $a && exec $gunicorn -b 127.0.0.1:48431 web:app
proxy 1 $nginx2
EOF
    # The flask app behind the proxy imports flask_sqlalchemy, never installed: gunicorn's
    # worker fails to boot and the proxy answers a probe 502. Ports: 48433 (proxy), 48434 (web).
    printf 'from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\n\napp = Flask(__name__)\ndb = SQLAlchemy(app)\n\n\n@app.get("/health")\ndef health():\n    return {"ok": True}\n' > "$a/shop.py"
    nginx3=$(ngx proxy3 "    server {
        listen 127.0.0.1:48433;
        location / { proxy_pass http://127.0.0.1:48434; }
    }")
    up nginx-502-flask-missing-module v2 7 <<EOF
proxy 0 $nginx3
web 0.5 cd $a && exec $gunicorn -b 127.0.0.1:48434 shop:app
probe 2 for i in 1 2 3; do curl -sS -o /dev/null -w 'GET /health %{http_code}\n' http://127.0.0.1:48433/health; sleep 1; done
EOF
else
    echo "no nginx: skipping its cases"
fi

echo "captured into $here"
