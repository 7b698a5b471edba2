#!/bin/sh
# Regenerates the captures of this folder by running Go standard-library programs and JVM
# programs on Debian's jars, failing for real on this machine, in shapes go/, go-2/, java*/ do
# not hold: Go 1.19 on a program importing log/slog (added in 1.21), database/sql with no
# driver registered, a //go:embed pattern matching no file, html/template on a template with a
# stray `}` and on one never written, a TLS key pair whose cert file is no PEM, a unix socket in
# a directory never created, an undefined flag, an http client deadline against a server that
# never answers, a net/http server on a port a helper holds under make, an SMTP listener on
# port 25 as `nobody` in a shell restart loop, a panic on a missing variable (timestamped),
# the Go runtime out of memory under prlimit --as (1 GB), a log file as `nobody` in a root-owned dir;
# embedded Jetty 9 on a port a helper holds (compose prefix), a netty 4 server the same, log4j2
# on a malformed log4j2.xml and on a file appender whose directory `nobody` may not create, MariaDB
# Connector/J refused on a closed port, pgjdbc as a role pg_hba.conf does not admit against a
# real postgres, DriverManager with the pgjdbc jar left off the class path, a heap exhausted
# under -XX:+ExitOnOutOfMemoryError, and the single-file source launcher on a syntax error.
# Needs: golang-go (1.19; GOPROXY=off), openjdk-17-jdk-headless, `libjetty9-java
# libnetty-java liblog4j2-java libpostgresql-jdbc-java libmariadb-java`, postgresql 15 run as
# `nobody`, python3 (the port holders), prlimit, openssl, make, `su nobody`. Missing programs skip
# their cases.
# Ports: 48600-48649 only: a helper holds 48600 (go make), 48610 (jetty), 48611 (netty); 48602
# a server that accepts and never answers; 48620 closed (nothing listens); a real postgres on
# 48621 (as nobody); 25 as `nobody`, refused before anything binds.
# Work directory: /tmp/zoo-jvm-go/work (removed at start and at exit).
# Wrapped in noise: go-port-in-use-make (make), go-privileged-port-restart-loop (a shell loop),
# go-missing-env-panic-timestamps (lib.sh stamp), jetty-embedded-port-in-use-compose (compose
# prefix), jdbc-no-suitable-driver-wrapper (a wrapper saying the exit code).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
pgbin=/usr/lib/postgresql/15/bin
J=/usr/share/java
base=/tmp/zoo-jvm-go
work=$base/work
rm -rf "$work"
mkdir -p "$base"
chmod 755 "$base"
pg_up= holders=
. "$here/../lib.sh"  # stamp, wait_port, stop
cleanup() {
    if [ -n "$pg_up" ]; then
        su nobody -s /bin/sh -c "$pgbin/pg_ctl -D $work/pg/main -m immediate -w stop" >/dev/null 2>&1 || true
    fi
    for pid in $holders; do stop "$pid"; done
    sleep 0.3
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
mkdir -p "$work"
chmod 755 "$work"
export GOFLAGS=-mod=mod GOPROXY=off GOTOOLCHAIN=local GOCACHE=$base/gocache GOPATH=$base/gopath
mkdir -p "$GOCACHE" "$GOPATH"
chmod -R a+rwX "$GOCACHE" "$GOPATH"

compose() { sed "s/^/$1  | /"; }
run() {  # run NAME DIR COMMAND...: capture COMMAND run in DIR, bounded by timeout
    name=$1 dir=$2; shift 2
    (cd "$dir" && timeout 60 "$@") > "$here/$name.log" 2>&1 || true
}
wrap() {  # wrap NAME DIR FILTER COMMAND...: as run, the output piped through FILTER
    name=$1 dir=$2 filter=$3; shift 3
    (cd "$dir" && timeout 60 "$@" 2>&1 | $filter) > "$here/$name.log" 2>&1 || true
}
nobody() {  # nobody NAME DIR SECONDS COMMAND: capture the shell COMMAND run as nobody in DIR
    (cd "$2" && su nobody -s /bin/sh -c "cd $2 && timeout $3 $4") > "$here/$1.log" 2>&1 || true
}
have() { command -v "$1" >/dev/null 2>&1 || [ -x "$1" ]; }
hold() {  # hold PORT: a helper listening on 127.0.0.1:PORT until the script ends
    python3 -c "import socket,time
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', $1)); s.listen(8); time.sleep(600)" &
    holders="$holders $!"
    wait_port "$1"
}
gomod() {  # gomod DIR: DIR as a module of its own, main.go read from standard input
    mkdir -p "$1"
    printf 'module example.com/%s\n\ngo 1.19\n' "$(basename "$1")" > "$1/go.mod"
    cat > "$1/main.go"
}

# ---------------------------------------------------------------------------- go
G=$work/go
if have go; then
    # log/slog arrived in Go 1.21; this machine's Go is 1.19.
    gomod "$G/slogapp" <<'EOF'
package main

import (
	"log/slog"
	"os"
)

func main() {
	logger := slog.New(slog.NewJSONHandler(os.Stdout, nil))
	logger.Info("starting", "addr", ":8080")
}
EOF
    run go-slog-too-old "$G/slogapp" go run .

    # database/sql with "postgres" named but no driver package imported.
    gomod "$G/sqlapp" <<'EOF'
package main

import (
	"database/sql"
	"log"
	"os"
)

func main() {
	db, err := sql.Open("postgres", os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatalf("open database: %v", err)
	}
	defer db.Close()
	log.Println("database ready")
}
EOF
    DATABASE_URL="postgres://app@127.0.0.1:48621/app" run go-sql-unknown-driver "$G/sqlapp" go run .

    # //go:embed of static/index.html, a file the frontend build never wrote.
    gomod "$G/embedapp" <<'EOF'
package main

import (
	_ "embed"
	"net/http"
)

//go:embed static/index.html
var index []byte

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { w.Write(index) })
	http.ListenAndServe("127.0.0.1:48601", nil)
}
EOF
    mkdir -p "$G/embedapp/static"
    run go-embed-no-matching-files "$G/embedapp" go build -o app .

    # html/template: templates/index.html line 3 closes an action with a stray brace.
    gomod "$G/tmplapp" <<'EOF'
