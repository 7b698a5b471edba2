#!/bin/sh
# Regenerates the captures of this folder by running the infrastructure daemons that sit between
# services, and the clients that meet them, failing for real on this machine: pgbouncer 1.18 (a
# listen_port a helper holds; an auth_file never written; an ini line without `=`; a -c config
# never written; port 643 as `nobody`), psql through a real pgbouncer whose userlist refuses its
# password, psycopg 3 through a pgbouncer whose backend postgres refuses pgbouncer's own password
# (a real postgres 15), redis-sentinel 7.0 (a config `nobody` may not write; a port a helper
# holds; a misspelled `sentinel` statement), redis-py's Sentinel refused on a closed port and,
# against a real sentinel and redis-server, sending no password to a master that requires one
# (compose prefix), varnishd 7.1 (-a on a port a helper holds; a VCL that does not compile; an
# -f VCL never written), curl through varnish on a backend refused, in a shell wait loop (503),
# etcd 3.4 (a peer port a helper holds; a client port 379 as `nobody`; a --config-file never
# written), etcdctl refused and on a host `etcd` that does not resolve (timestamped), dnsmasq 2.90
# (port 53 as `nobody`; a port a helper holds; a misspelled option at FILE line N; a -C config
# never written), squid 5.7 (http_port on a port a helper holds, compose prefix; a cache_dir
# its user may not write).
# Needs: `pgbouncer redis-sentinel varnish etcd-server etcd-client dnsmasq squid python3-redis
# python3-psycopg` (Debian; services stopped), postgresql 15 (/usr/lib/postgresql/15/bin, run as
# `nobody`), redis-server, curl, `su nobody`. A program that is missing skips its cases.
# Ports: 48650-48699 only. A real postgres on 48650 (as nobody, scram-sha-256); a real pgbouncer
# on 48651; a helper holding 48652; 48653 closed (nothing listens); a real redis-server on 48661
# (requirepass) and a real sentinel on 48660; varnishd on 48670; 643 and 379 and 53 as `nobody`,
# refused before anything binds.
# Work directory: /tmp/zoo-infra-2/work (removed at start and at exit).
# Wrapped in noise: redis-py-sentinel-noauth-compose, squid-port-in-use-compose (compose
# prefixes); etcdctl-unresolvable-timestamps (lib.sh stamp); curl-varnish-503-loop (a shell wait
# loop).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
pgbin=/usr/lib/postgresql/15/bin
base=/tmp/zoo-infra-2
work=$base/work
rm -rf "$work"
mkdir -p "$base"
chmod 755 "$base"
pg_up= holder= pgb= redis= sentinel= varnish=
. "$here/../lib.sh"  # stamp, wait_port, stop
cleanup() {
    if [ -n "$pg_up" ]; then
        su nobody -s /bin/sh -c "$pgbin/pg_ctl -D $work/pg -m immediate -w stop" >/dev/null 2>&1 || true
    fi
    for pid in $pgb $redis $sentinel $holder; do stop "$pid"; done
    [ -z "$varnish" ] || pkill -F "$work/varnish.pid" 2>/dev/null || true
    sleep 0.5
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
mkdir -p "$work"
chmod 755 "$work"
export PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1

compose() { sed "s/^/$1  | /"; }
run() {  # run NAME COMMAND...: capture COMMAND run in the work dir, bounded by timeout
    name=$1; shift
    (cd "$work" && timeout 8 "$@") > "$here/$name.log" 2>&1 || true
}
wrap() {  # wrap NAME FILTER COMMAND...: as run, the output piped through FILTER
    name=$1 filter=$2; shift 2
    (cd "$work" && timeout 8 "$@" 2>&1 | $filter) > "$here/$name.log" 2>&1 || true
}
nobody() {  # nobody NAME COMMAND: capture the shell COMMAND run as nobody in the work dir
    (cd "$work" && su nobody -s /bin/sh -c "cd $work && timeout 8 $2") > "$here/$1.log" 2>&1 || true
}
as_nobody() { exec setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }  # only with &: $! is the daemon
have() { command -v "$1" >/dev/null 2>&1 || [ -x "$1" ]; }
skip() { echo "skipping $1: $2 is not installed" >&2; }

# A helper holding 48652, as another service would.
$py -c 'import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 48652)); s.listen(); time.sleep(600)' &
holder=$!
wait_port 48652

# ---------------------------------------------------------------------------- pgbouncer
pgb_ini() {  # pgb_ini FILE PORT BACKEND_PORT AUTH_FILE: a plain pgbouncer.ini
    cat > "$1" <<INI
[databases]
app = host=127.0.0.1 port=$3 dbname=app

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $2
unix_socket_dir =
auth_type = scram-sha-256
auth_file = $4
INI
}
if have pgbouncer; then
    mkdir -p "$work/pgb"
    printf '"app" "s3cret"\n' > "$work/pgb/userlist.txt"
    pgb_ini "$work/pgb/in-use.ini" 48652 48650 "$work/pgb/userlist.txt"
    pgb_ini "$work/pgb/no-auth-file.ini" 48654 48650 "$work/pgb/users.txt"
    pgb_ini "$work/pgb/privileged.ini" 643 48650 "$work/pgb/userlist.txt"
    pgb_ini "$work/pgb/syntax.ini" 48655 48650 "$work/pgb/userlist.txt"
    sed -i 's/^listen_addr = 127.0.0.1/listen_addr 127.0.0.1/' "$work/pgb/syntax.ini"
    chmod -R a+rX "$work/pgb"
    nobody pgbouncer-port-in-use "pgbouncer $work/pgb/in-use.ini"
    nobody pgbouncer-auth-file-missing "pgbouncer $work/pgb/no-auth-file.ini"
    nobody pgbouncer-privileged-port "pgbouncer $work/pgb/privileged.ini"
    nobody pgbouncer-config-syntax-error "pgbouncer $work/pgb/syntax.ini"
    nobody pgbouncer-config-missing "pgbouncer $work/pgb/pgbouncer.ini"
else
    skip pgbouncer pgbouncer
fi

if have pgbouncer && have "$pgbin/postgres" && have psql; then
    # A real postgres whose role app has the password s3cret.
    mkdir -p "$work/pg"
    chown nobody "$work/pg"
    echo postgres > "$work/pgpass"
    chown nobody "$work/pgpass"
    su nobody -s /bin/sh -c "$pgbin/initdb -A scram-sha-256 -U postgres --pwfile=$work/pgpass -D $work/pg" >/dev/null
    su nobody -s /bin/sh -c "$pgbin/pg_ctl -D $work/pg -o '-p 48650 -k $work/pg -c listen_addresses=127.0.0.1' -l $work/pg/server.log -w start" >/dev/null
    pg_up=1
    PGPASSWORD=postgres psql -q -h 127.0.0.1 -p 48650 -U postgres -c "CREATE ROLE app LOGIN PASSWORD 's3cret'" -c "CREATE DATABASE app OWNER app" >/dev/null
    # A real pgbouncer on 48651 in front of it; a second one on 48656 whose userlist holds
    # another password than the one postgres knows.
    pgb_ini "$work/pgb/real.ini" 48651 48650 "$work/pgb/userlist.txt"
    printf '"app" "old-password"\n' > "$work/pgb/stale.txt"
    pgb_ini "$work/pgb/stale.ini" 48656 48650 "$work/pgb/stale.txt"
    chmod -R a+rX "$work/pgb"
    as_nobody pgbouncer "$work/pgb/real.ini" > "$work/pgb/real.out" 2>&1 &
    pgb=$!
    wait_port 48651
    : > "$here/psycopg-pgbouncer-backend-auth.log"
    run psql-pgbouncer-wrong-password env PGPASSWORD=hunter2 psql -h 127.0.0.1 -p 48651 -U app -d app -c 'SELECT 1'
    as_nobody pgbouncer "$work/pgb/stale.ini" >> "$here/psycopg-pgbouncer-backend-auth.log" 2>&1 &
    stale=$!
    wait_port 48656
    sleep 0.2
    if $py -c 'import psycopg' 2>/dev/null; then
        (cd "$work" && timeout 8 $py -c 'import psycopg
with psycopg.connect("postgresql://app:old-password@127.0.0.1:48656/app") as conn:
    print(conn.execute("SELECT 1").fetchone())') >> "$here/psycopg-pgbouncer-backend-auth.log" 2>&1 || true
    else
        skip psycopg-pgbouncer-backend-auth python3-psycopg
    fi
    sleep 0.5
    kill "$stale" 2>/dev/null || true
    wait "$stale" 2>/dev/null || true
else
    skip "the pgbouncer clients" "pgbouncer, postgresql 15 or psql"
fi

# ---------------------------------------------------------------------------- redis-sentinel
sentinel_conf() {  # sentinel_conf FILE PORT: a sentinel watching mymaster on 48661
    printf 'port %s\nbind 127.0.0.1\ndir %s\nsentinel monitor mymaster 127.0.0.1 48661 1\nsentinel auth-pass mymaster nope\n' \
        "$2" "$work" > "$1"
}
if have redis-sentinel; then
    mkdir -p "$work/sentinel"
    sentinel_conf "$work/sentinel/readonly.conf" 48657
    chmod 644 "$work/sentinel/readonly.conf"
    sentinel_conf "$work/sentinel/in-use.conf" 48652
    sentinel_conf "$work/sentinel/typo.conf" 48658
    sed -i 's/^sentinel monitor/sentinel monitr/' "$work/sentinel/typo.conf"
    chmod 777 "$work/sentinel"
    chmod 666 "$work/sentinel/in-use.conf" "$work/sentinel/typo.conf"
    nobody sentinel-config-not-writable "redis-sentinel $work/sentinel/readonly.conf"
    nobody sentinel-port-in-use "redis-sentinel $work/sentinel/in-use.conf"
    nobody sentinel-unknown-statement "redis-sentinel $work/sentinel/typo.conf"
else
    skip "the sentinel cases" redis-sentinel
fi

if $py -c 'import redis' 2>/dev/null; then
    run redis-py-sentinel-refused $py -c 'from redis.sentinel import Sentinel
sentinel = Sentinel([("127.0.0.1", 48653)], socket_timeout=2)
master = sentinel.master_for("mymaster", socket_timeout=2)
master.set("greeting", "hello")'
    if have redis-sentinel && have redis-server; then
        # A real redis-server requiring a password, and a real sentinel that knows it.
        as_nobody redis-server --port 48661 --bind 127.0.0.1 --requirepass s3cret --save '' --dir "$work" >/dev/null 2>&1 &
        redis=$!
        wait_port 48661
        printf 'port 48660\nbind 127.0.0.1\ndir %s\nsentinel monitor mymaster 127.0.0.1 48661 1\nsentinel auth-pass mymaster s3cret\n' \
            "$work" > "$work/sentinel/real.conf"
        chmod 666 "$work/sentinel/real.conf"
        as_nobody redis-sentinel "$work/sentinel/real.conf" >/dev/null 2>&1 &
        sentinel=$!
        wait_port 48660
        sleep 1
        wrap redis-py-sentinel-noauth-compose "compose worker-1" $py -c 'from redis.sentinel import Sentinel
sentinel = Sentinel([("127.0.0.1", 48660)], socket_timeout=2)
master = sentinel.master_for("mymaster", socket_timeout=2)
print("master at", sentinel.discover_master("mymaster"))
master.set("greeting", "hello")'
    fi
else
    skip "the redis-py cases" python3-redis
fi

# ---------------------------------------------------------------------------- varnish
if have varnishd; then
    mkdir -p "$work/varnish"
    printf 'vcl 4.1;\n\nbackend default {\n    .host = "127.0.0.1";\n    .port = "48653";\n}\n\nsub vcl_recv {\n    if (req.url ~ "^/health") {\n        return (synth(200))\n    }\n}\n' \
        > "$work/varnish/broken.vcl"
    chmod -R a+rX "$work/varnish"
    run varnishd-port-in-use varnishd -F -n "$work/varnish/a" -a 127.0.0.1:48652 -b 127.0.0.1:48653
    run varnishd-vcl-syntax-error varnishd -F -n "$work/varnish/b" -a 127.0.0.1:48671 -f "$work/varnish/broken.vcl"
    run varnishd-vcl-missing varnishd -F -n "$work/varnish/c" -a 127.0.0.1:48672 -f "$work/varnish/default.vcl"
    # A real varnishd whose backend, 48653, nobody listens on; a wait loop curls through it.
    varnishd -n "$work/varnish/d" -P "$work/varnish.pid" -a 127.0.0.1:48670 -b 127.0.0.1:48653 >/dev/null 2>&1
    varnish=1
    wait_port 48670
    if have curl; then
        run curl-varnish-503-loop sh -c 'for i in 1 2 3; do
    if curl -fsS http://127.0.0.1:48670/api/health; then exit 0; fi
    echo "api not ready (attempt $i), retrying in 1s"
    sleep 1
done
echo "giving up on http://127.0.0.1:48670/api/health"
exit 1'
    fi
else
    skip "the varnish cases" varnish
fi

# ---------------------------------------------------------------------------- etcd
if have etcd; then
    run etcd-peer-port-in-use etcd --name infra --data-dir "$work/etcd-a" \
        --listen-client-urls http://127.0.0.1:48680 --advertise-client-urls http://127.0.0.1:48680 \
        --listen-peer-urls http://127.0.0.1:48652 --initial-advertise-peer-urls http://127.0.0.1:48652 \
        --initial-cluster infra=http://127.0.0.1:48652
    nobody etcd-privileged-port "etcd --name infra --data-dir /tmp/zoo-infra-2/work/etcd-b \
        --listen-client-urls http://127.0.0.1:379 --advertise-client-urls http://127.0.0.1:379 \
        --listen-peer-urls http://127.0.0.1:48682 --initial-advertise-peer-urls http://127.0.0.1:48682 \
        --initial-cluster infra=http://127.0.0.1:48682"
    run etcd-config-file-missing etcd --config-file "$work/etcd.conf.yml"
else
    skip "the etcd cases" etcd-server
fi
if have etcdctl; then
    run etcdctl-refused env ETCDCTL_API=3 etcdctl --endpoints=127.0.0.1:48653 --dial-timeout=2s put feature/new-ui on
    wrap etcdctl-unresolvable-timestamps stamp env ETCDCTL_API=3 etcdctl --endpoints=http://etcd:2379 --dial-timeout=2s get --prefix config/
else
    skip "the etcdctl cases" etcd-client
fi

# ---------------------------------------------------------------------------- dnsmasq
if have dnsmasq; then
    printf 'no-resolv\nlisten-adress=127.0.0.1\nserver=1.1.1.1\n' > "$work/dnsmasq.conf"
    chmod 644 "$work/dnsmasq.conf"
    nobody dnsmasq-privileged-port "dnsmasq -k -C /dev/null --no-resolv --listen-address=127.0.0.1 --bind-interfaces --port=53 --pid-file= --user=nobody"
    nobody dnsmasq-port-in-use "dnsmasq -k -C /dev/null --no-resolv --listen-address=127.0.0.1 --bind-interfaces --port=48652 --pid-file= --user=nobody"
    nobody dnsmasq-config-syntax-error "dnsmasq -k -C $work/dnsmasq.conf --port=48690 --pid-file= --user=nobody"
    nobody dnsmasq-config-missing "dnsmasq -k -C $work/dnsmasq.d/local.conf --port=48690 --pid-file= --user=nobody"
else
    skip "the dnsmasq cases" dnsmasq
fi

# ---------------------------------------------------------------------------- squid
if have squid; then
    mkdir -p "$work/squid/logs" "$work/squid/cache"
    chown -R proxy "$work/squid/logs"
    squid_conf() {  # squid_conf FILE PORT CACHE_DIR_LINE
        printf 'http_port 127.0.0.1:%s\nhttp_access allow localhost\nhttp_access deny all\ncache_effective_user proxy\npid_filename none\naccess_log none\ncache_log %s/squid/logs/cache.log\n%s\n' \
            "$2" "$work" "$3" > "$1"
    }
    squid_conf "$work/squid/in-use.conf" 48652 ""
    squid_conf "$work/squid/cache.conf" 48695 "cache_dir ufs $work/squid/cache 100 16 256"
    wrap squid-port-in-use-compose "compose proxy-1" squid -N -d 1 -f "$work/squid/in-use.conf"
    run squid-cache-dir-not-writable squid -N -d 1 -z -f "$work/squid/cache.conf"
else
    skip "the squid cases" squid
fi
