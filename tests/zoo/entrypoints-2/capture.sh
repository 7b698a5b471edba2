#!/bin/sh
# Regenerates the captures of this folder by running the init shims, privilege droppers and wait
# loops that container entrypoints wrap services in, failing on this machine:
#   tini 0.19 (as PID 1 in a new PID namespace, as docker's --init runs it): a start script
#     without its exec bit, one never written, a gunicorn never installed (timestamped); with -v
#     out of a PID namespace (its not-PID-1 warning first): a child exiting 3 and a python3 child
#     dying of a real segmentation fault;
#   dumb-init 1.2: a start script without its exec bit (compose prefix), a uwsgi never
#     installed, and with --verbose a child killed by SIGKILL (its own status 137 last);
#   gosu 1.14, setpriv and runuser dropping to nobody: a celery not on PATH (gosu), a uvicorn not
#     on PATH (setpriv), redis-server's --dir in a root-owned 0700 directory (gosu), its
#     --logfile there (setpriv: the path never named), `set -e` stopping at a `mkdir -p` (setpriv
#     + dash) and at a `cd` (runuser + bash) into that directory;
#   start-stop-daemon --start: an --exec binary never installed, a script without its exec bit
#     under --chuid nobody;
#   wait loops ended by `timeout 2` (exit 124): `nc -z -v` refused, `nc -z` quiet (only the
#     loop's own words and the 124: no port named), pg_isready's `no response` (timestamped),
#     `redis-cli ping` refused (compose prefix), `mysqladmin ping` (the loop names host:port,
#     mariadb's client never says the port), bash's /dev/tcp refused, `curl -f` on a health URL
#     refused; and on hosts that do not resolve: `nc -z -v db 5432` (compose prefix), `redis-cli
#     -h redis` (timestamped), `mysqladmin -h mysql`;
#   an entrypoint ending in `exec "$@"` handed a php-fpm never installed (under tini, compose
#     prefix);
#   envsubst leaving an unset variable empty: nginx's `listen ;` and `proxy_pass http://:8080`
#     at file:line, redis-server's `port` with no argument (redis never names its config file);
#   supervisord 4 running `sh -c` commands: a script without its exec bit (exit status 126), a
#     celery not installed (127, compose prefix), and a 127 whose words went to the program's
#     own log file (the main log says only the exit status).
# Needs: apt-get install -y --no-install-recommends tini dumb-init gosu netcat-openbsd (installed
# here if missing), and already on this machine: util-linux (setpriv, runuser, unshare), dpkg's
# start-stop-daemon, coreutils timeout, gettext-base (envsubst), postgresql-client (pg_isready),
# redis-server + redis-tools, mariadb-client (mysqladmin), nginx, curl; supervisor is
# pip-installed into /tmp/zoo-entrypoints-2/venv (made from Debian's python3 if missing). Runs
# as root; the as-nobody cases drop through gosu, setpriv, runuser and start-stop-daemon
# --chuid (no `su`: the droppers themselves are the cases). Runs with PATH set to the system's
# own (no pyenv or venv shims: what a container's PATH finds).
# Ports: 48050-48099 only: nothing may listen on 48051-48056 (the wait loops' targets, checked
# before they run); nginx would listen on 48060, redis-server on 48061-48063. Nothing is left
# listening: each server here fails before it binds.
# Work directory: /tmp/zoo-entrypoints-2/srv (removed at start and at exit; the venv is kept).
# Wrapped in noise: compose-style prefixes (tini-missing-script-compose,
# dumb-init-not-executable-compose, redis-cli-wait-refused-compose,
# nc-wait-unresolvable-compose, tini-exec-args-not-installed-compose,
# supervisord-sh-127-compose), a log shipper's timestamps (tini-missing-binary-timestamps,
# pg-isready-wait-timestamps, redis-cli-wait-unresolvable-timestamps), wait loops' own words and
# a wrapper's `exited with code N`, and supervisord's own log lines.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
base=/tmp/zoo-entrypoints-2
work=$base/srv
venv=$base/venv
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
unset NGINX_PORT API_HOST REDIS_PORT 2>/dev/null || true

