#!/bin/sh
# Regenerates the captures of this folder by running shell entrypoints as people ship them, under
# dash (Debian's sh), bash 5.2 and busybox ash, failing on this machine: a start script without
# its exec bit run as ./start.sh; a #! line saved with Windows line endings (bash 5.2's `cannot
# execute: required file not found`, dash's and ash's `not found`, env's `'bash\r'`); a #! line
# naming an interpreter that is not installed (an absolute /usr/local/bin/node, and python3.12
# through /usr/bin/env); `set -o pipefail` under dash; `set -u` and `${VAR:?must be set}` on
# variables nobody set; `cd` into a directory that does not exist; `exec gunicorn` where no
# gunicorn is installed; an entrypoint that says its port and then runs a server that cannot
# bind it (Debian's python3 http.server, busybox httpd: the error line names no port); and, as
# `nobody` (a container's `user:`), an entrypoint writing its log, its pid file or a run folder in
# a root-owned 0755 directory.
# Needs: dash, bash, busybox (apt install busybox), Debian's python3, `su nobody`. Runs with
# PATH set to the system's own (no pyenv or venv shims: what a container's PATH finds).
# Ports: 47650-47659 only, odd ones (a python3 helper holds 47651, then 47653).
# Work directory: /tmp/zoo-entrypoints (removed at start and at exit).
# Wrapped in noise: a compose-style `web_1  | ` prefix (busybox-not-executable-compose,
# dash-pipefail-compose, bash-required-variable-compose, busybox-exec-not-found-compose) and a
# log shipper's timestamps (busybox-unbound-variable-timestamps, bash-exec-not-found-timestamps).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=/tmp/zoo-entrypoints
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
command -v busybox >/dev/null || { echo "busybox not installed: skipping"; exit 0; }
rm -rf "$work"
holder=
cleanup() {
    if [ -n "$holder" ]; then kill "$holder" 2>/dev/null || true; wait "$holder" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
mkdir -p "$work"
chmod 755 "$work"
cd "$work"

. "$here/../lib.sh"  # stamp, wait_port
compose() { sed 's/^/web_1  | /'; }
# script NAME MODE: standard input becomes ./NAME with that mode.
script() { cat > "$1"; chmod "$2" "$1"; }
# hold PORT: a python3 helper listens on 127.0.0.1:PORT until unhold.
hold() {
    /usr/bin/python3 -c 'import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen()
time.sleep(60)' "$1" &
    holder=$!
    wait_port "$1"
    kill -0 "$holder" || { echo "the helper could not hold $1"; exit 1; }
}
unhold() { kill "$holder"; wait "$holder" 2>/dev/null || true; holder=; }

# ---------------------------------------------------------------------------- exec bit
# start.sh was committed without its exec bit (mode 0644); CMD runs it as ./start.sh.
script start.sh 644 <<'SH'
#!/bin/sh
echo "starting"
exec python3 app.py
SH
sh -c ./start.sh > "$here/dash-not-executable.log" 2>&1 || true
bash -c ./start.sh > "$here/bash-not-executable.log" 2>&1 || true
busybox sh -c ./start.sh 2>&1 | compose > "$here/busybox-not-executable-compose.log" || true

# ---------------------------------------------------------------------------- #! lines
# entrypoint.sh saved with Windows line endings: its #! line names "/bin/bash\r".
printf '#!/bin/bash\r\nset -e\r\necho "starting"\r\nexec python3 app.py\r\n' > entrypoint.sh
chmod 755 entrypoint.sh
bash -c ./entrypoint.sh > "$here/bash-crlf-shebang.log" 2>&1 || true
sh -c ./entrypoint.sh > "$here/dash-crlf-shebang.log" 2>&1 || true
# The same with `#!/usr/bin/env bash`: env is asked for "bash\r".
printf '#!/usr/bin/env bash\r\nset -e\r\necho "starting"\r\nexec python3 app.py\r\n' > run.sh
chmod 755 run.sh
sh -c ./run.sh > "$here/env-crlf-shebang.log" 2>&1 || true
# server.js names /usr/local/bin/node (the official node image's path); Debian's is /usr/bin/node.
script server.js 755 <<'JS'
#!/usr/local/bin/node
console.log("listening");
JS
bash -c ./server.js > "$here/bash-missing-interpreter.log" 2>&1 || true
# manage.py asks env for python3.12; Debian 12 has python3.11 only.
script manage.py 755 <<'PY'
#!/usr/bin/env python3.12
print("migrating")
PY
sh -c ./manage.py > "$here/env-missing-interpreter.log" 2>&1 || true

# ---------------------------------------------------------------------------- bash-isms under dash
# Line 3 is `set -o pipefail`, which dash 0.5.12 does not have.
script docker-entrypoint.sh 755 <<'SH'
#!/bin/sh
set -eu
set -o pipefail
echo "starting"
exec python3 app.py
SH
sh ./docker-entrypoint.sh > "$here/dash-pipefail.log" 2>&1 || true
sh ./docker-entrypoint.sh 2>&1 | compose > "$here/dash-pipefail-compose.log" || true

# ---------------------------------------------------------------------------- variables
# set -u, and line 4 reads DATABASE_URL, which no one set.
script migrate.sh 755 <<'SH'
#!/bin/sh
set -eu
echo "running migrations"
exec alembic -x "dburl=$DATABASE_URL" upgrade head
SH
bash ./migrate.sh > "$here/bash-unbound-variable.log" 2>&1 || true
sh ./migrate.sh > "$here/dash-unbound-variable.log" 2>&1 || true
busybox sh ./migrate.sh 2>&1 | stamp > "$here/busybox-unbound-variable-timestamps.log" || true
# Line 3 insists on SECRET_KEY with ${SECRET_KEY:?must be set}; it is not set.
script web.sh 755 <<'SH'
#!/bin/sh
echo "checking configuration"
: "${SECRET_KEY:?must be set}"
exec gunicorn app:app
SH
sh ./web.sh > "$here/dash-required-variable.log" 2>&1 || true
bash ./web.sh 2>&1 | compose > "$here/bash-required-variable-compose.log" || true

# ---------------------------------------------------------------------------- cd and exec
# Line 3 changes into /srv/app, the image's code directory, which does not exist here.
script cd.sh 755 <<'SH'
#!/bin/sh
set -e
cd /srv/app
exec python3 app.py
SH
sh ./cd.sh > "$here/dash-cd-missing.log" 2>&1 || true
bash ./cd.sh > "$here/bash-cd-missing.log" 2>&1 || true
busybox sh ./cd.sh > "$here/busybox-cd-missing.log" 2>&1 || true
# Line 4 execs gunicorn, which is not installed.
script serve.sh 755 <<'SH'
#!/bin/sh
set -e
echo "starting gunicorn"
exec gunicorn --bind 0.0.0.0:8000 app:app
SH
sh ./serve.sh > "$here/dash-exec-not-found.log" 2>&1 || true
bash ./serve.sh 2>&1 | stamp > "$here/bash-exec-not-found-timestamps.log" || true
busybox sh ./serve.sh 2>&1 | compose > "$here/busybox-exec-not-found-compose.log" || true

# ---------------------------------------------------------------------------- a port named above
# The entrypoint says the port, then Debian's python3 http.server fails to bind it: its
# traceback ends in `Address already in use` without the port.
script http.sh 755 <<'SH'
#!/bin/sh
set -e
PORT=${PORT:-47651}
echo "entrypoint: serving static files on port $PORT"
exec /usr/bin/python3 -m http.server "$PORT" --bind 127.0.0.1
SH
hold 47651
sh ./http.sh > "$here/python-port-in-use-announced.log" 2>&1 || true
unhold
# The same with busybox httpd (`httpd: bind: Address already in use`).
script httpd.sh 755 <<'SH'
#!/bin/sh
PORT=${PORT:-47653}
echo "entrypoint: httpd on 127.0.0.1:$PORT"
exec busybox httpd -f -p "127.0.0.1:$PORT" -h .
SH
hold 47653
busybox sh ./httpd.sh > "$here/busybox-httpd-port-in-use.log" 2>&1 || true
unhold

# ---------------------------------------------------------------------------- as nobody
# var/log is root's (0755); the entrypoints run as nobody.
mkdir -p var/log
chmod 755 var var/log
script log.sh 755 <<SH
#!/bin/sh
set -e
echo "logging to $work/var/log/app.log"
exec >>$work/var/log/app.log 2>&1
exec python3 app.py
SH
as_nobody() { su nobody -s /bin/sh -c "cd $work && timeout 30 $1"; }
as_nobody "sh ./log.sh" > "$here/dash-log-permission-denied.log" 2>&1 || true
as_nobody "bash ./log.sh" > "$here/bash-log-permission-denied.log" 2>&1 || true
script rundir.sh 755 <<SH
#!/bin/sh
set -e
mkdir -p $work/var/log/run
echo \$\$ > $work/var/log/run/app.pid
exec python3 app.py
SH
as_nobody "sh ./rundir.sh" > "$here/mkdir-permission-denied.log" 2>&1 || true

echo "captured into $here"
