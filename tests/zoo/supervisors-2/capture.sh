#!/bin/sh
# Regenerates the captures of this folder by running services under process supervisors and
# init tools other than supervisord, pm2 and honcho, failing for real on this machine:
# runit (runsv on a ./run without its exec bit, a worker reading an unset DATABASE_URL restarted
# every second, `sv up` on a service dir with no supervise/, `sv -w 4 check` whose ./check curl
# is refused by a service that never listens, svlogd on a log dir never created, redis-server on
# a port a helper holds under runsvdir (compose prefix), `chpst -e` of an env dir never written,
# `chpst -u nobody` redis-server on port 80, nginx without `daemon off;` restarted by runsv while
# its first master holds the port), s6 (s6-supervise on a dir with no ./run, a ./run exec'ing a
# gunicorn never installed, s6-svwait -U timing out on a worker refused by a closed redis port
# (timestamped), a finish script after `${SECRET_KEY:?}`, s6-log as nobody in a root-owned dir),
# daemontools (supervise restarting a Python syntax error (timestamped), supervise on a dir with
# no run), circus 0.19 (a watcher whose cmd is not installed, a watcher importing a module not
# installed (compose prefix), circusd's endpoint on a port a helper holds, a watcher as `nobody`
# on port 80, a redis-py worker with a wrong password against a real redis-server), monit 5.33
# in the foreground (`-I -c`: a start program never installed, a `check host` port test refused
# (compose prefix), a monitrc syntax error, a control file mode 0644 under an entrypoint saying
# the exit code, a start program on a port a helper holds), ruby-foreman 0.87 (a port a helper
# holds, no Procfile, sidekiq not installed, `-e` naming an env file never written, a segfault),
# Debian's `daemon --respawn` giving up on a missing config, `nohup` as `nobody` leaving a
# nohup.out that says port 80 was refused, an init script without start-stop-daemon whose pid
# file is in a root-owned dir.
# Needs: runit s6 daemontools monit daemon ruby-foreman (apt; monit's service stopped), nginx,
# php-cli, redis-server + redis-cli, curl, script (bsdutils), Debian's python3 with venv (pip
# installs circus and redis, only if missing, into /tmp/zoo-supervisors-2/venv), `su nobody`.
# A program that is missing skips its cases.
# Ports: 48250-48299 only. Helpers hold 48251 (redis under runsvdir), 48255 (circus endpoint),
# 48259 (php under monit), 48261 (php under foreman); a real redis-server with a password on
# 48262; nothing listens on 48252 (sv check), 48254 (s6 worker), 48260 (monit check host);
# nginx's own daemon takes 48253; 48263 and 48265 are named by binaries never installed;
# circusd's endpoints 48257/48258; 80 as `nobody`, refused before anything binds.
# Work directory: /tmp/zoo-supervisors-2/work (removed at start and at exit).
# Wrapped in noise: runit-redis-port-in-use-compose, circus-missing-module-compose,
# monit-host-port-refused-compose (compose-style prefixes), s6-svwait-refused-timestamps,
# daemontools-syntax-error-timestamps (lib.sh `stamp`), monit-control-file-mode-entrypoint (a
# shell entrypoint saying the exit code); foreman's and circusd's own prefixes and timestamps.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
base=/tmp/zoo-supervisors-2
work=$base/work
py=/usr/bin/python3
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
unset DATABASE_URL SECRET_KEY REDIS_URL PORT 2>/dev/null || true
rm -rf "$work"
holders=
bg=
cleanup() {
    for pid in $bg; do
        kill -HUP "$pid" 2>/dev/null || true
    done
    [ -d "$work/s6w/scan" ] && s6-svscanctl -t "$work/s6w/scan" 2>/dev/null || true
    [ -f "$work/ng/nginx.pid" ] && kill "$(cat "$work/ng/nginx.pid")" 2>/dev/null || true
    for pid in $holders $bg; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    sleep 0.5
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
mkdir -p "$work"
chmod 755 "$base" "$work"
export PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1

. "$here/../lib.sh"  # stamp, wait_port
compose() { sed "s/^/$1  | /"; }
has() { command -v "$1" >/dev/null 2>&1 || { echo "$1 not installed: skipping its cases"; return 1; }; }
run() {  # run NAME DIR SECONDS COMMAND...: capture COMMAND run in DIR, bounded by timeout
    name=$1 dir=$2 secs=$3; shift 3
    (cd "$dir" && timeout "$secs" "$@") > "$here/$name.log" 2>&1 || true
}
hold() {  # hold PORT: a python3 helper listens on 127.0.0.1:PORT
    $py -c 'import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen()
time.sleep(600)' "$1" &
    holders="$holders $!"
    wait_port "$1"
}
svc() {  # svc DIR BODY: a service dir DIR whose ./run is `#!/bin/sh`, `exec 2>&1`, BODY
    mkdir -p "$1"
    printf '#!/bin/sh\nexec 2>&1\n%s\n' "$2" > "$1/run"
    chmod 755 "$1/run"
}

# The venv for circus and the redis-py workers, built once.
venv=$base/venv
if [ ! -f "$venv/.built" ]; then
    rm -rf "$venv"
    if $py -m venv "$venv" >/dev/null 2>&1 && "$venv/bin/pip" install -q circus redis >/dev/null 2>&1; then
        touch "$venv/.built"
    else
        echo "the circus venv could not be built"
    fi
fi
have_venv=false; [ -f "$venv/.built" ] && have_venv=true

hold 48251
hold 48255
hold 48259
hold 48261

# ---------------------------------------------------------------------------- runit
if has runsv && has sv && has chpst; then
    r=$work/runit
    mkdir -p "$r"
    # The run script was copied in without its exec bit.
    svc "$r/web" "exec $py -m http.server 48264 --bind 127.0.0.1"
    chmod 644 "$r/web/run"
    run runit-run-not-executable "$r" 4 runsv web
    # The worker reads DATABASE_URL, which nothing sets; runsv restarts it every second.
    cat > "$r/worker.py" <<'PY'
import os

DATABASE_URL = os.environ["DATABASE_URL"]
print(f"worker: connecting to {DATABASE_URL}")
PY
    svc "$r/worker" "exec $py $r/worker.py"
    run runit-missing-env-restart-loop "$r" 3.5 runsv worker
    # `sv up` on a service dir that no runsv ever ran: there is no supervise/ in it.
    svc "$r/api" "exec $py -m http.server 48264 --bind 127.0.0.1"
    run runit-sv-up-no-supervise "$r" 10 sv up ./api
    # The service warms a cache and never listens; its ./check curls the health URL.
    mkdir -p "$r/sd"
    svc "$r/sd/app" "echo \"app: warming cache before listening on 48252\"
exec sleep 600"
    printf '#!/bin/sh\nexec curl -fsS -o /dev/null http://127.0.0.1:48252/health\n' > "$r/sd/app/check"
    chmod 755 "$r/sd/app/check"
    runsvdir -P "$r/sd" > "$r/sd.out" 2>&1 &
    rsd=$!
    bg="$bg $rsd"
    sleep 1.5
    run runit-sv-check-timeout "$r/sd" 20 sv -w 4 check ./app
    kill -HUP "$rsd" 2>/dev/null || true
    wait "$rsd" 2>/dev/null || true
    # The log service's svlogd writes to a log dir never created.
    svc "$r/cron" "echo \"cron: running\"
exec sleep 600"
    mkdir -p "$r/cron/log"
    printf '#!/bin/sh\nexec svlogd -tt %s/var/log/cron\n' "$r" > "$r/cron/log/run"
    chmod 755 "$r/cron/log/run"
    mkdir -p "$r/var/log"
    run runit-svlogd-missing-dir "$r" 3.5 runsv cron
    # redis-server on a port a helper holds, under runsvdir, behind a compose prefix.
    if has redis-server; then
        mkdir -p "$r/rsd"
        svc "$r/rsd/redis" "exec redis-server --port 48251 --bind 127.0.0.1 --save '' --appendonly no"
        runsvdir -P "$r/rsd" > "$r/rsd.out" 2>&1 &
        rsd=$!
        bg="$bg $rsd"
        sleep 3.5
        kill -HUP "$rsd" 2>/dev/null || true
        wait "$rsd" 2>/dev/null || true
        compose cache-1 < "$r/rsd.out" > "$here/runit-redis-port-in-use-compose.log"
        # chpst -u nobody: redis-server on port 80.
        svc "$r/cache" "exec chpst -u nobody redis-server --port 80 --bind 127.0.0.1 --save '' --appendonly no --dir /tmp"
        run runit-chpst-nobody-privileged-port "$r" 3.5 runsv cache
    fi
    # chpst -e names an env dir never written (the image has only env.example/).
    mkdir -p "$r/env.example"
    echo "postgres://app@127.0.0.1:5432/app" > "$r/env.example/DATABASE_URL"
    svc "$r/jobs" "cd $r
exec chpst -e ./env $py $r/worker.py"
    run runit-chpst-envdir-missing "$r" 3.5 runsv jobs
    # nginx without `daemon off;`: its master goes to the background, runsv restarts run.
    if has nginx; then
        mkdir -p "$work/ng/conf" "$work/ng/logs"
        cat > "$work/ng/conf/nginx.conf" <<CONF
pid $work/ng/nginx.pid;
error_log stderr;
events {}
http {
    access_log off;
    server {
        listen 127.0.0.1:48253;
        location / { return 200 "ok"; }
    }
}
CONF
        svc "$r/nginx" "exec nginx -p $work/ng -c conf/nginx.conf"
        run runit-nginx-daemonized "$r" 3.5 runsv nginx
        [ -f "$work/ng/nginx.pid" ] && kill "$(cat "$work/ng/nginx.pid")" 2>/dev/null || true
        sleep 0.5
    fi
fi

# ---------------------------------------------------------------------------- s6
if has s6-supervise && has s6-svscan; then
    s=$work/s6
    mkdir -p "$s/web"
    # The service dir was made, its run script never written.
    run s6-run-missing "$s" 3 s6-supervise web
    svc "$s/api" "exec gunicorn --bind 127.0.0.1:48263 app:app"
    run s6-gunicorn-not-found "$s" 3.5 s6-supervise api
    # The finish script says how run ended; run needs SECRET_KEY, which nothing sets.
    printf 'import sys\n\nprint("app: secret key of", len(sys.argv[1]), "bytes")\n' > "$s/app.py"
    svc "$s/app" "echo \"app: starting\"
exec $py $s/app.py \"\${SECRET_KEY:?}\""
    printf '#!/bin/sh\necho "app: run exited $1 (signal $2)"\n' > "$s/app/finish"
    chmod 755 "$s/app/finish"
    run s6-finish-missing-env "$s" 3.5 s6-supervise app
    # s6-log as nobody creating its log dir in a root-owned 0755 dir.
    mkdir -p "$s/var/log"
    chmod 755 "$s" "$s/var" "$s/var/log"
    (cd "$s" && echo "app: starting" | timeout 5 s6-setuidgid nobody s6-log t "$s/var/log/app") \
        > "$here/s6-log-permission-denied.log" 2>&1 || true
    # s6-svwait -U on a worker that notifies readiness only once redis answers: it is refused.
    if $have_venv; then
        w=$work/s6w
        mkdir -p "$w/scan"
        cat > "$w/worker.py" <<'PY'
import os

import redis

r = redis.Redis.from_url(os.environ.get("REDIS_URL", "redis://127.0.0.1:48254/0"))
r.ping()
os.write(3, b"\n")
r.blpop("jobs")
PY
        svc "$w/scan/worker" "exec $venv/bin/python $w/worker.py"
        echo 3 > "$w/scan/worker/notification-fd"
        : > "$w/out"
        s6-svscan "$w/scan" >> "$w/out" 2>&1 &
        bg="$bg $!"
        sleep 0.5
        timeout 10 s6-svwait -U -t 4000 "$w/scan/worker" >> "$w/out" 2>&1 || true
        s6-svscanctl -t "$w/scan" 2>/dev/null || true
        sleep 1
        stamp < "$w/out" > "$here/s6-svwait-refused-timestamps.log"
    fi
fi

# ---------------------------------------------------------------------------- daemontools
if [ -x /usr/bin/supervise ] && has svstat; then
    d=$work/dt
    mkdir -p "$d/app"
    # app.py's line 5 lost its comma (Python reports line 6).
    cat > "$d/app/app.py" <<'PY'
import json

SETTINGS = {
    "workers": 4,
    "queue": "default"
    "timeout": 30,
}
print(json.dumps(SETTINGS))
PY
    svc "$d/app" "exec $py app.py"
    (cd "$d" && timeout 3.5 /usr/bin/supervise app 2>&1 | stamp) \
        > "$here/daemontools-syntax-error-timestamps.log" 2>&1 || true
    mkdir -p "$d/web"
    run daemontools-run-missing "$d" 3 /usr/bin/supervise web
fi

# ---------------------------------------------------------------------------- circus
if $have_venv; then
    c=$work/circus
    mkdir -p "$c"
    circus_ini() {  # circus_ini FILE WATCHER: a circusd config with one watcher section
        cat > "$1" <<INI
[circus]
endpoint = tcp://127.0.0.1:48257
pubsub_endpoint = tcp://127.0.0.1:48258
statsd = false
check_delay = 1

[watcher:$2]
working_dir = $c
numprocesses = 1
stdout_stream.class = StdoutStream
stderr_stream.class = StdoutStream
INI
    }
    circus_ini "$c/missing.ini" web
    echo "cmd = uvicorn --host 127.0.0.1 --port 48265 main:app" >> "$c/missing.ini"
    run circus-cmd-missing "$c" 5 "$venv/bin/circusd" missing.ini
    cat > "$c/tasks.py" <<'PY'
from celery import Celery

app = Celery("tasks", broker="redis://127.0.0.1:48262/0")


@app.task
def send_receipt(order_id):
    return order_id


if __name__ == "__main__":
    app.worker_main(["worker", "--loglevel=info"])
PY
    circus_ini "$c/module.ini" worker
    echo "cmd = $venv/bin/python tasks.py" >> "$c/module.ini"
    (cd "$c" && timeout 5 "$venv/bin/circusd" module.ini 2>&1 | compose worker-1) \
        > "$here/circus-missing-module-compose.log" 2>&1 || true
    # The endpoint is a port a helper holds.
    cat > "$c/endpoint.ini" <<'INI'
[circus]
endpoint = tcp://127.0.0.1:48255
pubsub_endpoint = tcp://127.0.0.1:48256
statsd = false

[watcher:web]
cmd = /usr/bin/php -S 127.0.0.1:48264 -t /tmp
INI
    run circus-endpoint-port-in-use "$c" 8 "$venv/bin/circusd" endpoint.ini
    circus_ini "$c/nobody.ini" web
    printf 'cmd = /usr/bin/php -S 127.0.0.1:80 -t %s\nuid = nobody\ngid = nogroup\n' "$c" >> "$c/nobody.ini"
    has php && run circus-nobody-privileged-port "$c" 3.5 "$venv/bin/circusd" nobody.ini
    if has redis-server; then
        redis-server --port 48262 --bind 127.0.0.1 --save '' --appendonly no \
            --requirepass s3cret-prod-7 > "$c/redis.out" 2>&1 &
        holders="$holders $!"
        wait_port 48262
        # The worker's default URL still carries the password of the dev compose file.
        cat > "$c/worker.py" <<'PY'
import os

import redis

r = redis.Redis.from_url(os.environ.get("REDIS_URL", "redis://:changeme@127.0.0.1:48262/0"))
r.ping()
print("worker: connected, waiting for jobs")
r.blpop("jobs")
PY
        circus_ini "$c/auth.ini" worker
        echo "cmd = $venv/bin/python worker.py" >> "$c/auth.ini"
        run circus-redis-wrong-password "$c" 3 "$venv/bin/circusd" auth.ini
    fi
fi

# ---------------------------------------------------------------------------- monit
if has monit; then
    m=$work/monit
    mkdir -p "$m"
    monitrc() {  # monitrc FILE: the head of a foreground monitrc, its state in $m; mode 0600
        cat > "$1" <<RC
set daemon 1
set idfile $m/monit.id
set statefile $m/monit.state
set pidfile $m/monit.pid

RC
        chmod 600 "$1"
    }
    monitrc "$m/missing.rc"
    cat >> "$m/missing.rc" <<RC
check process myapp with pidfile $m/myapp.pid
    start program = "/usr/local/bin/myapp --daemon --pidfile $m/myapp.pid"
    stop program = "/bin/true"
RC
    run monit-start-program-missing "$m" 3.5 monit -I -c "$m/missing.rc"
    monitrc "$m/host.rc"
    cat >> "$m/host.rc" <<'RC'
check host api with address 127.0.0.1
    if failed port 48260 protocol http request "/health" then alert
RC
    (cd "$m" && timeout 3.5 monit -I -c "$m/host.rc" 2>&1 | compose monit-1) \
        > "$here/monit-host-port-refused-compose.log" 2>&1 || true
    monitrc "$m/syntax.rc"
    cat >> "$m/syntax.rc" <<RC
check process web with pidfile $m/web.pid
    start program = "/bin/true"
    if failed port 48264 protocol http
        request "/health"
    then restart
    if 5 restarts within 5 cycles timeout
RC
    run monit-syntax-error "$m" 5 monit -I -c "$m/syntax.rc"
    # The control file was copied in with mode 0644; an entrypoint runs monit.
    monitrc "$m/mode.rc"
    cat >> "$m/mode.rc" <<'RC'
check host api with address 127.0.0.1
    if failed port 48260 then alert
RC
    chmod 644 "$m/mode.rc"
    cat > "$m/entrypoint.sh" <<'SH'
#!/bin/sh
echo "entrypoint: starting monit"
status=0
monit -I -c "$1" || status=$?
echo "entrypoint: monit exited with code $status"
exit $status
SH
    chmod 755 "$m/entrypoint.sh"
    run monit-control-file-mode-entrypoint "$m" 5 ./entrypoint.sh "$m/mode.rc"
    if has php; then
        monitrc "$m/port.rc"
        cat >> "$m/port.rc" <<RC
check process web matching "php -S 127.0.0.1:48259"
    start program = "/usr/bin/php -S 127.0.0.1:48259 -t $m"
    stop program = "/bin/true"
RC
        run monit-php-port-in-use "$m" 3.5 monit -I -c "$m/port.rc"
    fi
fi

# ---------------------------------------------------------------------------- foreman
if has foreman; then
    f=$work/foreman
    mkdir -p "$f/empty" "$f/app"
    run foreman-procfile-missing "$f/empty" 10 foreman start
    printf 'web: /usr/bin/php -S 127.0.0.1:$PORT -t public\n' > "$f/app/Procfile"
    mkdir -p "$f/app/public"
    has php && run foreman-port-in-use "$f/app" 10 foreman start -p 48261
    printf 'worker: exec sidekiq -C config/sidekiq.yml\n' > "$f/app/Procfile.worker"
    run foreman-sidekiq-not-found "$f/app" 10 foreman start -f Procfile.worker
    echo "RACK_ENV=production" > "$f/app/.env.example"
    run foreman-env-file-missing "$f/app" 10 foreman start -e .env.production -f Procfile.worker
    # The worker dereferences a NULL pointer: a segfault no line explains.
    printf 'import ctypes\n\nprint("render: starting")\nctypes.string_at(0)\n' > "$f/app/render.py"
    printf 'render: /usr/bin/python3 render.py\n' > "$f/app/Procfile.render"
    run foreman-segfault "$f/app" 10 foreman start -f Procfile.render
fi

# ---------------------------------------------------------------------------- daemon, nohup, init
if has daemon; then
    g=$work/daemon
    mkdir -p "$g/pids"
    printf 'import yaml\n\nconfig = yaml.safe_load(open("config.yml"))\nprint(config["source"])\n' > "$g/sync.py"
    run daemon-respawn-config-missing "$g" 30 daemon --name=sync --pidfiles="$g/pids" \
        --foreground --respawn --attempts=2 --delay=10 --limit=1 --errlog=/dev/stderr \
        --chdir="$g" -- $py sync.py
fi
if has script && has php; then
    n=$work/nohup
    mkdir -p "$n"
    chown nobody "$n"
    (cd "$n" && timeout 10 script -qec "su nobody -s /bin/sh -c 'cd $n && nohup /usr/bin/php -S 127.0.0.1:80 -t $n &'" /dev/null \
        | sed 's/\r$//'; sleep 1; cat "$n/nohup.out") > "$here/nohup-privileged-port.log" 2>&1 || true
fi
i=$work/init
mkdir -p "$i/run" "$i/log"
chmod 755 "$i" "$i/run"
chown nobody "$i/log"
cat > "$i/orders" <<SH
#!/bin/sh
# An init script in the old style: no start-stop-daemon, su to the service user.
NAME=orders
DAEMON=$py
ARGS="-m http.server 48264 --bind 127.0.0.1"
PIDFILE=$i/run/orders.pid
LOG=$i/log/orders.log

case "\$1" in
    start)
        echo "Starting \$NAME"
        su nobody -s /bin/sh -c "echo \\\$\\\$ > \$PIDFILE && exec \$DAEMON \$ARGS >> \$LOG 2>&1"
        echo "\$NAME start exited with \$?"
        ;;
    status)
        if [ -f "\$PIDFILE" ] && kill -0 "\$(cat "\$PIDFILE")" 2>/dev/null; then
            echo "\$NAME is running"
        else
            echo "\$NAME is not running"; exit 3
        fi
        ;;
esac
SH
chmod 755 "$i/orders"
(cd "$i" && timeout 10 ./orders start; timeout 10 ./orders status) \
    > "$here/initscript-pidfile-permission-denied.log" 2>&1 || true

echo "captured into $here"