need=
for pair in tini:tini dumb-init:dumb-init gosu:gosu nc:netcat-openbsd; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || need="$need ${pair#*:}"
done
if [ -n "$need" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $need >/dev/null
fi
if [ ! -x "$venv/bin/supervisord" ]; then
    rm -rf "$venv"
    /usr/bin/python3 -m venv "$venv"
    "$venv/bin/pip" install -q supervisor
fi

mkdir -p "$base"
chmod 755 "$base"
rm -rf "$work"
svpid=
cleanup() {
    if [ -n "$svpid" ]; then kill "$svpid" 2>/dev/null || true; wait "$svpid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
mkdir -p "$work"
chmod 755 "$work"
cd "$work"

. "$here/../lib.sh"  # stamp, wait_port
prefix() { sed "s/^/$1  | /"; }
# closed PORT...: stop unless nothing listens there (the wait loops must meet a closed port).
closed() {
    for port in "$@"; do
        if ss -ltnH "sport = :$port" | grep -q .; then
            echo "something listens on 127.0.0.1:$port: cannot capture its case"; exit 1
        fi
    done
}
# wrapper NAME COMMAND...: run it, then say its exit status the way a process manager does.
wrapper() {
    name=$1; shift
    rc=0; "$@" 2>&1 || rc=$?
    echo "$name exited with code $rc"
}
# pid1 COMMAND...: run it as PID 1 of a new PID namespace, the way a container's init runs.
pid1() { unshare --pid --fork --mount-proc "$@"; }

# The scripts the shims start. start.sh is committed without its exec bit.
mkdir -p app
cat > app/start.sh <<'EOF'
#!/bin/sh
echo "starting web"
exec python3 -m http.server 48060 --bind 127.0.0.1
EOF
chmod 0644 app/start.sh
cd app

# ---------------------------------------------------------------------------- tini
# As PID 1: start.sh without its exec bit; a script never written; a gunicorn never installed.
pid1 tini -- ./start.sh > "$here/tini-not-executable.log" 2>&1 || true
pid1 tini -- ./run.sh 2>&1 | prefix web-1 > "$here/tini-missing-script-compose.log" || true
pid1 tini -- gunicorn --bind 127.0.0.1:48060 app:app 2>&1 | stamp > "$here/tini-missing-binary-timestamps.log" || true

# Out of a PID namespace (tini warns it is not PID 1), -v: a child exiting with status 3
# after its own words, and a python3 child that really segfaults (ctypes reading address 0).
cat > migrate.sh <<'EOF'
#!/bin/sh
echo "applying migrations"
echo "migration 0007_add_index: nothing to do"
echo "migration 0008_backfill: 3 rows could not be updated"
exit 3
EOF
chmod 0755 migrate.sh
tini -v -- ./migrate.sh > "$here/tini-child-exit-status.log" 2>&1 || true
tini -v -- python3 -c 'import ctypes; print("worker ready", flush=True); ctypes.string_at(0)' > "$here/tini-child-segfault.log" 2>&1 || true

# ---------------------------------------------------------------------------- dumb-init
dumb-init ./start.sh 2>&1 | prefix web-1 > "$here/dumb-init-not-executable-compose.log" || true
dumb-init uwsgi --http 127.0.0.1:48060 --module app:app > "$here/dumb-init-missing-binary.log" 2>&1 || true
# --verbose: the child is killed by SIGKILL (it kills itself, as an out-of-memory killer would).
cat > worker.sh <<'EOF'
#!/bin/sh
echo "worker: processing queue"
kill -KILL $$
EOF
chmod 0755 worker.sh
dumb-init --verbose ./worker.sh > "$here/dumb-init-child-killed.log" 2>&1 || true

# ---------------------------------------------------------------------------- dropping to nobody
# A data directory root made and kept 0700 for itself.
mkdir -p "$work/data"
chmod 0700 "$work/data"
gosu nobody celery -A proj worker --loglevel=info > "$here/gosu-command-not-in-path.log" 2>&1 || true
setpriv --reuid=nobody --regid=nogroup --init-groups uvicorn app:app --port 48060 > "$here/setpriv-missing-binary.log" 2>&1 || true
gosu nobody redis-server --bind 127.0.0.1 --port 48061 --dir "$work/data/redis" > "$here/gosu-redis-dir-permission-denied.log" 2>&1 || true
setpriv --reuid=nobody --regid=nogroup --init-groups redis-server --bind 127.0.0.1 --port 48062 --logfile "$work/data/redis.log" 2>&1 | stamp > "$here/setpriv-redis-logfile-permission-denied.log" || true
cat > init-dirs.sh <<EOF
#!/bin/sh
set -e
echo "preparing directories"
mkdir -p $work/data/uploads $work/data/cache
echo "directories ready"
exec python3 -m http.server 48060 --bind 127.0.0.1
EOF
chmod 0755 init-dirs.sh
setpriv --reuid=nobody --regid=nogroup --init-groups ./init-dirs.sh > "$here/setpriv-mkdir-permission-denied.log" 2>&1 || true
cat > enter.sh <<EOF
#!/bin/bash
set -e
echo "entering data directory"
cd $work/data
echo "serving from \$PWD"
exec python3 -m http.server 48060 --bind 127.0.0.1
EOF
chmod 0755 enter.sh
runuser -u nobody -- ./enter.sh > "$here/runuser-cd-permission-denied.log" 2>&1 || true

# ---------------------------------------------------------------------------- start-stop-daemon
start-stop-daemon --start --pidfile "$work/myapp.pid" --exec /usr/local/bin/myapp -- --serve > "$here/start-stop-daemon-missing-exec.log" 2>&1 || true
start-stop-daemon --start --chuid nobody --exec "$work/app/start.sh" > "$here/start-stop-daemon-not-executable.log" 2>&1 || true

# ---------------------------------------------------------------------------- wait loops
closed 48051 48052 48053 48054 48055 48056
# wait-for-db.sh: polls with nc -z -v until timeout 2 ends it (exit 124).
cat > wait-nc.sh <<'EOF'
#!/bin/sh
host=$1 port=$2
echo "waiting for $host:$port"
timeout 2 sh -c 'until nc -z -v "$0" "$1"; do sleep 0.5; done' "$host" "$port"
EOF
cat > wait-quiet.sh <<'EOF'
#!/bin/sh
echo "waiting for postgres..."
if ! timeout 2 sh -c 'until nc -z 127.0.0.1 48051; do echo "postgres is unavailable - sleeping"; sleep 0.5; done'; then
    echo "wait-for: timeout after 2 seconds"
    exit 124
fi
EOF
cat > wait-pg.sh <<'EOF'
#!/bin/sh
timeout 2 sh -c 'until pg_isready -h 127.0.0.1 -p 48052; do sleep 0.5; done'
EOF
cat > wait-redis.sh <<'EOF'
#!/bin/sh
host=$1 port=$2
timeout 2 sh -c 'until redis-cli -h "$0" -p "$1" ping; do echo "redis not ready"; sleep 0.5; done' "$host" "$port"
EOF
cat > wait-mysql.sh <<'EOF'
#!/bin/sh
host=$1 port=$2
timeout 2 sh -c 'until mysqladmin --protocol=tcp -h "$0" -P "$1" --connect-timeout=1 ping; do echo "Waiting for MySQL at $0:$1..."; sleep 0.5; done' "$host" "$port"
EOF
cat > wait-tcp.sh <<'EOF'
#!/bin/bash
echo "waiting for the api on 127.0.0.1:48055"
timeout 2 bash -c 'until </dev/tcp/127.0.0.1/48055; do sleep 0.5; done'
EOF
cat > wait-health.sh <<'EOF'
#!/bin/sh
timeout 2 sh -c 'until curl -fsS http://127.0.0.1:48056/health; do echo "backend not healthy yet"; sleep 0.5; done'
EOF
chmod 0755 wait-*.sh

wrapper wait-for-db ./wait-nc.sh 127.0.0.1 48051 > "$here/nc-wait-refused.log"
wrapper wait-for-db ./wait-quiet.sh > "$here/nc-wait-quiet-timeout.log"
wrapper wait-for-db ./wait-pg.sh | stamp > "$here/pg-isready-wait-timestamps.log"
wrapper wait-for-redis ./wait-redis.sh 127.0.0.1 48053 | prefix worker-1 > "$here/redis-cli-wait-refused-compose.log"
wrapper wait-for-mysql ./wait-mysql.sh 127.0.0.1 48054 > "$here/mysqladmin-wait-refused.log"
wrapper wait-for-api ./wait-tcp.sh > "$here/bash-dev-tcp-wait-refused.log"
wrapper healthcheck ./wait-health.sh > "$here/curl-health-wait-refused.log"
# Hosts that do not resolve here: compose service names.
wrapper wait-for-db ./wait-nc.sh db 5432 | prefix web-1 > "$here/nc-wait-unresolvable-compose.log"
wrapper wait-for-redis ./wait-redis.sh redis 6379 | stamp > "$here/redis-cli-wait-unresolvable-timestamps.log"
wrapper wait-for-mysql ./wait-mysql.sh mysql 3306 > "$here/mysqladmin-wait-unresolvable.log"

# ---------------------------------------------------------------------------- exec "$@"
cat > docker-entrypoint.sh <<'EOF'
#!/bin/bash
set -euo pipefail
if [ "${1#-}" != "$1" ]; then
    set -- php-fpm "$@"
fi
echo "docker-entrypoint: configuring the application"
echo "docker-entrypoint: starting $1"
exec "$@"
EOF
chmod 0755 docker-entrypoint.sh
pid1 tini -- ./docker-entrypoint.sh php-fpm -F 2>&1 | prefix app-1 > "$here/tini-exec-args-not-installed-compose.log" || true

# ---------------------------------------------------------------------------- envsubst
mkdir -p "$work/nginx/templates" "$work/nginx/conf.d" "$work/nginx/logs"
cat > "$work/nginx/templates/default.conf.template" <<EOF
pid $work/nginx/nginx.pid;
error_log stderr;
events {}
http {
    access_log off;
    server {
        listen \${NGINX_PORT};
        server_name localhost;
        location / { proxy_pass http://127.0.0.1:48059; }
    }
}
EOF
cat > "$work/nginx/templates/proxy.conf.template" <<EOF
pid $work/nginx/nginx.pid;
error_log stderr;
events {}
http {
    access_log off;
    server {
        listen 127.0.0.1:48060;
        location / { proxy_pass http://\${API_HOST}:8080; }
    }
}
EOF
cat > nginx-entrypoint.sh <<EOF
#!/bin/sh
set -e
t=$work/nginx/templates/\$1.conf.template
out=$work/nginx/conf.d/\$1.conf
echo "\$0: Running envsubst on \$t to \$out"
envsubst < "\$t" > "\$out"
echo "\$0: Configuration complete; ready for start up"
exec nginx -p $work/nginx -c "\$out" -g 'daemon off;'
EOF
chmod 0755 nginx-entrypoint.sh
./nginx-entrypoint.sh default > "$here/envsubst-nginx-listen-empty.log" 2>&1 || true
./nginx-entrypoint.sh proxy > "$here/envsubst-nginx-upstream-empty.log" 2>&1 || true

mkdir -p "$work/redis"
cat > "$work/redis/redis.conf.template" <<'EOF'
port ${REDIS_PORT}
bind 127.0.0.1
protected-mode yes
appendonly no
EOF
cat > redis-entrypoint.sh <<EOF
#!/bin/sh
set -e
envsubst < $work/redis/redis.conf.template > $work/redis/redis.conf
exec redis-server $work/redis/redis.conf
EOF
chmod 0755 redis-entrypoint.sh
timeout 20 ./redis-entrypoint.sh > "$here/envsubst-redis-port-empty.log" 2>&1 || true

# ---------------------------------------------------------------------------- supervisord
# supervisor_run NAME COMMAND CHILD_LOG: supervisord -n running one program whose `sh -c`
# command fails; its output until the program is FATAL (15 s at most).
supervisor_run() {
    d=$work/sv-$1
    mkdir -p "$d"
    cat > "$d/supervisord.conf" <<EOF
[supervisord]
nodaemon=true
logfile=/dev/null
logfile_maxbytes=0
pidfile=$d/supervisord.pid
user=root

[program:$1]
command=$2
directory=$work/app
autorestart=true
startsecs=3
startretries=1
stdout_logfile=$3
stdout_logfile_maxbytes=0
redirect_stderr=true
EOF
    : > "$d/out"
    "$venv/bin/supervisord" -c "$d/supervisord.conf" >> "$d/out" 2>&1 &
    svpid=$!
    i=0
    while [ $i -lt 60 ] && ! grep -q 'gave up' "$d/out"; do sleep 0.25; i=$((i + 1)); done
    kill "$svpid" 2>/dev/null || true
    wait "$svpid" 2>/dev/null || true
    svpid=
    cat "$d/out"
}
cat > celery-worker.sh <<'EOF'
#!/bin/sh
exec celery -A proj worker
EOF
chmod 0644 celery-worker.sh
supervisor_run worker "sh -c ./celery-worker.sh" /dev/stdout > "$here/supervisord-sh-126.log"
supervisor_run celery "sh -c 'celery -A proj worker --loglevel=info'" /dev/stdout | prefix app-1 > "$here/supervisord-sh-127-compose.log"
supervisor_run beat "sh -c 'celery -A proj beat'" "$work/beat.log" > "$here/supervisord-exit-127-only.log"