package main

import (
	"html/template"
	"log"
	"os"
)

func main() {
	t, err := template.ParseFiles("templates/index.html")
	if err != nil {
		log.Fatal(err)
	}
	t.Execute(os.Stdout, map[string]string{"Title": "Orders"})
}
EOF
    mkdir -p "$G/tmplapp/templates"
    printf '<html>\n<head><title>{{.Title}}</title></head>\n<body>{{range .Items}}<li>{{.Name}}}</li>{{end}</body>\n</html>\n' \
        > "$G/tmplapp/templates/index.html"
    run go-template-parse-error "$G/tmplapp" go run .

    # template.Must(ParseGlob) of a layout never written.
    gomod "$G/tmplmissing" <<'EOF'
package main

import (
	"html/template"
	"net/http"
)

var pages = template.Must(template.ParseFiles("templates/layout.html", "templates/home.html"))

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { pages.Execute(w, nil) })
	http.ListenAndServe("127.0.0.1:48603", nil)
}
EOF
    mkdir -p "$G/tmplmissing/templates"
    run go-template-file-missing "$G/tmplmissing" go run .

    # ListenAndServeTLS with a cert file that holds no PEM block (a DER file renamed).
    gomod "$G/tlsapp" <<'EOF'
package main

import (
	"log"
	"net/http"
)

func main() {
	log.Println("listening on https://127.0.0.1:48604")
	log.Fatal(http.ListenAndServeTLS("127.0.0.1:48604", "certs/server.crt", "certs/server.key", nil))
}
EOF
    mkdir -p "$G/tlsapp/certs"
    if have openssl; then
        openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days 1 \
            -keyout "$G/tlsapp/certs/server.key" -outform DER -out "$G/tlsapp/certs/server.crt" >/dev/null 2>&1
    fi
    run go-tls-cert-not-pem "$G/tlsapp" go run .

    # A unix socket in run/, a directory never created.
    gomod "$G/sockapp" <<'EOF'
package main

import (
	"log"
	"net"
	"net/http"
	"os"
)

func main() {
	path := os.Getenv("SOCKET_PATH")
	ln, err := net.Listen("unix", path)
	if err != nil {
		log.Fatal(err)
	}
	log.Fatal(http.Serve(ln, nil))
}
EOF
    (cd "$G/sockapp" && go build -o sockapp .) >/dev/null 2>&1
    SOCKET_PATH=$G/sockapp/run/app.sock run go-unix-socket-dir-missing "$G/sockapp" ./sockapp

    # A flag the program never defined (-prot for -port).
    gomod "$G/flagapp" <<'EOF'
