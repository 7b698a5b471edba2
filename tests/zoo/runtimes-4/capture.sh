#!/bin/sh
# Regenerates the captures of this folder by running small programs in runtimes the other
# folders do not cover, failing for real on this machine:
# Rust 1.95 (std only, built offline with cargo: a TcpListener bind on a port a helper holds,
# through `main`'s `?` and, behind a compose prefix, in the program's own words; port 80 as
# `nobody`; `env::var(..).expect` (timestamped) and `.unwrap()` on unset variables; a
# TcpStream refused on a closed port and on a host that does not resolve; File::open of a
# missing config and, as `nobody`, of one only root may read; cargo on an undeclared name
# (E0425), on a dependency it cannot fetch (index.crates.io does not resolve here) and with
# --offline, and `cargo run` of a panicking program, both under a shell entrypoint),
# Perl 5.36 (a module not installed under a shell entrypoint, IO::Socket::INET listening on a
# port a helper holds (timestamped), a syntax error behind a compose prefix, `die` on a missing
# variable, a refused connect in the program's words and, behind a compose prefix, in
# IO::Socket's, a config file never written),
# Erlang/OTP 25 and Elixir 1.14 (an escript's gen_tcp:listen badmatch on eaddrinuse, an Elixir
# listener raising with the port (timestamped), System.fetch_env! behind a compose prefix, a
# refused :gen_tcp.connect, a SyntaxError, a gen_server crashing on a bad WORKERS value: a CRASH
# REPORT under a shell entrypoint), and Lua 5.4 (a syntax error, `module 'socket' not found` under a shell
# entrypoint).
# Needs: rustc + cargo (/root/.cargo/bin; no crates: crates.io is not reachable), Debian's perl,
# and apt-get install -y --no-install-recommends elixir lua5.4 (erlang-base comes with elixir;
# installed here if missing, no service to stop); `su nobody`. A runtime that is missing skips
# its cases.
# Ports: 48000-48049 only: rust 48001-48005 (helpers hold 48001 and 48002; nothing listens on
# 48005), perl 48011-48014 (a helper holds 48011; nothing on 48013, 48014), erlang/elixir
# 48021-48025 (helpers hold 48021 and 48023; nothing on 48025); and 80 as `nobody`, refused
# before anything binds.
# Work directory: /tmp/zoo-runtimes-4 (removed at start and at exit; CARGO_HOME inside it).
# Wrapped in noise: rust-port-in-use-compose, perl-syntax-error-compose,
# perl-connection-refused-compose, elixir-missing-env-compose (compose-style prefixes),
# rust-missing-env-timestamps, perl-port-in-use-timestamps, elixir-port-in-use-timestamps
# (lib.sh `stamp`), and the *-entrypoint captures (a shell entrypoint saying the exit code).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=/tmp/zoo-runtimes-4
PATH=/root/.cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
unset RUST_BACKTRACE RUST_LOG DATABASE_URL REDIS_URL DATABASE_DSN 2>/dev/null || true
rm -rf "$work"
holders=
cleanup() {
    for pid in $holders; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
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
as_nobody() { su nobody -s /bin/sh -c "cd $1 && timeout 30 $2"; }
has() { command -v "$1" >/dev/null 2>&1 || { echo "$1 not installed: skipping its cases"; return 1; }; }
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
# The shell entrypoint several images ship: it runs its arguments and says how they ended.
cat > "$work/entrypoint.sh" <<'EOF'
#!/bin/sh
echo "entrypoint: starting $*"
status=0
"$@" || status=$?
echo "entrypoint: $1 exited with code $status"
exit $status
EOF
chmod 755 "$work/entrypoint.sh"
entry() { "$work/entrypoint.sh" "$@"; }

if ! command -v elixir >/dev/null 2>&1 || ! command -v lua5.4 >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends elixir lua5.4 \
        >/dev/null 2>&1 || echo "elixir/lua5.4 could not be installed"
fi

# ---------------------------------------------------------------------------- rust
if has cargo; then
    export CARGO_HOME="$work/cargo-home"
    unset CARGO_NET_OFFLINE 2>/dev/null || true
    r=$work/rust
    mkdir -p "$r/app/src/bin"
    cd "$r/app"
    cat > Cargo.toml <<'EOF'
[package]
name = "app"
version = "0.1.0"
edition = "2021"

[dependencies]
EOF
    echo 'fn main() {}' > src/main.rs
    # A server whose main returns io::Result: the bind error goes up through `?`.
    cat > src/bin/server.rs <<'EOF'
use std::io::{Read, Write};
use std::net::TcpListener;

fn main() -> std::io::Result<()> {
    let addr = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:8080".to_string());
    let listener = TcpListener::bind(&addr)?;
    for stream in listener.incoming() {
        let mut stream = stream?;
        let mut buf = [0u8; 1024];
        let _ = stream.read(&mut buf)?;
        stream.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok")?;
    }
    Ok(())
}
EOF
    # A server that says, in its own words, what it could not bind.
    cat > src/bin/api.rs <<'EOF'
use std::net::TcpListener;
use std::process;

fn main() {
    let port = std::env::var("PORT").unwrap_or_else(|_| "8080".to_string());
    let addr = format!("127.0.0.1:{port}");
    println!("api: starting on {addr}");
    let listener = match TcpListener::bind(&addr) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: could not bind {addr}: {e}");
            process::exit(1);
        }
    };
    for _ in listener.incoming() {}
}
EOF
    # A listener that expects its bind to succeed.
    cat > src/bin/metrics.rs <<'EOF'
