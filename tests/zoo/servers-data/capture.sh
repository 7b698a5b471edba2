#!/bin/sh
# Regenerates the captures of this folder by running real data servers and their clients failing
# on this machine: redis-server (port taken, a bad and a missing config file, a `dir` that does
# not exist, an append-only dir `nobody` may not create) and redis-cli (closed port, wrong or no
# password, unresolvable host); postgres 15 (port taken, a data directory with loose permissions,
# owned by root, or missing) and psql (closed port, wrong password, no such database); mariadbd
# (port taken, a missing datadir, a root-owned one under `nobody`) and its client (Access denied,
# Unknown database); a RabbitMQ node (AMQP port taken: eaddrinuse; an .erlang.cookie readable by
# others); supervisord 4 with nodaemon and its log on stdout (a command not found, a Python
# worker importing a missing module, redis-server with `daemonize yes`).
# Needs: redis-server, postgresql 15 (/usr/lib/postgresql/15/bin), mariadb-server, and for the
# RabbitMQ cases rabbitmq-server (apt-get install -y --no-install-recommends rabbitmq-server, then
# `service rabbitmq-server stop`: the node here runs from the work directory, never the system
# one); supervisor is pip-installed into /tmp/zoo-servers-data-venv (made from Debian's python3 if
# missing). Runs as root; postgres, rabbitmq and some redis/mariadb cases run as `nobody` through
# `su nobody -s /bin/sh -c` (mariadbd otherwise drops to `nobody` itself with --user=nobody).
# The system redis-server, postgresql and mariadb services are never touched and must be stopped.
# Ports: 47550-47599 only (redis 47550-47557, postgres 47560-47562, mariadb 47570-47572, rabbitmq
# 47580-47584 with its own epmd on 47582; 47553, 47561 and 47571 stay closed). Work directory:
# /tmp/zoo-servers-data (removed at start and at exit).
# Wrapped in noise: redis-port-in-use-compose and supervisord-redis-daemonized-compose (a
# compose-style `cache_1  | ` prefix); redis-cli-refused-timestamps and
# mariadb-access-denied-timestamps (a timestamping `while read` loop, as a log shipper adds).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=/tmp/zoo-servers-data
venv=/tmp/zoo-servers-data-venv
pgbin=/usr/lib/postgresql/15/bin
command -v redis-server >/dev/null || { echo "redis-server not installed: skipping"; exit 0; }
rm -rf "$work"
redis_holder= redis_auth= mariadb= epmd= holder=
cleanup() {
    for pid in $redis_holder $redis_auth $mariadb $holder $epmd; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    # The redis that daemonized under supervisord, a supervisord or a rabbitmq node cut short.
    [ -f "$work/redis-daemon.pid" ] && kill "$(cat "$work/redis-daemon.pid")" 2>/dev/null || true
    [ -f "$work/supervisord.pid" ] && kill "$(cat "$work/supervisord.pid")" 2>/dev/null || true
    [ -f "$work/rabbitmq/node.pid" ] && kill -- "-$(cat "$work/rabbitmq/node.pid")" 2>/dev/null || true
    [ -f "$work/pg/data/postmaster.pid" ] && su nobody -s /bin/sh -c "$pgbin/pg_ctl -D $work/pg/data -m immediate -w stop" >/dev/null 2>&1 || true
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
compose() { sed 's/^/cache_1  | /'; }
as_nobody() { su nobody -s /bin/sh -c "cd $work && timeout 60 $1"; }

# ---------------------------------------------------------------------------- redis
mkdir -p redis
# A first redis holds 47550; a second one started on the same port cannot listen.
redis-server --port 47550 --save '' --dir "$work/redis" >/dev/null 2>&1 &
redis_holder=$!
wait_port 47550
(cd redis && timeout 20 redis-server --port 47550) > "$here/redis-port-in-use.log" 2>&1 || true
(cd redis && timeout 20 redis-server --port 47550 2>&1 | compose) > "$here/redis-port-in-use-compose.log" || true

# A misspelled directive at line 4 of the config file.
cat > redis/redis.conf <<'CONF'
port 47552
bind 127.0.0.1
maxmemory 256mb
maxmemory-polcy allkeys-lru
CONF
timeout 20 redis-server "$work/redis/redis.conf" > "$here/redis-config-syntax.log" 2>&1 || true
# The config file given on the command line is not there.
timeout 20 redis-server "$work/redis/etc/redis.conf" > "$here/redis-config-missing.log" 2>&1 || true
# `dir` names a directory that was never created.
cat > redis/nodir.conf <<CONF
port 47556
bind 127.0.0.1
dir $work/redis/data
CONF
timeout 20 redis-server "$work/redis/nodir.conf" > "$here/redis-dir-missing.log" 2>&1 || true
# As nobody, with `dir` a root-owned directory: appendonly cannot create appendonlydir in it.
mkdir -p redis/aof
chmod 755 redis redis/aof
cat > redis/aof.conf <<CONF
port 47555
bind 127.0.0.1
dir $work/redis/aof
appendonly yes
CONF
chmod 644 redis/aof.conf
as_nobody "redis-server $work/redis/aof.conf" > "$here/redis-aof-permission-denied.log" 2>&1 || true

# redis-cli: a closed port, an unresolvable host, and a server with requirepass.
timeout 20 redis-cli -h 127.0.0.1 -p 47553 ping > "$here/redis-cli-refused.log" 2>&1 || true
timeout 20 redis-cli -h 127.0.0.1 -p 47553 ping 2>&1 | stamp > "$here/redis-cli-refused-timestamps.log" || true
timeout 20 redis-cli -h redis-cache -p 47553 ping > "$here/redis-cli-unresolvable.log" 2>&1 || true
redis-server --port 47554 --bind 127.0.0.1 --save '' --dir "$work/redis" \
    --requirepass "throwaway-$(date +%s)" >/dev/null 2>&1 &
redis_auth=$!
wait_port 47554
timeout 20 redis-cli -h 127.0.0.1 -p 47554 -a wrong-password ping > "$here/redis-cli-wrongpass.log" 2>&1 || true
timeout 20 redis-cli -h 127.0.0.1 -p 47554 set session:1 ok > "$here/redis-cli-noauth.log" 2>&1 || true
for pid in $redis_holder $redis_auth; do kill "$pid"; wait "$pid" 2>/dev/null || true; done
redis_holder= redis_auth=

# ---------------------------------------------------------------------------- postgres
if [ -x "$pgbin/postgres" ]; then
    mkdir -p pg/sock pg/sock2
    printf 'pg-throwaway-%s\n' "$(date +%s)" > pg/pwfile
    chmod 644 pg/pwfile
    chown nobody:nogroup pg pg/sock pg/sock2
    as_nobody "$pgbin/initdb -D $work/pg/data -U postgres --pwfile=$work/pg/pwfile --auth=scram-sha-256" >/dev/null 2>&1
    cp -a pg/data pg/data2
    as_nobody "$pgbin/pg_ctl -D $work/pg/data -l $work/pg/server.log -w -o '-p 47560 -k $work/pg/sock -c listen_addresses=127.0.0.1' start" >/dev/null 2>&1
    pw=$(cat pg/pwfile)
    unset PGHOST PGPORT PGUSER PGDATABASE PGPASSWORD PGSERVICE 2>/dev/null || true
    export PGPASSFILE=/dev/null PGCONNECT_TIMEOUT=10
    PGPASSWORD=$pw psql -h 127.0.0.1 -p 47560 -U postgres -d postgres -q \
        -c "CREATE ROLE shop LOGIN PASSWORD '$pw'" >/dev/null
    # A second cluster on the port the first one holds.
    as_nobody "$pgbin/postgres -D $work/pg/data2 -p 47560 -k $work/pg/sock2 -c listen_addresses=127.0.0.1" \
        > "$here/postgres-port-in-use.log" 2>&1 || true
    # The same data directory left group- and world-readable (0755).
    chmod 755 pg/data2
    as_nobody "$pgbin/postgres -D $work/pg/data2 -p 47562 -k $work/pg/sock2 -c listen_addresses=127.0.0.1" \
        > "$here/postgres-data-permissions.log" 2>&1 || true
    # The same data directory owned by root (0700): nobody cannot read postgresql.conf in it.
    chmod 700 pg/data2
    chown -R root:root pg/data2
    as_nobody "$pgbin/postgres -D $work/pg/data2 -p 47562 -k $work/pg/sock2 -c listen_addresses=127.0.0.1" \
        > "$here/postgres-data-owner.log" 2>&1 || true
    # A data directory that was never initialized (the volume path is wrong).
    as_nobody "$pgbin/postgres -D $work/pg/pgdata -p 47562 -k $work/pg/sock2 -c listen_addresses=127.0.0.1" \
        > "$here/postgres-data-missing.log" 2>&1 || true
    # psql: a closed port, a wrong password, a database that was never created.
    PGPASSWORD=wrong-password timeout 20 psql -h 127.0.0.1 -p 47561 -U shop -d shop -c 'select 1' \
        > "$here/psql-refused.log" 2>&1 || true
    PGPASSWORD=wrong-password timeout 20 psql -h 127.0.0.1 -p 47560 -U shop -d shop -c 'select 1' \
        > "$here/psql-auth-failed.log" 2>&1 || true
    PGPASSWORD=$pw timeout 20 psql -h 127.0.0.1 -p 47560 -U shop -d shop -c 'select 1' \
        > "$here/psql-database-missing.log" 2>&1 || true
    as_nobody "$pgbin/pg_ctl -D $work/pg/data -m fast -w stop" >/dev/null 2>&1 || true
fi

# ---------------------------------------------------------------------------- mariadb
if command -v mariadbd >/dev/null; then
    mkdir -p mariadb/data mariadb/data2 mariadb/run mariadb/volume
    chown nobody:nogroup mariadb/data mariadb/data2 mariadb/run
    chmod 700 mariadb/volume
    for dir in data data2; do
        mariadb-install-db --no-defaults --user=nobody --datadir="$work/mariadb/$dir" \
            --auth-root-authentication-method=normal --skip-test-db >/dev/null 2>&1
    done
    mariadbd --no-defaults --user=nobody --datadir="$work/mariadb/data" --port=47570 \
        --bind-address=127.0.0.1 --socket="$work/mariadb/run/mysqld.sock" \
        --pid-file="$work/mariadb/run/mysqld.pid" >/dev/null 2>&1 &
    mariadb=$!
    wait_port 47570
    pw=throwaway-$(date +%s)
    mariadb --no-defaults -uroot --socket="$work/mariadb/run/mysqld.sock" \
        -e "CREATE USER 'shop'@'localhost' IDENTIFIED BY '$pw'; GRANT ALL ON *.* TO 'shop'@'localhost';"
    # A second server (its own datadir) on the port the first one holds.
    timeout 60 mariadbd --no-defaults --user=nobody --datadir="$work/mariadb/data2" --port=47570 \
        --bind-address=127.0.0.1 --socket="$work/mariadb/run/second.sock" \
        --pid-file="$work/mariadb/run/second.pid" > "$here/mariadb-port-in-use.log" 2>&1 || true
    # A datadir that does not exist.
    timeout 60 mariadbd --no-defaults --user=nobody --datadir="$work/mariadb/missing" --port=47572 \
        --bind-address=127.0.0.1 --socket="$work/mariadb/run/third.sock" \
        --pid-file="$work/mariadb/run/third.pid" > "$here/mariadb-datadir-missing.log" 2>&1 || true
    # Run as nobody (a container's `user:`) on a root-owned 0700 volume.
    as_nobody "mariadbd --no-defaults --datadir=$work/mariadb/volume --port=47572 --bind-address=127.0.0.1 --socket=$work/mariadb/run/third.sock --pid-file=$work/mariadb/run/third.pid" \
        > "$here/mariadb-datadir-permission-denied.log" 2>&1 || true
    # The clients: a wrong password, then a database that was never created.
    timeout 20 mariadb --no-defaults -h 127.0.0.1 -P 47570 -u shop -pwrong-password shop -e 'select 1' \
        > "$here/mariadb-access-denied.log" 2>&1 || true
    timeout 20 mariadb --no-defaults -h 127.0.0.1 -P 47570 -u shop -pwrong-password shop -e 'select 1' 2>&1 \
        | stamp > "$here/mariadb-access-denied-timestamps.log" || true
    MYSQL_PWD=$pw timeout 20 mysql --no-defaults -h 127.0.0.1 -P 47570 -u shop shop -e 'select 1' \
        > "$here/mysql-unknown-database.log" 2>&1 || true
    kill "$mariadb"; wait "$mariadb" 2>/dev/null || true
    mariadb=
fi

# ---------------------------------------------------------------------------- rabbitmq
if [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] && command -v epmd >/dev/null; then
    rmq=$work/rabbitmq
    mkdir -p "$rmq/home" "$rmq/mnesia" "$rmq/log"
    printf '[].\n' > "$rmq/enabled_plugins"
    : > "$rmq/rabbitmq-env.conf"
    # Each node runs as nobody from the work directory, on its own epmd; node.pid is the
    # process group (timeout's) that holds the whole node.
    cat > "$rmq/node.sh" <<SH
cd $rmq
echo \$\$ > $rmq/node.pid
export HOME=$rmq/home ERL_EPMD_PORT=47582 RABBITMQ_NODE_PORT=\$1 RABBITMQ_DIST_PORT=\$2 \\
    RABBITMQ_NODENAME=zoo@localhost \\
    RABBITMQ_MNESIA_BASE=$rmq/mnesia RABBITMQ_LOG_BASE=$rmq/log RABBITMQ_LOGS=- \\
    RABBITMQ_ENABLED_PLUGINS_FILE=$rmq/enabled_plugins RABBITMQ_CONF_ENV_FILE=$rmq/rabbitmq-env.conf \\
    RABBITMQ_CONFIG_FILE=$rmq/rabbitmq RABBITMQ_ADVANCED_CONFIG_FILE=$rmq/advanced.config
exec timeout 90 /usr/lib/rabbitmq/bin/rabbitmq-server
SH
    printf 'zoo-throwaway-cookie-%s' "$(date +%s)" > "$rmq/home/.erlang.cookie"
    chmod 400 "$rmq/home/.erlang.cookie"
    chown -R nobody:nogroup "$rmq"
    epmd -port 47582 &
    epmd=$!
    # Another listener holds the AMQP port on every IPv4 address.
    /usr/bin/python3 -c 'import socket, time
s = socket.socket()
s.bind(("0.0.0.0", 47580))
s.listen()
time.sleep(300)' &
    holder=$!
    wait_port 47582
    wait_port 47580
    # Kept from the node's last boot step on: a pasted tail, not the 300 lines of boot before.
    su nobody -s /bin/sh -c "sh $rmq/node.sh 47580 47581" > "$work/rabbitmq-port.out" 2>&1 || true
    rm -f "$rmq/node.pid"
    sed -n '/Ready to start client connection listeners/,$p' "$work/rabbitmq-port.out" \
        > "$here/rabbitmq-port-in-use.log"
    [ -s "$here/rabbitmq-port-in-use.log" ] || cp "$work/rabbitmq-port.out" "$here/rabbitmq-port-in-use.log"
    kill "$holder"; wait "$holder" 2>/dev/null || true
    holder=
    # The cookie left readable by group and others (0644): the Erlang VM refuses it.
    rm -rf "$rmq/mnesia" && mkdir "$rmq/mnesia" && chown nobody:nogroup "$rmq/mnesia"
    chmod 644 "$rmq/home/.erlang.cookie"
    su nobody -s /bin/sh -c "sh $rmq/node.sh 47583 47584" > "$here/rabbitmq-cookie-permissions.log" 2>&1 || true
    rm -f "$rmq/node.pid"
    kill "$epmd"; wait "$epmd" 2>/dev/null || true
    epmd=
else
    echo "rabbitmq-server not installed: skipping its cases"
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
pidfile=$work/supervisord.pid
loglevel=info

$2
redirect_stderr=true
stdout_logfile=/dev/stdout
stdout_logfile_maxbytes=0
CONF
    rm -f supervisord.pid
    : > "sv/$1.out"
    # stdout a pipe, as under docker: supervisord reopens /dev/stdout for the program's output.
    env PATH=/usr/local/bin:/usr/bin:/bin "$venv/bin/supervisord" -c "sv/$1.conf" 2>&1 | cat > "sv/$1.out" &
    pipe=$!
    i=0
    while [ $i -lt 120 ] && ! grep -q "gave up:" "sv/$1.out"; do sleep 0.25; i=$((i + 1)); done
    [ -f supervisord.pid ] && kill "$(cat supervisord.pid)" 2>/dev/null || true
    wait "$pipe" 2>/dev/null || true
}
# A celery worker in a Python image that never installed celery.
supervise missing-command '[program:worker]
command=celery -A shop worker --loglevel=info
directory='"$work"'/sv'
cp sv/missing-command.out "$here/supervisord-missing-command.log"
# A worker whose import fails: it exits 1 at once, and supervisord gives up.
cat > sv/worker.py <<'PY'
import os

