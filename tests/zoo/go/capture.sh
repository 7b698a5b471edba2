#!/bin/sh
# Regenerates the captures of this folder by running real Go programs (standard library only)
# on this machine: a net/http server whose port is taken or privileged (run as `nobody`), a
# client dialing a closed port and an unresolvable host, a missing environment variable, a
# panic on a nil map, a missing and an unreadable config file, a compile error under `go run`,
# and a module that needs a newer Go than the one installed.
# Needs: apt install golang-go (GOFLAGS=-mod=mod, no module downloads). Runs as root; the
# privileged-port and permission cases run as `nobody` through `su nobody -s /bin/sh -c`.
# Ports: 47110-47119. Work directory: /tmp/zoo-go (removed at start and at exit).
# Wrapped in noise: go-port-in-use-compose (a compose-style `api_1  | ` prefix) and
# go-connection-refused-timestamps (a timestamping `while read` loop, as a log shipper adds).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
command -v go >/dev/null || { echo "go not installed: skipping"; exit 0; }
work=/tmp/zoo-go
rm -rf "$work"
helper=
cleanup() {
    [ -n "$helper" ] && kill "$helper" 2>/dev/null || true
    [ -n "$helper" ] && wait "$helper" 2>/dev/null || true
    chmod -R u+w "$work" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work"
chmod 755 "$work"
export GOFLAGS=-mod=mod GOCACHE="$work/gocache" GOPATH="$work/gopath" GOTOOLCHAIN=local GOPROXY=off
port_busy=47110
port_closed=47111

# The web server: listens on $PORT, as a twelve-factor service does.
mkdir -p "$work/server"
cat > "$work/server/go.mod" <<'MOD'
module example.com/server

go 1.19
MOD
cat > "$work/server/main.go" <<'GO'
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
)

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	log.Printf("starting server on :%s", port)
	log.Fatal(http.ListenAndServe(":"+port, nil))
}
GO
(cd "$work/server" && go build -o "$work/bin/server" .)
chmod -R a+rX "$work/bin"

# A first instance holds the port; the second one cannot bind it.
PORT=$port_busy "$work/bin/server" >/dev/null 2>&1 &
helper=$!
sleep 1
PORT=$port_busy "$work/bin/server" > "$here/go-port-in-use.log" 2>&1 || true
PORT=$port_busy "$work/bin/server" 2>&1 | sed 's/^/api_1  | /' > "$here/go-port-in-use-compose.log" || true
kill "$helper"; wait "$helper" 2>/dev/null || true
helper=

# Port 80 as a non-root user.
su nobody -s /bin/sh -c "PORT=80 $work/bin/server" > "$here/go-privileged-port.log" 2>&1 || true

# A worker that dials its cache/queue at REDIS_ADDR and retries a few times.
mkdir -p "$work/client"
cat > "$work/client/go.mod" <<'MOD'
module example.com/client

go 1.19
MOD
cat > "$work/client/main.go" <<'GO'
package main

import (
	"log"
	"net"
	"os"
	"time"
)

func main() {
	addr := os.Getenv("REDIS_ADDR")
	var err error
	for attempt := 1; attempt <= 3; attempt++ {
		var conn net.Conn
		conn, err = net.DialTimeout("tcp", addr, 2*time.Second)
		if err == nil {
			conn.Close()
			log.Printf("connected to %s", addr)
			return
		}
		log.Printf("attempt %d: %v", attempt, err)
		time.Sleep(200 * time.Millisecond)
	}
	log.Fatalf("giving up: %v", err)
}
GO
(cd "$work/client" && go build -o "$work/bin/client" .)
REDIS_ADDR=127.0.0.1:$port_closed "$work/bin/client" > "$here/go-connection-refused.log" 2>&1 || true
REDIS_ADDR=127.0.0.1:$port_closed "$work/bin/client" 2>&1 | while IFS= read -r line; do
    printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)" "$line"
