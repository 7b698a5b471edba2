#!/bin/sh
# Regenerates the captures of this folder by compiling and running tiny Java programs with
# OpenJDK 17 on this machine: a com.sun.net.httpserver server on a port already taken and on
# port 80 as `nobody`, a socket client refused by a closed port and by an unresolvable host,
# and a missing and an unreadable (as `nobody`) properties file.
# Needs: apt install openjdk-17-jdk-headless. Ports: 47210-47219. Work directory:
# /tmp/zoo-java (removed at start and at exit). Wrapped in noise: java-port-in-use-timestamps
# (a timestamping `while read` loop, as a log shipper adds).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
command -v javac >/dev/null || { echo "javac not installed: skipping"; exit 0; }
work=/tmp/zoo-java
rm -rf "$work"
helper=
cleanup() {
    [ -n "$helper" ] && kill "$helper" 2>/dev/null || true
    [ -n "$helper" ] && wait "$helper" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work"
chmod 755 "$work"
cd "$work"
port_busy=47210
port_closed=47211

cat > Server.java <<'JAVA'
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;

public class Server {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
        System.out.println("Starting server on port " + port);
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/", ex -> { ex.sendResponseHeaders(200, -1); ex.close(); });
        server.start();
    }
}
JAVA
cat > Client.java <<'JAVA'
import java.net.Socket;

public class Client {
    public static void main(String[] args) throws Exception {
        String host = System.getenv("DB_HOST");
        int port = Integer.parseInt(System.getenv("DB_PORT"));
        System.out.println("Connecting to " + host + ":" + port);
        try (Socket s = new Socket(host, port)) {
            System.out.println("connected");
        }
    }
}
JAVA
cat > Config.java <<'JAVA'
import java.io.FileInputStream;
import java.util.Properties;

public class Config {
    public static void main(String[] args) throws Exception {
        Properties p = new Properties();
        try (FileInputStream in = new FileInputStream(args[0])) {
            p.load(in);
        }
        System.out.println("loaded " + p.size() + " settings");
    }
}
JAVA
javac -d classes Server.java Client.java Config.java
chmod -R a+rX classes

# A first server holds the port; the second cannot bind it.
PORT=$port_busy java -cp classes Server >/dev/null 2>&1 &
helper=$!
sleep 2
PORT=$port_busy java -cp classes Server > "$here/java-port-in-use.log" 2>&1 || true
PORT=$port_busy java -cp classes Server 2>&1 | while IFS= read -r line; do
    printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)" "$line"
done > "$here/java-port-in-use-timestamps.log" || true
kill "$helper"; wait "$helper" 2>/dev/null || true
helper=

su nobody -s /bin/sh -c "PORT=80 java -cp $work/classes Server" > "$here/java-privileged-port.log" 2>&1 || true

DB_HOST=127.0.0.1 DB_PORT=$port_closed java -cp classes Client > "$here/java-connection-refused.log" 2>&1 || true
DB_HOST=db-primary DB_PORT=5432 java -cp classes Client > "$here/java-unresolvable-host.log" 2>&1 || true

java -cp classes Config /tmp/zoo-java/application.properties > "$here/java-missing-file.log" 2>&1 || true
printf 'db.password=secret\n' > secret.properties
chmod 600 secret.properties
su nobody -s /bin/sh -c "java -cp $work/classes Config $work/secret.properties" > "$here/java-permission-denied.log" 2>&1 || true

echo "captured into $here"
