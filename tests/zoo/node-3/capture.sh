#!/bin/sh
# Regenerates the captures of this folder by running real Node programs failing on this
# machine: the mongoose and mongodb drivers (a closed port, an unresolvable host), node-redis 4
# (a closed port, an unresolvable host, a wrong password against a real redis-server), pg,
# knex and sequelize (a wrong password and a missing database against a real postgres, a closed
# port), mysql2 against a real mariadb (ER_ACCESS_DENIED_ERROR, ER_BAD_DB_ERROR); fastify, koa
# and socket.io on a port a helper holds; fastify on port 80 and a `mkdirSync` of a log
# directory as `nobody`; an ESM relative import without its `.js`; tsx on a TypeScript syntax
# error, ts-node on a type error and ts-node 10 under TypeScript 7; a missing config json; a
# hand-written `throw new Error('Missing env ...')` under `npm start`; `node -r dotenv/config` without
# dotenv; `node --env-file=.env` without the file; `npm ci` without a lockfile, `npm start`
# without a package.json, `pnpm install --frozen-lockfile` without pnpm-lock.yaml.
# Needs: node 20 + npm (npm installs mongoose mongodb redis@4 pg mysql2 sequelize knex fastify
# koa socket.io tsx typescript ts-node pnpm into the work dir; ts-node typescript@5 @types/node
# into a second project); redis-server; postgresql 15
# (/usr/lib/postgresql/15/bin, run as `nobody` through `su nobody -s /bin/sh -c`);
# mariadb-server (mariadbd run as root with --user=root on its own datadir); `su nobody`.
# A case whose server is missing is skipped.
# Ports: 47775-47799. Closed (nothing listens): 47775 mongodb, 47776 redis, 47779 postgres.
# A real postgres: 47777; mariadb: 47778; redis-server with requirepass: 47781. A helper holds
# 47780 (the port-in-use cases).
# Work directory: /tmp/zoo-node-3 (removed at start and at exit).
# Wrapped in noise: redis4-unresolvable-compose, koa-port-in-use-compose,
# knex-migrate-auth-failed-compose (a compose-style `api_1  | ` prefix);
# mysql2-bad-db-timestamped, mongoose-refused-timestamped (a timestamping `while read` loop,
# as a log shipper adds); npm-start-missing-env, ts-node-type-error (npm's `> NAME start`
# header); npm-ci-no-lockfile, npm-start-no-package-json (npm's `npm error` blocks).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
command -v node >/dev/null && command -v npm >/dev/null || { echo "no node/npm: skipping"; exit 0; }
work=/tmp/zoo-node-3
pgbin=/usr/lib/postgresql/15/bin
rm -rf "$work"
pg= maria_pid= redis_pid= holder_pid=
. "$here/../lib.sh"  # stamp, wait_port, stop
cleanup() {
    stop "$holder_pid"
    stop "$redis_pid"
    stop "$maria_pid"
    [ -n "$pg" ] && su nobody -s /bin/sh -c "$pgbin/pg_ctl -D $work/pgdata -m immediate stop" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work"
chmod 755 "$work"
unset REDIS_URL DATABASE_URL STRIPE_SECRET_KEY NODE_OPTIONS 2>/dev/null || true
export NO_COLOR=1 FORCE_COLOR=0 npm_config_update_notifier=false npm_config_fund=false \
    npm_config_audit=false

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

app=$work/app
mkdir -p "$app"
cd "$app"
npm init -y >/dev/null
npm install mongoose mongodb redis@4 pg mysql2 sequelize knex fastify koa socket.io tsx \
    typescript ts-node pnpm >/dev/null 2>&1
cd "$work"

# ---------------------------------------------------------------------------- servers
have_pg=false
if [ -x "$pgbin/initdb" ]; then
    mkdir -p "$work/pgdata" "$work/pgsock"
    printf 'postgres-pw\n' > "$work/pwfile"
    chown nobody:nogroup "$work/pgdata" "$work/pgsock" "$work/pwfile"
    su nobody -s /bin/sh -c "$pgbin/initdb -D $work/pgdata -U postgres --pwfile=$work/pwfile --auth-host=scram-sha-256 --auth-local=trust" >/dev/null 2>&1
    su nobody -s /bin/sh -c "$pgbin/pg_ctl -D $work/pgdata -l $work/pgsock/log -w -o '-p 47777 -k $work/pgsock -c listen_addresses=127.0.0.1' start" >/dev/null 2>&1
    pg=1
    su nobody -s /bin/sh -c "$pgbin/psql -h $work/pgsock -p 47777 -U postgres -q -c \"CREATE ROLE app LOGIN PASSWORD 'secret'\" -c 'CREATE DATABASE app OWNER app'" >/dev/null 2>&1
    have_pg=true
fi
have_maria=false
if command -v mariadbd >/dev/null && command -v mariadb-install-db >/dev/null; then
    mariadb-install-db --no-defaults --datadir="$work/mysql" --user=root \
        --auth-root-authentication-method=normal >/dev/null 2>&1
    mariadbd --no-defaults --datadir="$work/mysql" --socket="$work/mysql.sock" --port=47778 \
        --bind-address=127.0.0.1 --user=root --skip-log-error >/dev/null 2>&1 &
    maria_pid=$!
    for i in $(seq 1 30); do [ -S "$work/mysql.sock" ] && break; sleep 0.5; done
    mariadb --no-defaults -S "$work/mysql.sock" -uroot -e "DROP USER IF EXISTS ''@'localhost'; CREATE USER 'app'@'%' IDENTIFIED BY 'secret'; GRANT ALL ON *.* TO 'app'@'%'; CREATE USER 'app'@'localhost' IDENTIFIED BY 'secret'; GRANT ALL ON *.* TO 'app'@'localhost'; CREATE DATABASE shop;" >/dev/null 2>&1
    have_maria=true
fi
have_redis=false
if command -v redis-server >/dev/null; then
    redis-server --port 47781 --bind 127.0.0.1 --requirepass s3cret --save '' --appendonly no \
        --dir "$work" >/dev/null 2>&1 &
    redis_pid=$!
    have_redis=true
fi
# Something else holds 47780 on every IPv4 address.
node -e 'require("net").createServer().listen(47780, "0.0.0.0")' &
holder_pid=$!
wait_port 47780
sleep 1

# ---------------------------------------------------------------------------- mongodb
cat > "$app/mongo.js" <<'JS'
const mongoose = require("mongoose");

async function main() {
  await mongoose.connect(process.env.MONGO_URL, { serverSelectionTimeoutMS: 3000 });
  console.log("connected to mongo");
}

main();
JS
MONGO_URL=mongodb://127.0.0.1:47775/shop wrap mongoose-refused-timestamped "$app" stamp node mongo.js
cat > "$app/mongo-driver.js" <<'JS'
const { MongoClient } = require("mongodb");

const client = new MongoClient(process.env.MONGO_URL, { serverSelectionTimeoutMS: 3000 });
client.connect().then(() => console.log("connected"));
JS
MONGO_URL=mongodb://mongo:27017/shop run mongodb-unresolvable "$app" node mongo-driver.js

# ---------------------------------------------------------------------------- node-redis 4
cat > "$app/cache.js" <<'JS'
const { createClient } = require("redis");

const client = createClient({ url: process.env.REDIS_URL });
client.on("error", (err) => console.error("Redis Client Error", err));

(async () => {
  await client.connect();
  console.log(await client.ping());
  await client.quit();
})();
JS
# node-redis reconnects for ever: stopped after 6 seconds.
(cd "$app" && REDIS_URL=redis://127.0.0.1:47776 timeout 6 node cache.js) > "$here/redis4-refused.log" 2>&1 || true
(cd "$app" && REDIS_URL=redis://redis:6379 timeout 6 node cache.js 2>&1 | compose) > "$here/redis4-unresolvable-compose.log" 2>&1 || true
if $have_redis; then
    REDIS_URL=redis://:wrong@127.0.0.1:47781 run redis4-wrongpass "$app" timeout 6 node cache.js
fi

# ---------------------------------------------------------------------------- postgres
cat > "$app/db.js" <<'JS'
const { Client } = require("pg");

async function main() {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  const res = await client.query("select 1 as ok");
  console.log(res.rows[0]);
  await client.end();
}

main();
JS
cat > "$app/sequelize.js" <<'JS'
const { Sequelize } = require("sequelize");

const sequelize = new Sequelize(process.env.DATABASE_URL, { logging: false });

sequelize.authenticate().then(() => console.log("Connection has been established successfully."));
JS
DATABASE_URL=postgres://app:secret@127.0.0.1:47779/app run sequelize-refused "$app" node sequelize.js
if $have_pg; then
    DATABASE_URL=postgres://app:wrong@127.0.0.1:47777/app run pg-auth-failed "$app" node db.js
    DATABASE_URL=postgres://app:secret@127.0.0.1:47777/orders run pg-database-missing "$app" node db.js
    mkdir -p "$app/migrations"
    cat > "$app/knexfile.js" <<'JS'
module.exports = {
  client: "pg",
  connection: process.env.DATABASE_URL,
  migrations: { directory: "./migrations" },
};
JS
    cat > "$app/migrations/20240101000000_orders.js" <<'JS'
exports.up = (knex) => knex.schema.createTable("orders", (t) => t.increments());
exports.down = (knex) => knex.schema.dropTable("orders");
JS
    DATABASE_URL=postgres://app:wrong@127.0.0.1:47777/app wrap knex-migrate-auth-failed-compose "$app" compose npx knex migrate:latest
fi

# ---------------------------------------------------------------------------- mysql2
cat > "$app/mysql.js" <<'JS'
const mysql = require("mysql2/promise");

async function main() {
  const conn = await mysql.createConnection({
    host: "127.0.0.1",
    port: 47778,
    user: "app",
    password: process.env.DB_PASSWORD,
    database: process.env.DB_NAME,
  });
  const [rows] = await conn.query("select 1 as ok");
  console.log(rows);
  await conn.end();
}

main();
JS
if $have_maria; then
    DB_PASSWORD=wrong DB_NAME=shop run mysql2-access-denied "$app" node mysql.js
    DB_PASSWORD=secret DB_NAME=inventory wrap mysql2-bad-db-timestamped "$app" stamp node mysql.js
fi

# ---------------------------------------------------------------------------- ports taken
cat > "$app/fastify.js" <<'JS'
const fastify = require("fastify")({ logger: true });

fastify.get("/", async () => ({ ok: true }));

const port = Number(process.env.PORT || 3000);
fastify.listen({ port, host: process.env.HOST || "127.0.0.1" }).then(() => {
  fastify.log.info(`api ready on ${port}`);
});
JS
PORT=47780 run fastify-port-in-use "$app" node fastify.js
cat > "$app/koa.js" <<'JS'
const Koa = require("koa");

const app = new Koa();
app.use(async (ctx) => {
  ctx.body = "ok";
});
const port = Number(process.env.PORT || 3000);
console.log(`starting koa on port ${port}`);
app.listen(port);
JS
PORT=47780 wrap koa-port-in-use-compose "$app" compose node koa.js
cat > "$app/socket.js" <<'JS'
const { Server } = require("socket.io");

const io = new Server(Number(process.env.PORT || 3001));
io.on("connection", (socket) => socket.emit("hello"));
JS
PORT=47780 run socketio-port-in-use "$app" node socket.js

# ---------------------------------------------------------------------------- as nobody
mkdir -p "$work/var/log"
cat > "$app/logger.js" <<'JS'
const fs = require("fs");
const path = require("path");

const dir = process.env.LOG_DIR || "/var/log/api";
fs.mkdirSync(dir, { recursive: true });
fs.appendFileSync(path.join(dir, "api.log"), "started\n");
JS
chmod -R a+rX "$app"
nobody fastify-privileged-port "$app" "PORT=80 HOST=0.0.0.0 node fastify.js"
nobody mkdir-log-permission-denied "$app" "LOG_DIR=$work/var/log/api node logger.js"

# ---------------------------------------------------------------------------- modules, paths, env
mkdir -p "$work/esm"
cat > "$work/esm/package.json" <<'JSON'
{ "name": "esm-api", "version": "1.0.0", "type": "module" }
JSON
cat > "$work/esm/utils.js" <<'JS'
export const greet = (name) => `hello ${name}`;
JS
cat > "$work/esm/server.js" <<'JS'
import { greet } from "./utils";

console.log(greet("world"));
JS
run esm-import-without-extension "$work/esm" node server.js
mkdir -p "$app/src"
cat > "$app/src/index.ts" <<'TS'
interface Order {
  id: number;
  total: number
  items: string[]
}

const orders: Order[] = [];
export function add(order: Order {
  orders.push(order);
}
TS
run tsx-syntax-error "$app" npx tsx src/index.ts
mkdir -p "$work/tsnode/src"
cat > "$work/tsnode/package.json" <<'JSON'
{ "name": "ts-api", "version": "1.0.0", "scripts": { "start": "ts-node src/server.ts" } }
JSON
cat > "$work/tsnode/tsconfig.json" <<'JSON'
{ "compilerOptions": { "strict": true, "module": "commonjs", "target": "es2020" } }
JSON
cat > "$work/tsnode/src/server.ts" <<'TS'
const port: number = process.env.PORT || 3000;

console.log(`listening on ${port}`);
TS
# ts-node 10 with the TypeScript 5 it was written for: the type error itself.
(cd "$work/tsnode" && npm install ts-node typescript@5 @types/node >/dev/null 2>&1)
run ts-node-type-error "$work/tsnode" npm start
# ts-node 10 beside the TypeScript 7 npm installs today (its peer range says >=2.7).
cat > "$app/src/hello.ts" <<'TS'
const greeting: string = "hello";
console.log(greeting);
TS
run ts-node-typescript7 "$app" "$app/node_modules/.bin/ts-node" src/hello.ts
cat > "$app/config.js" <<'JS'
const fs = require("fs");

const config = JSON.parse(fs.readFileSync("config/production.json", "utf8"));
console.log(`connecting to ${config.database.host}`);
JS
run config-json-missing "$app" node config.js
mkdir -p "$work/billing"
cat > "$work/billing/package.json" <<'JSON'
{ "name": "billing", "version": "1.0.0", "scripts": { "start": "node server.js" } }
JSON
cat > "$work/billing/server.js" <<'JS'
const required = ["DATABASE_URL", "STRIPE_SECRET_KEY"];
for (const name of required) {
  if (!process.env[name]) {
    throw new Error(`Missing env ${name}`);
  }
}
console.log("billing up");
JS
DATABASE_URL=postgres://app:secret@db/app run npm-start-missing-env "$work/billing" npm start
# A project that never installed dotenv (no node_modules here or above).
mkdir -p "$work/plain"
cat > "$work/plain/server.js" <<'JS'
console.log(`port ${process.env.PORT}`);
JS
run node-preload-dotenv-missing "$work/plain" node -r dotenv/config server.js
run node-env-file-missing "$work/plain" node --env-file=.env server.js
mkdir -p "$work/nolock"
cat > "$work/nolock/package.json" <<'JSON'
{ "name": "nolock", "version": "1.0.0", "dependencies": { "ms": "^2.1.3" } }
JSON
run npm-ci-no-lockfile "$work/nolock" npm ci
mkdir -p "$work/empty"
run npm-start-no-package-json "$work/empty" npm start
run pnpm-frozen-lockfile-missing "$work/nolock" "$app/node_modules/.bin/pnpm" install --frozen-lockfile

echo "captured into $here"
