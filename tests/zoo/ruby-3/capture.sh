#!/bin/sh
# Regenerates the captures of this folder by running Debian's Ruby 3.1, bundler, WEBrick, rackup,
# puma and the pg gem failing on this machine: `bundle exec` with a Gemfile naming a gem that is
# not installed (sinatra), and one pinning a Ruby that is not this one; a bare `require
# "sinatra"` (LoadError); WEBrick and a plain TCPServer on a port a helper holds (the second
# timestamped); as `nobody`, a Logger on a log file and puma's pidfile in root-owned
# directories; a YAML config file that is not there; `rackup` without a config.ru; the pg gem
# against a real postgres 15 with a wrong password and a database never created (timestamped);
# a SyntaxError in a file the app requires; `ENV.fetch` of an unset variable behind a compose
# prefix; `exec` of a worker script without its exec bit.
# Needs: apt-get install -y ruby ruby-bundler ruby-webrick ruby-rack puma ruby-pg
# postgresql-15 (/usr/lib/postgresql/15/bin, run as `nobody`); `su nobody`. Sinatra must NOT be
# installed (two cases are about it missing). No gem is downloaded.
# Ports: 47700-47711 only: a helper holds 47700, postgres on 47703 (as nobody).
# Work directory: /tmp/zoo-ruby-3 (removed at start and at exit).
# Wrapped in noise: tcpserver-port-in-use-timestamps and pg-database-missing-timestamps (lib.sh
# `stamp`), env-fetch-compose (a compose-style `worker_1  | ` prefix); the gem cases run under a
# wrapper that says how the app exited, as entrypoints print it.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=/tmp/zoo-ruby-3
pgbin=/usr/lib/postgresql/15/bin
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
command -v ruby >/dev/null && command -v bundle >/dev/null || { echo "ruby or bundler not installed: skipping"; exit 0; }
rm -rf "$work"
holder=
cleanup() {
    for pid in $holder; do
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
export HOME="$work/home"
mkdir -p "$HOME"

. "$here/../lib.sh"  # stamp, wait_port
as_nobody() { su nobody -s /bin/sh -c "cd $work && HOME=/tmp timeout 60 $1"; }

# ---------------------------------------------------------------------------- bundler and gems
mkdir -p shop
cat > shop/Gemfile <<'RUBY'
source "https://rubygems.org"

gem "rack"
gem "sinatra", "~> 3.0"
RUBY
cat > shop/app.rb <<'RUBY'
require "sinatra"

get "/" do
  "ok"
end
RUBY
cat > shop/run.sh <<'SH'
#!/bin/sh
"$@"
echo "web exited with code $?"
SH
chmod 755 shop/run.sh
(cd shop && timeout 60 ./run.sh bundle exec ruby app.rb) > "$here/bundle-missing-gem.log" 2>&1 || true
# The same app without bundler: Ruby's own words for the missing gem.
(cd shop && timeout 60 ./run.sh ruby app.rb) > "$here/require-sinatra-missing.log" 2>&1 || true

# A Gemfile pinning a Ruby other than the installed 3.1.
mkdir -p pinned
cat > pinned/Gemfile <<'RUBY'
source "https://rubygems.org"

ruby "3.3.0"
gem "rack"
RUBY
printf 'puts "hello"\n' > pinned/app.rb
(cd pinned && timeout 60 bundle exec ruby app.rb) > "$here/bundle-ruby-version.log" 2>&1 || true

# ---------------------------------------------------------------------------- ports
# A helper holds 47700 on all addresses.
ruby -rsocket -e 's = TCPServer.new("0.0.0.0", 47700); sleep' &
holder=$!
wait_port 47700
cat > webrick.rb <<'RUBY'
require "webrick"

port = Integer(ENV.fetch("PORT", "8080"))
server = WEBrick::HTTPServer.new(Port: port, BindAddress: "0.0.0.0")
server.mount_proc("/") { |_req, res| res.body = "ok" }
trap("INT") { server.shutdown }
server.start
RUBY
PORT=47700 timeout 30 ruby webrick.rb > "$here/webrick-port-in-use.log" 2>&1 || true
cat > tcp.rb <<'RUBY'
require "socket"
require "logger"

log = Logger.new($stdout)
port = Integer(ENV.fetch("PORT"))
log.info("metrics exporter listening on port #{port}")
server = Socket.new(:INET, :STREAM)
server.setsockopt(:SOCKET, :REUSEADDR, true)
server.bind(Addrinfo.tcp("0.0.0.0", port))
server.listen(16)
loop { server.accept }
RUBY
PORT=47700 timeout 30 ruby tcp.rb 2>&1 | stamp > "$here/tcpserver-port-in-use-timestamps.log" || true
kill "$holder"; wait "$holder" 2>/dev/null || true
holder=

# ---------------------------------------------------------------------------- files
# As nobody: a log directory and a pid directory root made (0755).
mkdir -p log tmp/pids
cat > logger.rb <<'RUBY'
require "logger"

path = File.join(__dir__, "log", "production.log")
logger = Logger.new(path)
logger.info("booting")
RUBY
chmod 644 logger.rb
as_nobody "ruby $work/logger.rb" > "$here/logger-permission-denied.log" 2>&1 || true
printf 'run ->(env) { [200, {"content-type" => "text/plain"}, ["ok"]] }\n' > config.ru
chmod 644 config.ru
as_nobody "puma -b tcp://127.0.0.1:47701 --pidfile $work/tmp/pids/puma.pid $work/config.ru" \
    > "$here/puma-pidfile-permission-denied.log" 2>&1 || true

# A YAML config loaded from a path relative to the working directory, never written.
mkdir -p cfg
cat > cfg/boot.rb <<'RUBY'
require "yaml"

puts "loading settings"
settings = YAML.load_file("config/database.yml")
puts settings.fetch("production")
RUBY
(cd cfg && ruby boot.rb) > "$here/yaml-config-missing.log" 2>&1 || true

# rackup in a directory without config.ru.
mkdir -p norack
(cd norack && timeout 30 rackup -p 47702) > "$here/rackup-no-config-ru.log" 2>&1 || true

# A file the app requires, with a method never closed.
mkdir -p billing/lib
cat > billing/lib/pricing.rb <<'RUBY'
module Pricing
  def self.total(items)
    items.sum do |item|
      item[:price] * item[:qty]
  end
end
RUBY
cat > billing/app.rb <<'RUBY'
require_relative "lib/pricing"

puts Pricing.total([{ price: 3, qty: 2 }])
RUBY
(cd billing && ruby app.rb) > "$here/syntax-error-required-file.log" 2>&1 || true

# ENV.fetch of an unset variable, in a compose log.
cat > worker.rb <<'RUBY'
$stdout.sync = true
puts "worker starting (pid #{Process.pid})"
queue_url = ENV.fetch("QUEUE_URL")
puts "consuming from #{queue_url}"
RUBY
env -u QUEUE_URL ruby worker.rb 2>&1 | sed 's/^/worker_1  | /' > "$here/env-fetch-compose.log" || true

# A launcher that execs a worker script whose exec bit was lost (a checkout on a FAT volume).
mkdir -p launcher/bin
printf '#!/bin/sh\necho working\n' > launcher/bin/worker
chmod 644 launcher/bin/worker
cat > launcher/launch.rb <<'RUBY'
puts "launching ./bin/worker"
exec("./bin/worker")
RUBY
(cd launcher && ruby launch.rb) > "$here/exec-not-executable.log" 2>&1 || true

# ---------------------------------------------------------------------------- postgres + pg gem
if [ -x "$pgbin/postgres" ] && ruby -e 'require "pg"' 2>/dev/null; then
    mkdir -p pg/sock
    printf 'pg-throwaway-%s\n' "$(date +%s)" > pg/pwfile
    chmod 644 pg/pwfile
    chown nobody:nogroup pg pg/sock
    as_nobody "$pgbin/initdb -D $work/pg/data -U postgres --pwfile=$work/pg/pwfile --auth=scram-sha-256" >/dev/null 2>&1
    as_nobody "$pgbin/pg_ctl -D $work/pg/data -l $work/pg/server.log -w -o '-p 47703 -k $work/pg/sock -c listen_addresses=127.0.0.1' start" >/dev/null 2>&1
    pw=$(cat pg/pwfile)
    unset PGHOST PGPORT PGUSER PGDATABASE PGPASSWORD PGSERVICE 2>/dev/null || true
    export PGPASSFILE=/dev/null PGCONNECT_TIMEOUT=10
    PGPASSWORD=$pw psql -h 127.0.0.1 -p 47703 -U postgres -d postgres -q \
        -c "CREATE ROLE shop LOGIN PASSWORD '$pw'" >/dev/null
    cat > db.rb <<'RUBY'
require "pg"

url = ENV.fetch("DATABASE_URL")
puts "connecting to the database"
conn = PG.connect(url)
puts conn.exec("select 1").getvalue(0, 0)
RUBY
    DATABASE_URL="postgres://shop:wrong-password@127.0.0.1:47703/shop" timeout 30 ruby db.rb \
        > "$here/pg-auth-failed.log" 2>&1 || true
    DATABASE_URL="postgres://shop:$pw@127.0.0.1:47703/shop_production" timeout 30 ruby db.rb 2>&1 \
        | stamp > "$here/pg-database-missing-timestamps.log" || true
    as_nobody "$pgbin/pg_ctl -D $work/pg/data -m fast -w stop" >/dev/null 2>&1 || true
fi

echo "captured into $here"
