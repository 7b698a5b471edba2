#!/bin/sh
# Regenerates the captures of this folder by running database servers and the drivers and ORMs
# people use with them, failing for real on this machine: postgres 15 itself (a
# postgresql.conf naming a parameter that does not exist, `shared_buffer`; a
# unix_socket_directories never created; a second, socket-only postmaster on a port whose socket
# lock file a first one holds; port 543 as `nobody`; shared_preload_libraries naming timescaledb,
# not installed, behind a compose prefix; Debian's layout with config_file in etc/ and a data
# directory never initialised), psql running init scripts (a `CREATE TABEL` under
# ON_ERROR_STOP; `CREATE EXTENSION postgis`, not installed, timestamped), against a real
# postgres whose pg_hba.conf admits only the role app: asyncpg, Django's `manage.py migrate`
# over psycopg 3 (compose prefix) and the Ruby pg gem as a role no pg_hba.conf line admits,
# PHP PDO pgsql on a database never created and on a host `postgres` that does not resolve
# (under a wrapper saying the exit code), Node pg with its password left undefined (SCRAM's
# `client password must be a string`); psycopg_pool refused on a closed port (timestamped);
# Django with a mysql ENGINE and no mysqlclient; mariadbd with its socket in a directory never
# created, the mariadb client on a socket no server made, mysql2's socketPath the same under
# `npm start`, PHP PDO mysql's `[2002] No such file or directory`, sequelize with a wrong
# password against a real mariadbd and on a host `mysql` that does not resolve (compose prefix);
# SQLite: the sqlite3 CLI on a file in a directory never created, PHP PDO sqlite the same,
# SQLAlchemy 2 writing a root-owned database as `nobody`.
# Needs: postgresql 15 (/usr/lib/postgresql/15/bin, run as `nobody`), mariadb-server (mariadbd
# drops to `nobody` with --user=nobody), sqlite3, `php8.2-cli php8.2-pgsql php8.2-mysql
# php8.2-sqlite3`, `ruby ruby-pg`, node + npm, Debian's python3 with venv, `su nobody`. pip
# installs, only if missing, into /tmp/zoo-databases-2/venv (psycopg[binary] psycopg-pool asyncpg
# sqlalchemy django pymysql); npm installs pg mysql2 sequelize into /tmp/zoo-databases-2/npm.
# A program that is missing skips its cases with a message.
# Ports: 48350-48399 only. A real postgres on 48350 (as nobody, scram-sha-256, pg_hba admitting
# only app); postgres started only to fail on 48351, a socket-only postmaster holding the socket
# lock of 48352 and a second one refused it; 48359 closed (nothing listens); a real mariadbd on
# 48370 (as nobody), one started only to fail on 48371; 543 as `nobody`, refused before anything
# binds.
# Work directory: /tmp/zoo-databases-2/work (removed at start and at exit).
# Wrapped in noise: postgres-preload-missing-compose, django-migrate-no-hba-entry-compose,
# sequelize-unresolvable-compose (compose prefixes); psql-extension-missing-timestamps,
# psycopg-pool-refused-timestamps (lib.sh stamp); pdo-pgsql-unresolvable-entrypoint (a shell
# wrapper saying the exit code); mysql2-socket-missing-npm (npm start).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
pgbin=/usr/lib/postgresql/15/bin
base=/tmp/zoo-databases-2
work=$base/work
rm -rf "$work"
mkdir -p "$base"
chmod 755 "$base"
pg_up= holder_pg= my_pid=
. "$here/../lib.sh"  # stamp, wait_port, stop
cleanup() {
    if [ -n "$pg_up" ]; then
        su nobody -s /bin/sh -c "$pgbin/pg_ctl -D $work/pg/main -m immediate -w stop" >/dev/null 2>&1 || true
    fi
    if [ -n "$holder_pg" ]; then
        su nobody -s /bin/sh -c "$pgbin/pg_ctl -D $work/pg/first -m immediate -w stop" >/dev/null 2>&1 || true
    fi
    stop "$my_pid"
    sleep 0.5
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
mkdir -p "$work"
chmod 755 "$work"
export PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1

compose() { sed "s/^/$1  | /"; }
run() {  # run NAME DIR COMMAND...: capture COMMAND run in DIR, bounded by timeout
    name=$1 dir=$2; shift 2
    (cd "$dir" && timeout 60 "$@") > "$here/$name.log" 2>&1 || true
}
wrap() {  # wrap NAME DIR FILTER COMMAND...: as run, the output piped through FILTER
    name=$1 dir=$2 filter=$3; shift 3
    (cd "$dir" && timeout 60 "$@" 2>&1 | $filter) > "$here/$name.log" 2>&1 || true
}
nobody() {  # nobody NAME DIR SECONDS COMMAND: capture the shell COMMAND run as nobody in DIR
    (cd "$2" && su nobody -s /bin/sh -c "cd $2 && timeout $3 $4") > "$here/$1.log" 2>&1 || true
}
as_nobody() { su nobody -s /bin/sh -c "$1"; }
have() { command -v "$1" >/dev/null 2>&1 || [ -x "$1" ]; }

# ---------------------------------------------------------------------------- installs
V=$base/venv
have_venv=true
if [ ! -f "$V/.built" ]; then
    rm -rf "$V"
    { $py -m venv "$V" && "$V/bin/pip" install -q "psycopg[binary]" psycopg-pool asyncpg \
        sqlalchemy django pymysql && touch "$V/.built"; } >/dev/null 2>&1 || true
fi
[ -f "$V/.built" ] || { echo "venv: cannot build, skipping the Python clients"; have_venv=false; }
P=$V/bin/python
have_npm=false
if have npm; then
    mkdir -p "$base/npm"
    if [ ! -d "$base/npm/node_modules/sequelize" ]; then
        (cd "$base/npm" && { [ -f package.json ] || npm init -y >/dev/null; } \
            && npm install -s pg mysql2 sequelize >/dev/null 2>&1) || true
    fi
    [ -d "$base/npm/node_modules/sequelize" ] && have_npm=true
fi
$have_npm || echo "no npm packages: skipping the Node cases"
have_php() { have php && php -m | grep -qx "$1"; }
have_rubypg=false
have ruby && ruby -e 'require "pg"' >/dev/null 2>&1 && have_rubypg=true

# ---------------------------------------------------------------------------- postgres server
pg=$work/pg
mkdir -p "$pg/sock" "$pg/etc"
chmod 755 "$pg" "$pg/etc"
chown nobody "$pg" "$pg/sock"
have_pg=false
if [ -x "$pgbin/postgres" ]; then
    echo s3cret > "$pg/pwfile"
    chmod 644 "$pg/pwfile"
    as_nobody "$pgbin/initdb -D $pg/main -U postgres --pwfile=$pg/pwfile --auth-host=scram-sha-256 --auth-local=trust" >/dev/null 2>&1
    # Only the role app may log in over TCP; every other role has no pg_hba.conf line.
    printf 'local all all trust\nhost all app 127.0.0.1/32 scram-sha-256\n' > "$pg/main/pg_hba.conf"
    chown nobody "$pg/main/pg_hba.conf"

    # The tuning file the service mounts as its config_file misspells shared_buffers (line 4).
    cat > "$pg/etc/postgresql.conf" <<EOF
# mounted from ./config/postgresql.conf
listen_addresses = '127.0.0.1'
port = 48351
shared_buffer = 128MB
max_connections = 50
unix_socket_directories = '$pg/sock'
EOF
    chmod 644 "$pg/etc/postgresql.conf"
    nobody postgres-unrecognized-parameter "$pg" 20 "$pgbin/postgres -D $pg/main -c config_file=$pg/etc/postgresql.conf"
    # unix_socket_directories names run/postgresql, never created (the image's /var/run/postgresql).
    nobody postgres-socket-dir-missing "$pg" 20 "$pgbin/postgres -D $pg/main -p 48351 -k $pg/run/postgresql -c listen_addresses=127.0.0.1"
    # As nobody, port 543: below 1024, only root may bind it.
    nobody postgres-privileged-port "$pg" 20 "$pgbin/postgres -D $pg/main -p 543 -k $pg/sock -c listen_addresses=127.0.0.1"
    # shared_preload_libraries names timescaledb, whose package is not installed.
    (cd "$pg" && su nobody -s /bin/sh -c "cd $pg && timeout 20 $pgbin/postgres -D $pg/main -p 48351 -k $pg/sock -c listen_addresses=127.0.0.1 -c shared_preload_libraries=timescaledb" 2>&1 \
        | compose db_1) > "$here/postgres-preload-missing-compose.log" 2>&1 || true
    # Debian's layout: config_file in etc/, the data directory a fresh volume never initialised.
    mkdir -p "$pg/volume"
    chown nobody "$pg/volume"
    chmod 700 "$pg/volume"
    sed "s/^shared_buffer /shared_buffers /" "$pg/etc/postgresql.conf" > "$pg/etc/debian.conf"
    chmod 644 "$pg/etc/debian.conf"
    nobody postgres-empty-data-directory "$pg" 20 "$pgbin/postgres -D $pg/volume -c config_file=$pg/etc/debian.conf"
    # A socket-only postmaster (listen_addresses empty, as an image's init phase runs it) holds
    # the socket lock of 48352; a second cluster is started on the same port and socket dir.
    as_nobody "$pgbin/initdb -D $pg/first -U postgres --auth-local=trust" >/dev/null 2>&1
    cp -a "$pg/first" "$pg/second"
    if as_nobody "$pgbin/pg_ctl -D $pg/first -l $pg/first.log -w -o \"-p 48352 -k $pg/sock -c listen_addresses=''\" start" >/dev/null 2>&1; then
        holder_pg=1
        nobody postgres-socket-lock-held "$pg" 20 "$pgbin/postgres -D $pg/second -p 48352 -k $pg/sock -c listen_addresses="
        as_nobody "$pgbin/pg_ctl -D $pg/first -m fast -w stop" >/dev/null 2>&1 || true
        holder_pg=
    fi

    # The real server the clients meet: app / s3cret owns shop.
    if as_nobody "$pgbin/pg_ctl -D $pg/main -l $pg/main.log -w -o \"-p 48350 -k $pg/sock -c listen_addresses=127.0.0.1\" start" >/dev/null 2>&1; then
        pg_up=1
        as_nobody "$pgbin/psql -h $pg/sock -p 48350 -U postgres -q -c \"CREATE ROLE app LOGIN PASSWORD 's3cret'\" -c 'CREATE DATABASE shop OWNER app'" >/dev/null 2>&1
        have_pg=true
    else
        echo "postgres did not start: skipping the client cases"
    fi
else
    echo "no postgres 15: skipping its cases"
fi

# ---------------------------------------------------------------------------- psql init scripts
if $have_pg; then
    i=$work/initdb.d
    mkdir -p "$i"
    # Line 3 types CREATE TABEL.
    cat > "$i/01-schema.sql" <<'SQL'
-- schema for the shop service
BEGIN;
CREATE TABEL orders (id serial PRIMARY KEY, total numeric NOT NULL);
COMMIT;
SQL
    run psql-init-syntax-error "$i" psql -h "$pg/sock" -p 48350 -U postgres -d shop -X -q \
        -v ON_ERROR_STOP=1 -f "$i/01-schema.sql"
    # The geo service's first script needs PostGIS, never installed on this server.
    printf 'CREATE EXTENSION IF NOT EXISTS postgis;\nCREATE TABLE places (id serial PRIMARY KEY, geom geometry(Point, 4326));\n' > "$i/00-postgis.sql"
    (cd "$i" && timeout 60 psql -h "$pg/sock" -p 48350 -U postgres -d shop -X -q -v ON_ERROR_STOP=1 \
        -f "$i/00-postgis.sql" 2>&1 | stamp) > "$here/psql-extension-missing-timestamps.log" 2>&1 || true
fi

# ---------------------------------------------------------------------------- python clients
y=$work/py
mkdir -p "$y"
chmod 755 "$y"
if $have_venv && $have_pg; then
    # The reporting job logs in as report, a role pg_hba.conf has no line for.
    cat > "$y/report.py" <<'PY'
import asyncio
import os

import asyncpg


async def main():
    conn = await asyncpg.connect(os.environ["DATABASE_URL"])
    print(await conn.fetchval("select count(*) from orders"))


asyncio.run(main())
PY
    run asyncpg-no-hba-entry "$y" env DATABASE_URL=postgresql://report:report@127.0.0.1:48350/analytics "$P" report.py
fi
if $have_venv; then
    cat > "$y/pool.py" <<'PY'
import logging
import os

from psycopg_pool import ConnectionPool

logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
log = logging.getLogger("orders.api")

pool = ConnectionPool(os.environ["DATABASE_URL"], min_size=1, open=False, reconnect_timeout=4)
pool.open(wait=True, timeout=4)
with pool.connection() as conn:
    log.info("ready: %s", conn.execute("select 1").fetchone())
PY
    (cd "$y" && DATABASE_URL="postgresql://app:s3cret@127.0.0.1:48359/shop" timeout 60 "$P" pool.py 2>&1 | stamp) \
        > "$here/psycopg-pool-refused-timestamps.log" 2>&1 || true

    # A Django project whose settings read the database from the environment.
    d=$work/django
    mkdir -p "$d/shop"
    : > "$d/shop/__init__.py"
    cat > "$d/shop/settings.py" <<'PY'
import os

SECRET_KEY = "zoo-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth"]
DATABASES = {
    "default": {
        "ENGINE": os.environ.get("DB_ENGINE", "django.db.backends.postgresql"),
        "HOST": os.environ.get("DB_HOST", "127.0.0.1"),
        "PORT": os.environ.get("DB_PORT", "5432"),
        "NAME": os.environ.get("DB_NAME", "shop"),
        "USER": os.environ.get("DB_USER", "app"),
        "PASSWORD": os.environ.get("DB_PASSWORD", ""),
    }
}
USE_TZ = True
PY
    cat > "$d/manage.py" <<'PY'
