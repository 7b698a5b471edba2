#!/bin/sh
# Regenerates the captures of this folder by running message brokers, coordination services and
# their clients, failing for real on this machine: mosquitto 2.0 (a listener port a helper
# holds, a misspelled option at `file:line`, a password_file never written, a `-c` config never
# written behind a compose prefix, as `nobody` a persistence_location in a root-owned directory
# and a listener on port 883), mosquitto_sub / mosquitto_pub (refused on a closed port, a host
# `mqtt` that does not resolve, a wrong password against a real mosquitto, timestamped),
# paho-mqtt 2 (refused, an unresolvable `mqtt` behind a compose prefix, `Not authorized` against
# the real mosquitto, code written for paho 1's `Client(client_id)`), the mqtt npm package (a
# wrong password against the real mosquitto; an unresolvable `mqtt` under `npm start`),
# ZooKeeper 3.8 run as Debian's QuorumPeerMain with log4j on the console (a clientPort a helper
# holds, a dataDir never created with autocreate off, as `nobody` a dataDir in a root-owned
# directory, a clientPort that is not a number, a config file never written under a wrapper
# saying the exit code), kazoo (refused; an unresolvable `zookeeper` behind a compose prefix),
# kombu's `zookeeper://` transport without kazoo, stomp.py refused (no ActiveMQ: Debian's
# activemq drops to its own user and logs nothing to the console), beanstalkd 1.12 (a port a
# helper holds, timestamped; port 300 as `nobody`; a `-b` binlog dir never created and one
# `nobody` may not write), greenstalk refused under honcho, kafka-python 3.0 (a bootstrap server
# refused; `kafka` unresolvable), kafka-python 2.0.2's bare `NoBrokersAvailable` under a wrapper
# saying the exit code, confluent-kafka (refused; `kafka` unresolvable, timestamped), nats-py
# refused, and against a real rabbitmq-server a vhost never created (aio-pika; a celery worker
# behind a compose prefix).
# Needs: mosquitto mosquitto-clients zookeeper beanstalkd rabbitmq-server (apt; services
# stopped), openjdk 17, node + npm, Debian's python3 with venv, `su nobody`. pip installs, only
# if missing, into /tmp/zoo-brokers/venv (paho-mqtt kazoo stomp.py greenstalk kafka-python
# confluent-kafka celery kombu nats-py aio-pika honcho), /tmp/zoo-brokers/v-kafka2
# (kafka-python==2.0.2), /tmp/zoo-brokers/v-kombu (kombu only); npm installs mqtt into
# /tmp/zoo-brokers/npm. A program that is missing skips its cases with a message.
# Ports: 48300-48349 only. Held by a helper: 48301 (mosquitto), 48320 (zookeeper), 48340
# (beanstalkd). Real servers: mosquitto with a password file on 48303, rabbitmq on 48330 (epmd
# 48331, distribution 48332). Closed (nothing listens): 48309 mqtt, 48329 zookeeper, 48339 stomp,
# 48341 beanstalkd, 48345-48347 kafka, 48348 nats. Started only to fail: 48302 (mosquitto),
# 48321 (zookeeper), 48342 (beanstalkd); 883 and 300 as `nobody`, refused before anything binds.
# Work directory: /tmp/zoo-brokers/work (removed at start and at exit).
# Wrapped in noise: mosquitto-config-missing-compose, paho-unresolvable-compose,
# kazoo-unresolvable-compose, celery-vhost-missing-compose (compose prefixes);
# mosquitto-sub-not-authorised-timestamps, beanstalkd-port-in-use-timestamps,
# confluent-kafka-unresolvable-timestamps (lib.sh stamp); zookeeper-config-missing-entrypoint and
# kafka-python-no-brokers-entrypoint (a shell wrapper saying the exit code);
# greenstalk-refused-honcho (honcho); mqttjs-unresolvable-npm (npm start).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
[ -x "$py" ] || { echo "no /usr/bin/python3: skipping"; exit 0; }
base=/tmp/zoo-brokers
work=$base/work
rm -rf "$work"
mkdir -p "$base"
chmod 755 "$base"
holders= mosq_pid= epmd_pid= rmq_pid=
rmqbin=/usr/lib/rabbitmq/bin
rmqenv() {
    env HOME="$work/rmq/home" ERL_EPMD_PORT=48331 RABBITMQ_NODE_PORT=48330 \
        RABBITMQ_DIST_PORT=48332 RABBITMQ_NODENAME=zoobrokers@localhost \
        RABBITMQ_MNESIA_BASE="$work/rmq/mnesia" RABBITMQ_LOG_BASE="$work/rmq/log" \
        RABBITMQ_ENABLED_PLUGINS_FILE="$work/rmq/enabled_plugins" \
        RABBITMQ_CONFIG_FILE="$work/rmq/rabbitmq.conf" "$@"
}
. "$here/../lib.sh"  # stamp, wait_port, stop
cleanup() {
    for pid in $holders; do stop "$pid"; done
    stop "$mosq_pid"
    if [ -n "$rmq_pid" ]; then
        rmqenv "$rmqbin/rabbitmqctl" stop >/dev/null 2>&1 || true
        stop "$rmq_pid"
    fi
    stop "$epmd_pid"
    sleep 0.5
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
mkdir -p "$work"
chmod 755 "$work"
export PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1

compose() { sed "s/^/$1  | /"; }
run() {  # run NAME DIR COMMAND...: capture COMMAND run in DIR, bounded by timeout
    name=$1 dir=$2; shift 2
    (cd "$dir" && timeout 60 "$@") > "$here/$name.log" 2>&1 || true
}
wrap() {  # wrap NAME DIR FILTER COMMAND...: as run, the output piped through FILTER
    name=$1 dir=$2 filter=$3; shift 3
    (cd "$dir" && timeout 60 "$@" 2>&1 | $filter) > "$here/$name.log" 2>&1 || true
}
nobody() {  # nobody NAME DIR SECONDS COMMAND: capture the shell COMMAND run as nobody in DIR,
    # the timeout inside su so that it ends the program itself, not only su's shell
    (cd "$2" && su nobody -s /bin/sh -c "cd $2 && timeout $3 $4") > "$here/$1.log" 2>&1 || true
}
hold() {  # hold PORT [ADDR]: a python3 helper listens on ADDR:PORT (127.0.0.1 by default)
    $py -c 'import socket, sys, time
s = socket.socket()
s.bind((sys.argv[2], int(sys.argv[1])))
s.listen()
time.sleep(900)' "$1" "${2:-127.0.0.1}" &
    holders="$holders $!"
    wait_port "$1"
}
venv() {  # venv NAME PIP-ARGS...: $base/NAME with the packages, built once (a marker says so)
    v=$base/$1; shift
    [ -f "$v/.built" ] && return 0
    rm -rf "$v"
    $py -m venv "$v" >/dev/null 2>&1 || return 1
    "$v/bin/pip" install -q "$@" >/dev/null 2>&1 || return 1
    touch "$v/.built"
}
have() { command -v "$1" >/dev/null 2>&1 || [ -x "$1" ]; }

P=$base/venv/bin/python
have_venv=true
venv venv paho-mqtt kazoo stomp.py greenstalk kafka-python confluent-kafka celery kombu nats-py \
    aio-pika honcho || { echo "venv: cannot build, skipping the Python clients"; have_venv=false; }
have_kafka2=true; venv v-kafka2 kafka-python==2.0.2 || have_kafka2=false
have_kombu=true; venv v-kombu kombu || have_kombu=false
have_mqttjs=false
if have npm; then
    mkdir -p "$base/npm"
    if [ ! -d "$base/npm/node_modules/mqtt" ]; then
        (cd "$base/npm" && { [ -f package.json ] || npm init -y >/dev/null; } \
            && npm install -s mqtt >/dev/null 2>&1) || true
    fi
    [ -d "$base/npm/node_modules/mqtt" ] && have_mqttjs=true
fi

hold 48301
hold 48320 0.0.0.0
hold 48340

# ---------------------------------------------------------------------------- mosquitto
m=$work/mosquitto
mkdir -p "$m/data"
chmod 755 "$m" "$m/data"
if have mosquitto; then
    printf 'listener 48301 127.0.0.1\nallow_anonymous true\n' > "$m/inuse.conf"
    run mosquitto-port-in-use "$m" mosquitto -c "$m/inuse.conf"
    # allow_anonymous misspelled on line 2.
    printf 'listener 48302 127.0.0.1\nallow_anonymus true\n' > "$m/typo.conf"
    run mosquitto-unknown-option "$m" mosquitto -c "$m/typo.conf"
    # password_file names passwd, which mosquitto_passwd never wrote.
    printf 'listener 48302 127.0.0.1\nallow_anonymous false\npassword_file %s/passwd\n' "$m" > "$m/auth.conf"
    run mosquitto-password-file-missing "$m" mosquitto -c "$m/auth.conf"
    # The compose file's command names mosquitto.conf; the image only has mosquitto.conf.example.
    cp "$m/inuse.conf" "$m/mosquitto.conf.example"
    wrap mosquitto-config-missing-compose "$m" "compose mqtt-1" mosquitto -c mosquitto.conf
    # As nobody, persistence_location is data/, a root-owned 0755 directory: every autosave fails.
    printf 'listener 48302 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location %s/data\nautosave_interval 1\n' "$m" > "$m/persist.conf"
    chmod 644 "$m"/*.conf
    nobody mosquitto-persistence-permission-denied "$m" 3 "mosquitto -c $m/persist.conf"
    printf 'listener 883 127.0.0.1\nallow_anonymous true\n' > "$m/priv.conf"
    chmod 644 "$m/priv.conf"
    nobody mosquitto-privileged-port "$m" 5 "mosquitto -c $m/priv.conf"
else
    echo "no mosquitto: skipping its server cases"
fi
if have mosquitto_sub; then
    run mosquitto-sub-refused "$m" mosquitto_sub -h 127.0.0.1 -p 48309 -t orders/#
    run mosquitto-pub-unresolvable "$m" mosquitto_pub -h mqtt -t orders/new -m 42
else
    echo "no mosquitto_sub: skipping the client cases"
fi
# A real mosquitto on 48303 that knows only app / s3cret.
have_mosq=false
if have mosquitto && have mosquitto_passwd; then
    rm -f "$m/passwd.real"
    mosquitto_passwd -b -c "$m/passwd.real" app s3cret >/dev/null 2>&1
    chmod 644 "$m/passwd.real"
    printf 'listener 48303 127.0.0.1\nallow_anonymous false\npassword_file %s/passwd.real\n' "$m" > "$m/real.conf"
    mosquitto -c "$m/real.conf" > "$m/real.out" 2>&1 &
    mosq_pid=$!
    wait_port 48303
    have_mosq=true
fi
if $have_mosq && have mosquitto_sub; then
    (cd "$m" && timeout 20 mosquitto_sub -h 127.0.0.1 -p 48303 -u app -P secret -t orders/# 2>&1 | stamp) \
        > "$here/mosquitto-sub-not-authorised-timestamps.log" || true
fi

# ---------------------------------------------------------------------------- paho-mqtt
if $have_venv; then
    cat > "$m/worker.py" <<'PY'
import logging
import os

import paho.mqtt.client as mqtt

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
log = logging.getLogger("orders.worker")

host = os.environ.get("MQTT_HOST", "127.0.0.1")
port = int(os.environ.get("MQTT_PORT", "1883"))


def on_connect(client, userdata, flags, reason_code, properties):
    if reason_code.is_failure:
        raise SystemExit(f"MQTT connect failed: {reason_code}")
    client.subscribe("orders/#")


client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="orders-worker")
if os.environ.get("MQTT_USER"):
    client.username_pw_set(os.environ["MQTT_USER"], os.environ.get("MQTT_PASSWORD"))
client.on_connect = on_connect
log.info("connecting to MQTT broker %s:%s", host, port)
client.connect(host, port)
client.loop_forever()
PY
    run paho-refused "$m" env MQTT_PORT=48309 "$P" worker.py
    wrap paho-unresolvable-compose "$m" "compose worker-1" env MQTT_HOST=mqtt "$P" worker.py
    if $have_mosq; then
        run paho-not-authorised "$m" env MQTT_PORT=48303 MQTT_USER=app MQTT_PASSWORD=secret "$P" worker.py
    fi
    # Written for paho-mqtt 1.x, whose Client took the client id first; pip installed 2.x.
    cat > "$m/legacy.py" <<'PY'
import paho.mqtt.client as mqtt


def on_message(client, userdata, msg):
    print(msg.topic, msg.payload)


client = mqtt.Client("orders-legacy")
client.on_message = on_message
client.connect("127.0.0.1", 48309)
client.loop_forever()
PY
    run paho-v1-client-on-v2 "$m" "$P" legacy.py
fi

# ---------------------------------------------------------------------------- mqtt (npm)
if $have_mqttjs; then
    j=$work/mqttjs
    mkdir -p "$j"
    ln -s "$base/npm/node_modules" "$j/node_modules"
    cat > "$j/subscriber.js" <<'JS'
const mqtt = require("mqtt");

const url = process.env.MQTT_URL || "mqtt://127.0.0.1:1883";
const client = mqtt.connect(url, {
  username: process.env.MQTT_USER,
  password: process.env.MQTT_PASSWORD,
  reconnectPeriod: 0,
});
client.on("connect", () => client.subscribe("orders/#"));
client.on("message", (topic, payload) => console.log(topic, payload.toString()));
client.on("error", (err) => {
  console.error(err);
  process.exit(1);
});
JS
    printf '{\n  "name": "orders-subscriber",\n  "version": "1.0.0",\n  "private": true,\n  "scripts": {\n    "start": "node subscriber.js"\n  }\n}\n' > "$j/package.json"
    if $have_mosq; then
        run mqttjs-not-authorised "$j" env MQTT_URL=mqtt://127.0.0.1:48303 MQTT_USER=app \
            MQTT_PASSWORD=secret node subscriber.js
    fi
    run mqttjs-unresolvable-npm "$j" env MQTT_URL=mqtt://mqtt:1883 npm start
else
    echo "no mqtt npm package: skipping its cases"
fi
stop "$mosq_pid"; mosq_pid=

# ---------------------------------------------------------------------------- zookeeper
z=$work/zk
mkdir -p "$z/conf" "$z/root-owned"
chmod 755 "$z" "$z/conf" "$z/root-owned"
zkcp=$z/conf:/usr/share/java/zookeeper.jar:/usr/share/java/slf4j-log4j12.jar:/usr/share/java/log4j-1.2.jar
if [ -f /usr/share/java/zookeeper.jar ] && [ -f /usr/share/java/slf4j-log4j12.jar ] && have java; then
    cat > "$z/conf/log4j.properties" <<'PROPS'
log4j.rootLogger=INFO, CONSOLE
log4j.appender.CONSOLE=org.apache.log4j.ConsoleAppender
log4j.appender.CONSOLE.layout=org.apache.log4j.PatternLayout
log4j.appender.CONSOLE.layout.ConversionPattern=%d{ISO8601} [myid:%X{myid}] - %-5p [%t:%C{1}@%L] - %m%n
PROPS
    zkmain=org.apache.zookeeper.server.quorum.QuorumPeerMain
    zkcfg() {  # zkcfg FILE DATADIR PORT
        printf 'tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=%s\nclientPort=%s\nadmin.enableServer=false\n' "$2" "$3" > "$1"
        chmod 644 "$1"
    }
    zkcfg "$z/inuse.cfg" "$z/data" 48320
    run zookeeper-port-in-use "$z" java -cp "$zkcp" $zkmain "$z/inuse.cfg"
    # dataDir was never created and the image turns autocreate off.
    zkcfg "$z/missing.cfg" "$z/missing" 48321
    run zookeeper-datadir-missing "$z" java -Dzookeeper.datadir.autocreate=false -cp "$zkcp" $zkmain "$z/missing.cfg"
    # As nobody, dataDir is in root-owned/, a 0755 directory nobody may not create it in.
    zkcfg "$z/nobody.cfg" "$z/root-owned/data" 48321
    nobody zookeeper-datadir-unwritable "$z" 30 "java -cp $zkcp $zkmain $z/nobody.cfg"
    # clientPort carries a stray x.
    zkcfg "$z/badport.cfg" "$z/data" 48321x
    run zookeeper-client-port-not-a-number "$z" java -cp "$zkcp" $zkmain "$z/badport.cfg"
    # The entrypoint names conf/zoo.cfg; only conf/zoo_sample.cfg was copied into the image.
    cp "$z/inuse.cfg" "$z/conf/zoo_sample.cfg"
    cat > "$z/entrypoint.sh" <<SH
#!/bin/sh
java -cp "$zkcp" $zkmain conf/zoo.cfg
status=\$?
echo "zookeeper exited with code \$status"
exit \$status
SH
    chmod +x "$z/entrypoint.sh"
    run zookeeper-config-missing-entrypoint "$z" ./entrypoint.sh
else
    echo "no zookeeper (or slf4j-log4j12, java): skipping its server cases"
fi

# ---------------------------------------------------------------------------- kazoo, kombu
if $have_venv; then
    cat > "$z/locks.py" <<'PY'
import logging
import os

from kazoo.client import KazooClient

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

zk = KazooClient(hosts=os.environ.get("ZK_HOSTS", "127.0.0.1:2181"))
zk.start(timeout=5)
zk.ensure_path("/locks/orders")
PY
    run kazoo-refused "$z" env ZK_HOSTS=127.0.0.1:48329 "$P" locks.py
    wrap kazoo-unresolvable-compose "$z" "compose scheduler-1" env ZK_HOSTS=zookeeper:2181 "$P" locks.py
fi
if $have_kombu; then
    # kombu's zookeeper:// transport needs kazoo, which this venv (kombu only) never installed.
    cat > "$z/publish.py" <<'PY'
from kombu import Connection

with Connection("zookeeper://127.0.0.1:48329/") as conn:
    queue = conn.SimpleQueue("orders")
    queue.put({"id": 42})
PY
    run kombu-zookeeper-no-kazoo "$z" "$base/v-kombu/bin/python" publish.py
fi

# ---------------------------------------------------------------------------- stomp (ActiveMQ)
s=$work/stomp
mkdir -p "$s"
if $have_venv; then
    cat > "$s/notify.py" <<'PY'
import logging

import stomp

logging.basicConfig(level=logging.INFO)

conn = stomp.Connection([("127.0.0.1", 48339)])
conn.connect("admin", "admin", wait=True)
conn.send(destination="/queue/orders", body="42")
PY
    run stomp-refused "$s" "$P" notify.py
fi

# ---------------------------------------------------------------------------- beanstalkd
b=$work/beanstalkd
mkdir -p "$b/wal"
chmod 755 "$b" "$b/wal"
if have beanstalkd; then
    (cd "$b" && timeout 10 beanstalkd -l 127.0.0.1 -p 48340 2>&1 | stamp) \
        > "$here/beanstalkd-port-in-use-timestamps.log" || true
    nobody beanstalkd-privileged-port "$b" 5 "beanstalkd -l 127.0.0.1 -p 300"
    # -b names binlog/, never created.
    run beanstalkd-binlog-missing "$b" beanstalkd -l 127.0.0.1 -p 48342 -b "$b/binlog"
    # As nobody, -b names wal/, a root-owned 0755 directory nobody may not lock.
    nobody beanstalkd-binlog-permission-denied "$b" 5 "beanstalkd -l 127.0.0.1 -p 48342 -b $b/wal"
else
    echo "no beanstalkd: skipping its server cases"
fi
if $have_venv; then
    cat > "$b/worker.py" <<'PY'
import greenstalk

with greenstalk.Client(("127.0.0.1", 48341), watch="orders") as client:
    while True:
        job = client.reserve()
        print("processing", job.body)
        client.delete(job)
PY
    echo "worker: $P worker.py" > "$b/Procfile"
    run greenstalk-refused-honcho "$b" "$base/venv/bin/honcho" start
fi

# ---------------------------------------------------------------------------- kafka clients
k=$work/kafka
mkdir -p "$k"
if $have_venv; then
    cat > "$k/producer.py" <<'PY'
import logging
import os

from kafka import KafkaProducer

logging.basicConfig(level=logging.INFO)

producer = KafkaProducer(bootstrap_servers=os.environ["KAFKA_BOOTSTRAP_SERVERS"])
producer.send("orders", b"42").get(timeout=10)
PY
    run kafka-python-bootstrap-refused "$k" env KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:48345 "$P" producer.py
    run kafka-python-unresolvable "$k" env KAFKA_BOOTSTRAP_SERVERS=kafka:9092 "$P" producer.py
    cat > "$k/confluent.py" <<'PY'
import os
import sys

from confluent_kafka import Producer

producer = Producer({"bootstrap.servers": os.environ["KAFKA_BOOTSTRAP_SERVERS"]})
producer.produce("orders", b"42")
left = producer.flush(5)
if left:
    sys.exit(f"{left} message(s) not delivered")
PY
    run confluent-kafka-refused "$k" env KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:48346 "$P" confluent.py
    (cd "$k" && KAFKA_BOOTSTRAP_SERVERS=kafka:9092 timeout 60 "$P" confluent.py 2>&1 | stamp) \
        > "$here/confluent-kafka-unresolvable-timestamps.log" || true
fi
if $have_kafka2; then
    cat > "$k/consumer.py" <<'PY'
from kafka import KafkaConsumer

consumer = KafkaConsumer("orders", bootstrap_servers=["127.0.0.1:48347"], group_id="billing")
for message in consumer:
    print(message.value)
PY
    cat > "$k/entrypoint.sh" <<SH
#!/bin/sh
$base/v-kafka2/bin/python consumer.py
status=\$?
echo "consumer exited with code \$status"
exit \$status
SH
    chmod +x "$k/entrypoint.sh"
    run kafka-python-no-brokers-entrypoint "$k" ./entrypoint.sh
fi

# ---------------------------------------------------------------------------- nats
n=$work/nats
mkdir -p "$n"
if $have_venv; then
    cat > "$n/publisher.py" <<'PY'
import asyncio

import nats


async def main():
    nc = await nats.connect("nats://127.0.0.1:48348", max_reconnect_attempts=2, connect_timeout=2)
    await nc.publish("orders", b"42")
    await nc.drain()


asyncio.run(main())
PY
    run nats-py-refused "$n" "$P" publisher.py
fi

# ---------------------------------------------------------------------------- rabbitmq vhosts
have_rmq=false
if [ -x "$rmqbin/rabbitmq-server" ] && $have_venv; then
    mkdir -p "$work/rmq/mnesia" "$work/rmq/log" "$work/rmq/home"
    : > "$work/rmq/enabled_plugins"
    printf 'listeners.tcp.default = 48330\n' > "$work/rmq/rabbitmq.conf"
    epmd -port 48331 >/dev/null 2>&1 &
    epmd_pid=$!
    rmqenv "$rmqbin/rabbitmq-server" > "$work/rmq/out.log" 2>&1 &
    rmq_pid=$!
    for i in $(seq 1 90); do grep -q "completed with" "$work/rmq/out.log" && break; sleep 1; done
    grep -q "completed with" "$work/rmq/out.log" && have_rmq=true
    $have_rmq || echo "rabbitmq-server did not start: skipping its cases"
else
    echo "no rabbitmq-server: skipping its cases"
fi
if $have_rmq; then
    r=$work/rabbit
    mkdir -p "$r"
    # The app's vhost is shop; only the default / exists on this broker.
    cat > "$r/consumer.py" <<'PY'
import asyncio

import aio_pika


async def main():
    connection = await aio_pika.connect_robust("amqp://guest:guest@127.0.0.1:48330/shop")
    async with connection:
        channel = await connection.channel()
        await channel.declare_queue("orders", durable=True)


asyncio.run(main())
PY
    run aio-pika-vhost-missing "$r" "$P" consumer.py
    cat > "$r/tasks.py" <<'PY'
from celery import Celery

app = Celery("tasks", broker="amqp://guest:guest@127.0.0.1:48330/billing")


@app.task
def send_invoice(order_id):
    return order_id
PY
    (cd "$r" && HOME=$r timeout 8 "$base/venv/bin/celery" -A tasks worker --loglevel=INFO \
        --without-heartbeat --without-mingle --without-gossip 2>&1 | compose billing-worker-1) \
        > "$here/celery-vhost-missing-compose.log" || true
fi

echo "captured into $here"