package main

import (
	"flag"
	"fmt"
	"net/http"
)

func main() {
	port := flag.Int("port", 8080, "port to listen on")
	flag.Parse()
	http.ListenAndServe(fmt.Sprintf("127.0.0.1:%d", *port), nil)
}
EOF
    run go-flag-not-defined "$G/flagapp" go run . -prot 48605

    # An http.Client with a 2 s timeout against a server that accepts and never answers.
    gomod "$G/deadline" <<'EOF'
package main

import (
	"context"
	"log"
	"net/http"
	"time"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", "http://127.0.0.1:48602/v1/rates", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		log.Fatalf("fetch rates: %v", err)
	}
	resp.Body.Close()
}
EOF
    hold 48602
    run go-context-deadline "$G/deadline" go run .

    # A net/http server under make, on a port a helper holds.
    gomod "$G/makeapp" <<'EOF'
package main

import (
	"log"
	"net/http"
	"os"
)

func main() {
	addr := "127.0.0.1:" + os.Getenv("PORT")
	log.Printf("api listening on %s", addr)
	log.Fatal(http.ListenAndServe(addr, nil))
}
EOF
    printf 'PORT ?= 48600\n\nrun:\n\tgo build -o bin/api .\n\tPORT=$(PORT) ./bin/api\n' > "$G/makeapp/Makefile"
    hold 48600
    if have make; then run go-port-in-use-make "$G/makeapp" make run; fi

    # An SMTP listener on :25 as nobody, in a restart loop that gives up after three tries.
    gomod "$G/smtpapp" <<'EOF'
package main

import (
	"log"
	"net"
)

func main() {
	ln, err := net.Listen("tcp", ":25")
	if err != nil {
		log.Fatalf("smtp: %v", err)
	}
	defer ln.Close()
}
EOF
    (cd "$G/smtpapp" && go build -o smtpd .) >/dev/null 2>&1
    cat > "$G/smtpapp/run.sh" <<'EOF'
#!/bin/sh
n=1
while [ $n -le 3 ]; do
    echo "starting smtpd (attempt $n)"
    ./smtpd && exit 0
    echo "smtpd exited with $?, restarting in 1s"
    n=$((n + 1)); sleep 1
done
echo "smtpd failed 3 times, giving up"
exit 1
EOF
    chmod 755 "$G/smtpapp" "$G/smtpapp/run.sh" "$G/smtpapp/smtpd"
    nobody go-privileged-port-restart-loop "$G/smtpapp" 30 ./run.sh

    # A worker that panics when REDIS_ADDR is unset; timestamped by a log shipper.
    gomod "$G/envapp" <<'EOF'
package main

import (
	"fmt"
	"os"
)

func mustEnv(name string) string {
	v, ok := os.LookupEnv(name)
	if !ok {
		panic(fmt.Sprintf("required environment variable %s is not set", name))
	}
	return v
}

func main() {
	addr := mustEnv("REDIS_ADDR")
	fmt.Println("worker connecting to", addr)
}
EOF
    (cd "$G/envapp" && go build -o worker .) >/dev/null 2>&1
    wrap go-missing-env-panic-timestamps "$G/envapp" stamp env -u REDIS_ADDR ./worker

    # The Go runtime asking for more than a 1 GB address space allows.
    gomod "$G/oomapp" <<'EOF'
package main

import "fmt"

func main() {
	var chunks [][]byte
	for i := 0; ; i++ {
		chunks = append(chunks, make([]byte, 64<<20))
		for j := range chunks[i] {
			chunks[i][j] = 1
		}
		fmt.Printf("loaded %d MB of the catalogue\n", (i+1)*64)
	}
}
EOF
    (cd "$G/oomapp" && go build -o indexer .) >/dev/null 2>&1
    if have prlimit; then run go-out-of-memory "$G/oomapp" prlimit --as=1073741824 ./indexer; fi

    # An access log under logs/, a directory root owns, opened as nobody.
    gomod "$G/logapp" <<'EOF'
package main

import (
	"log"
	"os"
)

func main() {
	f, err := os.OpenFile("logs/access.log", os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		log.Fatalf("open access log: %v", err)
	}
	defer f.Close()
}
EOF
    (cd "$G/logapp" && go build -o web .) >/dev/null 2>&1
    mkdir -p "$G/logapp/logs"
    chmod 755 "$G" "$G/logapp" "$G/logapp/logs" "$G/logapp/web"
    nobody go-log-file-permission-nobody "$G/logapp" 20 ./web