#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
PY
    if $have_pg; then
        # The compose file gives the web service DB_USER=shop_web, a role pg_hba.conf never admits.
        wrap django-migrate-no-hba-entry-compose "$d" "compose web_1" env DB_PORT=48350 \
            DB_USER=shop_web DB_PASSWORD=s3cret "$P" manage.py migrate --noinput
    fi
    # DB_ENGINE says mysql; mysqlclient (MySQLdb) was never installed, only PyMySQL.
    run django-mysql-no-mysqlclient "$d" env DB_ENGINE=django.db.backends.mysql DB_PORT=48370 \
        DB_USER=app DB_PASSWORD=s3cret "$P" manage.py migrate --noinput

    # As nobody, the app writes app.db, a database file root created and owns (0644, dir 0755).
    s=$work/sqlite-ro
    mkdir -p "$s"
    $py -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute("create table visits (id integer primary key, path text)"); c.commit()' "$s/app.db"
    chmod 755 "$s"
    chmod 644 "$s/app.db"
    cat > "$s/track.py" <<'PY'
from sqlalchemy import create_engine, text

engine = create_engine("sqlite:///app.db")
with engine.begin() as conn:
    conn.execute(text("insert into visits (path) values (:p)"), {"p": "/"})
PY
    chmod 644 "$s/track.py"
    nobody sqlalchemy-sqlite-readonly-nobody "$s" 30 "$P track.py"
