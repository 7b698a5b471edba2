#!/bin/sh
# Regenerates the captures of this folder by running Debian's Ruby 3.1 and PHP 8.2 services with
# the frameworks, servers, workers and libraries Debian packages for them, failing on this
# machine: Sinatra 3 (under thin, on a port a helper holds; a syntax error in a routes file;
# `require "sinatra/reloader"` from sinatra-contrib, not installed, under a runner saying the exit
# code), thin 1.8 (port 80 as `nobody`; `-d` with its log file in a root-owned dir), unicorn 6 (a
# listen address a helper holds, timestamped; a `-c` config never written), sidekiq 6.4 (redis
# refused; a host `redis` that does not resolve, compose prefix; `bundle exec` of a Gemfile
# asking sidekiq ~> 7.0), Sequel over mysql2 (refused; a wrong password against a real mariadbd)
# and over pg (a database never created on a real postgres 15), dalli refused, dotenv's `load!`
# of an env file never written; predis refused, phpredis on a host `redis` that does not resolve
# (compose prefix) and with a wrong password against a real redis-server (timestamped),
# symfony/dotenv's `bootEnv` with no `.env`, monolog's StreamHandler as `nobody` in a root-owned
# dir, a symfony/console command with a parse error, `Monolog\Logger` used without the
# autoloader (a wrapper saying status 255), Composer's platform check on a `php >=8.3` project.
# Needs: apt-get install -y ruby ruby-bundler ruby-sinatra thin unicorn ruby-sidekiq ruby-redis ruby-sequel
# ruby-mysql2 ruby-pg ruby-dalli ruby-dotenv php8.2-cli php-predis php-redis php-monolog
# php-symfony-console php-symfony-dotenv composer redis-server mariadb-server postgresql-15
# (/usr/lib/postgresql/15/bin, run as `nobody`); `su nobody`. sinatra-contrib must NOT be
# installed and sidekiq must be 6.x. No gem or Composer package is downloaded.
# Ports: 48550-48599 only: helpers hold 48550 and 48551; 48552, 48553, 48555 and 48556 closed;
# mariadbd on 48554, redis-server on 48557, postgres on 48558 (as nobody).
# Work directory: /tmp/zoo-ruby-4 (removed at start and at exit).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=/tmp/zoo-ruby-4
pgbin=/usr/lib/postgresql/15/bin
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
command -v ruby >/dev/null && command -v php >/dev/null || { echo "ruby or php not installed: skipping"; exit 0; }
rm -rf "$work"
holders= mariadb= redis=
. "$here/../lib.sh"  # stamp, wait_port, stop
cleanup() {
    for pid in $holders $mariadb $redis; do stop "$pid"; done
    [ -f "$work/pg/data/postmaster.pid" ] && su nobody -s /bin/sh -c "$pgbin/pg_ctl -D $work/pg/data -m immediate -w stop" >/dev/null 2>&1 || true
    chmod -R u+w "$work" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
mkdir -p "$work"
chmod 755 "$work"
cd "$work"
export HOME="$work/home"
mkdir -p "$HOME"
as_nobody() { su nobody -s /bin/sh -c "cd $work && HOME=/tmp timeout 60 $1"; }
have() { command -v "$1" >/dev/null; }
# hold PORT: a helper listening on 0.0.0.0:PORT until the script ends.
hold() {
    ruby -rsocket -e 's = TCPServer.new("0.0.0.0", ARGV[0].to_i); sleep' "$1" &
    holders="$holders $!"
    wait_port "$1"
}
# A runner as entrypoints and Procfile tools print it: the command, then how it exited.
cat > run.sh <<'SH'
#!/bin/sh
"$@"
echo "web exited with code $?"
SH
chmod 755 run.sh
compose() { sed -u "s/^/$1 | /"; }

# ---------------------------------------------------------------------------- sinatra, thin
mkdir -p site
cat > site/app.rb <<'RUBY'
require "sinatra"

set :bind, "0.0.0.0"
set :port, Integer(ENV.fetch("PORT", "4567"))

get "/" do
  "ok"
end
RUBY
hold 48550
(cd site && PORT=48550 timeout 15 ruby app.rb) > "$here/sinatra-port-in-use.log" 2>&1 || true

mkdir -p routed/routes
cat > routed/app.rb <<'RUBY'
require "sinatra"
require_relative "routes/orders"
RUBY
cat > routed/routes/orders.rb <<'RUBY'
get "/orders" do
  orders = [{ id: 1 }, { id: 2 }]
  orders.map { |o|
    o[:id].to_s
  .join(",")
end

get "/orders/:id" do
  params[:id]
end
RUBY
(cd routed && timeout 15 ruby app.rb) > "$here/sinatra-syntax-error.log" 2>&1 || true

mkdir -p reloading
cat > reloading/app.rb <<'RUBY'
require "sinatra"
require "sinatra/reloader" if development?

get "/" do
  "ok"
end
RUBY
(cd reloading && timeout 15 ../run.sh ruby app.rb) > "$here/sinatra-reloader-missing.log" 2>&1 || true

cat > site/config.ru <<'RUBY'
require_relative "app"
run Sinatra::Application
RUBY
chmod -R a+rX site
as_nobody "thin start -a 127.0.0.1 -p 80 -R site/config.ru" > "$here/thin-privileged-port.log" 2>&1 || true

mkdir -p tmp/pids log
chmod 755 tmp/pids log
as_nobody "thin start -a 127.0.0.1 -p 48559 -R site/config.ru -d -P tmp/pids/thin.pid -l log/thin.log" > "$here/thin-log-permission-denied.log" 2>&1 || true

# ---------------------------------------------------------------------------- unicorn
mkdir -p uni
cat > uni/config.ru <<'RUBY'
run ->(env) { [200, { "content-type" => "text/plain" }, ["ok\n"]] }
RUBY
hold 48551
(cd uni && timeout 30 unicorn -l 127.0.0.1:48551 config.ru 2>&1 | stamp) > "$here/unicorn-port-in-use-timestamps.log" || true
(cd uni && timeout 15 unicorn -c config/unicorn.rb config.ru) > "$here/unicorn-config-missing.log" 2>&1 || true

# ---------------------------------------------------------------------------- sidekiq
mkdir -p jobs
cat > jobs/worker.rb <<'RUBY'
require "sidekiq"

class ReceiptJob
  include Sidekiq::Job

  def perform(order_id)
    puts "receipt for #{order_id}"
  end
end
RUBY
(cd jobs && REDIS_URL=redis://127.0.0.1:48552/0 timeout 12 sidekiq -r ./worker.rb -c 2) > "$here/sidekiq-redis-refused.log" 2>&1 || true
(cd jobs && REDIS_URL=redis://redis:6379/0 timeout 12 sidekiq -r ./worker.rb -c 2 2>&1 | compose "worker-1 ") > "$here/sidekiq-redis-unresolvable-compose.log" || true
cat > jobs/Gemfile <<'RUBY'
source "https://rubygems.org"

gem "redis"
gem "sidekiq", "~> 7.0"
RUBY
(cd jobs && timeout 30 bundle exec sidekiq -r ./worker.rb) > "$here/sidekiq-bundle-version.log" 2>&1 || true
rm -f jobs/Gemfile jobs/Gemfile.lock

# ---------------------------------------------------------------------------- sequel, dalli, dotenv
cat > db.rb <<'RUBY'
require "sequel"

url = ENV.fetch("DATABASE_URL")
warn "[db] connecting to #{url.sub(%r{//[^@]*@}, "//")}"
DB = Sequel.connect(url)
DB.test_connection
puts "connected: #{DB.database_type}"
RUBY
DATABASE_URL=mysql2://shop:secret@127.0.0.1:48553/shop timeout 30 ruby db.rb > "$here/sequel-mysql2-refused.log" 2>&1 || true

if have mariadbd; then
    mkdir -p mariadb/data mariadb/run
    chown nobody:nogroup mariadb/data mariadb/run
    mariadb-install-db --no-defaults --user=nobody --datadir="$work/mariadb/data" \
        --auth-root-authentication-method=normal --skip-test-db >/dev/null 2>&1
    mariadbd --no-defaults --user=nobody --datadir="$work/mariadb/data" --port=48554 \
        --bind-address=127.0.0.1 --socket="$work/mariadb/run/mysqld.sock" \
        --pid-file="$work/mariadb/run/mysqld.pid" >/dev/null 2>&1 &
    mariadb=$!
    wait_port 48554
    pw=throwaway-$(date +%s)
    mariadb --no-defaults -uroot --socket="$work/mariadb/run/mysqld.sock" \
        -e "CREATE DATABASE shop; CREATE USER 'shop'@'%' IDENTIFIED BY '$pw'; GRANT ALL ON shop.* TO 'shop'@'%';"
    DATABASE_URL=mysql2://shop:wrong-password@127.0.0.1:48554/shop timeout 30 ruby db.rb > "$here/sequel-mysql2-access-denied.log" 2>&1 || true
    stop "$mariadb"; mariadb=
else
    echo "no mariadbd: skipping sequel-mysql2-access-denied"
fi

if [ -x "$pgbin/postgres" ]; then
    mkdir -p pg/sock
    printf 'pg-throwaway-%s\n' "$(date +%s)" > pg/pwfile
    chmod 644 pg/pwfile
    chown nobody:nogroup pg pg/sock
    as_nobody "$pgbin/initdb -D $work/pg/data -U postgres --pwfile=$work/pg/pwfile --auth=scram-sha-256" >/dev/null 2>&1
    as_nobody "$pgbin/pg_ctl -D $work/pg/data -l $work/pg/server.log -w -o '-p 48558 -k $work/pg/sock -c listen_addresses=127.0.0.1' start" >/dev/null 2>&1
    DATABASE_URL="postgres://postgres:$(cat pg/pwfile)@127.0.0.1:48558/shop_production" timeout 30 ruby db.rb > "$here/sequel-pg-database-missing.log" 2>&1 || true
    as_nobody "$pgbin/pg_ctl -D $work/pg/data -m fast -w stop" >/dev/null 2>&1 || true
else
    echo "no postgres 15: skipping sequel-pg-database-missing"
fi

cat > cache.rb <<'RUBY'
require "dalli"

cache = Dalli::Client.new(ENV.fetch("MEMCACHE_SERVERS"))
cache.set("warm", Time.now.to_i)
puts "cache warm"
RUBY
MEMCACHE_SERVERS=127.0.0.1:48555 timeout 30 ruby cache.rb > "$here/dalli-refused.log" 2>&1 || true

mkdir -p envapp
cat > envapp/app.rb <<'RUBY'
require "dotenv"

Dotenv.load!(".env.#{ENV.fetch("APP_ENV", "development")}")
puts "booting with #{ENV.fetch("DATABASE_URL")}"
RUBY
(cd envapp && APP_ENV=production timeout 15 ruby app.rb) > "$here/dotenv-file-missing.log" 2>&1 || true

# ---------------------------------------------------------------------------- predis, phpredis
cat > predis.php <<'PHP'
<?php
require '/usr/share/php/Predis/Autoloader.php';
Predis\Autoloader::register();

$client = new Predis\Client(getenv('REDIS_URL'));
$client->set('warm', time());
echo "cache warm\n";
PHP
REDIS_URL=tcp://127.0.0.1:48556 timeout 30 php predis.php > "$here/predis-refused.log" 2>&1 || true

cat > phpredis.php <<'PHP'
<?php
$redis = new Redis();
$redis->connect(getenv('REDIS_HOST'), (int) getenv('REDIS_PORT'));
if (getenv('REDIS_PASSWORD')) {
    $redis->auth(getenv('REDIS_PASSWORD'));
}
$redis->set('warm', time());
echo "cache warm\n";
PHP
REDIS_HOST=redis REDIS_PORT=6379 timeout 30 php phpredis.php 2>&1 | compose "app-1  " > "$here/phpredis-unresolvable-compose.log" || true
if have redis-server; then
    redis-server --port 48557 --bind 127.0.0.1 --save '' --appendonly no --requirepass "throwaway-$(date +%s)" >/dev/null 2>&1 &
    redis=$!
    wait_port 48557
    REDIS_HOST=127.0.0.1 REDIS_PORT=48557 REDIS_PASSWORD=wrong-password timeout 30 php phpredis.php 2>&1 | stamp > "$here/phpredis-auth-failed-timestamps.log" || true
    stop "$redis"; redis=
else
    echo "no redis-server: skipping phpredis-auth-failed-timestamps"
fi

# ---------------------------------------------------------------------------- symfony, monolog, composer
mkdir -p sfapp/config sfapp/src/Command
cat > sfapp/bootstrap.php <<'PHP'
<?php
require '/usr/share/php/Symfony/Component/Dotenv/autoload.php';

use Symfony\Component\Dotenv\Dotenv;

(new Dotenv())->bootEnv(__DIR__ . '/.env');
echo 'APP_ENV=', $_SERVER['APP_ENV'], "\n";
PHP
(cd sfapp && timeout 30 php bootstrap.php) > "$here/symfony-dotenv-missing.log" 2>&1 || true

cat > sfapp/console <<'PHP'
<?php
require '/usr/share/php/Symfony/Component/Console/autoload.php';
require __DIR__ . '/src/Command/ImportCommand.php';

use Symfony\Component\Console\Application;

$app = new Application('shop');
$app->add(new App\Command\ImportCommand());
$app->run();
PHP
cat > sfapp/src/Command/ImportCommand.php <<'PHP'
<?php
namespace App\Command;

use Symfony\Component\Console\Command\Command;
use Symfony\Component\Console\Input\InputInterface;
use Symfony\Component\Console\Output\OutputInterface;

class ImportCommand extends Command
{
    protected static $defaultName = 'app:import';

    protected function execute(InputInterface $input, OutputInterface $output): int
    {
        $rows = ['a', 'b'];
        foreach ($rows as $row) {
            $output->writeln("importing $row")
        }
        return Command::SUCCESS;
    }
}
PHP
(cd sfapp && timeout 30 php console app:import) > "$here/symfony-console-parse-error.log" 2>&1 || true

mkdir -p logapp/storage/logs
chmod 755 logapp/storage/logs
cat > logapp/worker.php <<'PHP'
<?php
require '/usr/share/php/Monolog/autoload.php';

use Monolog\Handler\StreamHandler;
use Monolog\Logger;

$log = new Logger('worker');
$log->pushHandler(new StreamHandler(__DIR__ . '/storage/logs/worker.log', Logger::INFO));
$log->info('worker started');
PHP
chmod -R a+rX logapp
as_nobody "php logapp/worker.php" > "$here/monolog-permission-denied.log" 2>&1 || true

mkdir -p noauto
cat > noauto/worker.php <<'PHP'
<?php
use Monolog\Logger;

$log = new Logger('worker');
$log->info('worker started');
PHP
(cd noauto && timeout 30 ../run.sh php worker.php) > "$here/monolog-class-not-found.log" 2>&1 || true

if have composer; then
    mkdir -p newphp
    cat > newphp/composer.json <<'JSON'
{
    "name": "shop/api",
    "require": {
        "php": ">=8.3"
    },
    "autoload": {
        "psr-4": { "App\\": "src/" }
    }
}
JSON
    cat > newphp/index.php <<'PHP'
<?php
require __DIR__ . '/vendor/autoload.php';
echo "ok\n";
PHP
    (cd newphp && COMPOSER_ALLOW_SUPERUSER=1 timeout 60 composer dump-autoload -q --no-interaction) >/dev/null 2>&1 || true
    (cd newphp && timeout 30 php index.php) > "$here/composer-platform-php.log" 2>&1 || true
else
    echo "no composer: skipping composer-platform-php"
fi
