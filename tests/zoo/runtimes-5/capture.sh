#!/bin/sh
# Regenerates the captures of this folder by running small programs under Bun and Deno, the two
# JavaScript runtimes beside Node, failing for real on this machine:
# Bun 1.4 (Bun.serve on a port a helper holds and on port 80 as `nobody`; node:http under bun on
# a port a helper holds; fetch refused on a closed port and on a host that does not resolve; an
# import of a package never installed (node_modules present, so no auto-install) and of a local
# file never written; a thrown missing variable; a TypeScript syntax error; `bun run` of a script
# package.json does not have; `bun install` with a bunfig.toml registry at a host that does not
# resolve; ioredis refused and with a wrong password against a real redis-server; node-redis on
# an unresolvable `redis`; pg refused, with a wrong password and a database never created against
# a real postgres 15, and on an unresolvable `db` under `bun run`; `bun run` of a script calling
# `bun` when bun, npm-installed, is not on PATH; a missing config read through
# node:fs and through Bun.file; a TypeError crash under a shell entrypoint),
# Deno 2.9 (Deno.serve and node:http on a port a helper holds; Deno.serve and node:http on port 80
# as `nobody`; fetch refused and unresolvable; a package in package.json never installed and a
# bare import that is not a dependency; a local module never written; a thrown missing variable;
# --allow-net / --allow-env / --allow-read not granted; a TypeScript syntax error; an npm
# registry (NPM_CONFIG_REGISTRY) at a host that does not resolve; a missing config file;
# `deno task` of a task deno.json does not have; a TypeError crash under a shell entrypoint).
# Needs: node + npm (to install `bun` and `deno` from npm, and ioredis, redis@4, pg), redis-server,
# postgresql 15 (/usr/lib/postgresql/15/bin, run as `nobody` with its own data dir), `su nobody`.
# npm installs, only if missing, into /tmp/zoo-runtimes-5/tools (bun deno) and
# /tmp/zoo-runtimes-5/deps (ioredis redis@4 pg). A runtime that is missing skips its cases.
# Ports: 48150-48199 only. Helpers hold 48151 (Bun.serve), 48152 (bun node:http), 48153
# (Deno.serve), 48154 (deno node:http); nothing listens on 48155 (deno without --allow-net),
# 48156 / 48157 (named by apps that fail to import first), 48160 / 48161 (fetch), 48162 (redis),
# 48163 (postgres); a real redis-server with requirepass
# on 48170 and a real postgres on 48171; 80 as `nobody`, refused before anything binds.
# Work directory: /tmp/zoo-runtimes-5/work (removed at start and at exit; bun's and deno's caches
# inside it).
# Wrapped in noise: bun-node-http-port-in-use-compose, bun-ioredis-wrongpass-compose,
# deno-node-http-privileged-port-compose, deno-fetch-unresolvable-compose,
# deno-allow-env-denied-compose (compose-style prefixes); bun-fetch-unresolvable-timestamps,
# bun-pg-refused-timestamps, deno-serve-port-in-use-timestamps (lib.sh `stamp`);
# bun-crash-entrypoint, deno-crash-entrypoint (a shell entrypoint saying the exit code);
# bun-pg-unresolvable-run and bun-run-bun-not-on-path (`bun run start`'s own lines).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
base=/tmp/zoo-runtimes-5
work=$base/work
pgbin=/usr/lib/postgresql/15/bin
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
unset RUST_BACKTRACE DATABASE_URL REDIS_URL JWT_SECRET API_URL PORT NODE_OPTIONS \
    NPM_CONFIG_REGISTRY npm_config_registry 2>/dev/null || true
export NO_COLOR=1 DO_NOT_TRACK=1 DENO_NO_UPDATE_CHECK=1 DENO_NO_PROMPT=1 \
    BUN_RUNTIME_TRANSPILER_CACHE_PATH=0 BUN_INSTALL_CACHE_DIR="$work/bun-cache" \
    DENO_DIR="$work/deno-dir" npm_config_update_notifier=false npm_config_fund=false \
    npm_config_audit=false
