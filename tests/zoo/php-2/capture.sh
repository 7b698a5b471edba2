#!/bin/sh
# Regenerates the captures of this folder by running Debian's PHP 8.2 (CLI, `php -S`, php-fpm)
# failing on this machine: PDO mysql refused on a closed port (the app says where it connects,
# and once where it does not), a host that does not resolve, a wrong password and a database
# never created against a real mariadbd; mysqli refused (timestamped); PDO pgsql refused and
# with a wrong password against a real postgres 15; mysqli_connect() with the extension not
# loaded (`php -n`); a memory_limit too small (`Allowed memory size ... exhausted`); `php -S` on
# port 80 as `nobody`; a composer autoloader never installed, required by a router under
# `php -S` at its first request; a required config file never written; as `nobody` a log file in
# a root-owned storage dir and php-fpm's error_log in a root-owned dir; a variable the app throws
# for behind a compose prefix; fsockopen refused on a closed redis port (timestamped).
# Needs: apt-get install -y php8.2-cli php8.2-mysql php8.2-pgsql php8.2-fpm mariadb-server
# postgresql-15 (system services stopped; our own servers run as `nobody`); curl; `su nobody`.
# Ports: 47712-47723 only: nothing on 47712 (mysql), 47714 (postgres) or 47716 (redis);
# mariadbd on 47713, postgres on 47715, php -S on 47717, php-fpm on 47718; and 80 as nobody.
# Work directory: /tmp/zoo-php-2 (removed at start and at exit).
# Wrapped in noise: mysqli-refused-timestamps and fsockopen-refused-timestamps (lib.sh `stamp`),
# getenv-missing-compose (a compose-style `app_1  | ` prefix); the crash cases run under a
# wrapper that says how php exited, as entrypoints print it.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=/tmp/zoo-php-2
pgbin=/usr/lib/postgresql/15/bin
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
command -v php >/dev/null || { echo "php not installed: skipping"; exit 0; }
rm -rf "$work"
mariadb= server=
cleanup() {
    for pid in $mariadb $server; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    [ -f "$work/pg/data/postmaster.pid" ] && su nobody -s /bin/sh -c "$pgbin/pg_ctl -D $work/pg/data -m immediate -w stop" >/dev/null 2>&1 || true
    chmod -R u+w "$work" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
mkdir -p "$work"
chmod 755 "$work"
cd "$work"

. "$here/../lib.sh"  # stamp, wait_port
as_nobody() { su nobody -s /bin/sh -c "cd $work && timeout 60 $1"; }
cat > run.sh <<'SH'
#!/bin/sh
"$@"
echo "php exited with status $?"
SH
chmod 755 run.sh

# ---------------------------------------------------------------------------- PDO / mysqli
# The app connects with PDO to DB_HOST:DB_PORT/DB_NAME as DB_USER.
cat > db.php <<'PHP'
<?php
$host = getenv('DB_HOST');
$port = getenv('DB_PORT');
$name = getenv('DB_NAME');
if (getenv('DB_VERBOSE')) {
    echo "connecting to mysql at $host:$port\n";
}
$pdo = new PDO("mysql:host=$host;port=$port;dbname=$name", getenv('DB_USER'), getenv('DB_PASSWORD'),
    [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION, PDO::ATTR_TIMEOUT => 10]);
echo $pdo->query('select 1')->fetchColumn(), "\n";
PHP
cat > mysqli.php <<'PHP'
<?php
mysqli_report(MYSQLI_REPORT_ERROR | MYSQLI_REPORT_STRICT);
$host = getenv('DB_HOST');
$port = (int) getenv('DB_PORT');
error_log("db: connecting to $host:$port");
$db = mysqli_connect($host, 'shop', 'secret', 'shop', $port);
echo mysqli_get_server_info($db), "\n";
PHP
DB_HOST=127.0.0.1 DB_PORT=47712 DB_NAME=shop DB_USER=shop DB_PASSWORD=secret DB_VERBOSE=1 \
    php db.php > "$here/pdo-mysql-refused.log" 2>&1 || true
DB_HOST=127.0.0.1 DB_PORT=47712 DB_NAME=shop DB_USER=shop DB_PASSWORD=secret \
    php db.php > "$here/pdo-mysql-refused-quiet.log" 2>&1 || true
DB_HOST=mysql DB_PORT=3306 DB_NAME=shop DB_USER=shop DB_PASSWORD=secret \
    php db.php > "$here/pdo-mysql-unresolvable.log" 2>&1 || true
DB_HOST=127.0.0.1 DB_PORT=47712 php mysqli.php 2>&1 | stamp > "$here/mysqli-refused-timestamps.log" || true
# The same mysqli app where the mysqli extension is not loaded (no php.ini: `php -n`).
DB_HOST=127.0.0.1 DB_PORT=47712 ./run.sh php -n mysqli.php > "$here/mysqli-extension-missing.log" 2>&1 || true

if command -v mariadbd >/dev/null && php -m | grep -qx pdo_mysql; then
    mkdir -p mariadb/data mariadb/run
    chown nobody:nogroup mariadb/data mariadb/run
    mariadb-install-db --no-defaults --user=nobody --datadir="$work/mariadb/data" \
        --auth-root-authentication-method=normal --skip-test-db >/dev/null 2>&1
    mariadbd --no-defaults --user=nobody --datadir="$work/mariadb/data" --port=47713 \
        --bind-address=127.0.0.1 --socket="$work/mariadb/run/mysqld.sock" \
        --pid-file="$work/mariadb/run/mysqld.pid" >/dev/null 2>&1 &
    mariadb=$!
    wait_port 47713
    pw=throwaway-$(date +%s)
    mariadb --no-defaults -uroot --socket="$work/mariadb/run/mysqld.sock" \
        -e "CREATE USER 'shop'@'%' IDENTIFIED BY '$pw'; GRANT ALL ON *.* TO 'shop'@'%';"
    DB_HOST=127.0.0.1 DB_PORT=47713 DB_NAME=shop DB_USER=shop DB_PASSWORD=wrong-password \
        php db.php > "$here/pdo-mysql-access-denied.log" 2>&1 || true
    DB_HOST=127.0.0.1 DB_PORT=47713 DB_NAME=shop_production DB_USER=shop DB_PASSWORD=$pw \
        php db.php > "$here/pdo-mysql-unknown-database.log" 2>&1 || true
    kill "$mariadb"; wait "$mariadb" 2>/dev/null || true
    mariadb=
fi

# ---------------------------------------------------------------------------- PDO pgsql
cat > pg.php <<'PHP'
<?php
$dsn = getenv('PG_DSN');
try {
    $pdo = new PDO($dsn, getenv('PG_USER'), getenv('PG_PASSWORD'), [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION]);
} catch (PDOException $e) {
    fwrite(STDERR, "[db] could not connect: " . $e->getMessage() . "\n");
    exit(1);
}
echo $pdo->query('select 1')->fetchColumn(), "\n";
PHP
PG_DSN="pgsql:host=127.0.0.1;port=47714;dbname=shop" PG_USER=shop PG_PASSWORD=secret \
    php pg.php > "$here/pdo-pgsql-refused.log" 2>&1 || true
if [ -x "$pgbin/postgres" ] && php -m | grep -qx pdo_pgsql; then
    mkdir -p pg/sock
    printf 'pg-throwaway-%s\n' "$(date +%s)" > pg/pwfile
    chmod 644 pg/pwfile
    chown nobody:nogroup pg pg/sock
    as_nobody "$pgbin/initdb -D $work/pg/data -U postgres --pwfile=$work/pg/pwfile --auth=scram-sha-256" >/dev/null 2>&1
    as_nobody "$pgbin/pg_ctl -D $work/pg/data -l $work/pg/server.log -w -o '-p 47715 -k $work/pg/sock -c listen_addresses=127.0.0.1' start" >/dev/null 2>&1
    PG_DSN="pgsql:host=127.0.0.1;port=47715;dbname=postgres" PG_USER=postgres PG_PASSWORD=wrong-password \
        php pg.php > "$here/pdo-pgsql-auth-failed.log" 2>&1 || true
    as_nobody "$pgbin/pg_ctl -D $work/pg/data -m fast -w stop" >/dev/null 2>&1 || true
fi

# ---------------------------------------------------------------------------- crashes
# An import that reads a whole export into arrays under a 16 MB memory_limit.
cat > import.php <<'PHP'
<?php
echo "importing products\n";
$rows = [];
for ($i = 0; ; $i++) {
    $rows[] = str_repeat('x', 1024) . $i;
}
PHP
./run.sh php -d memory_limit=16M import.php > "$here/memory-exhausted.log" 2>&1 || true

# ---------------------------------------------------------------------------- php -S
mkdir -p public
printf '<?php echo "ok\\n";\n' > public/index.php
chmod -R a+rX public
as_nobody "php -S 127.0.0.1:80 -t $work/public" > "$here/php-server-privileged-port.log" 2>&1 || true
# A router that requires Composer's autoloader; composer install never ran.
mkdir -p site/public
cat > site/public/index.php <<'PHP'
<?php
require __DIR__ . '/../vendor/autoload.php';

echo "ok\n";
PHP
php -S 127.0.0.1:47717 -t site/public > site.out 2>&1 &
server=$!
wait_port 47717
curl -s -o /dev/null http://127.0.0.1:47717/ || true
sleep 0.5
kill "$server"; wait "$server" 2>/dev/null || true
server=
cp site.out "$here/php-server-autoload-missing.log"

# ---------------------------------------------------------------------------- files
mkdir -p cfgapp
cat > cfgapp/bootstrap.php <<'PHP'
<?php
echo "bootstrapping\n";
$config = require __DIR__ . '/config/app.php';
echo $config['name'], "\n";
PHP
php cfgapp/bootstrap.php > "$here/require-config-missing.log" 2>&1 || true

# As nobody: the app appends to storage/logs/app.log, and storage/logs is root's (0755).
mkdir -p storage/logs
cat > logger.php <<'PHP'
<?php
$path = __DIR__ . '/storage/logs/app.log';
if (file_put_contents($path, date('c') . " booting\n", FILE_APPEND) === false) {
    throw new RuntimeException("cannot write the log");
}
PHP
chmod 644 logger.php
as_nobody "php $work/logger.php" > "$here/log-permission-denied.log" 2>&1 || true

# php-fpm as nobody whose error_log lies in a directory root made (0755).
if command -v php-fpm8.2 >/dev/null; then
    mkdir -p fpm/log
    cat > fpm/php-fpm.conf <<CONF
[global]
error_log = $work/fpm/log/php-fpm.log
pid = /tmp/zoo-php-2-fpm.pid
daemonize = no

[app]
listen = 127.0.0.1:47718
pm = static
pm.max_children = 1
CONF
    chmod -R a+rX fpm
    as_nobody "php-fpm8.2 -F -y $work/fpm/php-fpm.conf" > "$here/php-fpm-error-log-permission-denied.log" 2>&1 || true
    rm -f /tmp/zoo-php-2-fpm.pid
fi

# ---------------------------------------------------------------------------- env, sockets
cat > queue.php <<'PHP'
<?php
echo "queue worker starting\n";
$redis = getenv('REDIS_HOST') ?: throw new RuntimeException('REDIS_HOST is not set');
echo "using $redis\n";
PHP
env -u REDIS_HOST php queue.php 2>&1 | sed 's/^/app_1  | /' > "$here/getenv-missing-compose.log" || true

cat > ping.php <<'PHP'
<?php
$fp = fsockopen('127.0.0.1', 47716, $errno, $errstr, 5);
if (!$fp) {
    fwrite(STDERR, "redis ping failed: $errstr ($errno)\n");
    exit(1);
}
PHP
php ping.php 2>&1 | stamp > "$here/fsockopen-refused-timestamps.log" || true

echo "captured into $here"
