#!/bin/sh
# Regenerates the captures of this folder by running Debian's Ruby 3.1 and its packaged gems
# failing on this machine: a Rails 6.1 app (ruby-rails) in production without SECRET_KEY_BASE,
# under puma when its first request needs the session, and at boot when an initializer asks for
# the key generator; puma on port 80 as `nobody`; a require_relative of a config file never
# written; the redis gem (ruby-redis 4.8) refused on a closed port (also behind a compose
# prefix), on a host that does not resolve and with a wrong password against a real
# redis-server; the pg gem (ruby-pg 1.4) refused on a closed port and on a host that does not
# resolve.
# Needs: apt-get install -y --no-install-recommends ruby puma ruby-rails ruby-redis ruby-pg;
# redis-server; `su nobody`. Bundler is not used: every gem is Debian's.
# Ports: 47660-47669 only: puma 47661, nothing listens on 47663 (redis) or 47664 (postgres), a
# redis-server with requirepass on 47665; and 80 as nobody, refused before anything binds.
# Work directory: /tmp/zoo-ruby-2 (removed at start and at exit).
# Wrapped in noise: redis-refused-compose (a compose-style `web_1  | ` prefix).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=/tmp/zoo-ruby-2
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
command -v ruby >/dev/null && command -v puma >/dev/null || { echo "ruby or puma not installed: skipping"; exit 0; }
rm -rf "$work"
puma_pid= redis_pid=
cleanup() {
    for pid in $puma_pid $redis_pid; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
mkdir -p "$work"
chmod 755 "$work"
cd "$work"

. "$here/../lib.sh"  # stamp, wait_port
compose() { sed 's/^/web_1  | /'; }

# ---------------------------------------------------------------------------- rails
# A one-file Rails app; in production Rails reads secret_key_base from SECRET_KEY_BASE (or the
# credentials), and neither is there.
cat > config.ru <<'RUBY'
require "rails"
require "action_controller/railtie"

class ShopApp < Rails::Application
  config.eager_load = false
  config.logger = Logger.new($stdout)
  config.hosts.clear
  routes.append { root "home#index" }
end

class HomeController < ActionController::Base
  def index
    session[:visits] = (session[:visits] || 0) + 1
    render plain: "ok"
  end
end

ShopApp.initialize!
run ShopApp
RUBY
# Under puma: it boots, and the first request, which sets the session cookie, fails.
env -u SECRET_KEY_BASE RAILS_ENV=production timeout 30 puma -b tcp://127.0.0.1:47661 config.ru \
    > puma.out 2>&1 &
puma_pid=$!
wait_port 47661
curl -s -o /dev/null http://127.0.0.1:47661/ || true
sleep 1
kill "$puma_pid"; wait "$puma_pid" 2>/dev/null || true
puma_pid=
grep -v "Gracefully stopping\|=== puma shutdown\|Goodbye!" puma.out > "$here/rails-secret-key-base.log"

# At boot: an initializer derives a signing key for its API tokens.
cat > boot.rb <<'RUBY'
require "rails"
require "action_controller/railtie"

class ShopApp < Rails::Application
  config.eager_load = false
  config.logger = Logger.new($stdout)
  initializer "shop.api_tokens" do |app|
    TOKEN_KEY = app.key_generator.generate_key("api tokens", 32)
  end
end

ShopApp.initialize!
puts "booted"
RUBY
env -u SECRET_KEY_BASE RAILS_ENV=production timeout 30 ruby boot.rb > "$here/rails-secret-key-base-boot.log" 2>&1 || true

# ---------------------------------------------------------------------------- puma as nobody
chmod -R a+rX "$work"
su nobody -s /bin/sh -c "cd $work && timeout 30 puma -b tcp://127.0.0.1:80 config.ru" \
    > "$here/puma-privileged-port.log" 2>&1 || true

# ---------------------------------------------------------------------------- a missing file
# app.rb loads config/settings.rb, which was never written (config/ holds only the .example).
mkdir -p config
echo 'SETTINGS = { currency: "EUR" }.freeze' > config/settings.rb.example
cat > app.rb <<'RUBY'
require_relative "config/settings"
puts "currency: #{SETTINGS[:currency]}"
RUBY
ruby app.rb > "$here/ruby-missing-local-file.log" 2>&1 || true

# ---------------------------------------------------------------------------- the redis gem
cat > cache.rb <<'RUBY'
require "redis"
redis = Redis.new(url: ENV.fetch("REDIS_URL"))
puts "cache: #{redis.ping}"
RUBY
REDIS_URL=redis://127.0.0.1:47663/0 ruby cache.rb > "$here/redis-refused.log" 2>&1 || true
REDIS_URL=redis://127.0.0.1:47663/0 ruby cache.rb 2>&1 | compose > "$here/redis-refused-compose.log" || true
REDIS_URL=redis://cache:6379/0 ruby cache.rb > "$here/redis-unresolvable-host.log" 2>&1 || true
# A real redis-server wants a password; the app's REDIS_URL carries another one.
redis-server --port 47665 --bind 127.0.0.1 --requirepass s3cret-server --save '' \
    --appendonly no --dir "$work" > redis.out 2>&1 &
redis_pid=$!
wait_port 47665
kill -0 "$redis_pid" || { cat redis.out; echo "redis-server could not start on 47665"; exit 1; }
REDIS_URL=redis://:wrong-secret@127.0.0.1:47665/0 ruby cache.rb > "$here/redis-wrong-password.log" 2>&1 || true
kill "$redis_pid"; wait "$redis_pid" 2>/dev/null || true
redis_pid=

# ---------------------------------------------------------------------------- the pg gem
cat > db.rb <<'RUBY'
require "pg"
conn = PG.connect(ENV.fetch("DATABASE_URL"))
puts conn.exec("select 1").values.inspect
RUBY
DATABASE_URL=postgres://shop@127.0.0.1:47664/shop ruby db.rb > "$here/pg-refused.log" 2>&1 || true
DATABASE_URL=postgres://shop@db:5432/shop ruby db.rb > "$here/pg-unresolvable-host.log" 2>&1 || true

echo "captured into $here"