rm -rf "$work"
holders= redis_pid= pg=
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
mkdir -p "$base" "$work"
chmod 755 "$base" "$work"

. "$here/../lib.sh"  # stamp, wait_port
compose() { sed "s/^/$1  | /"; }
run() {  # run NAME DIR COMMAND...: capture COMMAND run in DIR, bounded by timeout
    name=$1 dir=$2; shift 2
    (cd "$dir" && timeout 30 "$@") > "$here/$name.log" 2>&1 || true
}
wrap() {  # wrap NAME DIR FILTER COMMAND...: as run, the output piped through FILTER
    name=$1 dir=$2 filter=$3; shift 3
    (cd "$dir" && timeout 30 "$@" 2>&1 | eval "$filter") > "$here/$name.log" 2>&1 || true
}
nobody() {  # nobody NAME DIR COMMAND: capture the shell COMMAND run as nobody in DIR
    (cd "$2" && timeout 30 su nobody -s /bin/sh -c "cd $2 && $3") > "$here/$1.log" 2>&1 || true
}
hold() {  # hold PORT: a python3 helper listens on 127.0.0.1:PORT
    /usr/bin/python3 -c 'import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen()
time.sleep(300)' "$1" &
    holders="$holders $!"
    wait_port "$1"
}
# The shell entrypoint several images ship: it runs its arguments and says how they ended.
cat > "$work/entrypoint.sh" <<'EOF'
#!/bin/sh
echo "entrypoint: starting $*"
status=0
"$@" || status=$?
echo "entrypoint: $1 exited with code $status"
exit $status
EOF
chmod 755 "$work/entrypoint.sh"

# ---------------------------------------------------------------------------- installs
tools=$base/tools
deps=$base/deps
if command -v npm >/dev/null 2>&1; then
    if [ ! -x "$tools/node_modules/.bin/bun" ] || [ ! -x "$tools/node_modules/.bin/deno" ]; then
        mkdir -p "$tools"
        (cd "$tools" && { [ -f package.json ] || npm init -y >/dev/null; } \
            && timeout 500 npm install bun deno >/dev/null 2>&1) || echo "bun/deno: npm install failed"
    fi
    if [ ! -d "$deps/node_modules/ioredis" ] || [ ! -d "$deps/node_modules/redis" ] \
        || [ ! -d "$deps/node_modules/pg" ]; then
        mkdir -p "$deps"
        (cd "$deps" && { [ -f package.json ] || npm init -y >/dev/null; } \
            && timeout 300 npm install ioredis redis@4 pg >/dev/null 2>&1) || echo "deps: npm install failed"
    fi
else
    echo "npm not installed: cannot install bun or deno"
fi
chmod 755 "$base" 2>/dev/null || true
bun=$tools/node_modules/.bin/bun
deno=$tools/node_modules/.bin/deno
have_bun=false; "$bun" --version >/dev/null 2>&1 && have_bun=true
have_deno=false; "$deno" --version >/dev/null 2>&1 && have_deno=true
$have_bun || echo "bun does not run: skipping its cases"
$have_deno || echo "deno does not run: skipping its cases"
have_deps=false; [ -d "$deps/node_modules/ioredis" ] && [ -d "$deps/node_modules/pg" ] \
    && [ -d "$deps/node_modules/redis" ] && have_deps=true

# ---------------------------------------------------------------------------- servers
have_redis=false
if command -v redis-server >/dev/null 2>&1; then
    redis-server --port 48170 --bind 127.0.0.1 --requirepass s3cret --save '' --appendonly no \
        --dir "$work" >/dev/null 2>&1 &
    redis_pid=$!
    wait_port 48170
    have_redis=true
else
    echo "redis-server not installed: skipping the wrong-password case"