use std::net::TcpListener;

fn main() {
    let addr = std::env::var("METRICS_ADDR").unwrap_or_else(|_| "127.0.0.1:80".to_string());
    let listener = TcpListener::bind(&addr).expect(&format!("bind {addr}"));
    println!("metrics on {}", listener.local_addr().unwrap());
}
EOF
    # Configuration read from the environment.
    cat > src/bin/migrate.rs <<'EOF'
use std::env;

fn main() {
    println!("migrate: reading configuration");
    let url = env::var("DATABASE_URL").expect("DATABASE_URL must be set");
    println!("migrate: connecting to {url}");
}
EOF
    cat > src/bin/cache.rs <<'EOF'
use std::env;

fn main() {
    let url = env::var("REDIS_URL").unwrap();
    println!("cache: using {url}");
}
EOF
    # Clients: a closed port, a host that does not resolve.
    cat > src/bin/client.rs <<'EOF'
use std::io::Write;
use std::net::TcpStream;
use std::process;

fn main() {
    let addr = std::env::args().nth(1).expect("usage: client HOST:PORT");
    println!("worker: connecting to redis at {addr}");
    match TcpStream::connect(&addr) {
        Ok(mut s) => {
            s.write_all(b"PING\r\n").unwrap();
        }
        Err(e) => {
            eprintln!("worker: redis connection to {addr} failed: {e}");
            process::exit(1);
        }
    }
}
EOF
    # Config files: missing, and unreadable.
    cat > src/bin/loadconf.rs <<'EOF'
use std::fs::File;
use std::io::Read;

fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| "config/settings.toml".to_string());
    let mut text = String::new();
    File::open(&path)
        .expect(&format!("failed to open {path}"))
        .read_to_string(&mut text)
        .unwrap();
    println!("{} bytes of config", text.len());
}
EOF
    cat > src/bin/readconf.rs <<'EOF'
use std::fs::File;
use std::io::Read;

fn main() -> Result<(), String> {
    let path = std::env::args().nth(1).unwrap_or_else(|| "/etc/app/app.conf".to_string());
    let mut file = File::open(&path).map_err(|e| format!("could not read {path}: {e}"))?;
    let mut text = String::new();
    file.read_to_string(&mut text).map_err(|e| e.to_string())?;
    println!("{} bytes of config", text.len());
    Ok(())
}
EOF
    # A worker that panics on its input (index out of bounds).
    cat > src/bin/worker.rs <<'EOF'
