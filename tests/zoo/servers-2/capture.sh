#!/bin/sh
# Regenerates the captures of this folder by running Debian's daemons and proxies failing on this
# machine: memcached 1.6 (a port a helper holds, also behind a compose prefix; root without -u;
# port 80 and a unix socket in a directory never created as `nobody`), haproxy 2.6 (`-db -f`: a
# bind on a port a helper holds, a backend server host that does not resolve, also timestamped,
# an unknown keyword at file:line, a missing config file, port 80 as `nobody`), lighttpd 1.4
# (`-D -f`: a port a helper holds, a parse error at a line, a missing config file, an error log
# in a directory never created, port 80 as `nobody`), caddy 2.6 (`caddy run --config`: a port a
# helper holds, an unknown Caddyfile directive, a reverse_proxy upstream that does not resolve at
# the first request), nats-server 2.9 (a port a helper holds, timestamped; an unknown config key),
# etcd 3.4 (a data dir `nobody` may not create; a client port a helper holds, behind a compose
# prefix), supervisord 4 running memcached -d, lighttpd without -D and haproxy -D (each goes to
# the background and exits 0; the haproxy one behind a compose prefix), redis 7.0 (a replicaof
# host and a sentinel monitor host that do not resolve, an include of a file never written),
# postgres 15 (`pg_ctl start` with a postgresql.conf line that does not parse, also timestamped)
# and mariadbd 10.11 (an unknown variable in its --defaults-file).
# Needs: apt-get install -y --no-install-recommends memcached haproxy lighttpd caddy nats-server
# etcd-server redis-server postgresql-15 mariadb-server curl (then `service memcached stop;
# service haproxy stop; service lighttpd stop`: every server here runs from the work directory);
# supervisor is pip-installed into /tmp/zoo-servers-2-venv (made from Debian's python3 if
# missing). Runs as root; the privileged-port and permission cases, and postgres, run as
# `nobody` through `su nobody -s /bin/sh -c`. A tool that is missing skips its cases.
# Ports: 47800-47849 only: memcached 47801-47807 (a helper holds 47801), haproxy 47811-47817
# (a helper holds 47811; 47819 a backend nothing listens on), lighttpd 47821-47827 (a helper
# holds 47821), caddy 47831-47833 (a helper holds 47831), nats 47837-47839 (a helper holds
# 47837), etcd 47841-47845 (a helper holds 47841), redis 47846-47847, mariadb 47848, postgres
# 47849; and 80 as `nobody`, refused before anything binds. Work directory: /tmp/zoo-servers-2
# (removed at start and at exit).
# Wrapped in noise: memcached-port-in-use-compose, etcd-client-port-in-use-compose and
# supervisord-haproxy-daemonized-compose (compose-style prefixes),
# haproxy-backend-unresolvable-timestamps, nats-port-in-use-timestamps and
# postgres-config-syntax-timestamps (a timestamping `while read` loop), and the three
# supervisord captures (its own log lines around the program's).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=/tmp/zoo-servers-2
venv=/tmp/zoo-servers-2-venv
pgbin=/usr/lib/postgresql/15/bin
rm -rf "$work"
holders=
cleanup() {
    for pid in $holders; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    stop_pidfile "$work/sv/supervisord.pid" kill
    for port in 47807 47817 47827; do kill_port "$port"; done
    [ -f "$work/pg/data/postmaster.pid" ] && su nobody -s /bin/sh -c \
        "$pgbin/pg_ctl -D $work/pg/data -m immediate -w stop" >/dev/null 2>&1 || true
    sleep 1
    chmod -R u+w "$work" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
mkdir -p "$work"
chmod 755 "$work"
cd "$work"

. "$here/../lib.sh"  # stamp, wait_port
compose() { sed "s/^/$1  | /"; }
as_nobody() { su nobody -s /bin/sh -c "cd $work && timeout 30 $1"; }
has() { command -v "$1" >/dev/null 2>&1 || { echo "$1 not installed: skipping its cases"; return 1; }; }
stop_pidfile() {  # stop_pidfile PIDFILE [kill]: until the process it names has exited (10 s
    # at most), after a SIGTERM if asked
    pid=$(cat "$1" 2>/dev/null) || return 0
    [ -z "${2:-}" ] || kill "$pid" 2>/dev/null || true
    i=0
    while [ $i -lt 40 ] && kill -0 "$pid" 2>/dev/null; do sleep 0.25; i=$((i + 1)); done
}
kill_port() {  # kill_port PORT: stop what listens on 127.0.0.1:PORT (a daemon that went to the
    # background under supervisord: its pid file is not to be trusted, each restart rewrites it)
    for pid in $(ss -ltnpH "sport = :$1" | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u); do
        kill "$pid" 2>/dev/null || true
        i=0
        while [ $i -lt 40 ] && kill -0 "$pid" 2>/dev/null; do sleep 0.25; i=$((i + 1)); done
    done
}
hold() {  # hold PORT: a python3 helper listens on 127.0.0.1:PORT (its pid in $held)
    /usr/bin/python3 -c 'import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen()
time.sleep(120)' "$1" &
    held=$!
    holders="$holders $held"
    wait_port "$1"
    kill -0 "$held" || { echo "the helper could not hold $1"; exit 1; }
}
release() { kill "$held" 2>/dev/null || true; wait "$held" 2>/dev/null || true; }
status() {  # status NAME COMMAND...: run it, then say its exit status as a wrapper does
    name=$1; shift
    rc=0; "$@" || rc=$?
    echo "$name exited with status $rc"
}

# ---------------------------------------------------------------------------- memcached
if has memcached; then
    m=$work/memcached
    mkdir -p "$m"
    hold 47801
    timeout 20 memcached -u nobody -l 127.0.0.1 -p 47801 > "$here/memcached-port-in-use.log" 2>&1 || true
    timeout 20 memcached -u nobody -l 127.0.0.1 -p 47801 2>&1 | compose cache_1 > "$here/memcached-port-in-use-compose.log" || true
    release

    # As root without -u: memcached refuses to run (a wrapper says its exit status).
    status memcached timeout 20 memcached -l 127.0.0.1 -p 47803 > "$here/memcached-root-without-user.log" 2>&1

    # As nobody on port 80.
    as_nobody "memcached -l 127.0.0.1 -p 80" > "$here/memcached-privileged-port.log" 2>&1 || true

    # As nobody, a unix socket in run/, a directory that was never created.
    chown nobody:nogroup "$m"
    as_nobody "memcached -s $m/run/memcached.sock" > "$here/memcached-socket-dir-missing.log" 2>&1 || true
fi

# ---------------------------------------------------------------------------- haproxy
if has haproxy; then
    h=$work/haproxy
    mkdir -p "$h"
    # haproxy_conf NAME BIND SERVER: 13 lines; a case's own lines follow.
    haproxy_conf() {
        cat > "$h/$1.cfg" <<CONF
global
    log stderr format raw local0
defaults
    log global
    mode http
    timeout connect 1s
    timeout client 5s
    timeout server 5s
frontend web
    bind $2
    default_backend app
backend app
    server app1 $3
CONF
    }
    run_haproxy() { timeout 20 haproxy -db -f "$h/$1.cfg"; }

    hold 47811
    haproxy_conf busy 127.0.0.1:47811 127.0.0.1:47819
    run_haproxy busy > "$here/haproxy-port-in-use.log" 2>&1 || true
    release

    # The backend's server is api:8080, a compose service name that does not resolve here.
    haproxy_conf upstream 127.0.0.1:47813 api:8080
    run_haproxy upstream > "$here/haproxy-backend-unresolvable.log" 2>&1 || true
    run_haproxy upstream 2>&1 | stamp > "$here/haproxy-backend-unresolvable-timestamps.log" || true

    # Line 14 misspells http-request as http-reqeust.
    haproxy_conf syntax 127.0.0.1:47813 127.0.0.1:47819
    echo '    http-reqeust set-header X-Forwarded-Proto http' >> "$h/syntax.cfg"
    run_haproxy syntax > "$here/haproxy-config-syntax.log" 2>&1 || true

    # -f names a config that does not exist (it lives in $h, not $h/etc).
    timeout 20 haproxy -db -f "$h/etc/haproxy.cfg" > "$here/haproxy-config-missing.log" 2>&1 || true

    # As nobody, bind on port 80.
    haproxy_conf privileged 127.0.0.1:80 127.0.0.1:47819
    chmod -R a+rX "$h"
    as_nobody "haproxy -db -f $h/privileged.cfg" > "$here/haproxy-privileged-port.log" 2>&1 || true
fi

# ---------------------------------------------------------------------------- lighttpd
if has lighttpd; then
    l=$work/lighttpd
    mkdir -p "$l/htdocs"
    echo ok > "$l/htdocs/index.html"
    # lighttpd_conf NAME PORT: 4 lines; a case's own lines follow.
    lighttpd_conf() {
        cat > "$l/$1.conf" <<CONF
server.document-root = "$l/htdocs"
server.bind = "127.0.0.1"
server.port = $2
index-file.names = ( "index.html" )
CONF
    }
    run_lighttpd() { timeout 20 lighttpd -D -f "$l/$1.conf"; }

    hold 47821
    lighttpd_conf busy 47821
    run_lighttpd busy > "$here/lighttpd-port-in-use.log" 2>&1 || true
    release

    # Line 5 leaves its string unclosed.
    lighttpd_conf syntax 47823
    echo 'server.tag = "shop' >> "$l/syntax.conf"
    run_lighttpd syntax > "$here/lighttpd-config-syntax.log" 2>&1 || true

    # -f names a config that does not exist.
    timeout 20 lighttpd -D -f "$l/etc/lighttpd.conf" > "$here/lighttpd-config-missing.log" 2>&1 || true

    # server.errorlog names a file in logs/, a directory that was never created.
    lighttpd_conf errorlog 47823
    echo "server.errorlog = \"$l/logs/error.log\"" >> "$l/errorlog.conf"
    run_lighttpd errorlog > "$here/lighttpd-error-log-missing.log" 2>&1 || true

    # As nobody, port 80.
    lighttpd_conf privileged 80
    chmod -R a+rX "$l"
    as_nobody "lighttpd -D -f $l/privileged.conf" > "$here/lighttpd-privileged-port.log" 2>&1 || true
fi

# ---------------------------------------------------------------------------- caddy
if has caddy; then
    c=$work/caddy
    mkdir -p "$c/home"
    run_caddy() { HOME=$c/home XDG_DATA_HOME=$c/home/data XDG_CONFIG_HOME=$c/home/config \
        timeout 20 caddy run --config "$c/$1" --adapter caddyfile; }
    # caddy_file NAME SITE: 4 lines; the site block's own lines follow from 5.
    caddy_file() {
        cat > "$c/$1" <<CONF
{
	admin off
}
$2 {
CONF
    }
    hold 47831
    caddy_file Caddyfile.busy http://127.0.0.1:47831
    printf '\trespond "ok"\n}\n' >> "$c/Caddyfile.busy"
    run_caddy Caddyfile.busy > "$here/caddy-port-in-use.log" 2>&1 || true
    release

    # Line 5 misspells reverse_proxy.
    caddy_file Caddyfile http://127.0.0.1:47833
    printf '\treverse_proxyy 127.0.0.1:47819\n}\n' >> "$c/Caddyfile"
    run_caddy Caddyfile > "$here/caddy-caddyfile-syntax.log" 2>&1 || true

    # reverse_proxy to api:8080, a compose service name that does not resolve: caddy starts,
    # the first request fails (502) and caddy logs why.
    caddy_file Caddyfile.upstream http://127.0.0.1:47833
    printf '\treverse_proxy api:8080\n}\n' >> "$c/Caddyfile.upstream"
    run_caddy Caddyfile.upstream > "$c/upstream.out" 2>&1 &
    caddy=$!
    holders="$holders $caddy"
    wait_port 47833
    curl -s -o /dev/null http://127.0.0.1:47833/ || true
    sleep 1
    kill "$caddy" 2>/dev/null || true; wait "$caddy" 2>/dev/null || true
    cp "$c/upstream.out" "$here/caddy-upstream-unresolvable.log"
fi

# ---------------------------------------------------------------------------- nats-server
if has nats-server; then
    s=$work/nats
    mkdir -p "$s"
    hold 47837
    timeout 20 nats-server -a 127.0.0.1 -p 47837 2>&1 | stamp > "$here/nats-port-in-use-timestamps.log" || true
    timeout 20 nats-server -a 127.0.0.1 -p 47837 > "$here/nats-port-in-use.log" 2>&1 || true
    release

    # Line 3 misspells max_connections.
    cat > "$s/nats.conf" <<'CONF'
host: 127.0.0.1
port: 47839
max_conections: 100
CONF
    timeout 20 nats-server -c "$s/nats.conf" > "$here/nats-unknown-config-key.log" 2>&1 || true
fi

# ---------------------------------------------------------------------------- etcd
if has etcd; then
    e=$work/etcd
    mkdir -p "$e/var/lib"
    chmod 755 "$e" "$e/var" "$e/var/lib"
    etcd_args() {  # etcd_args DATA-DIR CLIENT-PORT PEER-PORT
        echo "--name s2 --data-dir $1 --listen-client-urls http://127.0.0.1:$2 --advertise-client-urls http://127.0.0.1:$2 --listen-peer-urls http://127.0.0.1:$3 --initial-advertise-peer-urls http://127.0.0.1:$3 --initial-cluster s2=http://127.0.0.1:$3"
    }
    # As nobody, --data-dir in var/lib, a root-owned 0755 directory nobody may not create it in.
    as_nobody "etcd $(etcd_args "$e/var/lib/etcd" 47843 47844)" > "$here/etcd-data-dir-permission-denied.log" 2>&1 || true

    hold 47841
    timeout 20 etcd $(etcd_args "$e/data" 47841 47842) 2>&1 | compose etcd_1 > "$here/etcd-client-port-in-use-compose.log" || true
    release
fi

# ---------------------------------------------------------------------------- redis
if has redis-server; then
    r=$work/redis
    mkdir -p "$r"
    # replicaof a primary named by a compose service name that does not resolve here; redis
    # keeps retrying, so it is stopped after 5 s.
    timeout 5 redis-server --port 47846 --bind 127.0.0.1 --dir "$r" --save '' \
        --replicaof redis-primary 6379 > "$here/redis-replicaof-unresolvable.log" 2>&1 || true

    # include of a file in conf.d/, which was never written.
    cat > "$r/redis.conf" <<CONF
port 47846
bind 127.0.0.1
dir $r
include $r/conf.d/local.conf
CONF
    timeout 20 redis-server "$r/redis.conf" > "$here/redis-include-missing.log" 2>&1 || true

    # A sentinel monitoring a primary whose host name does not resolve.
    cat > "$r/sentinel.conf" <<CONF
port 47847
bind 127.0.0.1
dir $r
sentinel monitor shop redis-primary 6379 2
CONF
    timeout 20 redis-server "$r/sentinel.conf" --sentinel > "$here/redis-sentinel-unresolvable.log" 2>&1 || true
fi

# ---------------------------------------------------------------------------- mariadb
if has mariadbd; then
    d=$work/mariadb
    mkdir -p "$d/data"
    # Line 5 misspells innodb_buffer_pool_size.
    cat > "$d/my.cnf" <<CONF
[mysqld]
datadir = $d/data
port = 47848
bind-address = 127.0.0.1
inodb_buffer_pool_size = 64M
CONF
    timeout 20 mariadbd --defaults-file="$d/my.cnf" --user=root > "$here/mariadb-unknown-variable.log" 2>&1 || true
fi

# ---------------------------------------------------------------------------- postgres
if [ -x "$pgbin/pg_ctl" ]; then
    p=$work/pg
    mkdir -p "$p/sock"
    chown -R nobody:nogroup "$p"
    as_nobody "$pgbin/initdb -D $p/data -U postgres --auth=trust" > /dev/null 2>&1
    # Two settings on one line: postgresql.conf's new last line does not parse.
    printf "port = 47849\nunix_socket_directories = '%s'\nlisten_addresses = '127.0.0.1'\nwork_mem = 4MB 8MB\n" "$p/sock" >> "$p/data/postgresql.conf"
    as_nobody "$pgbin/pg_ctl -D $p/data -w -t 10 start" > "$here/postgres-config-syntax.log" 2>&1 || true
    as_nobody "$pgbin/pg_ctl -D $p/data -w -t 10 start" 2>&1 | stamp > "$here/postgres-config-syntax-timestamps.log" || true
fi

# ---------------------------------------------------------------------------- supervisord
if [ ! -x "$venv/bin/supervisord" ]; then
    rm -rf "$venv"
    /usr/bin/python3 -m venv "$venv" >/dev/null
    "$venv/bin/pip" install -q supervisor >/dev/null 2>&1
fi
mkdir -p sv
supervise() {  # supervise NAME PROGRAM-SECTION: supervisord (nodaemon: its log echoed on stdout, the
    # program's output sent there too) until the program gives up
    cat > "sv/$1.conf" <<CONF
[supervisord]
nodaemon=true
logfile=$work/sv/$1-supervisord.log
pidfile=$work/sv/supervisord.pid
loglevel=info

$2
redirect_stderr=true
stdout_logfile=/dev/stdout
stdout_logfile_maxbytes=0
CONF
    rm -f sv/supervisord.pid
    : > "sv/$1.out"
    env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$venv/bin/supervisord" \
        -c "sv/$1.conf" 2>&1 | cat > "sv/$1.out" &
    pipe=$!
    i=0
    while [ $i -lt 160 ] && ! grep -q "gave up:" "sv/$1.out"; do sleep 0.25; i=$((i + 1)); done
    stop_pidfile sv/supervisord.pid kill
    wait "$pipe" 2>/dev/null || true
}
# memcached -d: it forks to the background and exits 0; each restart finds the port held.
if command -v memcached >/dev/null; then
    supervise memcached-daemonized '[program:memcached]
command=memcached -d -u nobody -l 127.0.0.1 -p 47807 -P '"$work"'/sv/memcached.pid
startsecs=5
startretries=2'
    cp sv/memcached-daemonized.out "$here/supervisord-memcached-daemonized.log"
    kill_port 47807
fi
# lighttpd without -D.
if command -v lighttpd >/dev/null; then
    mkdir -p sv/htdocs
    cat > sv/lighttpd.conf <<CONF
server.document-root = "$work/sv/htdocs"
server.bind = "127.0.0.1"
server.port = 47827
server.pid-file = "$work/sv/lighttpd.pid"
CONF
    supervise lighttpd-daemonized '[program:lighttpd]
command=lighttpd -f '"$work"'/sv/lighttpd.conf
startsecs=5
startretries=2'
    cp sv/lighttpd-daemonized.out "$here/supervisord-lighttpd-daemonized.log"
    kill_port 47827
fi
# haproxy -D, behind a compose prefix.
if command -v haproxy >/dev/null; then
    cat > sv/haproxy.cfg <<CONF
global
    log stderr format raw local0
    noreuseport
defaults
    log global
    mode http
    timeout connect 1s
    timeout client 5s
    timeout server 5s
frontend web
    bind 127.0.0.1:47817
    default_backend app
backend app
    server app1 127.0.0.1:47819
CONF
    supervise haproxy-daemonized '[program:haproxy]
command=haproxy -D -p '"$work"'/sv/haproxy.pid -f '"$work"'/sv/haproxy.cfg
startsecs=5
startretries=2'
    compose proxy_1 < sv/haproxy-daemonized.out > "$here/supervisord-haproxy-daemonized-compose.log"
    kill_port 47817
fi

echo "captured into $here"