fi
have_pg=false
if [ -x "$pgbin/initdb" ]; then
    mkdir -p "$work/pgdata" "$work/pgsock"
    printf 'postgres-pw\n' > "$work/pwfile"
    chown nobody:nogroup "$work/pgdata" "$work/pgsock" "$work/pwfile"
    su nobody -s /bin/sh -c "$pgbin/initdb -D $work/pgdata -U postgres --pwfile=$work/pwfile --auth-host=scram-sha-256 --auth-local=trust" >/dev/null 2>&1
    su nobody -s /bin/sh -c "$pgbin/pg_ctl -D $work/pgdata -l $work/pgsock/log -w -o '-p 48171 -k $work/pgsock -c listen_addresses=127.0.0.1' start" >/dev/null 2>&1
    pg=1
    su nobody -s /bin/sh -c "$pgbin/psql -h $work/pgsock -p 48171 -U postgres -q -c \"CREATE ROLE app LOGIN PASSWORD 'secret'\" -c 'CREATE DATABASE app OWNER app'" >/dev/null 2>&1
    have_pg=true
else
    echo "postgresql 15 not installed: skipping the real-postgres cases"
fi

# ---------------------------------------------------------------------------- bun
if $have_bun; then
    b=$work/bun
    mkdir -p "$b/web" "$b/sync" "$b/shop/src" "$b/api/lib" "$b/billing/src" "$b/scripts" \
        "$b/registry" "$b/worker/config" "$b/crash"
    chmod -R 755 "$b"
    # Bun.serve, and node:http under bun.
    cat > "$b/web/serve.ts" <<'EOF'
const port = Number(process.env.PORT ?? 3000);
const server = Bun.serve({
  hostname: "127.0.0.1",
  port,
  fetch() {
    return new Response("ok");
  },
});
console.log(`web: listening on ${server.url}`);
EOF
    cat > "$b/web/http.js" <<'EOF'
const http = require("node:http");

const port = Number(process.env.PORT ?? 3000);
http
  .createServer((req, res) => res.end("ok"))
  .listen(port, "127.0.0.1", () => console.log(`api listening on ${port}`));
EOF
    chmod 644 "$b/web/serve.ts" "$b/web/http.js"
    hold 48151
    PORT=48151 run bun-serve-port-in-use "$b/web" "$bun" serve.ts
    hold 48152
    PORT=48152 wrap bun-node-http-port-in-use-compose "$b/web" "compose web-1" "$bun" http.js
    nobody bun-serve-privileged-port "$b/web" "PORT=80 BUN_RUNTIME_TRANSPILER_CACHE_PATH=0 $bun serve.ts"

    # fetch: a closed port, a host that does not resolve.
    cat > "$b/sync/fetch.ts" <<'EOF'
const base = process.env.API_URL ?? "http://127.0.0.1:3000";
console.log(`sync: fetching ${base}/health`);
const res = await fetch(`${base}/health`);
console.log(`sync: ${res.status}`);
EOF
    API_URL=http://127.0.0.1:48160 run bun-fetch-refused "$b/sync" "$bun" fetch.ts
    API_URL=http://api:8080 wrap bun-fetch-unresolvable-timestamps "$b/sync" stamp "$bun" fetch.ts

    # A project whose package.json lists hono, but only other packages were installed: with a
    # node_modules present, bun does not auto-install.
    cat > "$b/shop/package.json" <<'EOF'
{
  "name": "shop",
  "version": "1.0.0",
  "type": "module",
  "dependencies": {
    "hono": "^4.6.0",
    "pg": "^8.13.0"
  }
}
EOF
    mkdir -p "$b/shop/node_modules"
    cp -r "$deps/node_modules/pg" "$b/shop/node_modules/" 2>/dev/null || true
    cat > "$b/shop/src/index.ts" <<'EOF'
import { Hono } from "hono";

const app = new Hono();
app.get("/", (c) => c.text("ok"));

export default { port: 48156, fetch: app.fetch };
EOF
    run bun-missing-package "$b/shop" "$bun" src/index.ts

    # A local module never written.
    cat > "$b/api/main.ts" <<'EOF'
import { connect } from "./lib/db.ts";

await connect();
console.log("api: ready");
EOF
    run bun-missing-local-file "$b/api" "$bun" main.ts

    # A variable the app checks itself.
    cat > "$b/api/env.ts" <<'EOF'
const url = process.env.DATABASE_URL;
if (!url) throw new Error("DATABASE_URL is not set");
console.log(`api: using ${url}`);
EOF
    run bun-missing-env "$b/api" "$bun" env.ts

    # Line 8 leaves the for-of's parenthesis unclosed.
    cat > "$b/billing/src/index.ts" <<'EOF'
