"""A container's command made to run on this machine: loopback at the port the host sees, the
variable the code reads for its port set, development forms made plain; and, walked for real, a
stack whose ports differ inside and out, whose worker names its broker only on its command line,
comes up with no edit."""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import httpx
import pytest

from bringup.discover.onhost import on_host, plain

from helpers import free_port, invoke, quicker, statuses, walk_all, write_file, written

REWRITES = [
    (("gunicorn", "-b", "0.0.0.0:8000", "app:app"),
     ("gunicorn", "-b", "127.0.0.1:9123", "app:app")),
    ("gunicorn --bind=:8000 app:app", "gunicorn --bind=127.0.0.1:9123 app:app"),
    (("uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8000", "--reload"),
     ("uvicorn", "main:app", "--host", "127.0.0.1", "--port", "9123")),
    (("python", "manage.py", "runserver", "0.0.0.0:8000"),
     ("python", "manage.py", "runserver", "127.0.0.1:9123", "--noreload")),
    ("python -m http.server 8000 --bind 0.0.0.0", "python -m http.server 9123 --bind 127.0.0.1"),
    (("flask", "run", "--host=0.0.0.0", "--port=8000", "--debug"),
     ("flask", "run", "--host=127.0.0.1", "--port=9123")),
    (("nodemon", "--watch", "src", "-L", "server.js"), ("node", "server.js")),
    ("node --inspect=0.0.0.0:9229 index.js", "node index.js"),
    (("next", "dev", "-p", "8000"), ("next", "dev", "-p", "9123")),
    (("celery", "-A", "app", "worker", "-l", "info"),
     ("celery", "-A", "app", "worker", "-l", "info")),
]


@pytest.mark.parametrize(("command", "expected"), REWRITES, ids=lambda c: str(c)[:40])
def test_a_command_listens_on_loopback_at_the_port_the_host_sees(
        tmp_path: Path, command: str | tuple[str, ...], expected: str | tuple[str, ...]) -> None:
    done = on_host(command, {}, tmp_path, "", published=9123, own=8000)
    assert done.command == expected and done.port == 9123


def test_the_variable_the_code_reads_is_set_and_a_database_port_is_left(tmp_path: Path) -> None:
    write_file(tmp_path, "server.js", "app.listen(process.env.PORT || 4000)\n")
    done = on_host(("node", "server.js"), {"DB_PORT": "5432"}, tmp_path, "ENV PORT=80\n",
                   published=8080, own=80)
    assert done.env == {"DB_PORT": "5432", "PORT": "8080"} and done.port == 8080
    assert any("PORT=8080" in note for note in done.notes)


def test_a_code_that_listens_on_its_own_port_decides_the_recipes_port(tmp_path: Path) -> None:
    write_file(tmp_path, "app.py", "app.run(host='0.0.0.0', port=5001)\n")
    done = on_host(("python", "app.py"), {}, tmp_path, "", published=8080, own=5000)
    assert done.port == 5001 and any("listens on 5001 whatever" in n for n in done.notes)


def test_a_privileged_port_becomes_a_high_one_unless_bringup_is_root(tmp_path: Path) -> None:
    done = on_host(("node", "s.js"), {"PORT": "80"}, tmp_path, "", published=80, own=80)
    assert (done.port, done.env) == ((80, {"PORT": "80"}) if os.geteuid() == 0
                                     else (8080, {"PORT": "8080"}))


def test_flask_debug_from_the_environment_runs_without_its_reloader(tmp_path: Path) -> None:
    done = on_host(("flask", "run", "--host=0.0.0.0"), {"FLASK_DEBUG": "1"}, tmp_path, "",
                   published=9123, own=5000)
    assert done.command == ("flask", "run", "--host=127.0.0.1", "--no-reload")


def test_plain_leaves_an_ordinary_command_as_written() -> None:
    assert plain("python worker.py --queue default") == ("python worker.py --queue default", [])


NODE_API = """
const http = require("http");
const port = process.env.PORT || 4000;
http.createServer((req, res) => res.end("api on " + port)).listen(port, "127.0.0.1",
  () => console.log("listening on " + port));
"""

WORKER = """
import socket, sys, time
from urllib.parse import urlsplit

broker = urlsplit(sys.argv[1].partition("=")[2])
while True:
    with socket.create_connection((broker.hostname, broker.port), timeout=2) as conn:
        conn.sendall(b"*2\\r\\n$4\\r\\nINCR\\r\\n$4\\r\\njobs\\r\\n")
        conn.recv(64)
    print("job done", flush=True)
    time.sleep(0.2)
"""


def redis_get(port: int, key: str) -> int:
    with socket.create_connection(("127.0.0.1", port), timeout=2) as conn:
        conn.sendall(f"*2\r\n$3\r\nGET\r\n${len(key)}\r\n{key}\r\n".encode())
        reply = conn.recv(64).decode().split("\r\n")
    return int(reply[1]) if reply[0].startswith("$") and reply[0] != "$-1" else 0


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_a_stack_whose_ports_differ_inside_and_out_comes_up_with_no_edit(
        tmp_path: Path, compose_reader: str) -> None:
    root = tmp_path / "ports"
    cache, api, files = free_port(), free_port(), free_port()
    write_file(root, "compose.yaml", f"""
        services:
          cache:
            image: redis:7
            ports: ["{cache}:6379"]
          api:
            build: ./api
            command: nodemon --watch . server.js
            ports: ["{api}:80"]
          files:
            build: ./files
            command: python -m http.server 8000 --bind 0.0.0.0
            ports: ["{files}:8000"]
          worker:
            build: ./worker
            command: ["python", "worker.py", "--broker=redis://cache:6379/0"]
        """)
    write_file(root, "api/Dockerfile", "FROM node:20\nENV PORT=80\n")
    write_file(root, "api/server.js", NODE_API)
    write_file(root, "files/hello.txt", "hello from the files service\n")
    write_file(root, "worker/worker.py", WORKER)
    made = invoke("init", "--yes", "--workspace", str(root))
    assert made.code == 0, made.output
    assert written(root) == {
        "cache": (("redis-server", "--port", str(cache), "--bind", "127.0.0.1", "--daemonize",
                   "no", "--dir", "var/cache"), ".", cache, {}, (), False),
        "api": (("node", "server.js"), "api", api, {"PORT": str(api)}, (), False),
        "files": (("python", "-m", "http.server", str(files), "--bind", "127.0.0.1"), "files",
                  files, {}, (), False),
        "worker": (("python", "worker.py", f"--broker=redis://127.0.0.1:{cache}/0"), "worker",
                   None, {}, ("cache",), False)}
    quicker(root)
    try:
        walk_all(root)
        assert set(statuses(root).values()) == {"proven"}
        assert httpx.get(f"http://127.0.0.1:{api}/", timeout=5).text == f"api on {api}"
        served = httpx.get(f"http://127.0.0.1:{files}/hello.txt", timeout=5).text
        assert served == "hello from the files service\n"
        assert redis_get(cache, "jobs") > 0  # the worker reached its broker
    finally:
        invoke("down", "--workspace", str(root))