else
    echo "no go: skipping the Go cases"
fi

# ---------------------------------------------------------------------------- jvm
JV=$work/jvm
have_jar() { [ -f "$J/$1" ]; }
if have javac; then
    mkdir -p "$JV"

    # Embedded Jetty 9 (Server + ServerConnector) on a port a helper holds; compose prefix.
    if have_jar jetty9-server.jar; then
        mkdir -p "$JV/jetty/src" "$JV/jetty/classes"
        cat > "$JV/jetty/src/WebApp.java" <<'EOF'
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

public class WebApp {
    public static void main(String[] args) throws Exception {
        Server server = new Server();
        ServerConnector http = new ServerConnector(server);
        http.setHost("127.0.0.1");
        http.setPort(Integer.parseInt(System.getenv().getOrDefault("PORT", "8080")));
        server.addConnector(http);
        server.start();
        server.join();
    }
}
EOF
        cp=$J/jetty9-server.jar:$J/jetty9-util.jar:$J/jetty9-http.jar:$J/jetty9-io.jar:$J/servlet-api.jar
        javac -d "$JV/jetty/classes" -cp "$cp" "$JV/jetty/src/WebApp.java"
        hold 48610
        PORT=48610 wrap jetty-embedded-port-in-use-compose "$JV/jetty" "compose web-1" \
            java -cp "classes:$cp" WebApp
    fi

    # A netty 4 ServerBootstrap on a port a helper holds.
    nt=$J/netty-common.jar:$J/netty-buffer.jar:$J/netty-transport.jar:$J/netty-resolver.jar
    if have_jar netty-transport.jar; then
        mkdir -p "$JV/netty/src" "$JV/netty/classes"
        cat > "$JV/netty/src/EchoServer.java" <<'EOF'
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;

public class EchoServer {
    public static void main(String[] args) throws Exception {
        NioEventLoopGroup boss = new NioEventLoopGroup(1), workers = new NioEventLoopGroup();
        try {
            ServerBootstrap b = new ServerBootstrap().group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override protected void initChannel(SocketChannel ch) { }
                });
            b.bind("127.0.0.1", 48611).sync().channel().closeFuture().sync();
        } finally {
            boss.shutdownGracefully();
            workers.shutdownGracefully();
        }
    }
}
EOF
        javac -d "$JV/netty/classes" -cp "$nt" "$JV/netty/src/EchoServer.java"
        hold 48611
        run netty-port-in-use "$JV/netty" java -cp "classes:$nt" EchoServer
    fi

    if have_jar log4j-core.jar; then
        l4j=$J/log4j-api.jar:$J/log4j-core.jar
        mkdir -p "$JV/log4j/src" "$JV/log4j/classes"
        cat > "$JV/log4j/src/Billing.java" <<'EOF'
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

public class Billing {
    private static final Logger LOG = LogManager.getLogger(Billing.class);

    public static void main(String[] args) {
        LOG.info("billing service starting");
        LOG.error("invoice run failed: no invoices table");
        System.exit(1);
    }
}
EOF
        javac -d "$JV/log4j/classes" -cp "$l4j" "$JV/log4j/src/Billing.java"
        # log4j2.xml line 6 closes <Console> as </Consol>.
        mkdir -p "$JV/log4j/bad"
        cat > "$JV/log4j/bad/log4j2.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<Configuration status="WARN">
  <Appenders>
    <Console name="Console" target="SYSTEM_OUT">
      <PatternLayout pattern="%d %-5level %logger - %msg%n"/>
    </Consol>
  </Appenders>
  <Loggers>
    <Root level="info"><AppenderRef ref="Console"/></Root>
  </Loggers>
</Configuration>
EOF
        run log4j2-config-parse-error "$JV/log4j" \
            java -Dlog4j.configurationFile=bad/log4j2.xml -cp "classes:$l4j" Billing
        # A File appender on logs/billing.log, run as nobody in a root-owned working directory
        # where logs/ was never created.
        mkdir -p "$JV/log4j/perm"
        cat > "$JV/log4j/perm/log4j2.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<Configuration status="WARN">
  <Appenders>
    <File name="File" fileName="logs/billing.log">
      <PatternLayout pattern="%d %-5level %logger - %msg%n"/>
    </File>
  </Appenders>
  <Loggers>
    <Root level="info"><AppenderRef ref="File"/></Root>
  </Loggers>
