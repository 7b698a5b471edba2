"""Dependencies are part of the truth, on real processes: a proven service is proven only while
what it comes after is; its connection to them is seen (psutil), not assumed; and `connects`
asks for it."""

from __future__ import annotations

import os
import shutil
import signal
import time
from pathlib import Path

import pytest

from helpers import (
    PYTHON,
    free_port,
    invoke,
    next_ok,
    report_json,
    write_file,
    write_recipe,
)

# A cache that keeps every connection it accepts; a client that holds one, and reconnects.
CACHE = """
import socket, sys
server = socket.create_server(("127.0.0.1", int(sys.argv[1])))
kept = []
while True:
    kept.append(server.accept()[0])
"""
CLIENT = """
import socket, sys, time
while True:
    try:
        connection = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
    except OSError:
        time.sleep(0.1)
        continue
    print("ready", flush=True)
    try:
        while connection.recv(1):
            pass
    except ConnectionResetError:  # a cache killed with data unread resets: connect again
        pass
"""


def stack(ws: Path, *, asks: bool, redis: bool = False) -> int:
    port = free_port()
    write_file(ws, "cache.py", CACHE)
    write_file(ws, "client.py", CLIENT)
    command = (f'["redis-server", "--port", "{port}", "--bind", "127.0.0.1", "--save", "", '
               '"--appendonly", "no"]' if redis else f'["{PYTHON}", "cache.py", "{port}"]')
    ping = 'tcp_send = "PING\\r\\n"\ntcp_expect = "+PONG"' if redis else ""
    write_recipe(ws, "cache", f"""
        command = {command}
        port = {port}
        [verify]
        tcp = {port}
        {ping}
        stable_for = 0.2
        interval = 0.1
        """)
    connects = 'connects = ["cache"]' if asks else ""
    write_recipe(ws, "api", f"""
        command = ["{PYTHON}", "-u", "client.py", "{port}"]
        after = ["cache"]
        [verify]
        log = "ready"
        {connects}
        stable_for = 0.3
        interval = 0.1
        """)
    next_ok(ws)
    next_ok(ws)
    return port


def checks_of(data: dict[str, object], name: str) -> dict[str, dict[str, object]]:
    service = next(s for s in data["services"] if s["name"] == name)  # type: ignore[attr-defined]
    return {check["kind"]: check for check in service["checks"]}


@pytest.mark.parametrize("redis", [
    False, pytest.param(True, marks=pytest.mark.skipif(shutil.which("redis-server") is None,
                                                       reason="needs redis-server"))],
    ids=["listener", "redis-server"])
def test_a_dependency_stopped_under_a_proven_dependent_blocks_it_until_it_is_up(
        ws: Path, redis: bool) -> None:
    stack(ws, asks=False, redis=redis)
    code, data = report_json(ws)
    seen = checks_of(data, "api")["connects"]
    assert code == 0 and seen["ok"] and seen["detail"] == "connected to cache"
    assert invoke("down", "cache", "--workspace", str(ws)).code == 0
    code, data = report_json(ws)
    api = next(s for s in data["services"] if s["name"] == "api")
    assert code == 0 and api["status"] == "blocked"
    assert api["reason"] == "depends on cache, which is stopped"
    assert "waiting on them: api" in next_ok(ws)
    assert invoke("up", "cache", "--workspace", str(ws)).code == 0
    deadline = time.monotonic() + 10  # the client reconnects to the new cache by itself
    while "connects" not in checks_of(report_json(ws)[1], "api"):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    _, data = report_json(ws)
    assert {s["name"]: s["status"] for s in data["services"]} == {"cache": "proven",
                                                                  "api": "proven"}


def test_connects_proves_a_service_only_while_it_holds_its_connection(ws: Path) -> None:
    stack(ws, asks=True)
    _, data = report_json(ws)
    assert checks_of(data, "api")["connects"]["ok"]
    code, data = report_json(ws, "--no-check")
    assert [c["kind"] for c in checks_of(data, "api").values()].count("connects") == 1
    cache = next(s for s in data["services"] if s["name"] == "cache")
    os.killpg(cache["pid"], signal.SIGKILL)  # the client's connection goes with it,
    deadline = time.monotonic() + 5  # once the kernel has torn the dead process's sockets down
    while (code := report_json(ws)[0]) == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    code, data = report_json(ws)
    held = checks_of(data, "api")["connects"]
    assert code == 1 and not held["ok"] and "no connection to cache" in held["detail"]
