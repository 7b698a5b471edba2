#!/bin/sh
# Regenerates the captures of this folder by running JVM servers, build tools and languages
# from Debian beside plain Java, failing for real on this machine:
# Apache Tomcat 10.1 (`catalina.sh run`, its own CATALINA_BASE: the HTTP connector port a helper
# holds, the shutdown port a helper holds (compose prefix), port 80 as `nobody`, a server.xml
# that does not parse, a webapp whose load-on-startup servlet class was never built, a context
# DataSource whose JDBC driver is not in lib/), Jetty 9.4 standalone (`start.jar` with its own
# jetty.base: a port a helper holds, port 80 as `nobody`, timestamped), Maven 3.8 (`-o` with a
# dependency never downloaded, under a wrapper saying the exit code; online, where
# repo.maven.apache.org does not resolve; a pom.xml that does not parse), Gradle 4.4 (`--offline`
# with a dependency never cached, under a wrapper saying the exit code; a build.gradle that does
# not compile), Kotlin 1.3 (a bind on a port a helper holds, `error()` on a missing variable
# behind a compose prefix, a kotlinc syntax error), Groovy 2.4 (a ServerSocket on a port a helper
# holds, an unresolvable `api`, a missing config file, a syntax error), Clojure 1.11 (a missing
# variable, a refused socket, an unmatched delimiter), JDBC against real servers: pgjdbc 42.5
# against postgres 15 run as `nobody` (a wrong password logged through slf4j + logback, a database
# never created, a closed port, timestamped, and a host `db` that does not resolve, behind a
# compose prefix) and MariaDB Connector/J 2.7 against mariadbd (Access denied logged through
# log4j2, an unknown database from a Groovy script).
# Needs: openjdk-17-jdk-headless, and `apt-get install --no-install-recommends tomcat10 jetty9
# maven gradle kotlin groovy clojure libpostgresql-jdbc-java libmariadb-java liblog4j2-java
# liblogback-java` (installed here if missing; the services tomcat10 and jetty9 are stopped),
# postgresql 15, mariadb-server, `su nobody`. A program that is missing skips its cases.
# Ports: 48200-48249 only. Helpers hold 48201 (tomcat http), 48203 (tomcat shutdown), 48213
# (jetty), 48215 (groovy), 48216 (kotlin); tomcat's other connectors and shutdown ports are
# 48202, 48204-48209 (each run is stopped through its shutdown port); nothing listens on 48218
# (clojure) and 48231 (pgjdbc); postgres listens on 48230, mariadbd on 48232; 80 as `nobody`,
# refused before anything binds.
# Work directory: /tmp/zoo-java-4 (removed at start and at exit; Maven's local repository is a
# symlink tree of Debian's /usr/share/maven-repo in it, GRADLE_USER_HOME too, no daemon).
# Wrapped in noise: tomcat-shutdown-port-in-use-compose, kotlin-missing-env-compose,
# jdbc-unresolvable-host-compose (compose-style prefixes); jetty-privileged-port-timestamps,
# jdbc-pg-refused-timestamps (lib.sh `stamp`); maven-offline-dependency-wrapper,
# gradle-offline-dependency-wrapper (a wrapper saying the exit code).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=/tmp/zoo-java-4
pgbin=/usr/lib/postgresql/15/bin
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
unset DATABASE_URL REDIS_URL JDBC_URL CLASSPATH JAVA_TOOL_OPTIONS _JAVA_OPTIONS MAVEN_OPTS \
    GRADLE_OPTS JAVA_OPTS CATALINA_OPTS 2>/dev/null || true