fi

# ---------------------------------------------------------------------------- ruby pg
if $have_rubypg && $have_pg; then
    r=$work/ruby
    mkdir -p "$r"
    cat > "$r/worker.rb" <<'RB'
require "pg"

conn = PG.connect(host: ENV.fetch("PGHOST"), port: ENV.fetch("PGPORT"), user: ENV.fetch("PGUSER"),
                  password: ENV.fetch("PGPASSWORD"), dbname: ENV.fetch("PGDATABASE"))
puts conn.exec("select 1").getvalue(0, 0)
RB
    run ruby-pg-no-hba-entry "$r" env PGHOST=127.0.0.1 PGPORT=48350 PGUSER=billing \
        PGPASSWORD=s3cret PGDATABASE=shop ruby worker.rb
elif ! $have_rubypg; then
    echo "no ruby with the pg gem: skipping its case"
fi

# ---------------------------------------------------------------------------- php pdo
h=$work/php
mkdir -p "$h"
cat > "$h/run.sh" <<'SH'
#!/bin/sh
"$@"
status=$?
echo "app exited with code $status"
exit $status
SH
chmod 755 "$h/run.sh"
if have_php pdo_pgsql; then
    cat > "$h/pg.php" <<'PHP'
<?php
$dsn = sprintf('pgsql:host=%s;port=%s;dbname=%s', getenv('DB_HOST'), getenv('DB_PORT'), getenv('DB_NAME'));
$pdo = new PDO($dsn, getenv('DB_USER'), getenv('DB_PASSWORD'), [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION]);
echo $pdo->query('select 1')->fetchColumn(), "\n";
PHP
    if $have_pg; then
        # shop_test, the test suite's database, was never created.
        run pdo-pgsql-database-missing "$h" env DB_HOST=127.0.0.1 DB_PORT=48350 DB_NAME=shop_test \
            DB_USER=app DB_PASSWORD=s3cret php pg.php
    fi
    # DB_HOST is postgres, the compose service name, which does not resolve here.
    run pdo-pgsql-unresolvable-entrypoint "$h" env DB_HOST=postgres DB_PORT=5432 DB_NAME=shop \
        DB_USER=app DB_PASSWORD=s3cret ./run.sh php pg.php