</Configuration>
EOF
        chmod -R a+rX "$JV"
        nobody log4j2-file-appender-permission-nobody "$JV/log4j" 30 \
            "java -Dlog4j.configurationFile=perm/log4j2.xml -cp classes:$l4j Billing"
    fi

    # A JDBC client, run against the drivers below.
    mkdir -p "$JV/jdbc/src" "$JV/jdbc/classes"
    cat > "$JV/jdbc/src/Migrate.java" <<'EOF'
import java.sql.Connection;
import java.sql.DriverManager;

public class Migrate {
    public static void main(String[] args) throws Exception {
        String url = System.getenv("JDBC_URL");
        System.out.println("migrating " + url);
        try (Connection c = DriverManager.getConnection(url, System.getenv("DB_USER"), System.getenv("DB_PASSWORD"))) {
            c.createStatement().execute("SELECT 1");
        }
        System.out.println("schema up to date");
    }
}
EOF
    javac -d "$JV/jdbc/classes" "$JV/jdbc/src/Migrate.java"
    chmod -R a+rX "$JV"
    if have_jar mariadb-java-client.jar; then
        JDBC_URL=jdbc:mariadb://127.0.0.1:48620/orders DB_USER=app DB_PASSWORD=s3cret \
            run jdbc-mariadb-refused "$JV/jdbc" java -cp "classes:$J/mariadb-java-client.jar" Migrate
    fi
    # The pgjdbc jar left off the class path: DriverManager has no driver for the URL.
    cat > "$JV/jdbc/run.sh" <<'EOF'
#!/bin/sh
java -cp classes Migrate
code=$?
echo "migrate exited with code $code"
exit $code
EOF
    chmod 755 "$JV/jdbc/run.sh"
    JDBC_URL=jdbc:postgresql://127.0.0.1:48621/orders DB_USER=app DB_PASSWORD=s3cret \
        run jdbc-no-suitable-driver-wrapper "$JV/jdbc" ./run.sh

    # pgjdbc against a real postgres whose pg_hba.conf admits only the role app.
    if have_jar postgresql.jar && [ -x "$pgbin/postgres" ]; then
        pg=$work/pg
        mkdir -p "$pg/sock"
        chown nobody "$pg" "$pg/sock"
        su nobody -s /bin/sh -c "$pgbin/initdb -D $pg/main -U postgres --auth-host=scram-sha-256 --auth-local=trust" >/dev/null 2>&1
        printf 'local all all trust\nhost all app 127.0.0.1/32 scram-sha-256\n' > "$pg/main/pg_hba.conf"
        chown nobody "$pg/main/pg_hba.conf"
        if su nobody -s /bin/sh -c "$pgbin/pg_ctl -D $pg/main -o '-p 48621 -k $pg/sock -c listen_addresses=127.0.0.1' -l $pg/log -w start" >/dev/null 2>&1; then
            pg_up=1
            JDBC_URL=jdbc:postgresql://127.0.0.1:48621/orders DB_USER=reporting DB_PASSWORD=s3cret \
                run jdbc-pg-no-hba-entry "$JV/jdbc" java -cp "classes:$J/postgresql.jar" Migrate
        fi
    fi

    # A heap that fills under -XX:+ExitOnOutOfMemoryError.
    mkdir -p "$JV/oom"
    cat > "$JV/oom/Cache.java" <<'EOF'
import java.util.ArrayList;
import java.util.List;

public class Cache {
    public static void main(String[] args) {
        List<long[]> entries = new ArrayList<>();
        System.out.println("warming the product cache");
        while (true) {
            entries.add(new long[1 << 20]);
        }
    }
}
EOF
    javac -d "$JV/oom" "$JV/oom/Cache.java"
    run jvm-exit-on-oom "$JV/oom" java -Xmx48m -XX:+ExitOnOutOfMemoryError -cp . Cache

    # The single-file source launcher on a statement missing its semicolon (line 5).
    mkdir -p "$JV/single"
    cat > "$JV/single/Healthcheck.java" <<'EOF'
import java.net.Socket;

public class Healthcheck {
    public static void main(String[] args) throws Exception {
        String host = System.getenv().getOrDefault("HOST", "127.0.0.1")
        try (Socket s = new Socket(host, 48620)) {
            System.out.println("ok");
        }
    }
}
EOF
    run java-source-launcher-syntax-error "$JV/single" java Healthcheck.java
else
    echo "no javac: skipping the JVM cases"
fi
