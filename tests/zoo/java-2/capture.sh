#!/bin/sh
# Regenerates the captures of this folder by running plain OpenJDK 17 programs (no framework:
# Maven Central is not reachable here) failing on this machine, each started by a run.sh wrapper
# that says how it ended (`app exited with code N`), as entrypoints and supervisors print it: a
# heap too small for what it loads (-Xmx32m: OutOfMemoryError), a main class that is not on the
# class path (the build never ran: `Could not find or load main class`), a variable read with
# System.getenv that is not set (JDK 17's helpful NullPointerException), and a class file newer
# than this runtime (UnsupportedClassVersionError). No older or newer JDK is installable here, so
# that class is javac 17's output with its class file version raised to 65 (Java 21), exactly the
# header a JDK 21 javac writes: the JVM refuses it on that header before reading anything else.
# Needs: openjdk-17-jdk-headless. No ports.
# Work directory: /tmp/zoo-java-2 (removed at start and at exit).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=/tmp/zoo-java-2
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
command -v javac >/dev/null || { echo "javac not installed: skipping"; exit 0; }
rm -rf "$work"
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM HUP
mkdir -p "$work/src"
cd "$work"

cat > run.sh <<'SH'
#!/bin/sh
java "$@"
echo "app exited with code $?"
SH
chmod 755 run.sh

# A catalogue loaded whole into a 32 MB heap.
cat > src/Catalogue.java <<'JAVA'
import java.util.ArrayList;
import java.util.List;

public class Catalogue {
    public static void main(String[] args) {
        System.out.println("loading the catalogue into memory");
        List<long[]> pages = new ArrayList<>();
        while (true) {
            pages.add(new long[1 << 20]);
        }
    }
}
JAVA
# The service reads DATABASE_URL, which is not set.
cat > src/Orders.java <<'JAVA'
import java.net.URI;

public class Orders {
    public static void main(String[] args) {
        String url = System.getenv("DATABASE_URL").trim();
        System.out.println("connecting to " + URI.create(url).getHost());
    }
}
JAVA
javac -d classes src/Catalogue.java src/Orders.java

./run.sh -Xmx32m -cp classes Catalogue > "$here/java-out-of-memory.log" 2>&1 || true
# The class path names build/classes, which the build (never run) would have filled.
./run.sh -cp build/classes com.example.shop.App > "$here/java-main-class-missing.log" 2>&1 || true
env -u DATABASE_URL ./run.sh -cp classes Orders > "$here/java-missing-env-npe.log" 2>&1 || true

# Orders.class as a Java 21 javac would head it: major version 65 (bytes 6-7 of the file).
mkdir -p classes21
/usr/bin/python3 -c 'import sys
data = bytearray(open(sys.argv[1], "rb").read())
assert data[:4] == b"\xca\xfe\xba\xbe" and data[6:8] == b"\x00\x3d"  # javac 17: 61
data[6:8] = b"\x00\x41"
open(sys.argv[2], "wb").write(data)' classes/Orders.class classes21/Orders.class
DATABASE_URL=postgres://db/shop ./run.sh -cp classes21 Orders > "$here/java-class-version-too-new.log" 2>&1 || true

echo "captured into $here"
