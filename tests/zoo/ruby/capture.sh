#!/bin/sh
# Regenerates the captures of this folder by running Debian's Ruby and puma on this machine: a
# rack app under puma on a port already taken, a syntax error, `ENV.fetch` of a
# missing variable, a raw TCPSocket refused by a closed redis port, and an unresolvable host.
# Needs: apt install ruby puma. Ports: 47310-47319. Work directory: /tmp/zoo-ruby (removed at
# start and at exit). Wrapped in noise: ruby-connection-refused-compose (a compose-style
# `worker_1  | ` prefix).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
command -v ruby >/dev/null || { echo "ruby not installed: skipping"; exit 0; }
work=/tmp/zoo-ruby
rm -rf "$work"
helper=
cleanup() {
    [ -n "$helper" ] && kill "$helper" 2>/dev/null || true
    [ -n "$helper" ] && wait "$helper" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work"
cd "$work"
port_busy=47310
port_closed=47311

# A minimal rack app under puma; a helper puma holds the port first.
cat > config.ru <<'RU'
run ->(env) { [200, { "Content-Type" => "text/plain" }, ["ok\n"]] }
RU
if command -v puma >/dev/null; then
    puma -b tcp://127.0.0.1:$port_busy config.ru >/dev/null 2>&1 &
    helper=$!
    sleep 3
    puma -b tcp://127.0.0.1:$port_busy config.ru > "$here/ruby-puma-port-in-use.log" 2>&1 || true
    kill "$helper"; wait "$helper" 2>/dev/null || true
    helper=
fi

# A syntax error: an `end` missing.
cat > app.rb <<'RB'
class App
  def call(env)
    if env["PATH_INFO"] == "/health"
      [200, {}, ["ok"]]
    else
      [404, {}, ["not found"]]
  end
end
RB
ruby app.rb > "$here/ruby-syntax-error.log" 2>&1 || true

# ENV.fetch of a variable that is not set.
printf 'puts "booting"\nsecret = ENV.fetch("SECRET_KEY_BASE")\nputs secret.size\n' > env.rb
env -u SECRET_KEY_BASE ruby env.rb > "$here/ruby-missing-env.log" 2>&1 || true

# A raw TCPSocket to redis: a closed port, then a host that does not resolve.
cat > redis_check.rb <<'RB'
require "socket"
host = ENV.fetch("REDIS_HOST")
port = Integer(ENV.fetch("REDIS_PORT"))
puts "connecting to redis at #{host}:#{port}"
TCPSocket.new(host, port).close
puts "redis is up"
RB
REDIS_HOST=127.0.0.1 REDIS_PORT=$port_closed ruby redis_check.rb > "$here/ruby-connection-refused.log" 2>&1 || true
REDIS_HOST=127.0.0.1 REDIS_PORT=$port_closed ruby redis_check.rb 2>&1 \
    | sed 's/^/worker_1  | /' > "$here/ruby-connection-refused-compose.log" || true
REDIS_HOST=redis-cache REDIS_PORT=6379 ruby redis_check.rb > "$here/ruby-unresolvable-host.log" 2>&1 || true

echo "captured into $here"
