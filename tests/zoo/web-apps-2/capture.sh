#!/bin/sh
# Regenerates the captures of this folder by running real web frameworks and dev servers failing
# on this machine. Python: sanic (port taken, postgres refused in a before_server_start hook),
# tornado (port taken, `os.environ[...]` behind a compose prefix), aiohttp.web (port taken, redis
# refused in on_startup, timestamped), quart under hypercorn (a missing variable, postgres refused
# in before_serving under honcho), bottle on port 80 as `nobody`, plotly dash on a port taken
# (timestamped), litestar with redis refused in on_startup under uvicorn, falcon under waitress (a
# missing package) and gunicorn (port taken, compose prefix), celery beat with a schedule file in
# a root-owned directory as `nobody`, daphne on a Django project without its asgi module, uvicorn
# `--workers 2` on a port taken, uvicorn `--factory` whose factory imports a missing package.
# Node: webpack-dev-server on a port taken, astro 4 with an integration not installed, SvelteKit
# (vite 5) with an adapter not installed, fastify registering a plugin not installed (compose
# prefix), @hono/node-server on a port taken under concurrently, koa requiring @koa/router not
# installed, `node --watch` on a server that crashes at start, tsc on a syntax error and (under
# `npm run build`, under a wrapper saying the exit code) a type error, `npx --offline` of a package not in an empty npm cache, an
# express-generator app started without `npm install`, `require` in an ES module and `import` in
# a CommonJS file (under a wrapper saying the exit code).
# Needs: Debian's python3 (3.11) with venv; pip installs into a venv under the work dir (sanic
# tornado aiohttp quart hypercorn bottle dash litestar uvicorn falcon waitress gunicorn celery
# daphne django redis asyncpg honcho); node 20 + npm (npm installs webpack@5 webpack-cli@5
# webpack-dev-server@5 fastify@4 hono @hono/node-server koa typescript@5 express-generator
# concurrently@8; astro@4; @sveltejs/kit@2 svelte@4 vite@5 @sveltejs/vite-plugin-svelte@3, each
# into its own folder of the work dir); `su nobody`. A part whose tool is missing is skipped.
# Ports: 47850-47899. Closed (nothing listens): 47851 redis, 47852 postgres. A helper holds
# 47850 (the port-in-use cases); servers that do start use 47853-47860.
# Work directory: /tmp/zoo-web-apps-2 (removed at start and at exit).
# Wrapped in noise: tornado-missing-env-compose, falcon-gunicorn-port-in-use-compose,
# fastify-plugin-missing-compose (a compose-style `web_1  | ` prefix);
# aiohttp-redis-refused-timestamped, dash-port-in-use-timestamped (lib.sh `stamp`);
# quart-postgres-refused-honcho (honcho's prefixes); hono-port-in-use-concurrently
# (concurrently's prefix); tsc-type-error-npm, express-generator-no-install (npm's `> NAME build`
# header); npx-offline-not-cached (npm's `npm error` block).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
work=/tmp/zoo-web-apps-2
rm -rf "$work"
holder_pid=
. "$here/../lib.sh"  # stamp, wait_port, stop
cleanup() {
    stop "$holder_pid"
    rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work"
chmod 755 "$work"
export PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 NO_COLOR=1 FORCE_COLOR=0 \
    npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
unset REDIS_URL DATABASE_URL COOKIE_SECRET QUART_SECRET_KEY NODE_OPTIONS 2>/dev/null || true

run() {  # run NAME DIR COMMAND...: capture COMMAND run in DIR, bounded by timeout
    name=$1 dir=$2; shift 2
    (cd "$dir" && timeout 60 "$@") > "$here/$name.log" 2>&1 || true
}
compose() { sed 's/^/web_1  | /'; }
wrap() {  # wrap NAME DIR FILTER COMMAND...: as run, with the output piped through FILTER
    name=$1 dir=$2 filter=$3; shift 3
    (cd "$dir" && timeout 60 "$@" 2>&1 | $filter) > "$here/$name.log" 2>&1 || true
}
nobody() {  # nobody NAME DIR COMMAND: capture the shell COMMAND run as nobody in DIR
    (cd "$2" && timeout 60 su nobody -s /bin/sh -c "$3") > "$here/$1.log" 2>&1 || true
}
status() {  # status NAME DIR COMMAND...: as run, under a wrapper saying the exit code
    name=$1 dir=$2; shift 2
    (cd "$dir" && timeout 60 sh -c '"$@"; echo "app exited with code $?"' sh "$@") \
        > "$here/$name.log" 2>&1 || true
}

# Something else holds 47850 on every address.
$py -c 'import socket, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 47850))
s.listen()
time.sleep(3600)' &
holder_pid=$!
wait_port 47850

# ============================================================================ Python
if [ -x "$py" ]; then
$py -m venv "$work/venv" >/dev/null
bin=$work/venv/bin
"$bin/pip" install -q sanic tornado aiohttp quart hypercorn bottle dash litestar uvicorn falcon \
    waitress gunicorn celery daphne django redis asyncpg honcho >/dev/null 2>&1
app=$work/py
mkdir -p "$app"

# ---------------------------------------------------------------------------- sanic
cat > "$app/sanic_app.py" <<'PY'
import os

from sanic import Sanic
from sanic.response import text

app = Sanic("shop")

if os.environ.get("DATABASE_URL"):
    import asyncpg

    @app.before_server_start
    async def connect_db(app, loop):
        app.ctx.db = await asyncpg.create_pool(os.environ["DATABASE_URL"])


@app.get("/")
async def index(request):
    return text("ok")
PY
run sanic-port-in-use "$app" "$bin/sanic" sanic_app:app --host 127.0.0.1 --port 47850 --single-process
DATABASE_URL=postgresql://app:secret@127.0.0.1:47852/shop run sanic-postgres-refused "$app" \
    "$bin/sanic" sanic_app:app --host 127.0.0.1 --port 47853 --single-process

# ---------------------------------------------------------------------------- tornado
cat > "$app/tornado_app.py" <<'PY'
import os

import tornado.ioloop
import tornado.web


class MainHandler(tornado.web.RequestHandler):
    def get(self):
        self.write("ok")


def make_app():
    return tornado.web.Application([(r"/", MainHandler)], cookie_secret=os.environ["COOKIE_SECRET"])


if __name__ == "__main__":
    app = make_app()
    port = int(os.environ.get("PORT", "8888"))
    app.listen(port, address="127.0.0.1")
    print(f"listening on 127.0.0.1:{port}", flush=True)
    tornado.ioloop.IOLoop.current().start()
PY
COOKIE_SECRET=s3cret PORT=47850 run tornado-port-in-use "$app" "$bin/python" tornado_app.py
PORT=47854 wrap tornado-missing-env-compose "$app" compose "$bin/python" tornado_app.py

# ---------------------------------------------------------------------------- aiohttp.web
cat > "$app/aiohttp_app.py" <<'PY'
import os

from aiohttp import web


async def index(request):
    return web.Response(text="ok")


async def connect_redis(app):
    import redis.asyncio as redis

    app["redis"] = redis.from_url(os.environ["REDIS_URL"])
    await app["redis"].ping()


app = web.Application()
app.router.add_get("/", index)
if os.environ.get("REDIS_URL"):
    app.on_startup.append(connect_redis)

if __name__ == "__main__":
    web.run_app(app, host="127.0.0.1", port=int(os.environ.get("PORT", "8080")))
PY
PORT=47850 run aiohttp-port-in-use "$app" "$bin/python" aiohttp_app.py
REDIS_URL=redis://127.0.0.1:47851/0 PORT=47855 wrap aiohttp-redis-refused-timestamped "$app" stamp \
    "$bin/python" aiohttp_app.py

# ---------------------------------------------------------------------------- quart / hypercorn
cat > "$app/quart_app.py" <<'PY'
import os

from quart import Quart

app = Quart(__name__)
app.secret_key = os.environ["QUART_SECRET_KEY"]


@app.before_serving
async def connect_db():
    if os.environ.get("DATABASE_URL"):
        import asyncpg

        app.db = await asyncpg.create_pool(os.environ["DATABASE_URL"])


@app.get("/")
async def index():
    return "ok"
PY
run quart-hypercorn-missing-env "$app" "$bin/hypercorn" quart_app:app --bind 127.0.0.1:47856
printf 'web: %s quart_app:app --bind 127.0.0.1:47856\n' "$bin/hypercorn" > "$app/Procfile"
# hypercorn may stay up without its lifespan: stopped after 20 seconds.
(cd "$app" && QUART_SECRET_KEY=s3cret DATABASE_URL=postgresql://app:secret@127.0.0.1:47852/shop \
    timeout 20 "$bin/honcho" start) > "$here/quart-postgres-refused-honcho.log" 2>&1 || true

# ---------------------------------------------------------------------------- bottle as nobody
cat > "$app/bottle_app.py" <<'PY'
from bottle import route, run


@route("/")
def index():
    return "ok"


run(host="0.0.0.0", port=80)
PY
chmod -R a+rX "$app"
nobody bottle-privileged-port "$app" "$bin/python bottle_app.py"

# ---------------------------------------------------------------------------- dash
cat > "$app/dash_app.py" <<'PY'
from dash import Dash, html

app = Dash(__name__)
app.layout = html.Div([html.H1("Sales")])

if __name__ == "__main__":
    app.run(host="127.0.0.1", port=47850, debug=False)
PY
wrap dash-port-in-use-timestamped "$app" stamp "$bin/python" dash_app.py

# ---------------------------------------------------------------------------- litestar
cat > "$app/litestar_app.py" <<'PY'
import os

import redis.asyncio as redis
from litestar import Litestar, get


@get("/")
async def index() -> str:
    return "ok"


async def connect_cache(app: Litestar) -> None:
    app.state.cache = redis.from_url(os.environ.get("REDIS_URL", "redis://127.0.0.1:47851/0"))
    await app.state.cache.ping()


app = Litestar(route_handlers=[index], on_startup=[connect_cache])
PY
run litestar-redis-refused "$app" "$bin/uvicorn" litestar_app:app --host 127.0.0.1 --port 47857

# ---------------------------------------------------------------------------- falcon
cat > "$app/falcon_api.py" <<'PY'
import falcon
from falcon_cors import CORS


class Health:
    def on_get(self, req, resp):
        resp.media = {"ok": True}


def create_app():
    cors = CORS(allow_all_origins=True)
    app = falcon.App(middleware=[cors.middleware])
    app.add_route("/health", Health())
    return app
PY
run falcon-waitress-missing-module "$app" "$bin/waitress-serve" --listen=127.0.0.1:47858 \
    --call falcon_api:create_app
cat > "$app/falcon_wsgi.py" <<'PY'
import falcon


class Health:
    def on_get(self, req, resp):
        resp.media = {"ok": True}


app = falcon.App()
app.add_route("/health", Health())
PY
wrap falcon-gunicorn-port-in-use-compose "$app" compose "$bin/gunicorn" -b 127.0.0.1:47850 falcon_wsgi:app

# ---------------------------------------------------------------------------- celery beat as nobody
cat > "$app/tasks.py" <<'PY'
from celery import Celery

app = Celery("tasks", broker="memory://")
app.conf.beat_schedule = {"nightly-report": {"task": "tasks.report", "schedule": 3600.0}}


@app.task
def report():
    return "done"
PY
mkdir -p "$work/var/run"
chmod -R a+rX "$app"
nobody celery-beat-schedule-permission-denied "$app" \
    "$bin/celery -A tasks beat --loglevel INFO -s $work/var/run/celerybeat-schedule"

# ---------------------------------------------------------------------------- daphne / django
(cd "$app" && "$bin/django-admin" startproject mysite >/dev/null 2>&1)
# The project predates Django 3.0: there is a wsgi.py, but no asgi.py.
rm -f "$app/mysite/mysite/asgi.py"
DJANGO_SETTINGS_MODULE=mysite.settings run daphne-asgi-module-missing "$app/mysite" \
    "$bin/daphne" -b 127.0.0.1 -p 47859 mysite.asgi:application

# ---------------------------------------------------------------------------- uvicorn
cat > "$app/asgi_main.py" <<'PY'
async def app(scope, receive, send):
    if scope["type"] == "http":
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


def create_app():
    from prometheus_client import make_asgi_app

    metrics = make_asgi_app()
    return metrics
PY
run uvicorn-workers-port-in-use "$app" "$bin/uvicorn" asgi_main:app --workers 2 --host 127.0.0.1 --port 47850
run uvicorn-factory-missing-module "$app" "$bin/uvicorn" --factory asgi_main:create_app --host 127.0.0.1 --port 47860
else
echo "no /usr/bin/python3: skipping the Python part"
fi

# ============================================================================ Node
if command -v node >/dev/null && command -v npm >/dev/null; then
nd=$work/node
mkdir -p "$nd"
(cd "$nd" && npm init -y >/dev/null && npm install webpack@5 webpack-cli@5 webpack-dev-server@5 \
    fastify@4 hono @hono/node-server koa typescript@5 express-generator concurrently@8 >/dev/null 2>&1)
nbin=$nd/node_modules/.bin
# Projects that must not find those packages live outside $nd.
apps=$work/apps
mkdir -p "$apps"

# ---------------------------------------------------------------------------- webpack-dev-server
mkdir -p "$nd/web/src"
echo 'document.body.textContent = "ok";' > "$nd/web/src/index.js"
cat > "$nd/web/webpack.config.js" <<'JS'
module.exports = {
  mode: "development",
  entry: "./src/index.js",
  devServer: { host: "127.0.0.1", port: 47850 },
};
JS
run webpack-dev-server-port-in-use "$nd/web" "$nbin/webpack" serve

# ---------------------------------------------------------------------------- astro 4
mkdir -p "$work/astro" && (cd "$work/astro" && npm init -y >/dev/null && npm install astro@4 >/dev/null 2>&1)
mkdir -p "$work/astro/src/pages"
printf -- '---\n---\n<h1>Hello</h1>\n' > "$work/astro/src/pages/index.astro"
cat > "$work/astro/astro.config.mjs" <<'JS'
import { defineConfig } from "astro/config";
import react from "@astrojs/react";

export default defineConfig({ integrations: [react()] });
JS
ASTRO_TELEMETRY_DISABLED=1 run astro-missing-integration "$work/astro" "$work/astro/node_modules/.bin/astro" dev --port 47853

# ---------------------------------------------------------------------------- sveltekit
kit=$work/kit
mkdir -p "$kit" && (cd "$kit" && npm init -y >/dev/null && npm pkg set type=module && \
    npm install @sveltejs/kit@2 svelte@4 vite@5 @sveltejs/vite-plugin-svelte@3 >/dev/null 2>&1)
mkdir -p "$kit/src/routes"
echo '<h1>Hello</h1>' > "$kit/src/routes/+page.svelte"
cat > "$kit/src/app.html" <<'HTML'
<!doctype html>
<html><head>%sveltekit.head%</head><body><div>%sveltekit.body%</div></body></html>
HTML
cat > "$kit/svelte.config.js" <<'JS'
import adapter from "@sveltejs/adapter-node";

export default { kit: { adapter: adapter() } };
JS
cat > "$kit/vite.config.js" <<'JS'
import { sveltekit } from "@sveltejs/kit/vite";
import { defineConfig } from "vite";

export default defineConfig({ plugins: [sveltekit()], server: { port: 47854, strictPort: true } });
JS
run sveltekit-missing-adapter "$kit" "$kit/node_modules/.bin/vite" dev

# ---------------------------------------------------------------------------- fastify, hono, koa
mkdir -p "$apps/fastify"
cat > "$apps/fastify/server.js" <<'JS'
const fastify = require("fastify")({ logger: true });

fastify.register(require("@fastify/cors"), { origin: true });
fastify.get("/health", async () => ({ ok: true }));
fastify.listen({ host: "127.0.0.1", port: 47855 });
JS
# fastify itself is installed in $nd; the plugin never was.
NODE_PATH=$nd/node_modules wrap fastify-plugin-missing-compose "$apps/fastify" compose node server.js
mkdir -p "$nd/hono"
cat > "$nd/hono/server.js" <<'JS'
const { Hono } = require("hono");
const { serve } = require("@hono/node-server");

const app = new Hono();
app.get("/", (c) => c.text("ok"));
serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 47850 }, (info) => {
  console.log(`listening on http://127.0.0.1:${info.port}`);
});
JS
run hono-port-in-use-concurrently "$nd/hono" "$nbin/concurrently" -n api,worker \
    "node server.js" "node -e \"setTimeout(() => {}, 3000)\""