fn main() {
    let shards = vec!["a", "b", "c"];
    let wanted: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(3);
    println!("worker: taking shard {wanted}");
    println!("worker: shard {}", shards[wanted]);
}
EOF
    cargo build --quiet --offline --bins > "$r/build.out" 2>&1 || { cat "$r/build.out"; exit 1; }
    b=$r/app/target/debug
    mkdir -p "$r/run/config"
    cd "$r/run"

    hold 48001
    "$b/server" 127.0.0.1:48001 > "$here/rust-port-in-use.log" 2>&1 || true
    release
    hold 48002
    PORT=48002 "$b/api" 2>&1 | compose api-1 > "$here/rust-port-in-use-compose.log" || true
    release

    # As nobody, port 80: the binary is copied where nobody may run it, run from there.
    n=$work/nobody
    mkdir -p "$n"
    cp "$b/metrics" "$b/readconf" "$n/"
    chmod 755 "$n" "$n/metrics" "$n/readconf"
    as_nobody "$n" "./metrics" > "$here/rust-privileged-port.log" 2>&1 || true

    "$b/migrate" 2>&1 | stamp > "$here/rust-missing-env-timestamps.log" || true
    "$b/cache" > "$here/rust-env-unwrap.log" 2>&1 || true

    "$b/client" 127.0.0.1:48005 > "$here/rust-connection-refused.log" 2>&1 || true
    "$b/client" redis-cache:6379 > "$here/rust-unresolvable-host.log" 2>&1 || true

    # config/ exists, settings.toml was never written there.
    "$b/loadconf" > "$here/rust-config-missing.log" 2>&1 || true
    # As nobody, a config only root may read.
    mkdir -p "$work/etc/app"
    echo 'listen = "127.0.0.1:48003"' > "$work/etc/app/app.conf"
    chmod 755 "$work/etc" "$work/etc/app"
    chmod 600 "$work/etc/app/app.conf"
    as_nobody "$n" "./readconf $work/etc/app/app.conf" > "$here/rust-config-permission-denied.log" 2>&1 || true

    # cargo build on a crate whose main.rs uses a name it never declared (line 7).
    mkdir -p "$r/svc/src"
    cd "$r/svc"
    printf '[package]\nname = "svc"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n' > Cargo.toml
    cat > src/main.rs <<'EOF'
use std::net::TcpListener;

fn main() {
    let host = "127.0.0.1";
    let port = 48004;
    let addr = format!("{host}:{port}");
    let listener = TcpListener::bind(&adr).unwrap();
    println!("listening on {}", listener.local_addr().unwrap());
}
EOF
    cargo build --offline > "$here/cargo-compile-error.log" 2>&1 || true

    # cargo run on a crate depending on serde: the registry index.crates.io does not resolve here.
    mkdir -p "$r/web/src"
    cd "$r/web"
    printf '[package]\nname = "web"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\nserde = { version = "1", features = ["derive"] }\n' > Cargo.toml
    echo 'fn main() { println!("web"); }' > src/main.rs
    timeout 120 cargo run > "$here/cargo-dependency-unresolvable.log" 2>&1 || true
    # The same with --offline, under the shell entrypoint: nothing of serde is cached.
    entry cargo build --offline > "$here/cargo-offline-dependency-entrypoint.log" 2>&1 || true

    # cargo run of the worker under the shell entrypoint: it panics (cargo itself says nothing
    # of the status; the entrypoint does).
    cd "$r/app"
    entry cargo run --offline --bin worker -- 3 > "$here/cargo-run-panic-entrypoint.log" 2>&1 || true
    cd "$work"
fi

# ---------------------------------------------------------------------------- perl
if has perl; then
    p=$work/perl
    mkdir -p "$p/conf"
    cd "$p"
    # A web app using a framework that is not installed.
    cat > app.pl <<'EOF'
#!/usr/bin/perl
use strict;
use warnings;
use Mojolicious::Lite;

