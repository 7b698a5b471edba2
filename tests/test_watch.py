"""`bringup watch` on real processes: a proven service that dies is restarted per its policy,
and one that keeps dying is given up on after `max_restarts`."""

from __future__ import annotations

import signal
import time
from collections.abc import Callable
from pathlib import Path

from bringup.commands.watch import watch

from helpers import context, invoke, journal, kill, stored, web_service, write_recipe


def watch_until(ws: Path, done: Callable[[], bool], limit: float = 15) -> None:
    deadline = time.monotonic() + limit
    watch(context(ws), until=lambda: done() or time.monotonic() > deadline)


def test_a_dead_service_is_restarted_and_proven_again(ws: Path) -> None:
    web_service(ws, "api", extra="restart = \"on-failure\"")
    assert invoke("next", "--yes", "--workspace", str(ws)).code == 0
    first = stored(ws, "api")["pid"]
    kill(first)
    watch_until(ws, lambda: bool(journal(ws, "restart"))
                and stored(ws, "api")["status"] == "proven")
    assert stored(ws, "api")["pid"] not in (None, first)
    assert stored(ws, "api")["status"] == "proven"
    assert invoke("report", "--workspace", str(ws)).code == 0


def test_restart_no_leaves_it_regressed(ws: Path) -> None:
    web_service(ws, "api", extra='restart = "no"')
    invoke("next", "--yes", "--workspace", str(ws))
    kill(stored(ws, "api")["pid"])
    watch_until(ws, lambda: stored(ws, "api")["status"] == "regressed")
    assert stored(ws, "api")["status"] == "regressed" and not journal(ws, "restart")


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
    assert len(journal(ws, "restart")) == 2
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
