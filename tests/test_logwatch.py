"""The log is evidence during verify and stable, on real processes: a service whose port answers
while its log names a cause is not proven; a wait that never ends names what it waits for; a
refusal the service recovers from is evidence, not a failure."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest

from bringup.commands.next import run_next
from bringup.core.service import Service
from bringup.errors import WorkFailed
from bringup.stages.logwatch import LogWatch

from helpers import (
    PYTHON,
    Scripted,
    context,
    free_port,
    next_yes,
    stored,
    write_file,
    write_recipe,
)

# A real web server that answers 200 whatever else happens; SCRIPT runs beside it, in a thread.
WEB = """
import os, socket, sys, threading, time
from http.server import BaseHTTPRequestHandler, HTTPServer

class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass

def side():
{script}

threading.Thread(target=side, daemon=True).start()
HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
"""


def web(ws: Path, name: str, script: str, *, extra: str = "", stable_for: float = 1.0) -> int:
    port = free_port()
    body = "\n".join(f"    {line}" for line in script.strip().splitlines())
    write_file(ws, f"{name}.py", WEB.replace("{script}", body))
    write_recipe(ws, name, f"""
        command = ["{PYTHON}", "-u", "{name}.py", "{port}"]
        port = {port}
        {extra}
        [verify]
        http = "http://127.0.0.1:{port}/"
        stable_for = {stable_for}
        interval = 0.1
        startup_timeout = 10
        """)
    return port


def listener_recipe(ws: Path, name: str) -> int:
    port = free_port()
    write_file(ws, f"{name}.py", "import socket, sys, time\n"
                                 "s = socket.create_server(('127.0.0.1', int(sys.argv[1])))\n"
                                 "while True:\n    s.accept()\n")
    write_recipe(ws, name, f"""
        command = ["{PYTHON}", "{name}.py", "{port}"]
        port = {port}
        [verify]
        stable_for = 0.2
        interval = 0.1
        """)
    return port


CACHE_CLIENT = """
host, port = os.environ["CACHE_ADDR"].split(":")
while True:
    try:
        socket.create_connection((host, int(port)), timeout=1).close()
        print(f"connected to cache at {host}:{port}", flush=True)
        return
    except OSError:
        print(f"connecting to {host}:{port}", flush=True)
        import traceback; traceback.print_exc()
        time.sleep(0.3)
"""


def test_a_page_answering_200_while_its_cache_host_does_not_resolve_is_not_proven(
        ws: Path) -> None:
    cache = listener_recipe(ws, "cache")
    web(ws, "front", CACHE_CLIENT,
        extra=f'after = ["cache"]\nenv = {{ CACHE_ADDR = "redis-box.invalid:{cache}" }}')
    assert next_yes(ws).code == 0  # the cache
    before = run_next_failing(ws, "front")
    assert "unresolvable-host redis-box.invalid" in before
    assert stored(ws, "front")["findings"][0]["kind"] == "unresolvable-host"
    result = next_yes(ws)  # --yes takes the fix: the variable points at 127.0.0.1
    assert result.code == 0, result.output
    assert f'CACHE_ADDR = "127.0.0.1:{cache}"' in (ws / "recipes/front.toml").read_text()


def run_next_failing(ws: Path, name: str) -> str:
    """`next` on a service that answers while broken, declining every fix: what it said."""
    try:
        run_next(context(ws, Scripted([1, 1, 1])), None)
    except WorkFailed as error:
        return str(error) + "\n" + str(stored(ws, name)["findings"])
    raise AssertionError("proven while its log named a cause")


def test_a_page_that_waits_for_db_forever_names_db_and_comes_after_it(ws: Path) -> None:
    db = listener_recipe(ws, "db")
    web(ws, "app", f"""
while True:
    try:
        socket.create_connection(("127.0.0.1", {db}), timeout=1).close()
        print("connected to db", flush=True)
        return
    except OSError:
        print("Waiting for db...", flush=True)
        time.sleep(0.1)
