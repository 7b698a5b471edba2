#!/bin/sh
# Regenerates the captures of this folder by running plain OpenJDK 17 programs (no framework:
# Maven Central is not reachable here) failing on this machine: a ServerSocket on a port a first
# instance holds (the port only in the line before `BindException: Address already in use`);
# a NIO server on port 443 as `nobody`; java.net.http.HttpClient refused on a closed port; a
# raw Socket refused (timestamped); an UnknownHostException from a client behind a compose
# prefix; a class file given to `java` with its `.class` suffix; a jar missing from the class
# path (NoClassDefFoundError); `java -jar` of a jar without Main-Class and of a jar never built;
# Files.writeString as `nobody` into a root-owned directory (AccessDeniedException);
# Files.readString of a config file never written (NoSuchFileException); an explicit
# IllegalStateException naming an unset variable; a javac compile error. The launch and class
# path cases run under a run.sh wrapper that says how the JVM exited, as entrypoints print it.
# Needs: apt-get install -y openjdk-17-jdk-headless; `su nobody`.
# Ports: 47724-47735 only: a first instance holds 47724; nothing listens on 47725 or 47726;
# and 443 as nobody, refused before anything binds.
# Work directory: /tmp/zoo-java-3 (removed at start and at exit).
# Wrapped in noise: socket-refused-timestamps (lib.sh `stamp`), unknown-host-compose (a
# compose-style `orders_1  | ` prefix).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=/tmp/zoo-java-3
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
command -v javac >/dev/null || { echo "javac not installed: skipping"; exit 0; }
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
mkdir -p "$work/src" "$work/classes"
chmod 755 "$work"
cd "$work"
unset JAVA_TOOL_OPTIONS _JAVA_OPTIONS JDK_JAVA_OPTIONS 2>/dev/null || true

. "$here/../lib.sh"  # stamp, wait_port
as_nobody() { su nobody -s /bin/sh -c "cd $work && timeout 60 $1"; }
cat > run.sh <<'SH'
#!/bin/sh
java "$@"
echo "app exited with code $?"
SH
chmod 755 run.sh

# ---------------------------------------------------------------------------- programs
cat > src/Metrics.java <<'JAVA'
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;

public class Metrics {
    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "9100"));
        System.out.println("metrics endpoint starting on port " + port);
        try (ServerSocket server = new ServerSocket(port)) {
            while (true) {
                try (Socket s = server.accept()) {
                    s.getOutputStream().write("HTTP/1.0 200 OK\r\n\r\nok\n".getBytes());
                }
            }
        }
    }
}
JAVA
cat > src/Gateway.java <<'JAVA'
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;

public class Gateway {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        System.out.println("[gateway] binding TLS listener on 0.0.0.0:" + port);
        ServerSocketChannel channel = ServerSocketChannel.open();
        channel.bind(new InetSocketAddress(port));
        System.out.println("[gateway] ready");
    }
}
JAVA
cat > src/Health.java <<'JAVA'
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

public class Health {
    public static void main(String[] args) throws Exception {
        String url = System.getenv("INVENTORY_URL") + "/health";
        System.out.println("GET " + url);
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> response = client.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        System.out.println(response.statusCode());
    }
}
JAVA
cat > src/Cache.java <<'JAVA'
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.logging.Logger;

public class Cache {
    private static final Logger LOG = Logger.getLogger("cache");

    public static void main(String[] args) throws IOException {
        String host = System.getenv("REDIS_HOST");
        int port = Integer.parseInt(System.getenv("REDIS_PORT"));
        LOG.info("connecting to redis at " + host + ":" + port);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 5000);
        }
        LOG.info("connected");
    }
}
JAVA
cat > src/Orders.java <<'JAVA'
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;

public class Orders {
    static Socket connectBroker(String host, int port) {
        try {
            return new Socket(host, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach the broker", e);
        }
    }

    public static void main(String[] args) {
        System.out.println("orders service starting");
        connectBroker(System.getenv("BROKER_HOST"), 9092);
    }
}
JAVA
cat > src/State.java <<'JAVA'
import java.nio.file.Files;
import java.nio.file.Path;

public class State {
    public static void main(String[] args) throws Exception {
        Path path = Path.of(args[0]);
        System.out.println("saving state to " + path);
        Files.writeString(path, "{\"offset\": 0}\n");
    }
}
JAVA
cat > src/Settings.java <<'JAVA'
import java.nio.file.Files;
import java.nio.file.Path;

public class Settings {
    public static void main(String[] args) throws Exception {
        String text = Files.readString(Path.of("config/application.yml"));
        System.out.println(text.length() + " bytes of settings");
    }
}
JAVA
cat > src/Consumer.java <<'JAVA'
public class Consumer {
    static String required(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("Missing required environment variable: " + name);
        }
        return value;
    }

