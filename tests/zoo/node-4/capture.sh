#!/bin/sh
# Regenerates the captures of this folder by running real Node services and tools failing on
# this machine: the prisma CLI fetching its engines from a PRISMA_ENGINES_MIRROR that does not
# resolve (`npm run db:deploy`) and one on a closed port (compose prefix); sequelize, knex and
# typeorm without their driver package (`pg`, `mysql2`; the typeorm one timestamped); typeorm
# refused on a closed mysql port (compose prefix), its CLI `migration:run` refused under
# `npm run` and pointed at a data-source file never written; @hapi/hapi on a port a helper holds
# (compose prefix), on port 80 as `nobody`, and with an invalid route config under a shell
# entrypoint that says the exit code; ws on a port a helper holds (timestamped) and on 443 as
# `nobody`; http-server on a port a helper holds; bullmq refused by a closed redis port and bull
# (compose prefix) on an unresolvable `redis`; kafkajs refused and (under pm2-runtime) on an
# unresolvable `kafka` broker; amqplib refused under nodemon; the mongodb driver on a
# `mongodb+srv://` cluster whose SRV record does not resolve; the legacy mysql driver refused
# (timestamped); nats and mqtt refused; tsx under nodemon importing a package never installed,
# tsx under `npm run dev` importing a local module never written, ts-node on an import of a
# package never installed (TS2307); esbuild on an entry point that does not exist;
# sequelize-cli and the knex CLI run where no config / knexfile was written, the knex CLI where
# the project has no knex of its own; pm2-runtime on an ecosystem file that does not exist.
# Needs: node 20 + npm (npm installs into the work dir: prisma@6 sequelize sequelize-cli knex
# typeorm reflect-metadata pg mysql2 mysql @hapi/hapi ws http-server bullmq bull kafkajs amqplib
# mongodb nats mqtt tsx ts-node typescript@5 @types/node esbuild nodemon pm2; a second project
# with sequelize knex typeorm reflect-metadata only, no driver); `su nobody`.
# Ports: 47950-47999 only. Closed (nothing listens): 47951 postgres, 47952 mysql (typeorm),
# 47953 redis, 47954 kafka, 47955 amqp, 47956 mysql (legacy driver), 47957 nats, 47958 mqtt,
# 47959 the prisma engines mirror; 47961 hapi (it fails before it binds). A helper holds 47980
# (the port-in-use cases). Ports 80 and 443 as `nobody`, refused before anything binds.
# Work directory: /tmp/zoo-node-4 (removed at start and at exit); PM2_HOME inside it.
# Wrapped in noise: prisma-mirror-refused-compose, typeorm-mysql-refused-compose,
# hapi-port-in-use-compose, bull-unresolvable-compose (compose-style prefixes);
# typeorm-pg-not-installed-timestamped, ws-port-in-use-timestamped,
# mysql-legacy-refused-timestamped (a timestamping `while read` loop); prisma-mirror-unresolvable-npm,
# typeorm-cli-refused-npm, tsx-missing-local-npm (npm's `> app@1.0.0 SCRIPT` header);
# amqplib-refused-nodemon, tsx-missing-package-nodemon (nodemon's lines); kafkajs-unresolvable-pm2,
# pm2-runtime-ecosystem-missing (pm2-runtime's timestamped lines); hapi-invalid-route-entrypoint
# (a shell entrypoint saying the exit code).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
command -v node >/dev/null && command -v npm >/dev/null || { echo "no node/npm: skipping"; exit 0; }
work=/tmp/zoo-node-4
rm -rf "$work"
holder_pid=
cleanup() {
    if [ -n "$holder_pid" ]; then
        kill "$holder_pid" 2>/dev/null || true
        wait "$holder_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
mkdir -p "$work"
chmod 755 "$work"
unset DATABASE_URL REDIS_URL REDIS_HOST REDIS_PORT KAFKA_BROKER AMQP_URL MONGODB_URI NATS_URL \
    MQTT_URL PORT NODE_OPTIONS PRISMA_ENGINES_MIRROR 2>/dev/null || true
export NO_COLOR=1 FORCE_COLOR=0 npm_config_update_notifier=false npm_config_fund=false \
    npm_config_audit=false PM2_HOME="$work/pm2home"

. "$here/../lib.sh"  # stamp, wait_port
for port in 47951 47952 47953 47954 47955 47956 47957 47958 47959 47961 47980; do
    if ss -ltnH "sport = :$port" | grep -q .; then echo "port $port is taken: stopping"; exit 1; fi
done
run() {  # run NAME DIR SECONDS COMMAND...: capture COMMAND run in DIR, bounded by timeout
    name=$1 dir=$2 secs=$3; shift 3
    (cd "$dir" && timeout "$secs" "$@") > "$here/$name.log" 2>&1 || true
}
wrap() {  # wrap NAME DIR FILTER COMMAND...: as run (60 s), the output piped through FILTER
    name=$1 dir=$2 filter=$3; shift 3
    (cd "$dir" && timeout 60 "$@" 2>&1 | $filter) > "$here/$name.log" 2>&1 || true
}
nobody() {  # nobody NAME DIR COMMAND: capture the shell COMMAND run as nobody in DIR
    (cd "$2" && timeout 60 su nobody -s /bin/sh -c "$3") > "$here/$1.log" 2>&1 || true
}
compose_api() { sed 's/^/api_1  | /'; }
compose_web() { sed 's/^/web-1  | /'; }
compose_migrate() { sed 's/^/migrate-1  | /'; }
compose_worker() { sed 's/^/worker_1  | /'; }

app=$work/app
bare=$work/bare
cli=$work/cli
mkdir -p "$app/src" "$app/db/migrations" "$bare" "$cli/migrations"
cd "$app"
npm init -y >/dev/null
npm install prisma@6 sequelize sequelize-cli knex typeorm reflect-metadata pg mysql2 mysql \
    @hapi/hapi ws http-server bullmq bull kafkajs amqplib mongodb nats mqtt tsx ts-node \
    typescript@5 @types/node esbuild nodemon pm2 >/dev/null 2>&1
npm pkg set scripts.db:deploy="prisma migrate deploy" \
    scripts.migration:run="typeorm migration:run -d data-source.js" \
    scripts.dev="tsx src/worker.ts"
cd "$bare"
npm init -y >/dev/null
npm install sequelize knex typeorm reflect-metadata >/dev/null 2>&1
cd "$work"
bin=$app/node_modules/.bin

# Something else holds 47980 on every IPv4 address.
node -e 'require("net").createServer().listen(47980, "0.0.0.0")' &
holder_pid=$!
wait_port 47980

# ---------------------------------------------------------------------------- prisma
mkdir -p "$app/prisma"
cat > "$app/prisma/schema.prisma" <<'PRISMA'
datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

generator client {
  provider = "prisma-client-js"
}

model User {
  id    Int    @id @default(autoincrement())
  email String @unique
}
PRISMA
# The CLI must fetch its schema engine first; the mirror it is told to use does not resolve.
PRISMA_ENGINES_MIRROR=https://prisma-mirror.corp.internal \
    DATABASE_URL=postgresql://app:secret@127.0.0.1:47951/app \
    run prisma-mirror-unresolvable-npm "$app" 60 npm run db:deploy
# The mirror is a closed port on this machine.
PRISMA_ENGINES_MIRROR=http://127.0.0.1:47959 \
    wrap prisma-mirror-refused-compose "$app" compose_migrate "$bin/prisma" generate

# ---------------------------------------------------------------------------- ORMs, no driver
cat > "$bare/db.js" <<'JS'
const { Sequelize } = require("sequelize");

const sequelize = new Sequelize(process.env.DATABASE_URL, { logging: false });

sequelize.authenticate().then(() => console.log("database connection ok"));
JS
DATABASE_URL=postgres://app:secret@127.0.0.1:47951/app \
    run sequelize-pg-not-installed "$bare" 30 node db.js
cat > "$bare/knexfile.js" <<'JS'
module.exports = {
  client: "mysql2",
  connection: process.env.DATABASE_URL,
};
JS
cat > "$bare/query.js" <<'JS'
const knex = require("knex")(require("./knexfile"));

knex.raw("select 1").then(() => {
  console.log("database connection ok");
  return knex.destroy();
});
JS
DATABASE_URL=mysql://app:secret@127.0.0.1:47952/shop \
    run knex-mysql2-not-installed "$bare" 30 node query.js
cat > "$bare/orm.js" <<'JS'
require("reflect-metadata");
const { DataSource } = require("typeorm");

const dataSource = new DataSource({ type: "postgres", url: process.env.DATABASE_URL });
dataSource.initialize().then(() => console.log("data source initialized"));
JS
DATABASE_URL=postgres://app:secret@127.0.0.1:47951/app \
    wrap typeorm-pg-not-installed-timestamped "$bare" stamp node orm.js

# ---------------------------------------------------------------------------- typeorm
cat > "$app/orm.js" <<'JS'
require("reflect-metadata");
const { DataSource } = require("typeorm");

const dataSource = new DataSource({ type: "mysql", url: process.env.DATABASE_URL });
dataSource.initialize().then(() => console.log("data source initialized"));
JS
DATABASE_URL=mysql://app:secret@127.0.0.1:47952/shop \
    wrap typeorm-mysql-refused-compose "$app" compose_api node orm.js
cat > "$app/data-source.js" <<'JS'
require("reflect-metadata");
const { DataSource } = require("typeorm");

module.exports.AppDataSource = new DataSource({
  type: "postgres",
  url: process.env.DATABASE_URL,
  migrations: ["migrations/*.js"],
});
JS
DATABASE_URL=postgres://app:secret@127.0.0.1:47951/app \
    run typeorm-cli-refused-npm "$app" 60 npm run migration:run
# src/data-source.ts was never written.
run typeorm-cli-data-source-missing "$app" 60 "$bin/typeorm" migration:run -d src/data-source.ts

# ---------------------------------------------------------------------------- hapi, ws, http-server
cat > "$app/hapi.js" <<'JS'
const Hapi = require("@hapi/hapi");

const init = async () => {
  const server = Hapi.server({ port: process.env.PORT || 3000, host: "127.0.0.1" });
  server.route({ method: "GET", path: "/", handler: () => "ok" });
  await server.start();
  console.log("Server running on %s", server.info.uri);
};

process.on("unhandledRejection", (err) => {
  console.log(err);
  process.exit(1);
});

init();
JS
PORT=47980 wrap hapi-port-in-use-compose "$app" compose_web node hapi.js
nobody hapi-privileged-port "$app" "PORT=80 node hapi.js"
cat > "$app/routes.js" <<'JS'
const Hapi = require("@hapi/hapi");

const init = async () => {
  const server = Hapi.server({ port: 47961, host: "127.0.0.1" });
  server.route({
    method: "GET",
    path: "/users/{id}",
    options: { handler: () => "ok", validate: { params: "id" } },
  });
  await server.start();
  console.log("Server running on %s", server.info.uri);
};

init();
JS
cat > "$app/entrypoint.sh" <<'SH'
#!/bin/sh
echo "starting api"
node routes.js
status=$?
echo "api exited with code $status"
exit $status
SH
chmod +x "$app/entrypoint.sh"
run hapi-invalid-route-entrypoint "$app" 30 ./entrypoint.sh
cat > "$app/ws.js" <<'JS'
const { WebSocketServer } = require("ws");

const wss = new WebSocketServer({ port: Number(process.env.PORT), host: "127.0.0.1" });
wss.on("listening", () => console.log(`websocket server listening on ${process.env.PORT}`));
wss.on("connection", (socket) => socket.send("hello"));
JS
PORT=47980 wrap ws-port-in-use-timestamped "$app" stamp node ws.js
nobody ws-privileged-port "$app" "PORT=443 node ws.js"
mkdir -p "$app/public"
echo '<h1>ok</h1>' > "$app/public/index.html"
run http-server-port-in-use "$app" 20 "$bin/http-server" public -a 127.0.0.1 -p 47980

# ---------------------------------------------------------------------------- queues and brokers
cat > "$app/mailer.js" <<'JS'
const { Worker } = require("bullmq");

const connection = { host: process.env.REDIS_HOST, port: Number(process.env.REDIS_PORT) };
const worker = new Worker("emails", async (job) => console.log("sending", job.id), { connection });
worker.on("ready", () => console.log("worker ready"));
console.log("email worker started");
JS
REDIS_HOST=127.0.0.1 REDIS_PORT=47953 run bullmq-refused "$app" 4 node mailer.js
cat > "$app/queue.js" <<'JS'
const Queue = require("bull");

const queue = new Queue("emails", process.env.REDIS_URL);
queue.on("error", (err) => console.error("queue error:", err.message));
queue.process(async (job) => console.log("sending", job.id));
console.log("emails worker waiting for jobs");
JS
(cd "$app" && REDIS_URL=redis://redis:6379 timeout 4 node queue.js 2>&1 | compose_worker) \
    > "$here/bull-unresolvable-compose.log" 2>&1 || true
cat > "$app/producer.js" <<'JS'
const { Kafka } = require("kafkajs");

const kafka = new Kafka({
  clientId: "orders",
  brokers: [process.env.KAFKA_BROKER],
  retry: { retries: 2 },
});
const producer = kafka.producer();

(async () => {
  await producer.connect();
  console.log("producer connected");
})();
JS
KAFKA_BROKER=127.0.0.1:47954 run kafkajs-refused "$app" 60 node producer.js
# Under pm2-runtime the unhandled rejection is logged and the app stays up: timeout ends it.
KAFKA_BROKER=kafka:9092 KAFKAJS_NO_PARTITIONER_WARNING=1 \
    run kafkajs-unresolvable-pm2 "$app" 8 "$bin/pm2-runtime" start producer.js --name orders
cat > "$app/consumer.js" <<'JS'
const amqp = require("amqplib");

(async () => {
  const connection = await amqp.connect(process.env.AMQP_URL);
  const channel = await connection.createChannel();
  await channel.assertQueue("orders");
  console.log("consuming orders");
})();
JS
AMQP_URL=amqp://guest:guest@127.0.0.1:47955 \
    run amqplib-refused-nodemon "$app" 6 "$bin/nodemon" consumer.js
cat > "$app/atlas.js" <<'JS'
const { MongoClient } = require("mongodb");

const client = new MongoClient(process.env.MONGODB_URI);
client.connect().then(() => console.log("connected to the cluster"));
JS
MONGODB_URI='mongodb+srv://app:secret@cluster0.x7k2p.mongodb.net/shop?retryWrites=true&w=majority' \
    run mongodb-srv-unresolvable "$app" 40 node atlas.js
cat > "$app/legacy.js" <<'JS'
const mysql = require("mysql");

const connection = mysql.createConnection({
  host: "127.0.0.1",
  port: 47956,
  user: "app",
  password: "secret",
  database: "shop",
});

connection.connect((err) => {
  if (err) throw err;
  console.log("connected as id " + connection.threadId);
});
JS
wrap mysql-legacy-refused-timestamped "$app" stamp node legacy.js
cat > "$app/events.js" <<'JS'
const { connect } = require("nats");

(async () => {
  const nc = await connect({ servers: process.env.NATS_URL });
  console.log(`connected to ${nc.getServer()}`);
})();
JS
NATS_URL=nats://127.0.0.1:47957 run nats-refused "$app" 30 node events.js
cat > "$app/telemetry.js" <<'JS'
const mqtt = require("mqtt");

const client = mqtt.connect(process.env.MQTT_URL, { reconnectPeriod: 1000 });
client.on("connect", () => console.log("mqtt connected"));
client.on("reconnect", () => console.log("mqtt reconnecting"));
client.on("error", (err) => console.error("mqtt error:", err));
JS
MQTT_URL=mqtt://127.0.0.1:47958 run mqtt-refused "$app" 3 node telemetry.js

# ---------------------------------------------------------------------------- TypeScript runners
cat > "$app/tsconfig.json" <<'JSON'
{
  "compilerOptions": {
    "target": "ES2022",
    "module": "commonjs",
    "esModuleInterop": true,
    "strict": true
  }
}
JSON
# express is not installed.
cat > "$app/src/server.ts" <<'TS'
import express from "express";

const app = express();
app.get("/", (_req, res) => res.send("ok"));
app.listen(Number(process.env.PORT ?? 3000));
TS
run tsx-missing-package-nodemon "$app" 6 "$bin/nodemon" --exec tsx src/server.ts
# src/config/load.ts was never written.
cat > "$app/src/worker.ts" <<'TS'
import { loadConfig } from "./config/load";

const config = loadConfig();
console.log(`worker for ${config.queue}`);
TS
run tsx-missing-local-npm "$app" 30 npm run dev
# zod is not installed.
cat > "$app/src/env.ts" <<'TS'
import { z } from "zod";

const Env = z.object({ DATABASE_URL: z.string().url() });
export const env = Env.parse(process.env);
console.log("environment ok");
TS
run ts-node-missing-package "$app" 60 "$bin/ts-node" src/env.ts
# src/index.ts was never written.
run esbuild-entry-missing "$app" 30 "$bin/esbuild" src/index.ts --bundle --platform=node \
    --outfile=dist/index.js

# ---------------------------------------------------------------------------- CLIs without config
# $cli holds a migrations folder, but no config/config.json, knexfile or ecosystem file, and no
# node_modules: the knex CLI finds no knex of the project's own there.
run sequelize-cli-config-missing "$cli" 30 "$bin/sequelize" db:migrate
run knex-cli-no-local-knex "$cli" 30 "$bin/knex" migrate:latest
# $app/db: knex resolves from the app's node_modules, but no knexfile was written.
run knex-cli-no-knexfile "$app/db" 30 "$bin/knex" migrate:latest
run pm2-runtime-ecosystem-missing "$cli" 20 "$bin/pm2-runtime" start ecosystem.config.js

echo "captured $(ls "$here"/*.log | wc -l) logs"