mkdir -p "$nd/koa"
cat > "$nd/koa/server.js" <<'JS'
const Koa = require("koa");
const Router = require("@koa/router");

const app = new Koa();
const router = new Router();
router.get("/health", (ctx) => { ctx.body = { ok: true }; });
app.use(router.routes()).listen(47856);
JS
run koa-router-missing "$nd/koa" node server.js

# ---------------------------------------------------------------------------- node --watch
mkdir -p "$apps/watch"
cat > "$apps/watch/server.js" <<'JS'
const http = require("http");

const [host, port] = process.env.REDIS_URL.split(":");
http.createServer((req, res) => res.end("ok")).listen(47857, () => console.log(host, port));
JS
# --watch keeps waiting for a change after the crash: stopped after 8 seconds.
(cd "$apps/watch" && timeout 8 node --watch server.js) > "$here/node-watch-crash.log" 2>&1 || true

# ---------------------------------------------------------------------------- tsc
mkdir -p "$nd/ts/src"
cat > "$nd/ts/tsconfig.json" <<'JSON'
{ "compilerOptions": { "target": "es2022", "module": "commonjs", "strict": true, "outDir": "dist" }, "include": ["src"] }
JSON
cat > "$nd/ts/src/index.ts" <<'TS'
interface Order {
  id: number;
  total: number;
}

