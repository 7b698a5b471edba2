#!/bin/sh
# Regenerates the captures of this folder by running real Go 1.19 programs (standard library
# only) and the go command failing on this machine: net/http clients refused on a closed port
# and on a host that does not resolve (timestamped), a database-style client whose ping is
# refused behind a compose prefix; a server on 443 as `nobody`; a server on a port a first one
# holds under a restarting shell supervisor; `go run .` outside any module (no go.mod); an import
# of a module not in go.mod and of a path not in the standard library, with GOPROXY=off, under
# make; a config file given by -config that is not there; a TLS server whose cert.pem was never
# made (compose prefix); as `nobody`, MkdirAll under a root-owned directory; a nil pointer
# dereference and an all-goroutines deadlock under `go run`; `go run` whose child is killed
# (`signal: killed`, timestamped); a type error in a subpackage.
# Needs: apt-get install -y golang-go make (no module downloads: GOPROXY=off); `su nobody`.
# Ports: 47736-47749 only: nothing listens on 47736 or 47737; a first server holds 47738;
# and 443 as nobody, refused before anything binds.
# Work directory: /tmp/zoo-go-2 (removed at start and at exit).
# Wrapped in noise: http-unresolvable-timestamps and go-run-killed-timestamps (lib.sh `stamp`),
# db-ping-refused-compose and tls-cert-missing-compose (compose-style prefixes),
# port-in-use-supervisor (a restarting shell loop's lines), the module cases (make's lines).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=/tmp/zoo-go-2
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
command -v go >/dev/null || { echo "go not installed: skipping"; exit 0; }
rm -rf "$work"
holder=
cleanup() {
    for pid in $holder; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    chmod -R u+w "$work" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
mkdir -p "$work/bin"
chmod 755 "$work"
cd "$work"
export GOFLAGS=-mod=mod GOCACHE="$work/gocache" GOPATH="$work/gopath" GOTOOLCHAIN=local GOPROXY=off
unset GOROOT GO111MODULE 2>/dev/null || true

. "$here/../lib.sh"  # stamp, wait_port
as_nobody() { su nobody -s /bin/sh -c "cd $work && timeout 60 $1"; }
# module DIR: a go.mod for example.com/DIR in DIR.
module() { mkdir -p "$1"; printf 'module example.com/%s\n\ngo 1.19\n' "$1" > "$1/go.mod"; }

# ---------------------------------------------------------------------------- clients
module health
cat > health/main.go <<'GO'
package main

import (
	"log"
	"net/http"
	"os"
)

func main() {
	url := os.Getenv("UPSTREAM_URL") + "/health"
	resp, err := http.Get(url)
	if err != nil {
		log.Fatalf("health check failed: %v", err)
	}
	defer resp.Body.Close()
	log.Printf("upstream says %s", resp.Status)
}
GO
(cd health && go build -o "$work/bin/health" .)
UPSTREAM_URL=http://127.0.0.1:47736 bin/health > "$here/http-refused.log" 2>&1 || true
UPSTREAM_URL=http://inventory:8080 bin/health 2>&1 | stamp > "$here/http-unresolvable-timestamps.log" || true

module dbping
cat > dbping/main.go <<'GO'
package main

import (
	"fmt"
	"log"
	"net"
	"os"
	"time"
)

// ping opens the database's TCP port the way a driver's Ping does, and wraps the error.
func ping(addr string) error {
	conn, err := net.DialTimeout("tcp", addr, 3*time.Second)
	if err != nil {
		return fmt.Errorf("db: ping: %w", err)
	}
	return conn.Close()
}

func main() {
	addr := os.Getenv("DB_ADDR")
	log.Printf("migrations: waiting for the database")
	if err := ping(addr); err != nil {
		log.Printf("migrations: %v", err)
		os.Exit(1)
	}
}
GO
(cd dbping && go build -o "$work/bin/dbping" .)
DB_ADDR=127.0.0.1:47737 bin/dbping 2>&1 | sed 's/^/migrate_1  | /' > "$here/db-ping-refused-compose.log" || true

# ---------------------------------------------------------------------------- servers
module api
cat > api/main.go <<'GO'
package main

import (
	"log"
	"net"
	"net/http"
	"os"
)

func main() {
	addr := os.Getenv("LISTEN_ADDR")
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		log.Fatalf("server: %v", err)
	}
	log.Printf("server: listening on %s", ln.Addr())
	log.Fatal(http.Serve(ln, http.NotFoundHandler()))
}
GO
(cd api && go build -o "$work/bin/api" .)
chmod -R a+rX bin
as_nobody "env LISTEN_ADDR=:443 $work/bin/api" > "$here/listen-privileged-port.log" 2>&1 || true
LISTEN_ADDR=127.0.0.1:47738 bin/api >/dev/null 2>&1 &
holder=$!
wait_port 47738
cat > supervise.sh <<'SH'
#!/bin/sh
# Restarts the api until it has failed three times.
n=1
while [ $n -le 3 ]; do
    echo "[supervise] starting api (attempt $n)"
    "$@" && status=0 || status=$?
    echo "[supervise] api exited with status $status"
    n=$((n + 1))
    sleep 0.2