get '/' => { text => 'ok' };
app->start;
EOF
    entry perl app.pl daemon -l http://127.0.0.1:48012 > "$here/perl-missing-module-entrypoint.log" 2>&1 || true

    # A listener on a port a helper holds.
    cat > server.pl <<'EOF'
#!/usr/bin/perl
use strict;
use warnings;
use IO::Socket::INET;

my $port = shift // 8080;
print "server: listening on 127.0.0.1:$port\n";
my $server = IO::Socket::INET->new(
    LocalAddr => '127.0.0.1',
    LocalPort => $port,
    Proto     => 'tcp',
    Listen    => 5,
    ReuseAddr => 1,
) or die "server: cannot listen on 127.0.0.1:$port: $@\n";
while (my $client = $server->accept) {
    print $client "HTTP/1.0 200 OK\r\n\r\nok";
    close $client;
}
EOF
    hold 48011
    perl server.pl 48011 2>&1 | stamp > "$here/perl-port-in-use-timestamps.log" || true
    release

    # A missing semicolon at the end of line 6: perl reports the syntax error at line 7.
    cat > worker.pl <<'EOF'
#!/usr/bin/perl
use strict;
use warnings;

my $queue = $ENV{QUEUE} // 'default';
my @jobs = ('resize', 'notify')
for my $job (@jobs) {
    print "worker: $queue: $job\n";
}
EOF
    perl worker.pl 2>&1 | compose worker-1 > "$here/perl-syntax-error-compose.log" || true

    # die on an unset variable.
    cat > migrate.pl <<'EOF'
#!/usr/bin/perl
use strict;
use warnings;

print "migrate: starting\n";
my $dsn = $ENV{DATABASE_DSN} // die "migrate: DATABASE_DSN is not set\n";
print "migrate: connecting to $dsn\n";
EOF
    perl migrate.pl > "$here/perl-missing-env.log" 2>&1 || true

    # Clients refused on a closed port: in the program's words, and in IO::Socket's only.
    cat > client.pl <<'EOF'
#!/usr/bin/perl
use strict;
use warnings;
use IO::Socket::INET;

my ($host, $port) = @ARGV;
my $sock = IO::Socket::INET->new(PeerAddr => $host, PeerPort => $port, Proto => 'tcp')
    or die "Cannot connect to $host:$port: $!\n";
print $sock "PING\r\n";
EOF
    perl client.pl 127.0.0.1 48013 > "$here/perl-connection-refused.log" 2>&1 || true
    cat > poller.pl <<'EOF'
#!/usr/bin/perl
use strict;
use warnings;
use IO::Socket::INET;

my $addr = $ENV{BACKEND} // '127.0.0.1:48014';
print "poller: started\n";
my $sock = IO::Socket::INET->new($addr) or die $@;
print $sock "GET / HTTP/1.0\r\n\r\n";
EOF
    perl poller.pl 2>&1 | compose poller-1 > "$here/perl-connection-refused-compose.log" || true

    # conf/ exists; app.conf was never written there.
    cat > config.pl <<'EOF'
#!/usr/bin/perl
use strict;
use warnings;

my $file = 'conf/app.conf';
open(my $fh, '<', $file) or die "Can't open '$file': $!";
my %conf = map { chomp; split /\s*=\s*/, $_, 2 } grep { /=/ } <$fh>;
print "loaded ", scalar(keys %conf), " settings\n";
EOF
    perl config.pl > "$here/perl-config-missing.log" 2>&1 || true
    cd "$work"
fi

# ---------------------------------------------------------------------------- erlang / elixir
if has escript; then
    e=$work/erlang
    mkdir -p "$e"
    cd "$e"
    # An escript whose listen is matched against {ok, _}: eaddrinuse is a badmatch.
    cat > listener <<'EOF'
#!/usr/bin/env escript
main(_) ->
    Port = 48021,
    {ok, Listen} = gen_tcp:listen(Port, [binary, {ip, {127,0,0,1}}, {active, false}, {reuseaddr, true}]),
    io:format("listening~n"),
    {ok, _} = gen_tcp:accept(Listen).
