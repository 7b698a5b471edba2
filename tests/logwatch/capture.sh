#!/usr/bin/env bash
# Regenerates the captured logs beside this script: real servers, run here, their output kept as
# it came. Needs network access to PyPI (uvicorn, gunicorn), node, and PostgreSQL's binaries
# (as root, postgres runs as the postgres user). Run: bash tests/logwatch/capture.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
chmod 755 "$work"  # postgres runs as its own user: it must reach its data folder
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q uvicorn==0.32.1 gunicorn==23.0.0
cat > "$work/app.py" <<'PY'
async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while (message := await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})
PY
capture() {  # NAME SECONDS COMMAND...: run it, keep what it printed in its first SECONDS
    local name="$1" seconds="$2"; shift 2
    (cd "$work" && exec "$@") > "$here/$name.log" 2>&1 &
    sleep "$seconds"; kill "$!" 2>/dev/null || true; wait "$!" 2>/dev/null || true
}
capture uvicorn 3 "$work/venv/bin/uvicorn" app:app --port 48101
capture gunicorn-uvicorn-workers 4 "$work/venv/bin/gunicorn" -w 4 -k uvicorn.workers.UvicornWorker -b 127.0.0.1:48102 app:app
capture node-inspect 2 node --inspect=127.0.0.1:48103 -e "require('http').createServer((q, s) => s.end('ok')).listen(48104, () => console.log('listening on port 48104'))"
bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
as=(); [ "$(id -u)" = 0 ] && as=(runuser -u postgres --)
install -d -o "$( [ "$(id -u)" = 0 ] && echo postgres || id -un)" "$work/pg"
"${as[@]}" "$bin/initdb" -D "$work/pg/data" -U postgres --auth=trust >/dev/null
"${as[@]}" "$bin/postgres" -D "$work/pg/data" -p 48105 -k "$work/pg" -c listen_addresses=127.0.0.1 > "$here/postgres-client-asks-missing-db.log" 2>&1 &
sleep 3
"$bin/pg_isready" -h 127.0.0.1 -p 48105 -d app >/dev/null || true
"$bin/psql" -h 127.0.0.1 -p 48105 -U postgres -d app -c 'select 1' >/dev/null 2>&1 || true
sleep 1; kill %% 2>/dev/null || true; wait 2>/dev/null || true