else
    echo "no php pdo_pgsql: skipping its cases"
fi
if have_php pdo_mysql; then
    # DB_SOCKET names the socket mysqld would make; no server runs there.
    cat > "$h/my.php" <<'PHP'
<?php
$dsn = sprintf('mysql:unix_socket=%s;dbname=%s', getenv('DB_SOCKET'), getenv('DB_NAME'));
$pdo = new PDO($dsn, getenv('DB_USER'), getenv('DB_PASSWORD'), [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION]);
echo $pdo->query('select 1')->fetchColumn(), "\n";
PHP
    run pdo-mysql-socket-missing "$h" env DB_SOCKET="$work/mysql/mysqld.sock" DB_NAME=shop \
        DB_USER=app DB_PASSWORD=s3cret php my.php
else
    echo "no php pdo_mysql: skipping its case"
fi
if have_php pdo_sqlite; then
    # var/ was never created (the deploy skipped `mkdir var`).
    cat > "$h/sqlite.php" <<'PHP'
<?php
$pdo = new PDO('sqlite:' . __DIR__ . '/var/data.db', null, null, [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION]);
$pdo->exec('create table if not exists jobs (id integer primary key, name text)');
PHP
    run pdo-sqlite-unable-to-open "$h" php sqlite.php
else
    echo "no php pdo_sqlite: skipping its case"
