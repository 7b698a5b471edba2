"""`bringup restart` on real services: stopped and started again, verified; the services after
them restarted too when their policy says "always", else checked and left alone while they
answer; and a watch running meanwhile does not restart them a second time."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from helpers import invoke, journal, next_ok, stored, web_service


def _stack(ws: Path) -> None:
    web_service(ws, "db")
    web_service(ws, "api", extra='after = ["db"]\nrestart = "always"')
    web_service(ws, "worker", extra='after = ["db"]')  # restart = "on-failure", the default
    for _ in range(3):
        next_ok(ws)


def test_restart_starts_it_again_and_tells_those_after_it(ws: Path) -> None:
    _stack(ws)
    before = {name: stored(ws, name)["pid"] for name in ("db", "api", "worker")}
    result = invoke("restart", "db", "--workspace", str(ws))
    assert result.code == 0, result.output + result.stderr
    after = {name: stored(ws, name)["pid"] for name in ("db", "api", "worker")}
    assert after["db"] not in (None, before["db"])
    assert after["api"] not in (None, before["api"])  # restart = "always": with it
    assert after["worker"] == before["worker"]  # it still answers: left alone
    assert all(stored(ws, name)["status"] == "proven" for name in after)
    assert "worker (comes after them): still answering" in result.output
    assert "restarted: db, api" in result.output


def test_restart_refuses_what_it_cannot_restart(ws: Path) -> None:
    web_service(ws, "db")
    web_service(ws, "api", extra='after = ["db"]')
    next_ok(ws)  # db proven; api not yet
    unknown = invoke("restart", "nope", "--workspace", str(ws))
    assert unknown.code == 2 and "no service named 'nope'" in unknown.stderr
    unproven = invoke("restart", "api", "--workspace", str(ws))
    assert unproven.code == 2 and "api is not proven yet" in unproven.stderr
    assert "bringup next api" in unproven.stderr


def test_a_restart_while_watch_runs_is_not_restarted_again_by_watch(ws: Path) -> None:
    _stack(ws)
    watcher = subprocess.Popen([sys.executable, "-m", "bringup", "watch", "--workspace", str(ws)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1.0)
        result = invoke("restart", "db", "--workspace", str(ws))
        assert result.code == 0, result.output + result.stderr
        restarted = {name: stored(ws, name)["pid"] for name in ("db", "api")}
        time.sleep(2.0)  # many of watch's rounds
        assert not journal(ws, "restart"), journal(ws, "restart")
        assert {name: stored(ws, name)["pid"] for name in ("db", "api")} == restarted
        assert all(stored(ws, name)["status"] == "proven" for name in ("db", "api", "worker"))
        assert watcher.poll() is None
    finally:
        watcher.terminate()
        watcher.wait(timeout=10)