command -v java >/dev/null || { echo "java not installed: skipping"; exit 0; }
rm -rf "$work"
holders= mariadb=
cleanup() {
    for pid in $holders $mariadb; do
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

. "$here/../lib.sh"  # stamp, wait_port
compose() { sed "s/^/$1  | /"; }
has() { command -v "$1" >/dev/null 2>&1 || { echo "$1 not installed: skipping its cases"; return 1; }; }
hold() {  # hold PORT: a python3 helper listens on 0.0.0.0:PORT
    /usr/bin/python3 -c 'import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", int(sys.argv[1])))
s.listen()
time.sleep(300)' "$1" &
    holders="$holders $!"
    wait_port "$1"
}
# The wrapper several images ship: it runs its arguments and says how they ended.
cat > "$work/run.sh" <<'EOF'
#!/bin/sh
"$@"
status=$?
echo "$1 exited with code $status"
exit $status
EOF
chmod 755 "$work/run.sh"

need=
for p in tomcat10:/usr/share/tomcat10/bin/catalina.sh jetty9:/usr/share/jetty9/start.jar \
    maven:/usr/bin/mvn gradle:/usr/bin/gradle kotlin:/usr/bin/kotlinc groovy:/usr/bin/groovy \
    clojure:/usr/share/java/clojure.jar libpostgresql-jdbc-java:/usr/share/java/postgresql.jar \
    libmariadb-java:/usr/share/java/mariadb-java-client.jar \
    liblog4j2-java:/usr/share/java/log4j-core.jar liblogback-java:/usr/share/java/logback-classic.jar; do
    [ -e "${p#*:}" ] || need="$need ${p%%:*}"
done
if [ -n "$need" ]; then
    flock /tmp/apt.lock env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        --no-install-recommends $need >/dev/null 2>&1 || echo "could not install:$need"
    service tomcat10 stop >/dev/null 2>&1 || true
    service jetty9 stop >/dev/null 2>&1 || true
fi
J=/usr/share/java

# ---------------------------------------------------------------------------- tomcat 10
# tomcat_base DIR HTTP SHUTDOWN: a CATALINA_BASE with Debian's conf, the HTTP connector on HTTP,
# the shutdown port SHUTDOWN, console logging in Tomcat's one-line format (the localhost log too).
tomcat_base() {
    mkdir -p "$1/conf" "$1/logs" "$1/temp" "$1/webapps" "$1/work" "$1/lib"
    cp /usr/share/tomcat10/etc/* "$1/conf/"
    sed -i "s/<Server port=\"-1\" shutdown/<Server port=\"$3\" shutdown/; s/port=\"8080\"/port=\"$2\"/" \
        "$1/conf/server.xml"
    sed -i 's/org.apache.juli.SystemdFormatter/org.apache.juli.OneLineFormatter/; s/^\(org.apache.catalina.core.ContainerBase.\[Catalina\].\[localhost\].handlers = .*\)$/\1, java.util.logging.ConsoleHandler/' \
        "$1/conf/logging.properties"
}
# tomcat NAME BASE SHUTDOWN [nobody]: catalina.sh run on BASE into NAME.out until it stops by
# itself or says `Server startup in`; then SHUTDOWN is sent to its shutdown port.
tomcat() {
    cmd="CATALINA_HOME=/usr/share/tomcat10 CATALINA_BASE=$2 timeout 60 /usr/share/tomcat10/bin/catalina.sh run"
    if [ "${4:-}" = nobody ]; then
        su nobody -s /bin/sh -c "cd $2 && $cmd" > "$work/$1.out" 2>&1 &
    else
        (cd "$2" && eval "$cmd") > "$work/$1.out" 2>&1 &
    fi
    pid=$!
    i=0
    while [ $i -lt 160 ] && kill -0 $pid 2>/dev/null && ! grep -q "Server startup in" "$work/$1.out"; do
        sleep 0.25; i=$((i + 1))
    done
    if kill -0 $pid 2>/dev/null; then
        sleep 1
        /usr/bin/python3 -c 'import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"SHUTDOWN")' "$3" 2>/dev/null || kill $pid 2>/dev/null || true
    fi
    wait $pid 2>/dev/null || true
}
if has /usr/share/tomcat10/bin/catalina.sh; then
    t=$work/tomcat
    mkdir -p "$t"
    # A helper holds the HTTP connector's port 48201.
    hold 48201
    tomcat_base "$t/http" 48201 48202
    tomcat tomcat-http-port-in-use "$t/http" 48202
    cp "$work/tomcat-http-port-in-use.out" "$here/tomcat-http-port-in-use.log"
    # A helper holds the shutdown port 48203; the connector (48204) itself is free.
    hold 48203
    tomcat_base "$t/shutdown" 48204 48203
    tomcat tomcat-shutdown-port-in-use-compose "$t/shutdown" 48203
    compose web-1 < "$work/tomcat-shutdown-port-in-use-compose.out" > "$here/tomcat-shutdown-port-in-use-compose.log"
    # As nobody, the connector asks for port 80.
    tomcat_base "$t/priv" 80 48205
    chown -R nobody:nogroup "$t/priv"
    tomcat tomcat-privileged-port "$t/priv" 48205 nobody
    cp "$work/tomcat-privileged-port.out" "$here/tomcat-privileged-port.log"
    # server.xml: the HTTP Connector's port attribute (line 70 of Debian's file) never closes
    # its quote.
    tomcat_base "$t/parse" 48206 48207
    sed -i 's/<Connector port="48206" protocol=/<Connector port="48206 protocol=/' "$t/parse/conf/server.xml"
    tomcat tomcat-server-xml-parse "$t/parse" 48207
    cp "$work/tomcat-server-xml-parse.out" "$here/tomcat-server-xml-parse.log"
    # webapps/shop's web.xml loads com.example.shop.OrdersServlet on startup; no class was built.
    tomcat_base "$t/servlet" 48208 48209
    mkdir -p "$t/servlet/webapps/shop/WEB-INF"
    cat > "$t/servlet/webapps/shop/WEB-INF/web.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
  <servlet>
    <servlet-name>orders</servlet-name>
    <servlet-class>com.example.shop.OrdersServlet</servlet-class>
    <load-on-startup>1</load-on-startup>
  </servlet>
  <servlet-mapping>
    <servlet-name>orders</servlet-name>
    <url-pattern>/orders/*</url-pattern>
  </servlet-mapping>
</web-app>
EOF
    tomcat tomcat-servlet-class-missing "$t/servlet" 48209
    cp "$work/tomcat-servlet-class-missing.out" "$here/tomcat-servlet-class-missing.log"
    # webapps/api's context.xml declares a DataSource with org.postgresql.Driver, and a listener
    # opens it at startup; the driver jar was never put in lib/ (48230 is never reached).
    tomcat_base "$t/jdbc" 48210 48211
    a=$t/jdbc/webapps/api
    mkdir -p "$a/META-INF" "$a/WEB-INF/classes" "$t/src/com/example/api"
    cat > "$a/META-INF/context.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<Context>
  <Resource name="jdbc/orders" auth="Container" type="javax.sql.DataSource"
            driverClassName="org.postgresql.Driver"
            url="jdbc:postgresql://127.0.0.1:48230/orders"
            username="orders" password="orders" maxTotal="10"/>
</Context>
EOF
    cat > "$t/src/com/example/api/DbCheck.java" <<'EOF'
package com.example.api;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import java.sql.Connection;
import javax.naming.InitialContext;
import javax.sql.DataSource;

@WebListener
public class DbCheck implements ServletContextListener {
    @Override
    public void contextInitialized(ServletContextEvent event) {
        try {
            DataSource ds = (DataSource) new InitialContext().lookup("java:comp/env/jdbc/orders");
            try (Connection c = ds.getConnection()) {
                event.getServletContext().log("jdbc/orders: connected");
            }
        } catch (Exception e) {
            throw new IllegalStateException("jdbc/orders is not usable", e);
        }
    }
}
EOF
    javac -d "$a/WEB-INF/classes" -cp /usr/share/tomcat10/lib/servlet-api.jar \
        "$t/src/com/example/api/DbCheck.java"
    tomcat tomcat-jdbc-driver-missing "$t/jdbc" 48211
    cp "$work/tomcat-jdbc-driver-missing.out" "$here/tomcat-jdbc-driver-missing.log"
fi

# ---------------------------------------------------------------------------- jetty 9
if has /usr/share/jetty9/start.jar; then
    jb=$work/jetty
    mkdir -p "$jb/webapps/ROOT"
    echo ok > "$jb/webapps/ROOT/index.html"
    (cd "$jb" && java -jar /usr/share/jetty9/start.jar jetty.home=/usr/share/jetty9 \
        jetty.base="$jb" --add-to-start=http,deploy >/dev/null 2>&1)
    hold 48213
    (cd "$jb" && timeout 60 java -jar /usr/share/jetty9/start.jar jetty.home=/usr/share/jetty9 \
        jetty.base="$jb" jetty.http.port=48213) > "$here/jetty-port-in-use.log" 2>&1 || true
    chown -R nobody:nogroup "$jb"
    su nobody -s /bin/sh -c "cd $jb && timeout 60 java -jar /usr/share/jetty9/start.jar jetty.home=/usr/share/jetty9 jetty.base=$jb jetty.http.port=80" 2>&1 \
        | stamp > "$here/jetty-privileged-port-timestamps.log" || true
fi

# ---------------------------------------------------------------------------- maven
if has mvn; then
    m=$work/maven
    cp -as /usr/share/maven-repo "$work/m2"
    mkdir -p "$m/orders/src/main/java/com/example"
    cat > "$m/orders/pom.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.example</groupId>
  <artifactId>orders</artifactId>
  <version>0.1.0</version>
  <properties>
    <maven.compiler.release>17</maven.compiler.release>
  </properties>
  <dependencies>
    <dependency>
      <groupId>com.google.guava</groupId>
      <artifactId>guava</artifactId>
      <version>33.2.1-jre</version>
    </dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-compiler-plugin</artifactId>
        <version>3.10.1</version>
      </plugin>
    </plugins>
  </build>
</project>
EOF
    echo 'package com.example; public class App { public static void main(String[] a) { } }' \
        > "$m/orders/src/main/java/com/example/App.java"
    # Offline, guava was never downloaded into the local repository.
    (cd "$m/orders" && timeout 120 "$work/run.sh" mvn -o -B -Dmaven.repo.local="$work/m2" \
        compiler:compile) > "$here/maven-offline-dependency-wrapper.log" 2>&1 || true
    # Online, the central repository's host does not resolve here.
    (cd "$m/orders" && timeout 120 mvn -B -Dmaven.repo.local="$work/m2" compiler:compile) \
        > "$here/maven-repository-unresolvable.log" 2>&1 || true
    # pom.xml line 15 closes <dependencies> while <dependency> (line 11) is still open.
    mkdir -p "$m/bad"
    sed '15d' "$m/orders/pom.xml" > "$m/bad/pom.xml"
    (cd "$m/bad" && timeout 120 mvn -o -B -Dmaven.repo.local="$work/m2" compiler:compile) \
        > "$here/maven-pom-parse-error.log" 2>&1 || true
fi

# ---------------------------------------------------------------------------- gradle
if has gradle; then
    g=$work/gradle
    mkdir -p "$g/app/src/main/java" "$g/broken"
    export GRADLE_USER_HOME="$work/gradle-home"
    echo 'public class App { public static void main(String[] a) { } }' > "$g/app/src/main/java/App.java"
    cat > "$g/app/build.gradle" <<'EOF'
apply plugin: 'java'

repositories {
    mavenCentral()
}

dependencies {
    compile 'com.google.guava:guava:33.2.1-jre'
}
EOF
    (cd "$g/app" && timeout 180 "$work/run.sh" gradle --no-daemon --offline build) \
        > "$here/gradle-offline-dependency-wrapper.log" 2>&1 || true
    # build.gradle line 9 closes the dependencies block twice.
    sed '9s/}/}}/' "$g/app/build.gradle" > "$g/broken/build.gradle"
    (cd "$g/broken" && timeout 180 gradle --no-daemon --offline build) \
        > "$here/gradle-build-script-error.log" 2>&1 || true
    unset GRADLE_USER_HOME
fi

# ---------------------------------------------------------------------------- kotlin
if has kotlinc; then
    k=$work/kotlin
    mkdir -p "$k"
    cat > "$k/server.kt" <<'EOF'
import java.net.ServerSocket

fun main() {
    val port = System.getenv("PORT")?.toInt() ?: 48216
    println("orders-api: binding 0.0.0.0:$port")
    val server = ServerSocket(port)
    while (true) {
        server.accept().use { it.getOutputStream().write("HTTP/1.1 204 No Content\r\n\r\n".toByteArray()) }
    }
}
EOF
    cat > "$k/worker.kt" <<'EOF'
fun main() {
    val url = System.getenv("DATABASE_URL") ?: error("DATABASE_URL is not set")
    println("worker: using $url")
}
EOF
    # Line 3 never closes the println( call.
    cat > "$k/report.kt" <<'EOF'
fun main() {
    val totals = listOf(30, 12, 7)
    println("total: ${totals.sum()}"
}
EOF
    (cd "$k" && kotlinc server.kt worker.kt -d classes >/dev/null 2>&1) || true
    hold 48216
    (cd "$k" && timeout 60 kotlin -cp classes ServerKt) > "$here/kotlin-port-in-use.log" 2>&1 || true
    (cd "$k" && timeout 60 kotlin -cp classes WorkerKt 2>&1 | compose worker-1) \
        > "$here/kotlin-missing-env-compose.log" || true
    (cd "$k" && timeout 120 kotlinc report.kt -d report-classes) > "$here/kotlin-syntax-error.log" 2>&1 || true
fi

# ---------------------------------------------------------------------------- groovy
if has groovy; then
    gr=$work/groovy
    mkdir -p "$gr/config"
    cat > "$gr/server.groovy" <<'EOF'
def server = new ServerSocket(48215)
while (true) {
    server.accept { socket -> socket.outputStream << "HTTP/1.1 204 No Content\r\n\r\n" }
}
EOF
    cat > "$gr/health.groovy" <<'EOF'
def url = System.getenv("API_URL") ?: "http://api:8080/health"
println "checking ${url}"
println new URL(url).text
EOF
    cat > "$gr/settings.groovy" <<'EOF'
def config = new ConfigSlurper().parse(new File("config/app.groovy").text)
println "listening on ${config.server.port}"
EOF
    # Line 4 closes the each closure's { with a ).
    cat > "$gr/report.groovy" <<'EOF'
def totals = [30, 12, 7]
totals.each { t ->
    println "line: ${t}"
)
println "total: ${totals.sum()}"
EOF
    hold 48215
    (cd "$gr" && timeout 60 groovy server.groovy) > "$here/groovy-port-in-use.log" 2>&1 || true
    (cd "$gr" && timeout 60 groovy health.groovy) > "$here/groovy-unresolvable-host.log" 2>&1 || true
    (cd "$gr" && timeout 60 groovy settings.groovy) > "$here/groovy-config-missing.log" 2>&1 || true
    (cd "$gr" && timeout 60 groovy report.groovy) > "$here/groovy-syntax-error.log" 2>&1 || true
fi

# ---------------------------------------------------------------------------- clojure
if [ -f $J/clojure.jar ]; then
    cl=$work/clojure
    mkdir -p "$cl"
    clj() { (cd "$cl" && timeout 60 java -Dclojure.main.report=stderr -cp $J/clojure.jar clojure.main "$@"); }
    cat > "$cl/cache.clj" <<'EOF'
(ns cache)

(def redis-url
  (or (System/getenv "REDIS_URL")
      (throw (ex-info "REDIS_URL is not set" {:var "REDIS_URL"}))))

(println "cache: using" redis-url)
EOF
    cat > "$cl/client.clj" <<'EOF'
(ns client)

(let [host "127.0.0.1" port 48218]
  (println (str "client: connecting to " host ":" port))
  (with-open [s (java.net.Socket. host port)]
    (println "connected" (.getRemoteSocketAddress s))))
EOF
    # Line 4 closes one paren more than it opened.
    cat > "$cl/app.clj" <<'EOF'
(ns app)

(defn total [xs]
  (reduce + xs)))

(println "total:" (total [30 12 7]))
EOF
    clj cache.clj > "$here/clojure-missing-env.log" 2>&1 || true
    clj client.clj > "$here/clojure-connection-refused.log" 2>&1 || true
    clj app.clj > "$here/clojure-syntax-error.log" 2>&1 || true
fi

# ---------------------------------------------------------------------------- JDBC: postgres
d=$work/jdbc
mkdir -p "$d"
cat > "$d/PgCheck.java" <<'EOF'
import java.sql.Connection;
import java.sql.DriverManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public class PgCheck {
    private static final Logger log = LoggerFactory.getLogger(PgCheck.class);

    public static void main(String[] args) {
        String url = System.getenv("JDBC_URL");
        log.info("checking database {}", url);
        try (Connection c = DriverManager.getConnection(url, System.getenv("DB_USER"), System.getenv("DB_PASSWORD"))) {
            log.info("database ok");
        } catch (Exception e) {
            log.error("database check failed", e);
            System.exit(1);
        }
    }
}
EOF
cat > "$d/Migrate.java" <<'EOF'
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

public class Migrate {
    public static void main(String[] args) throws SQLException {
        String url = System.getenv("JDBC_URL");
        System.out.println("migrate: connecting to " + url);
        try (Connection c = DriverManager.getConnection(url, System.getenv("DB_USER"), System.getenv("DB_PASSWORD"))) {
            System.out.println("migrate: schema is up to date");
        }
    }
}
EOF
pgcp=$J/postgresql.jar
logback=$J/slf4j-api.jar:$J/logback-classic.jar:$J/logback-core.jar
if [ -f $pgcp ]; then
    # Nothing listens on 48231.
    (cd "$d" && JDBC_URL=jdbc:postgresql://127.0.0.1:48231/orders DB_USER=orders DB_PASSWORD=orders \
        timeout 60 java -cp $pgcp Migrate.java 2>&1 | stamp) > "$here/jdbc-pg-refused-timestamps.log" || true
    # db is the compose service name, which does not resolve here.
    (cd "$d" && JDBC_URL=jdbc:postgresql://db:5432/orders DB_USER=orders DB_PASSWORD=orders \
        timeout 60 java -cp $pgcp Migrate.java 2>&1 | compose migrate-1) > "$here/jdbc-unresolvable-host-compose.log" || true
fi
if [ -f $pgcp ] && [ -x "$pgbin/postgres" ]; then
    mkdir -p "$work/pg/sock"
    printf 'pg-throwaway-%s\n' "$(date +%s)" > "$work/pg/pwfile"
    chmod 644 "$work/pg/pwfile"
    chown nobody:nogroup "$work/pg" "$work/pg/sock"
    pw=$(cat "$work/pg/pwfile")
    su nobody -s /bin/sh -c "timeout 60 $pgbin/initdb -D $work/pg/data -U postgres --pwfile=$work/pg/pwfile --auth=scram-sha-256" >/dev/null 2>&1
    su nobody -s /bin/sh -c "timeout 60 $pgbin/pg_ctl -D $work/pg/data -l $work/pg/server.log -w -o '-p 48230 -k $work/pg/sock -c listen_addresses=127.0.0.1' start" >/dev/null 2>&1
    # The password is wrong; the check logs through slf4j + logback's default console pattern.
    (cd "$d" && JDBC_URL=jdbc:postgresql://127.0.0.1:48230/postgres DB_USER=postgres DB_PASSWORD=wrong-password \
        timeout 60 java -cp $pgcp:$logback PgCheck.java) > "$here/jdbc-pg-wrong-password-logback.log" 2>&1 || true
    # The password is right; the database inventory was never created.
    (cd "$d" && JDBC_URL=jdbc:postgresql://127.0.0.1:48230/inventory DB_USER=postgres DB_PASSWORD=$pw \
        timeout 60 java -cp $pgcp Migrate.java) > "$here/jdbc-pg-database-missing.log" 2>&1 || true
    su nobody -s /bin/sh -c "$pgbin/pg_ctl -D $work/pg/data -m fast -w stop" >/dev/null 2>&1 || true
fi

# ---------------------------------------------------------------------------- JDBC: mariadb
mcp=$J/mariadb-java-client.jar
if [ -f $mcp ] && command -v mariadbd >/dev/null; then
    mkdir -p "$work/mariadb/data" "$work/mariadb/run"
    chown nobody:nogroup "$work/mariadb/data" "$work/mariadb/run"
    mariadb-install-db --no-defaults --user=nobody --datadir="$work/mariadb/data" \
        --auth-root-authentication-method=normal --skip-test-db >/dev/null 2>&1
    mariadbd --no-defaults --user=nobody --datadir="$work/mariadb/data" --port=48232 \
        --bind-address=127.0.0.1 --socket="$work/mariadb/run/mysqld.sock" \
        --pid-file="$work/mariadb/run/mysqld.pid" >/dev/null 2>&1 &
    mariadb=$!
    wait_port 48232
    mpw=throwaway-$(date +%s)
    mariadb --no-defaults -uroot --socket="$work/mariadb/run/mysqld.sock" \
        -e "CREATE USER 'shop'@'%' IDENTIFIED BY '$mpw'; GRANT ALL ON *.* TO 'shop'@'%';"
    # The pool logs through log4j2 with the app's own log4j2.xml.
    cat > "$d/log4j2.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<Configuration status="WARN">
  <Appenders>
    <Console name="Console" target="SYSTEM_OUT">
      <PatternLayout pattern="%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%t] %c{1} - %msg%n"/>
    </Console>
  </Appenders>
  <Loggers>
    <Root level="info"><AppenderRef ref="Console"/></Root>
  </Loggers>
</Configuration>
EOF
    cat > "$d/ShopPool.java" <<'EOF'
import java.sql.Connection;
import java.sql.DriverManager;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

public class ShopPool {
    private static final Logger log = LogManager.getLogger(ShopPool.class);

    public static void main(String[] args) {
        String url = System.getenv("JDBC_URL");
        log.info("opening pool for {}", url);
        try (Connection c = DriverManager.getConnection(url, System.getenv("DB_USER"), System.getenv("DB_PASSWORD"))) {
            log.info("pool ready");
        } catch (Exception e) {
            log.error("cannot open the shop pool", e);
            System.exit(1);
        }
    }
}
EOF
    if [ -f $J/log4j-core.jar ]; then
        (cd "$d" && JDBC_URL=jdbc:mariadb://127.0.0.1:48232/shop DB_USER=shop DB_PASSWORD=wrong-password \
            timeout 60 java -Dlog4j2.configurationFile=log4j2.xml -cp $mcp:$J/log4j-api.jar:$J/log4j-core.jar ShopPool.java) \
            > "$here/jdbc-mariadb-access-denied-log4j2.log" 2>&1 || true
    fi
    # A Groovy script with the right password names a database never created.
    cat > "$d/orders.groovy" <<'EOF'
import groovy.sql.Sql

def sql = Sql.newInstance(System.getenv("JDBC_URL"), System.getenv("DB_USER"),
        System.getenv("DB_PASSWORD"), "org.mariadb.jdbc.Driver")
sql.eachRow("select count(*) as n from orders") { println "orders: ${it.n}" }
EOF
    if command -v groovy >/dev/null; then
        (cd "$d" && JDBC_URL=jdbc:mariadb://127.0.0.1:48232/orders DB_USER=shop DB_PASSWORD=$mpw \
            timeout 60 groovy -cp $mcp orders.groovy) > "$here/jdbc-mariadb-unknown-database.log" 2>&1 || true
    fi
    kill "$mariadb"; wait "$mariadb" 2>/dev/null || true
    mariadb=
fi

echo "captured into $here"