fi

# ---------------------------------------------------------------------------- sqlite3 cli
if have sqlite3; then
    q=$work/sqlite
    mkdir -p "$q"
    # data/ was never created.
    run sqlite3-unable-to-open "$q" sqlite3 data/app.db "create table if not exists jobs (id integer primary key);"
else
    echo "no sqlite3: skipping its case"
fi

# ---------------------------------------------------------------------------- mariadb
my=$work/mysql
mkdir -p "$my/run"
chmod 755 "$my" "$my/run"
chown nobody "$my/run"
have_my=false
if have mariadbd && have mariadb-install-db; then
    mariadb-install-db --no-defaults --user=nobody --datadir="$my/data" \
        --auth-root-authentication-method=normal >/dev/null 2>&1
    # --socket names run/mysqld/mysqld.sock; run/mysqld was never created.
    run mariadbd-socket-dir-missing "$my" mariadbd --no-defaults --user=nobody --datadir="$my/data" \
        --port=48371 --bind-address=127.0.0.1 --socket="$my/run/mysqld/mysqld.sock" \
        --pid-file="$my/run/fail.pid" --skip-log-bin
    mariadbd --no-defaults --user=nobody --datadir="$my/data" --port=48370 --bind-address=127.0.0.1 \
        --socket="$my/run/ok.sock" --pid-file="$my/run/ok.pid" > "$my/server.log" 2>&1 &
    my_pid=$!
    wait_port 48370
    if mariadb -S "$my/run/ok.sock" -u root -e "CREATE DATABASE shop; CREATE USER 'app'@'%' IDENTIFIED BY 's3cret'; GRANT ALL ON shop.* TO 'app'@'%'; CREATE USER 'app'@'localhost' IDENTIFIED BY 's3cret'; GRANT ALL ON shop.* TO 'app'@'localhost'" >/dev/null 2>&1; then
        have_my=true
    else
        echo "mariadbd did not start: skipping its client cases"
    fi