interface Order {
  id: number;
  total: number;
}

export function total(orders: Order[]): number {
  let sum = 0;
  for (const order of orders {
    sum += order.total;
  }
  return sum;
}

console.log(total([{ id: 1, total: 5 }]));
EOF
    run bun-ts-syntax-error "$b/billing" "$bun" src/index.ts

    # bun run of a script package.json does not have.
    cat > "$b/scripts/package.json" <<'EOF'
{
  "name": "shop-api",
  "version": "1.0.0",
  "scripts": {
    "start": "bun src/server.ts",
    "test": "bun test"
  }
}
EOF
    run bun-run-missing-script "$b/scripts" "$bun" run dev

    # bun install with the registry a bunfig.toml names, a host that does not resolve here.
    cat > "$b/registry/package.json" <<'EOF'
{
  "name": "shop-api",
  "version": "1.0.0",
  "dependencies": {
    "hono": "^4.6.0",
    "zod": "^3.23.0"
  }
}
EOF
    cat > "$b/registry/bunfig.toml" <<'EOF'
[install]
registry = "https://npm.corp.internal/"
EOF
    run bun-install-registry-unresolvable "$b/registry" "$bun" install

    # Clients against real servers and closed ports.
    if $have_deps; then
        ln -s "$deps/node_modules" "$b/worker/node_modules"
        cat > "$b/worker/package.json" <<'EOF'
{
  "name": "worker",
  "version": "1.0.0",
  "type": "module",
  "scripts": {
    "start": "bun db.ts"
  },
  "dependencies": {
    "ioredis": "^5.4.0",
    "pg": "^8.13.0",
    "redis": "^4.7.0"
  }
}
EOF
        cat > "$b/worker/queue.ts" <<'EOF'
import Redis from "ioredis";

const url = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
console.log(`queue: connecting to ${url.replace(/:[^:@]*@/, ":****@")}`);
const redis = new Redis(url, { maxRetriesPerRequest: 1, retryStrategy: () => null });
console.log(`queue: ${await redis.ping()}`);
redis.disconnect();
EOF
        cat > "$b/worker/cache.ts" <<'EOF'
import { createClient } from "redis";

const client = createClient({
  url: process.env.REDIS_URL,
  socket: { reconnectStrategy: (retries) => (retries > 2 ? false : 200) },
});
client.on("error", (err) => console.error("Redis Client Error", err));
await client.connect();
console.log(await client.ping());
EOF
        cat > "$b/worker/db.ts" <<'EOF'
import pg from "pg";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
console.log("db: running migrations");
const { rows } = await pool.query("select 1 as ok");
console.log(rows);
await pool.end();
EOF
        REDIS_URL=redis://127.0.0.1:48162 run bun-ioredis-refused "$b/worker" "$bun" queue.ts
        if $have_redis; then
            REDIS_URL=redis://:wrong@127.0.0.1:48170 wrap bun-ioredis-wrongpass-compose "$b/worker" \
                "compose worker-1" "$bun" queue.ts
        fi
        REDIS_URL=redis://redis:6379 run bun-node-redis-unresolvable "$b/worker" "$bun" cache.ts
        DATABASE_URL=postgres://app:secret@127.0.0.1:48163/app wrap bun-pg-refused-timestamps \
            "$b/worker" stamp "$bun" db.ts
        if $have_pg; then
            DATABASE_URL=postgres://app:wrong@127.0.0.1:48171/app run bun-pg-auth-failed "$b/worker" "$bun" db.ts
            DATABASE_URL=postgres://app:secret@127.0.0.1:48171/orders run bun-pg-database-missing "$b/worker" "$bun" db.ts
        fi
        # `bun run start` runs the script's `bun db.ts` in a shell: with bun on PATH, pg on an
        # unresolvable db; with bun npm-installed and called by its path only, no bun on PATH.
        DATABASE_URL=postgres://app:secret@db:5432/app PATH="$tools/node_modules/.bin:$PATH" \
            run bun-pg-unresolvable-run "$b/worker" "$bun" run start
        DATABASE_URL=postgres://app:secret@127.0.0.1:48171/app run bun-run-bun-not-on-path \
            "$b/worker" "$bun" run start
    else
        echo "ioredis/redis/pg not installed: skipping the bun client cases"
    fi

    # config/ exists; the files were never written there.
    cat > "$b/worker/settings.ts" <<'EOF'
import { readFileSync } from "node:fs";

const config = JSON.parse(readFileSync("config/settings.json", "utf8"));
console.log(`worker: ${config.queues.length} queues`);
EOF
    cat > "$b/worker/file.ts" <<'EOF'
const config = await Bun.file("config/app.json").json();
console.log(`worker: port ${config.port}`);
EOF
    run bun-config-missing "$b/worker" "$bun" settings.ts
    run bun-file-config-missing "$b/worker" "$bun" file.ts

    # A worker reading a field of a config section that is not there: a TypeError, no cause named.
    cat > "$b/crash/worker.ts" <<'EOF'
type Config = { db?: { host: string; port: number } };

const config: Config = JSON.parse(process.env.WORKER_CONFIG ?? "{}");
console.log("worker: starting");
console.log(`worker: db at ${config.db!.host}:${config.db!.port}`);
EOF
    run bun-crash-entrypoint "$b/crash" "$work/entrypoint.sh" "$bun" worker.ts
fi

# ---------------------------------------------------------------------------- deno
if $have_deno; then
    d=$work/deno
    mkdir -p "$d/web" "$d/sync" "$d/shop/src" "$d/bare" "$d/api/lib" "$d/perm/config" \
        "$d/billing/src" "$d/npm" "$d/conf/config" "$d/tasks" "$d/crash" "$work/deno-nobody"
    chmod -R 755 "$d"
    chown nobody:nogroup "$work/deno-nobody"
    cat > "$d/web/serve.ts" <<'EOF'
const port = Number(Deno.env.get("PORT") ?? 8000);
Deno.serve({ hostname: "127.0.0.1", port }, () => new Response("ok"));
EOF
    cat > "$d/web/http.mjs" <<'EOF'
import http from "node:http";

const port = Number(process.env.PORT ?? 3000);
http
  .createServer((req, res) => res.end("ok"))
  .listen(port, "127.0.0.1", () => console.log(`api listening on ${port}`));
EOF
    chmod 644 "$d/web/serve.ts" "$d/web/http.mjs"
    hold 48153
    PORT=48153 wrap deno-serve-port-in-use-timestamps "$d/web" stamp "$deno" run --allow-net --allow-env serve.ts
    hold 48154
    PORT=48154 run deno-node-http-port-in-use "$d/web" "$deno" run -A http.mjs
    nobody deno-serve-privileged-port "$d/web" \
        "PORT=80 DENO_DIR=$work/deno-nobody DENO_NO_UPDATE_CHECK=1 NO_COLOR=1 $deno run --allow-net --allow-env serve.ts"
    nobody deno-node-http-privileged-port-compose "$d/web" \
        "PORT=80 DENO_DIR=$work/deno-nobody DENO_NO_UPDATE_CHECK=1 NO_COLOR=1 $deno run -A http.mjs 2>&1 | sed 's/^/api-1  | /'"

    cat > "$d/sync/fetch.ts" <<'EOF'
const base = Deno.env.get("API_URL") ?? "http://127.0.0.1:3000";
console.log(`sync: fetching ${base}/health`);
const res = await fetch(`${base}/health`);
console.log(`sync: ${res.status}`);
EOF
    API_URL=http://127.0.0.1:48161 run deno-fetch-refused "$d/sync" "$deno" run --allow-net --allow-env fetch.ts
    API_URL=http://api:8080 wrap deno-fetch-unresolvable-compose "$d/sync" "compose sync-1" \
        "$deno" run --allow-net --allow-env fetch.ts

    # hono in package.json, never installed; and a bare import with no package.json at all.
    cat > "$d/shop/package.json" <<'EOF'
{
  "name": "shop",
  "version": "1.0.0",
  "type": "module",
  "dependencies": {
    "hono": "^4.6.0"
  }
}
EOF
    cat > "$d/shop/src/index.ts" <<'EOF'
import { Hono } from "hono";

const app = new Hono();
app.get("/", (c) => c.text("ok"));

Deno.serve({ port: 48157 }, app.fetch);
EOF
    run deno-missing-package "$d/shop" "$deno" run -A src/index.ts
    cat > "$d/bare/main.ts" <<'EOF'
import { z } from "zod";

const Env = z.object({ PORT: z.coerce.number() });
console.log(Env.parse(Deno.env.toObject()));
EOF
    run deno-import-not-a-dependency "$d/bare" "$deno" run -A main.ts

    cat > "$d/api/main.ts" <<'EOF'
import { connect } from "./lib/db.ts";

await connect();
console.log("api: ready");
EOF
    run deno-missing-local-file "$d/api" "$deno" run -A main.ts

    cat > "$d/api/auth.ts" <<'EOF'
const secret = Deno.env.get("JWT_SECRET");
if (!secret) {
  throw new Error("Missing required environment variable JWT_SECRET");
}
console.log("auth: ready");
EOF
    run deno-missing-env "$d/api" "$deno" run --allow-env auth.ts

    # Permissions not granted.
    cat > "$d/perm/serve.ts" <<'EOF'
Deno.serve({ hostname: "127.0.0.1", port: 48155 }, () => new Response("ok"));
EOF
    cat > "$d/perm/db.ts" <<'EOF'
const url = Deno.env.get("DATABASE_URL") ?? "postgres://localhost/app";
console.log(`db: connecting to ${url}`);
EOF
    cat > "$d/perm/config.ts" <<'EOF'
const text = await Deno.readTextFile("config/app.json");
const config = JSON.parse(text);
console.log(`config: port ${config.port}`);
EOF
    echo '{"port": 8000}' > "$d/perm/config/app.json"
    run deno-allow-net-denied "$d/perm" "$deno" run serve.ts
    DATABASE_URL=postgres://app:secret@127.0.0.1:48171/app wrap deno-allow-env-denied-compose \
        "$d/perm" "compose db-1" "$deno" run db.ts
    run deno-allow-read-denied "$d/perm" "$deno" run config.ts

    # The same unclosed for-of at line 8.
    cat > "$d/billing/src/index.ts" <<'EOF'
interface Order {
  id: number;
  total: number;
}

export function total(orders: Order[]): number {
  let sum = 0;
  for (const order of orders {
    sum += order.total;
  }
  return sum;
}

console.log(total([{ id: 1, total: 5 }]));
EOF
    run deno-ts-syntax-error "$d/billing" "$deno" run src/index.ts

    # An npm: import with the registry at a host that does not resolve here.
    cat > "$d/npm/main.ts" <<'EOF'
import { z } from "npm:zod@3";

const Config = z.object({ PORT: z.coerce.number() });
console.log(Config.parse({ PORT: "8000" }));
EOF
    NPM_CONFIG_REGISTRY=https://npm.corp.internal/ run deno-npm-registry-unresolvable "$d/npm" "$deno" run main.ts

    # config/ exists; app.json was never written there.
    cp "$d/perm/config.ts" "$d/conf/config.ts"
    run deno-config-missing "$d/conf" "$deno" run --allow-read config.ts

    # deno task of a task deno.json does not have.
    cat > "$d/tasks/deno.json" <<'EOF'
{
  "tasks": {
    "start": "deno run -A main.ts",
    "test": "deno test"
  }
}
EOF
    run deno-task-missing "$d/tasks" "$deno" task dev

    cat > "$d/crash/worker.ts" <<'EOF'
type Config = { db?: { host: string; port: number } };

const config: Config = JSON.parse(Deno.env.get("WORKER_CONFIG") ?? "{}");
console.log("worker: starting");
console.log(`worker: db at ${config.db!.host}:${config.db!.port}`);
EOF
    run deno-crash-entrypoint "$d/crash" "$work/entrypoint.sh" "$deno" run --allow-env worker.ts
fi

echo "captured into $here"