done
echo "[supervise] api failed 3 times, giving up"
exit 1
SH
chmod 755 supervise.sh
LISTEN_ADDR=127.0.0.1:47738 ./supervise.sh bin/api > "$here/port-in-use-supervisor.log" 2>&1 || true
kill "$holder"; wait "$holder" 2>/dev/null || true
holder=

# A TLS server whose certificate was never generated.
module tls
cat > tls/main.go <<'GO'
package main

import (
	"log"
	"net/http"
)

func main() {
	log.Println("starting https server on 127.0.0.1:47739")
	err := http.ListenAndServeTLS("127.0.0.1:47739", "cert.pem", "key.pem", http.NotFoundHandler())
	log.Fatal(err)
}
GO
(cd tls && go build -o "$work/bin/tls" . && "$work/bin/tls") 2>&1 | sed 's/^/web-1  | /' > "$here/tls-cert-missing-compose.log" || true

# ---------------------------------------------------------------------------- the go command
mkdir -p nomod
printf 'package main\n\nfunc main() {}\n' > nomod/main.go
(cd nomod && go run .) > "$here/go-run-no-go-mod.log" 2>&1 || true

module cache
cat > cache/main.go <<'GO'
package main

import (
	"context"
	"fmt"

	"github.com/redis/go-redis/v9"
)

func main() {
	rdb := redis.NewClient(&redis.Options{Addr: "localhost:6379"})
	fmt.Println(rdb.Ping(context.Background()).Err())
}
GO
printf 'run:\n\tgo run .\n' > cache/Makefile
(cd cache && make run) > "$here/module-not-in-go-mod.log" 2>&1 || true

module conf
cat > conf/main.go <<'GO'
package main

import (
	"fmt"

	"yaml"
)

func main() {
	fmt.Println(yaml.Marshal)
}
GO
printf 'build:\n\tgo build -o bin/conf .\n' > conf/Makefile
(cd conf && make build) > "$here/package-not-in-std.log" 2>&1 || true

# A package with a type error.
module shop
mkdir -p shop/handlers
cat > shop/handlers/user.go <<'GO'
package handlers

import "strconv"

func UserID(raw string) string {
	id, err := strconv.Atoi(raw)
	if err != nil {
		return ""
	}
	return id
}
GO
cat > shop/main.go <<'GO'
package main

import (
	"fmt"

	"example.com/shop/handlers"
)

func main() {
	fmt.Println(handlers.UserID("42"))
}
GO
(cd shop && go build ./...) > "$here/type-error-subpackage.log" 2>&1 || true

# ---------------------------------------------------------------------------- files
module config
cat > config/main.go <<'GO'
package main

import (
	"flag"
	"log"
	"os"
)

func main() {
	path := flag.String("config", "config.yaml", "config file")
	flag.Parse()
	data, err := os.ReadFile(*path)
	if err != nil {
		log.Fatalf("failed to load configuration: %v", err)
	}
	log.Printf("loaded %d bytes", len(data))
}
GO
(cd config && go build -o "$work/bin/config" .)
bin/config -config "$work/etc/app/config.yaml" > "$here/config-flag-missing.log" 2>&1 || true

module uploads
cat > uploads/main.go <<'GO'
package main

import (
	"log"
	"os"
	"path/filepath"
)

func main() {
	dir := filepath.Join(os.Args[1], "uploads", "tmp")
	if err := os.MkdirAll(dir, 0o750); err != nil {
		log.Fatal(err)
	}
	log.Printf("storing uploads in %s", dir)
}
GO
(cd uploads && go build -o "$work/bin/uploads" .)
chmod -R a+rX bin
mkdir -p data
as_nobody "$work/bin/uploads $work/data" > "$here/mkdir-permission-denied.log" 2>&1 || true

# ---------------------------------------------------------------------------- crashes
module nilptr
cat > nilptr/main.go <<'GO'
package main

import "fmt"

type Config struct {
	DB *DBConfig
}

type DBConfig struct {
	Host string
}

func main() {
	cfg := &Config{}
	fmt.Println("connecting to", cfg.DB.Host)
}
GO
(cd nilptr && go run .) > "$here/nil-pointer-go-run.log" 2>&1 || true

module deadlock
cat > deadlock/main.go <<'GO'
package main

import "fmt"

func main() {
	jobs := make(chan int)
	fmt.Println("dispatching jobs")
	jobs <- 1
	fmt.Println("done")
}
GO
(cd deadlock && go run .) > "$here/deadlock-go-run.log" 2>&1 || true

# go run of a worker that is killed (as the OOM killer or `docker kill` would) while it runs.
module sleeper
cat > sleeper/main.go <<'GO'
package main

import (
	"log"
	"os"
	"strconv"
	"time"
)

func main() {
	os.WriteFile(os.Getenv("PID_FILE"), []byte(strconv.Itoa(os.Getpid())), 0o644)
	log.Println("worker: processing batch")
	time.Sleep(60 * time.Second)
}
GO
(cd sleeper && go build -o /dev/null .)  # warm the cache so go run starts at once
(cd sleeper && PID_FILE="$work/sleeper.pid" go run . 2>&1 | stamp > "$here/go-run-killed-timestamps.log") &
runner=$!
i=0
until [ -s sleeper.pid ] || [ $i -ge 40 ]; do sleep 0.25; i=$((i + 1)); done
sleep 0.5
kill -KILL "$(cat sleeper.pid)"
wait "$runner" 2>/dev/null || true

echo "captured into $here"
