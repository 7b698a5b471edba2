"""From a bare compose checkout to every service that can run here proven, with no edit of what
init wrote: a redis image, a Python web service that counts visits in that redis (its image runs
it under tini), a worker of the same build, a service whose program exists only inside its image
and an optional profile — those two written parked, with their reasons, in the report."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import httpx
import pytest

from bringup.recipe.read import load
from bringup.stages.needs.host import resolved

from helpers import (
    REPLICA,
    answering,
    free_port,
    invoke,
    quicker,
    report_json,
    statuses,
    walk_all,
    write_file,
    written,
)

APP = answering("""
    import socket
    from urllib.parse import urlsplit

    cache = urlsplit(os.environ["REDIS_URL"])

    def redis(*words):
        with socket.create_connection((cache.hostname, cache.port or 6379), timeout=2) as conn:
            conn.sendall(("*%d\\r\\n" % len(words) + "".join(
                "$%d\\r\\n%s\\r\\n" % (len(w), w) for w in words)).encode())
            return conn.recv(1024).decode()

    def answer(path):
        try:
            return 200, {"/health": lambda: redis("PING").strip().lstrip("+"),
                         "/count": lambda: redis("INCR", "visits").strip().lstrip(":")}[path]()
        except (KeyError, OSError) as error:
            return 503, repr(error)

    print("listening on", os.environ["PORT"], flush=True)
    """)

WORKER = '''
import os, socket, time
from urllib.parse import urlsplit

cache = urlsplit(os.environ["REDIS_URL"])
while True:
    with socket.create_connection((cache.hostname, cache.port), timeout=2) as conn:
        conn.sendall(b"*2\\r\\n$4\\r\\nINCR\\r\\n$5\\r\\nbeats\\r\\n")
        conn.recv(64)
    print("beat", flush=True)
    time.sleep(0.2)
'''


def stack(root: Path, cache_port: int, web_port: int) -> None:
    write_file(root, "compose.yaml", f"""
        x-app: &app
          build: ./web
          environment:
            REDIS_URL: redis://cache:6379/0
          depends_on: [cache]
        services:
          cache:
            image: redis:7-alpine
            ports: ["{cache_port}:6379"]
          web:
            <<: *app
            ports: ["${{WEB_PORT}}:${{WEB_PORT}}"]
            environment:
              REDIS_URL: redis://cache:6379/0
              PORT: ${{WEB_PORT}}
            healthcheck:
              test: ["CMD", "curl", "-f", "http://localhost:${{WEB_PORT}}/health"]
          worker:
            <<: *app
            command: python worker.py
          legacy:
            build: ./legacy
          debug:
            image: busybox
            profiles: [debug]
        """)
    write_file(root, ".env", f"WEB_PORT={web_port}\n")
    write_file(root, "web/Dockerfile", 'FROM python:3.11-slim\nENTRYPOINT ["tini", "--"]\n'
                                       'CMD ["python", "app.py"]\n')
    write_file(root, "web/app.py", APP)
    write_file(root, "web/worker.py", WORKER)
    write_file(root, "legacy/Dockerfile", 'FROM alpine\nCOPY run.sh /opt/legacy/run.sh\n'
                                          'ENTRYPOINT ["/opt/legacy/run.sh"]\n')


def test_init_then_next_proves_every_service_that_can_run_here(
        tmp_path: Path, compose_reader: str) -> None:
    root = tmp_path / "shop"
    cache_port, web_port = free_port(), free_port()
    stack(root, cache_port, web_port)
    made = invoke("init", "--yes", "--workspace", str(root))
    assert made.code == 0, made.output
    recipes = {file.stem: load(file, root) for file in (root / "recipes").glob("*.toml")}
    local_cache = {"REDIS_URL": f"redis://127.0.0.1:{cache_port}/0"}
    assert {name: (r.command, r.cwd, r.port, r.env, r.after, r.skip is not None)
            for name, r in recipes.items()} == {
        "cache": (("redis-server", "--port", str(cache_port), "--bind", "127.0.0.1",
                   "--daemonize", "no", "--dir", "var/cache"), ".", cache_port, {}, (), False),
        "web": (("python", "app.py"), "web", web_port,  # tini is a container's init
                {"PORT": str(web_port), **local_cache}, ("cache",), False),
        "worker": (("python", "worker.py"), "web", None, local_cache, ("cache",), False),
        "legacy": (("/opt/legacy/run.sh",), "legacy", None, {}, (), True),
        "debug": ("", ".", None, {}, (), True)}
    assert recipes["web"].verify.checks["http"].url == (  # type: ignore[attr-defined]
        f"http://127.0.0.1:{web_port}/health")
    assert "exists only inside the image" in str(recipes["legacy"].skip)
    assert "profile debug" in str(recipes["debug"].skip)
    quicker(root)
    try:
        walk_all(root)
        assert statuses(root) == {"cache": "proven", "web": "proven", "worker": "proven",
                                  "legacy": "skipped", "debug": "skipped"}
        first = httpx.get(f"http://127.0.0.1:{web_port}/count", timeout=5).text
        second = httpx.get(f"http://127.0.0.1:{web_port}/count", timeout=5).text
        assert int(second) == int(first) + 1  # the web service really counts in that redis
        _, report = report_json(root, "--no-check")
        reasons = {s["name"]: s.get("reason") or "" for s in report["services"]}
        assert "exists only inside the image" in reasons["legacy"]
    finally:
        invoke("down", "--workspace", str(root))


def test_replicas_of_one_build_get_their_own_ports_and_a_folder_gets_one_recipe(
        tmp_path: Path, compose_reader: str) -> None:
    root = tmp_path / "replicas"
    one, two = free_port(), free_port()
    write_file(root, "docker-compose.yml", f"""
        services:
          web1:
            build: ./web
            command: python app.py
            ports: ["{one}:5000"]
          web2:
            build: ./web
            command: python app.py
            ports: ["{two}:5000"]
          fixed1:
            build: ./fixed
            command: python app.py
            ports: ["{free_port()}:5000"]
          fixed2:
            build: ./fixed
            command: python app.py
            ports: ["{free_port()}:5000"]
        """)
    write_file(root, "web/app.py", REPLICA)
    write_file(root, "web/package.json", '{"scripts": {"start": "node other.js"}}')
    write_file(root, "fixed/app.py", "app.run(host='0.0.0.0', port=5000)\n")
    made = invoke("init", "--yes", "--workspace", str(root))
    assert made.code == 0, made.output
    assert written(root) == {  # no recipe "web" from its package.json
        "web1": (("python", "app.py"), "web", one, {"PORT": str(one)}, (), False),
        "web2": (("python", "app.py"), "web", two, {"PORT": str(two)}, (), False),
        "fixed1": (("python", "app.py"), "fixed", 5000, {}, (), False),  # its code's port
        "fixed2": (("python", "app.py"), "fixed", 5000, {}, (), True)}
    assert "a replica of fixed1" in (root / "recipes/fixed2.toml").read_text()
    (root / "recipes/fixed1.toml").unlink()  # a stand-in code: only the web replicas run here
    (root / "recipes/fixed2.toml").unlink()
    quicker(root)
    try:
        walk_all(root)
        assert statuses(root) == {"web1": "proven", "web2": "proven"}
        for port in (one, two):
            assert httpx.get(f"http://127.0.0.1:{port}/", timeout=5).text == f"replica on {port}"
    finally:
        invoke("down", "--workspace", str(root))


SERVER = '''
import os, socket
listener = socket.create_server(("127.0.0.1", int(os.environ["PORT"])))
while True:
    conn, _ = listener.accept()
    with conn:
        conn.sendall(b"pong from the server")
'''

CLIENT = answering("""
    import socket

    def answer(path):
        with socket.create_connection(("{host}", {port}), timeout=2) as conn:
            return 200, conn.recv(64).decode()
    """)


@pytest.mark.skipif(os.geteuid() != 0, reason="bringup adds a hosts alias only as root")
def test_a_name_written_into_the_code_is_a_host_need_met_by_an_alias_that_reset_undoes(
        tmp_path: Path, compose_reader: str) -> None:
    root = tmp_path / "named"
    host = f"srv-{uuid.uuid4().hex[:10]}"  # its own name: the alias is this test's alone
    own, published, app = free_port(), free_port(), free_port()
    write_file(root, "compose.yaml", f"""
        services:
          {host}:
            build: ./srv
            command: python server.py
            ports: ["{published}:{own}"]
            environment: {{PORT: "{own}"}}
          app:
            build: ./app
            command: python app.py
            ports: ["{app}:{app}"]
            environment: {{PORT: "{app}"}}
        """)
    write_file(root, "srv/server.py", SERVER)
    write_file(root, "app/app.py", CLIENT.replace("{host}", host).replace("{port}", str(own)))
    made = invoke("init", "--yes", "--workspace", str(root))
    assert made.code == 0, made.output
    assert written(root) == {
        host: (("python", "server.py"), "srv", own, {"PORT": str(own)}, (), False),  # where
        "app": (("python", "app.py"), "app", app, {"PORT": str(app)}, (host,), False)}  # code looks
    assert f'host = "{host}"' in (root / "recipes/app.toml").read_text()
    quicker(root)
    try:
        assert not resolved(host)
        walk_all(root)
        assert resolved(host) == {"127.0.0.1"}
        assert httpx.get(f"http://127.0.0.1:{app}/", timeout=5).text == "pong from the server"
        _, report = report_json(root, "--no-check")
        assert [c["line"] for c in report["machine_changes"]] == [
            f"127.0.0.1 {host}  # added by bringup"]
        shown = invoke("report", "--no-check", "--workspace", str(root)).output
        assert f"added `127.0.0.1 {host}" in shown
        undone = invoke("reset", "--all", "--workspace", str(root))
        assert undone.code == 0 and f"removed `127.0.0.1 {host}" in undone.output
        assert host not in Path("/etc/hosts").read_text() and not resolved(host)
        assert report_json(root, "--no-check")[1]["machine_changes"] == []
    finally:
        invoke("down", "--workspace", str(root))
        hosts = Path("/etc/hosts")
        hosts.write_text("".join(line for line in hosts.read_text().splitlines(keepends=True)
                                 if host not in line))