done > "$here/go-connection-refused-timestamps.log" || true
REDIS_ADDR=redis-cache:6379 "$work/bin/client" > "$here/go-unresolvable-host.log" 2>&1 || true

# A service that refuses to start without DATABASE_URL.
mkdir -p "$work/envcheck"
cat > "$work/envcheck/go.mod" <<'MOD'
module example.com/envcheck

go 1.19
MOD
cat > "$work/envcheck/main.go" <<'GO'
package main

import (
	"log"
	"os"
)

func mustGetenv(name string) string {
	v := os.Getenv(name)
	if v == "" {
		log.Fatalf("required environment variable %s is not set", name)
	}
	return v
}

func main() {
	log.Println("loading configuration")
	dsn := mustGetenv("DATABASE_URL")
	log.Printf("connecting to %s", dsn)
}
GO
(cd "$work/envcheck" && env -u DATABASE_URL go run .) > "$here/go-missing-env.log" 2>&1 || true

# A handler that writes into a map it never made: the runtime panics (under go run).
mkdir -p "$work/panic"
cat > "$work/panic/go.mod" <<'MOD'
module example.com/panic

go 1.19
MOD
cat > "$work/panic/main.go" <<'GO'
package main

import "fmt"

type Cache struct {
	items map[string]string
}

func (c *Cache) Put(k, v string) {
	c.items[k] = v
}

func main() {
	fmt.Println("warming cache")
	c := &Cache{}
	c.Put("user:1", "alice")
}
GO
(cd "$work/panic" && go run .) > "$here/go-panic-nil-map.log" 2>&1 || true

# A config loader: a file that is not there, then one the service user cannot read.
mkdir -p "$work/config"
cat > "$work/config/go.mod" <<'MOD'
module example.com/config

go 1.19
MOD
cat > "$work/config/main.go" <<'GO'
package main

import (
	"encoding/json"
	"log"
	"os"
)

func main() {
	path := "config.json"
	if len(os.Args) > 1 {
		path = os.Args[1]
	}
	f, err := os.Open(path)
	if err != nil {
		log.Fatalf("cannot load config: %v", err)
	}
	defer f.Close()
	var cfg map[string]any
	if err := json.NewDecoder(f).Decode(&cfg); err != nil {
		log.Fatalf("bad config: %v", err)
	}
	log.Printf("config loaded: %d keys", len(cfg))
}
GO
(cd "$work/config" && go build -o "$work/bin/config" .)
chmod -R a+rX "$work/bin"
mkdir -p "$work/app"
(cd "$work/app" && "$work/bin/config") > "$here/go-missing-config.log" 2>&1 || true
printf '{"db": "postgres://app@db/app"}\n' > "$work/app/secrets.json"
chmod 600 "$work/app/secrets.json"
chmod 755 "$work/app"
su nobody -s /bin/sh -c "cd $work/app && $work/bin/config $work/app/secrets.json" \
    > "$here/go-permission-denied.log" 2>&1 || true

# go run of a file with a compile error.
mkdir -p "$work/broken"
cat > "$work/broken/go.mod" <<'MOD'
module example.com/broken

go 1.19
MOD
cat > "$work/broken/main.go" <<'GO'
package main

import (
	"fmt"
	"os"
)

func main() {
	name := os.Getenv("APP_NAME")
	fmt.Println("starting", name)
	fmt.Println("listening on", addr)
}
GO
(cd "$work/broken" && go run main.go) > "$here/go-compile-error.log" 2>&1 || true

# A module written for a newer Go (go 1.21: the min builtin) built with the installed one.
mkdir -p "$work/newer"
cat > "$work/newer/go.mod" <<'MOD'
module example.com/newer

go 1.21
MOD
cat > "$work/newer/main.go" <<'GO'
package main

import "fmt"

func main() {
	workers := min(4, 16)
	fmt.Println("workers:", workers)
}
GO
(cd "$work/newer" && go run .) > "$here/go-newer-go.log" 2>&1 || true

echo "captured into $here"