else
    echo "no mariadbd: skipping its cases"
fi
if have mariadb; then
    # The healthcheck's --socket names a socket no server made (mysqld never started there).
    run mariadb-client-socket-missing "$my" mariadb --socket="$my/mysqld.sock" -u app -ps3cret shop -e "select 1"
fi

# ---------------------------------------------------------------------------- node clients
if $have_npm; then
    j=$work/node
    mkdir -p "$j"
    ln -s "$base/npm/node_modules" "$j/node_modules"
    cat > "$j/db.js" <<'JS'
const { Sequelize } = require("sequelize");

const sequelize = new Sequelize(process.env.DB_NAME, process.env.DB_USER, process.env.DB_PASSWORD, {
  host: process.env.DB_HOST,
  port: Number(process.env.DB_PORT || 3306),
  dialect: "mysql",
  logging: false,
});

(async () => {
  await sequelize.authenticate();
  console.log("database connected");
  await sequelize.close();
})().catch((err) => {
  console.error("Unable to connect to the database:", err);
  process.exit(1);
});
JS
    if $have_my; then
        run sequelize-access-denied "$j" env DB_HOST=127.0.0.1 DB_PORT=48370 DB_NAME=shop DB_USER=app \
            DB_PASSWORD=secret node db.js
    fi
    wrap sequelize-unresolvable-compose "$j" "compose api_1" env DB_HOST=mysql DB_PORT=3306 \
        DB_NAME=shop DB_USER=app DB_PASSWORD=s3cret node db.js
    cat > "$j/server.js" <<'JS'
const mysql = require("mysql2/promise");

async function main() {
  const pool = mysql.createPool({
    socketPath: process.env.MYSQL_SOCKET,
    user: "app",
    password: process.env.MYSQL_PASSWORD,
    database: "shop",
  });
  const [rows] = await pool.query("select 1 as ok");
  console.log("db ok", rows[0].ok);
  await pool.end();
}

main();
JS
    printf '{\n  "name": "shop-api",\n  "version": "1.0.0",\n  "private": true,\n  "scripts": {\n    "start": "node server.js"\n  }\n}\n' > "$j/package.json"
    run mysql2-socket-missing-npm "$j" env MYSQL_SOCKET="$my/run/mysqld.sock" MYSQL_PASSWORD=s3cret npm start
    if $have_pg; then
        # The deploy never set DB_PASSWORD: pg's SCRAM login gets an undefined password.
        cat > "$j/jobs.js" <<'JS'
const { Pool } = require("pg");

const pool = new Pool({
  host: process.env.DB_HOST,
  port: Number(process.env.DB_PORT),
  user: process.env.DB_USER,
  password: process.env.DB_PASSWORD,
  database: process.env.DB_NAME,
});

async function main() {
  const { rows } = await pool.query("select now() as now");
  console.log("jobs runner connected at", rows[0].now);
  await pool.end();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
JS
        run pg-password-not-a-string "$j" env -u DB_PASSWORD -u PGPASSWORD DB_HOST=127.0.0.1 \
            DB_PORT=48350 DB_USER=app DB_NAME=shop node jobs.js
    fi
fi

echo "captured into $here"
