#!/bin/sh
# Regenerates the captures of this folder by running PHP's own CLI on this machine: the
# built-in web server (`php -S`) on a port already taken, a parse error, a missing Composer
# `vendor/autoload.php`, and a missing environment variable turned into a fatal error.
# Needs: apt install php-cli. Ports: 47410-47419. Work directory: /tmp/zoo-php (removed at
# start and at exit). Wrapped in noise: php-port-in-use-compose (a compose-style `web_1  | `
# prefix).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
command -v php >/dev/null || { echo "php not installed: skipping"; exit 0; }
work=/tmp/zoo-php
rm -rf "$work"
helper=
cleanup() {
    [ -n "$helper" ] && kill "$helper" 2>/dev/null || true
    [ -n "$helper" ] && wait "$helper" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/public"
cd "$work"
port_busy=47410
printf '<?php\necho "ok\\n";\n' > public/index.php

# A first built-in server holds the port; the second cannot bind it.
php -S 127.0.0.1:$port_busy -t public >/dev/null 2>&1 &
helper=$!
sleep 1
php -S 127.0.0.1:$port_busy -t public > "$here/php-port-in-use.log" 2>&1 || true
php -S 127.0.0.1:$port_busy -t public 2>&1 | sed 's/^/web_1  | /' > "$here/php-port-in-use-compose.log" || true
kill "$helper"; wait "$helper" 2>/dev/null || true
helper=

# A parse error: a missing semicolon.
cat > app.php <<'PHP'
<?php
$config = [
    'db' => getenv('DB_HOST') ?: 'localhost',
];
echo "starting\n"
$port = 8000;
echo "listening on $port\n";
PHP
php app.php > "$here/php-parse-error.log" 2>&1 || true

# Composer's autoloader was never installed (no `composer install`).
cat > bootstrap.php <<'PHP'
<?php
require __DIR__ . '/vendor/autoload.php';
echo "app booted\n";
PHP
php bootstrap.php > "$here/php-missing-autoload.log" 2>&1 || true

# A required environment variable, read with getenv and thrown when missing.
cat > env.php <<'PHP'
<?php
function required_env(string $name): string {
    $value = getenv($name);
    if ($value === false || $value === '') {
        throw new RuntimeException("Environment variable $name is not set");
    }
    return $value;
}
$dsn = required_env('DATABASE_URL');
echo "connecting to $dsn\n";
PHP
env -u DATABASE_URL php env.php > "$here/php-missing-env.log" 2>&1 || true

echo "captured into $here"