EOF
    chmod 755 listener
    hold 48021
    ./listener > "$here/escript-port-in-use.log" 2>&1 || true
    release

    # A gen_server that parses WORKERS="four" at its first message: gen_server's ERROR REPORT and
    # proc_lib's CRASH REPORT, then main stops the VM with status 1.
    cat > pool.erl <<'EOF'
-module(pool).
-behaviour(gen_server).
-export([main/0, init/1, handle_call/3, handle_cast/2, handle_info/2]).

main() ->
    logger:notice("pool: starting"),
    {ok, Pid} = gen_server:start({local, pool}, ?MODULE, [], []),
    Ref = monitor(process, Pid),
    receive
        {'DOWN', Ref, process, Pid, _} -> init:stop(1)
    end.

init([]) ->
    self() ! grow,
    {ok, #{workers => 0}}.

handle_info(grow, State) ->
    Workers = list_to_integer(os:getenv("WORKERS", "4")),
    {noreply, State#{workers := Workers}}.

handle_call(_, _, S) -> {reply, ok, S}.
handle_cast(_, S) -> {noreply, S}.
EOF
    erlc pool.erl
    WORKERS=four entry erl -noshell -pa "$e" -s pool main > "$here/erlang-crash-report-entrypoint.log" 2>&1 || true
    cd "$work"
fi
if has elixir; then
    x=$work/elixir
    mkdir -p "$x"
    cd "$x"
    cat > server.exs <<'EOF'
port = String.to_integer(System.get_env("PORT", "4000"))
IO.puts("Starting server on port #{port}")

case :gen_tcp.listen(port, [:binary, ip: {127, 0, 0, 1}, active: false, reuseaddr: true]) do
  {:ok, socket} ->
    {:ok, _client} = :gen_tcp.accept(socket)

  {:error, reason} ->
    raise "could not listen on port #{port}: #{inspect(reason)}"
end
EOF
    hold 48023
    PORT=48023 elixir server.exs 2>&1 | stamp > "$here/elixir-port-in-use-timestamps.log" || true
    release

    cat > repo.exs <<'EOF'
IO.puts("repo: reading configuration")
url = System.fetch_env!("DATABASE_URL")
IO.puts("repo: connecting to #{url}")
EOF
    elixir repo.exs 2>&1 | compose app-1 > "$here/elixir-missing-env-compose.log" || true

    cat > cache.exs <<'EOF'
host = ~c"127.0.0.1"
port = 48025
{:ok, socket} = :gen_tcp.connect(host, port, [:binary, active: false])
:ok = :gen_tcp.send(socket, "PING\r\n")
EOF
    elixir cache.exs > "$here/elixir-connection-refused.log" 2>&1 || true

    # Line 4 closes a map with `]`.
    cat > config.exs <<'EOF'
config = %{
  port: 4000,
  pool_size: 10
]
IO.inspect(config)
EOF
    elixir config.exs > "$here/elixir-syntax-error.log" 2>&1 || true
    cd "$work"
fi

# ---------------------------------------------------------------------------- lua
if has lua5.4; then
    l=$work/lua
    mkdir -p "$l"
    cd "$l"
    # Line 4 has `==` where an assignment is meant.
    cat > app.lua <<'EOF'
local config = {}
config.port = 8080

config.host == "127.0.0.1"
print("listening on " .. config.host .. ":" .. config.port)
EOF
    lua5.4 app.lua > "$here/lua-syntax-error.log" 2>&1 || true

    # LuaSocket is not installed.
    cat > client.lua <<'EOF'
local socket = require("socket")
local conn = assert(socket.connect("127.0.0.1", 6379))
conn:send("PING\r\n")
EOF
    entry lua5.4 client.lua > "$here/lua-module-not-found-entrypoint.log" 2>&1 || true
    cd "$work"
fi

echo "captured into $here"