""")
    first = next_yes(ws)  # app comes first (app < db): it waits for db, which is not up
    assert first.code == 1
    assert f"connection-refused 127.0.0.1:{db}" in first.output and "start db first" in first.output
    assert "app now waits for db" in first.output
    assert 'after = ["db"]' in (ws / "recipes/app.toml").read_text()
    assert next_yes(ws).code == 0  # db
    result = next_yes(ws)
    assert result.code == 0 and "proven: db, app" in result.output


def test_a_cause_logged_inside_the_stability_window_fails_it(ws: Path) -> None:
    web(ws, "dash", """
time.sleep(0.6)
print("consumer: Cannot connect to redis://broker:6379//: Error -2 connecting to broker:6379. "
      "Name or service not known.", flush=True)
""", stable_for=3)
    said = run_next_failing(ws, "dash")
    assert "of the 3 s stability window: its log says unresolvable-host broker" in said
    assert stored(ws, "dash")["status"] == "failed"


def test_a_refusal_the_service_recovers_from_is_evidence_not_a_failure(ws: Path) -> None:
    port = free_port()
    web(ws, "api", f"""
while True:
    try:
        socket.create_connection(("127.0.0.1", {port}), timeout=1).close()
        print("Connected to the queue", flush=True)
        return
    except OSError as error:
        print(f"queue 127.0.0.1:{port}: {{error}}", flush=True)
        time.sleep(0.5)
""", stable_for=2)
    opened = threading.Event()

    def open_late() -> None:
        opened.wait(0.8)
        with socket.create_server(("127.0.0.1", port)) as server:
            server.settimeout(5)
            server.accept()

    thread = threading.Thread(target=open_late, daemon=True)
    thread.start()
    result = next_yes(ws)
    thread.join(10)
    assert result.code == 0, result.output
    said = next(check for check in stored(ws, "api")["evidence"]
                if check["kind"] == "diagnosis")
    assert said["ok"] and "recovered from connection-refused" in said["detail"]
    assert "Connected to the queue" in said["detail"]


def test_a_database_servers_line_about_its_client_is_not_its_failure(ws: Path) -> None:
    write_recipe(ws, "pg", 'command = "postgres -D var/pg"\n')
    write_recipe(ws, "app", 'command = "python app.py"\n')
    ctx = context(ws)
    log = ws / "state/logs"
    log.mkdir(parents=True)
    line = 'FATAL:  password authentication failed for user "app"\n'
    for name in ("pg", "app"):
        (log / f"{name}.log").write_text(f"LOG:  starting\n{line}")
    server = LogWatch(Service(ctx, ctx.workspace.recipes["pg"])).end()
    client = LogWatch(Service(ctx, ctx.workspace.recipes["app"])).end()
    assert server.ok and "no cause in 2 lines" in server.detail
    assert not client.ok and client.final and "auth-failed postgres" in client.detail


CAPTURED = Path(__file__).parent / "logwatch"  # real output, regenerated by capture.sh there


@pytest.mark.parametrize(("log", "command"), [
    ("uvicorn", "uvicorn app:app --port 8000"),
    ("gunicorn-uvicorn-workers", "gunicorn -w 4 -k uvicorn.workers.UvicornWorker app:app"),
    ("node-inspect", "node --inspect server.js"),
    ("postgres-client-asks-missing-db", "postgres -D var/pg -p 5433"),
])
def test_a_healthy_servers_real_log_names_no_cause(ws: Path, log: str, command: str) -> None:
    write_recipe(ws, "svc", f'command = "{command}"\n')
    (ws / "state/logs").mkdir(parents=True)
    (ws / "state/logs/svc.log").write_text((CAPTURED / f"{log}.log").read_text())
    ctx = context(ws)
    said = LogWatch(Service(ctx, ctx.workspace.recipes["svc"])).end()
    assert said.ok, said.detail


def test_a_debuggers_port_is_not_the_one_the_service_listens_on() -> None:
    from bringup.diagnosis import announced_ports

    assert list(announced_ports((CAPTURED / "node-inspect.log").read_text())) == [48104]
    said = announced_ports("[2024-01-01 12:34:56] Server listening\n")
    assert said == {}  # a time is no port