export function describe(order: Order): string {
  const parts = [order.id, order.total];
  return parts.map((p) => p.toFixed(2).join(", ");
}
TS
run tsc-syntax-error "$nd/ts" "$nbin/tsc" -p .
cat > "$nd/ts/src/index.ts" <<'TS'
interface Order {
  id: number;
  total: number;
}

export function parseOrder(raw: string): Order {
  const data = JSON.parse(raw);
  const order: Order = { id: data.id, total: String(data.total) };
  return order;
}
TS
printf '{ "name": "orders", "version": "1.0.0", "scripts": { "build": "tsc -p ." } }\n' > "$nd/ts/package.json"
# npm 11 prints no error block for a failed script: a wrapper says the exit code.
status tsc-type-error-npm "$nd/ts" npm run build

# ---------------------------------------------------------------------------- npx, express-generator
mkdir -p "$apps/npx" "$work/empty-cache"
run npx-offline-not-cached "$apps/npx" npx --offline --cache "$work/empty-cache" cowsay hello
(cd "$apps" && "$nbin/express" --no-view shop >/dev/null 2>&1)
run express-generator-no-install "$apps/shop" npm start

# ---------------------------------------------------------------------------- ESM / CJS
mkdir -p "$apps/esm" "$apps/cjs"
printf '{ "name": "api", "version": "1.0.0", "type": "module" }\n' > "$apps/esm/package.json"
cat > "$apps/esm/server.js" <<'JS'
const http = require("http");

http.createServer((req, res) => res.end("ok")).listen(47858);
JS
status esm-require-not-defined "$apps/esm" node server.js
# "type": "commonjs", as npm 11's `npm init` writes: Node 20 does not reparse the file as ESM.
printf '{ "name": "api", "version": "1.0.0", "type": "commonjs" }\n' > "$apps/cjs/package.json"
cat > "$apps/cjs/server.js" <<'JS'
import http from "http";

http.createServer((req, res) => res.end("ok")).listen(47859);
JS
status cjs-import-statement "$apps/cjs" node server.js
else
echo "no node/npm: skipping the Node part"
fi

echo "captured into $here"