    public static void main(String[] args) {
        System.out.println("consumer starting");
        String brokers = required("KAFKA_BROKERS");
        System.out.println("brokers: " + brokers);
    }
}
JAVA
cat > src/Hello.java <<'JAVA'
public class Hello {
    public static void main(String[] args) {
        System.out.println("hello");
    }
}
JAVA
javac -d classes src/*.java
chmod -R a+rX classes

# ---------------------------------------------------------------------------- ports
PORT=47724 java -cp classes Metrics >/dev/null 2>&1 &
holder=$!
wait_port 47724
PORT=47724 timeout 30 java -cp classes Metrics > "$here/serversocket-port-in-use.log" 2>&1 || true
kill "$holder"; wait "$holder" 2>/dev/null || true
holder=
as_nobody "java -cp $work/classes Gateway 443" > "$here/nio-privileged-port.log" 2>&1 || true

# ---------------------------------------------------------------------------- clients
INVENTORY_URL=http://127.0.0.1:47725 timeout 30 java -cp classes Health > "$here/httpclient-refused.log" 2>&1 || true
REDIS_HOST=127.0.0.1 REDIS_PORT=47726 timeout 30 java -cp classes Cache 2>&1 | stamp > "$here/socket-refused-timestamps.log" || true
BROKER_HOST=kafka timeout 30 java -cp classes Orders 2>&1 | sed 's/^/orders_1  | /' > "$here/unknown-host-compose.log" || true

# ---------------------------------------------------------------------------- launching
# `java Hello.class`: the class named with its file suffix.
(cd classes && timeout 30 ../run.sh Hello.class) > "$here/main-class-with-suffix.log" 2>&1 || true
# An app compiled against a library jar, started without that jar on the class path.
mkdir -p lib/src/com/example/json app/src/com/example/app lib/classes app/classes
cat > lib/src/com/example/json/Json.java <<'JAVA'
package com.example.json;

public final class Json {
    public static String quote(String s) {
        return "\"" + s.replace("\"", "\\\"") + "\"";
    }
}
JAVA
cat > app/src/com/example/app/Main.java <<'JAVA'
package com.example.app;

import com.example.json.Json;

public class Main {
    public static void main(String[] args) {
        System.out.println("starting report");
        System.out.println(Json.quote("total"));
    }
}
JAVA
javac -d lib/classes lib/src/com/example/json/Json.java
jar --create --file lib/json.jar -C lib/classes .
javac -cp lib/json.jar -d app/classes app/src/com/example/app/Main.java
jar --create --file app/report.jar -C app/classes .
timeout 30 ./run.sh -cp app/report.jar com.example.app.Main > "$here/noclassdeffound.log" 2>&1 || true
# The same jar started with -jar: its manifest has no Main-Class.
timeout 30 ./run.sh -jar app/report.jar > "$here/jar-no-main-manifest.log" 2>&1 || true
# A jar path the build would have written, never built.
timeout 30 ./run.sh -jar build/libs/orders-0.1.0.jar > "$here/jar-missing.log" 2>&1 || true

# ---------------------------------------------------------------------------- files, env
mkdir -p data
as_nobody "java -cp $work/classes State $work/data/state.json" > "$here/access-denied.log" 2>&1 || true
timeout 30 java -cp classes Settings > "$here/no-such-file.log" 2>&1 || true
env -u KAFKA_BROKERS timeout 30 java -cp classes Consumer > "$here/missing-env-illegal-state.log" 2>&1 || true

# ---------------------------------------------------------------------------- javac
mkdir -p broken/src/main/java/com/example
cat > broken/src/main/java/com/example/Invoice.java <<'JAVA'
package com.example;

public class Invoice {
    public static long total(long[] lines) {
        long sum = 0
        for (long line : lines) {
            sum += line;
        }
        return sum;
    }
}
JAVA
(cd broken && javac -d out src/main/java/com/example/Invoice.java) > "$here/javac-syntax-error.log" 2>&1 || true

echo "captured into $here"
