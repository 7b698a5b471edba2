"""`bringup watch` on real processes: a proven service that dies is restarted per its policy,
and one that keeps dying is given up on after `max_restarts`."""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

import psutil

from bringup.watch import watch

from conftest import context, invoke, web_service, write_recipe


def stored(ws: Path, name: str) -> dict[str, object]:
    return json.loads((ws / "state/state.json").read_text())["services"][name]  # type: ignore[no-any-return]


def kill(pid: object) -> None:
    assert isinstance(pid, int)
    process = psutil.Process(pid)
    os.killpg(pid, signal.SIGKILL)
    process.wait(timeout=5)


def watch_until(ws: Path, done: Callable[[], bool], limit: float = 15) -> None:
    deadline = time.monotonic() + limit
    watch(context(ws), until=lambda: done() or time.monotonic() > deadline)


def events(ws: Path, kind: str) -> list[dict[str, object]]:
    lines = (ws / "state/journal.jsonl").read_text().splitlines()
    return [entry for entry in map(json.loads, lines) if entry["event"] == kind]


def test_a_dead_service_is_restarted_and_proven_again(ws: Path) -> None:
    web_service(ws, "api", extra="restart = \"on-failure\"")
    assert invoke("next", "--yes", "--workspace", str(ws)).code == 0
    first = stored(ws, "api")["pid"]
    kill(first)
    watch_until(ws, lambda: bool(events(ws, "restart")) and stored(ws, "api")["status"] == "proven")
    assert stored(ws, "api")["pid"] not in (None, first)
    assert stored(ws, "api")["status"] == "proven"
    assert invoke("report", "--workspace", str(ws)).code == 0


def test_restart_no_leaves_it_regressed(ws: Path) -> None:
    web_service(ws, "api", extra='restart = "no"')
    invoke("next", "--yes", "--workspace", str(ws))
    kill(stored(ws, "api")["pid"])
    watch_until(ws, lambda: stored(ws, "api")["status"] == "regressed")
    assert stored(ws, "api")["status"] == "regressed" and not events(ws, "restart")


def test_a_service_that_keeps_dying_is_given_up_on(ws: Path) -> None:
    write_recipe(ws, "flaky", """
        command = "test -f once && exit 1; touch once; sleep 60"
        max_restarts = 2
        [verify]
        stable_for = 0.2
        interval = 0.1
        startup_timeout = 2
        """)
    assert invoke("next", "--yes", "--workspace", str(ws)).code == 0
    kill(stored(ws, "flaky")["pid"])
    watch_until(ws, lambda: "gave up" in str(stored(ws, "flaky")["reason"]), limit=20)
    assert len(events(ws, "restart")) == 2
    assert "restarted 2 times within 10 minutes" in str(stored(ws, "flaky")["reason"])


def test_the_watch_command_runs_until_stopped(ws: Path) -> None:
    import subprocess
    import sys

    write_recipe(ws, "idle", 'command = "true"\n')
    child = subprocess.Popen([sys.executable, "-m", "bringup", "watch", "--workspace", str(ws)],
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None and "watching" in child.stdout.readline()
    child.send_signal(signal.SIGTERM)
    assert child.wait(timeout=10) == 130
