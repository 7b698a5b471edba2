"""The one writer of status, on real processes: every transition sets all it owns. A restart
that failed and then worked leaves no stale stage or finding; `always` restarts a run that
finished and `on-failure` does not; a service stopped by `down` is stopped, not regressed."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import psutil
import pytest

from bringup.commands.watch import watch

from helpers import (
    context,
    invoke,
    journal,
    kill,
    next_ok,
    report_json,
    statuses,
    stored,
    web_service,
    write_recipe,
)


def watch_until(ws: Path, done: Callable[[], bool], limit: float = 20) -> None:
    deadline = time.monotonic() + limit
    watch(context(ws), until=lambda: done() or time.monotonic() > deadline)


def test_a_restart_that_failed_then_worked_leaves_nothing_stale(ws: Path) -> None:
    write_recipe(ws, "flaky", """
        command = "if [ -f once ] && [ ! -f twice ]; then touch twice; echo 'Error: boom'; exit 1; fi; touch once; exec sleep 60"
        [verify]
        stable_for = 0.2
        interval = 0.1
        startup_timeout = 2
        """)  # noqa: E501
    next_ok(ws)
    kill(stored(ws, "flaky")["pid"])
    watch_until(ws, lambda: len(journal(ws, "restart")) == 2
                and stored(ws, "flaky")["status"] == "proven")
    failed = [event for event in journal(ws, "verdict") if event.get("findings")]
    assert failed and failed[-1]["findings"][0]["kind"] == "crashed"  # the first restart failed
    code, data = report_json(ws)
    flaky = data["services"][0]
    assert code == 0 and flaky["status"] == "proven" and flaky["stage"] == "stable"
    assert flaky["findings"] == [] and "reason" not in flaky


@pytest.mark.parametrize(("policy", "restarts", "status"), [
    ("always", 2, "proven"), ("on-failure", 1, "stopped")])
def test_only_always_restarts_a_run_that_finished(ws: Path, policy: str, restarts: int,
                                                  status: str) -> None:
    write_recipe(ws, "worker", f"""
        command = "sleep 1"
        restart = "{policy}"
        [verify]
        stable_for = 0.2
        interval = 0.1
        """)
    next_ok(ws)
    watch_until(ws, lambda: len(journal(ws, "restart")) >= restarts
                and stored(ws, "worker")["status"] == status
                and (policy == "on-failure" or stored(ws, "worker")["pid"] is not None))
    # A run watch did not start itself has an unknown exit status: it counts as a failure.
    assert len(journal(ws, "restart")) == restarts
    assert stored(ws, "worker")["status"] == status
    if status == "stopped":
        assert "exited with status 0" in stored(ws, "worker")["reason"]
        assert invoke("report", "--workspace", str(ws)).code == 0


def test_a_service_stopped_by_down_is_stopped_and_up_starts_it(ws: Path) -> None:
    web_service(ws, "api")
    write_recipe(ws, "dash", 'command = "sleep 30"\nafter = ["api"]\n')
    next_ok(ws, "api")
    assert invoke("down", "--workspace", str(ws)).code == 0
    for args in ((), ("--no-check",)):
        code, data = report_json(ws, *args)
        api, dash = data["services"]
        assert code == 0 and data["summary"]["regressed"] == 0
        assert api["status"] == "stopped" and api["findings"] == []
        assert api["reason"].startswith("stopped by `bringup down`")
        assert dash["status"] == "blocked" and "api: stopped by `bringup down`" in dash["reason"]
    assert invoke("report", "--workspace", str(ws)).code == 0
    output = next_ok(ws, "api")
    assert "stopped by `bringup down`; `bringup up api` starts it again" in output
    assert "fixing it first" not in output
    assert invoke("up", "api", "--workspace", str(ws)).code == 0
    assert statuses(ws)["api"] == "proven"


def test_a_state_file_of_bringup_0_1_reads_a_stopped_service_as_stopped(ws: Path) -> None:
    from bringup.state.store import Store

    web_service(ws, "api")
    (ws / "state").mkdir()
    (ws / "state/state.json").write_text(
        '{"schema": "bringup.state/1", "services": {"api": {"status": "regressed", "stage": '
        '"stable", "reason": "stopped by `bringup down`; `bringup up` starts it again"}}}')
    assert Store(ws / "state").load().of("api").status == "stopped"


def test_a_process_started_from_an_older_recipe_is_restarted_not_adopted(ws: Path) -> None:
    web_service(ws, "api")
    next_ok(ws)
    first = stored(ws, "api")["pid"]
    recipe = ws / "recipes/api.toml"
    recipe.write_text(recipe.read_text().replace('"]\n', '", "--edited"]\n', 1))
    output = next_ok(ws)
    assert "api has regressed" in output and "before its command changed" in output
    assert stored(ws, "api")["status"] == "proven"
    second = stored(ws, "api")["pid"]
    assert second != first and not psutil.pid_exists(first)
    assert "already running" in invoke("up", "--workspace", str(ws)).output
    recipe.write_text(recipe.read_text().replace("port = ", 'env = { MODE = "x" }\nport = ', 1))
    restarted = invoke("up", "--workspace", str(ws))
    assert restarted.code == 0 and "its env changed" in restarted.output
    assert stored(ws, "api")["pid"] not in (first, second)


def test_reset_keeps_what_it_must_to_stop_and_read_its_process(ws: Path) -> None:
    from bringup.core import lifecycle

    ctx = context(ws)
    entry = ctx.state.of("api")
    entry.pid, entry.create_time, entry.start_id = 4242, 1.0, "s1"
    entry.log_offset, entry.log_files = 120, {"logs/api.log": 3000}
    entry.fingerprints, entry.started_from = {"npm": "x"}, {"command": "y"}
    lifecycle.reset(ctx, "api")
    fresh = ctx.state.of("api")
    assert (fresh.pid, fresh.start_id, fresh.log_offset, fresh.log_files) == (
        4242, "s1", 120, {"logs/api.log": 3000})
    assert (fresh.fingerprints, fresh.started_from) == ({"npm": "x"}, {"command": "y"})
    assert fresh.status == "pending" and fresh.stage == "needs"