import redis

queue = redis.Redis.from_url(os.environ.get("REDIS_URL", "redis://127.0.0.1:47553/0"))
print("worker started", flush=True)
PY
supervise missing-module '[program:worker]
command=/usr/bin/python3 '"$work"'/sv/worker.py
directory='"$work"'/sv
startsecs=10
startretries=1'
cp sv/missing-module.out "$here/supervisord-missing-module.log"
# redis-server with `daemonize yes`: it forks to the background and exits 0 at once.
cat > sv/redis.conf <<CONF
port 47551
bind 127.0.0.1
daemonize yes
pidfile $work/redis-daemon.pid
dir $work/sv
save ""
CONF
supervise redis-daemonized '[program:redis-server]
command=redis-server '"$work"'/sv/redis.conf
startsecs=10
startretries=2'
cp sv/redis-daemonized.out "$here/supervisord-redis-daemonized.log"
redis-cli -p 47551 shutdown nosave >/dev/null 2>&1 || true
rm -f redis-daemon.pid
sleep 0.5
supervise redis-daemonized-again '[program:redis-server]
command=redis-server '"$work"'/sv/redis.conf
startsecs=10
startretries=2'
compose < sv/redis-daemonized-again.out > "$here/supervisord-redis-daemonized-compose.log"
redis-cli -p 47551 shutdown nosave >/dev/null 2>&1 || true

echo "captured into $here"
