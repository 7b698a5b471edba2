"""`bringup report`: the JSON shape is pinned; every status has its reason; live checks run
for every service whatever its status."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import time
from pathlib import Path
from typing import Any

import pytest

from bringup.commands.next import run_next
from bringup.errors import WorkFailed

from helpers import (
    PYTHON,
    Scripted,
    context,
    free_port,
    invoke,
    kill,
    report_json,
    web_service,
    write_recipe,
)

SERVICE_KEYS = {"name", "status", "stage", "port", "pid", "after", "started_at", "proven_at",
                "checks", "findings"}


def by_name(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {service["name"]: service for service in data["services"]}


def test_the_json_shape_is_pinned(ws: Path) -> None:
    web_service(ws, "api")
    assert invoke("next", "--yes", "--workspace", str(ws)).code == 0
    code, data = report_json(ws)
    assert code == 0
    assert set(data) == {"schema", "workspace", "generated_at", "summary", "services",
                         "machine_changes", "watch"}
    assert data["machine_changes"] == []
    assert data["watch"] == {"running": False, "pid": None}
    assert data["schema"] == "bringup.report/1" and data["workspace"] == str(ws.resolve())
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", data["generated_at"])
    assert data["summary"] == {"total": 1, "proven": 1, "regressed": 0, "next": None,
                               "coherence": 1.0}
    api = data["services"][0]
    assert set(api) == SERVICE_KEYS
    assert api["status"] == "proven" and api["stage"] == "stable" and isinstance(api["pid"], int)
    for check in api["checks"]:
        assert set(check) == {"kind", "target", "ok", "ms", "detail"} and check["ok"]


def test_every_status_with_its_reason(ws: Path) -> None:
    web_service(ws, "api")
    write_recipe(ws, "dash", 'command = "sleep 30"\nafter = ["api"]\n')
    write_recipe(ws, "crash", f'command = ["{PYTHON}", "-c", "raise SystemExit(3)"]\n')
    write_recipe(ws, "half", 'command = "sleep 30"\n[[paths]]\ndir = "missing"\n')
    write_recipe(ws, "parked", 'command = "sleep 30"\n')
    write_recipe(ws, "waiting", 'command = "sleep 30"\n')
    assert invoke("next", "api", "--yes", "--workspace", str(ws)).code == 0
    assert invoke("next", "crash", "--yes", "--workspace", str(ws)).code == 1
    with pytest.raises(WorkFailed):
        run_next(context(ws, Scripted([1])), "half")
    invoke("skip", "parked", "--reason", "no runtime here", "--workspace", str(ws))
    _, data = report_json(ws)
    services = by_name(data)
    expected = {"api": "proven", "dash": "pending", "crash": "failed", "half": "in-progress",
                "parked": "skipped", "waiting": "pending"}
    assert {name: s["status"] for name, s in services.items()} == expected
    assert "reason" not in services["api"]
    assert services["crash"]["reason"].startswith("exited with status 3")
    assert services["half"]["reason"].startswith("stopped at paths: directory missing")
    assert services["parked"]["reason"] == "skipped: no runtime here"
    assert services["waiting"]["reason"] == "not started yet"
    assert data["summary"]["next"] == "crash"


def test_a_service_after_one_not_proven_is_blocked(ws: Path) -> None:
    write_recipe(ws, "db", 'command = "sleep 30"\n')
    write_recipe(ws, "api", 'command = "sleep 30"\nafter = ["db"]\n')
    _, data = report_json(ws)
    api = by_name(data)["api"]
    assert api["status"] == "blocked" and api["reason"] == "waits for db: not proven yet"
    assert data["summary"]["next"] == "db"


def test_a_regressed_service_fails_the_report(ws: Path) -> None:
    web_service(ws, "api")
    invoke("next", "--yes", "--workspace", str(ws))
    _, before = report_json(ws)
    kill(before["services"][0]["pid"])
    code, data = report_json(ws)
    api = data["services"][0]
    assert code == 1 and api["status"] == "regressed" and api["pid"] is None
    assert api["reason"].startswith("was proven; now process")
    assert api["findings"] == []  # killed from outside: its log names no cause
    assert data["summary"]["regressed"] == 1 and data["summary"]["next"] == "api"


def test_a_pending_service_whose_port_already_answers_is_worth_knowing(ws: Path) -> None:
    port = free_port()
    write_recipe(ws, "cache", f'command = "sleep 30"\nport = {port}\n')
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", port))
        listener.listen()
        _, data = report_json(ws)
    checks = {check["kind"]: check for check in data["services"][0]["checks"]}
    assert data["services"][0]["status"] == "pending"
    assert checks["tcp"]["ok"] and not checks["process"]["ok"]


def test_no_check_shows_the_stored_state_only(ws: Path) -> None:
    web_service(ws, "api")
    invoke("next", "--yes", "--workspace", str(ws))
    stored = json.loads((ws / "state/state.json").read_text())["services"]["api"]
    os.killpg(stored["pid"], signal.SIGKILL)
    code, data = report_json(ws, "--no-check")
    assert code == 0 and data["services"][0]["status"] == "proven"
    assert data["services"][0]["checks"] == stored["evidence"]


def test_markdown_and_table(ws: Path) -> None:
    web_service(ws, "api")
    write_recipe(ws, "dash", 'command = "sleep 30"\nafter = ["api"]\n')
    invoke("next", "--yes", "--workspace", str(ws))
    markdown = invoke("report", "--markdown", "--workspace", str(ws))
    assert "| service | status | stage |" in markdown.stdout
    assert "1 of 2 proven (50%) · 0 regressed · next: dash" in markdown.stdout
    table = invoke("report", "--workspace", str(ws))
    assert table.code == 0 and "1 of 2 proven" in table.stdout and "api" in table.stdout


def test_an_invalid_recipe_is_a_row_and_the_others_are_reported(ws: Path) -> None:
    web_service(ws, "api")
    invoke("next", "--yes", "--workspace", str(ws))
    write_recipe(ws, "broken", 'command = "true"\nafterr = ["api"]\n')
    write_recipe(ws, "child", 'command = "true"\nafter = ["broken"]\n')
    table = invoke("report", "--workspace", str(ws))
    assert table.code == 2, table.output  # an invalid recipe is a usage error, said once
    rows = {line.split()[0]: line.split()[1] for line in table.stdout.splitlines()[2:-1]
            if line[:1].isalpha()}
    assert rows == {"api": "proven", "broken": "invalid", "child": "invalid"}, table.stdout
    assert "did you mean 'after'?" in table.stderr and "names 'broken', whose recipe is " \
        "invalid" in table.stderr
    code, data = report_json(ws)
    assert code == 2 and [s["name"] for s in data["services"]] == ["api"]
    stopped = invoke("down", "--workspace", str(ws))
    assert stopped.code == 0 and "stop        api" in stopped.stdout


def test_the_table_fits_sixty_columns_in_a_terminal(ws: Path) -> None:
    import pexpect

    port = web_service(ws, "a-service-with-a-long-name")
    invoke("next", "--yes", "--workspace", str(ws))
    pid = str(report_json(ws)[1]["services"][0]["pid"])
    child = pexpect.spawn(PYTHON, ["-m", "bringup", "report", "--workspace", str(ws)],
                          env={**os.environ, "TERM": "xterm"}, dimensions=(40, 60),
                          encoding="utf-8", timeout=30)
    child.expect(pexpect.EOF)
    child.close()
    shown = re.sub(r"\x1b\[[0-9;]*m", "", child.before).replace("\r", "").splitlines()
    assert child.exitstatus == 0, shown
    assert all(len(line) <= 60 for line in shown), shown
    row = next(line for line in shown if line.startswith("a-service-with-a-long-name"))
    assert row.split()[1:] == ["proven", str(port), pid], shown  # never cut
    assert any(line.startswith("    ✓ http status 200") for line in shown), shown  # below it
    zone = time.strftime("%Z")
    assert shown[0].endswith(zone), shown[0]  # times are local, and the title says the zone


def test_json_and_markdown_do_not_go_together(ws: Path) -> None:
    result = invoke("report", "--json", "--markdown", "--workspace", str(ws))
    assert result.code == 2 and "do not go together" in result.stderr


def test_a_service_that_crashes_after_it_was_proven_carries_the_cause_its_log_names(
        ws: Path) -> None:
    from helpers import stored

    port = free_port()
    write_recipe(ws, "api", f"""
        command = ["{PYTHON}", "-u", "-c", "import os, socket, time; s = socket.create_server(('127.0.0.1', {port})); time.sleep(1.2); os.environ['API_TOKEN']"]
        port = {port}
        [verify]
        stable_for = 0.2
        interval = 0.1
        """)  # noqa: E501
    assert invoke("next", "--yes", "--workspace", str(ws)).code == 0
    deadline = time.monotonic() + 10
    while report_json(ws)[1]["services"][0]["status"] != "regressed":
        assert time.monotonic() < deadline
    code, data = report_json(ws)
    top = data["services"][0]["findings"][0]
    assert code == 1 and (top["kind"], top["subject"]) == ("missing-env", "API_TOKEN")
    from bringup.proving.walk import recheck_proven

    ctx = context(ws)
    assert recheck_proven(ctx)["api"].status == "regressed"  # what `next` does first
    assert stored(ws, "api")["findings"][0]["subject"] == "API_TOKEN"


def test_checks_that_wait_are_joined_by_more_workers_and_results_keep_their_order() -> None:
    """Eight checks that each wait until all eight are waiting at once: only a worker joining
    for each stalled one lets them through (one worker in turn would wait for ever)."""
    import threading

    from bringup.proving.checking import in_turn

    together = threading.Barrier(8, timeout=10)
    assert in_turn(lambda item: (together.wait(), item * 2)[1], list(range(8))) == \
        [item * 2 for item in range(8)]


def test_a_check_that_raises_raises_in_the_caller_and_no_worker_is_left() -> None:
    import threading

    from bringup.proving.checking import in_turn

    def work(item: int) -> int:
        if item == 3:
            raise OSError("the third")
        return item

    before = threading.active_count()
    with pytest.raises(OSError, match="the third"):
        in_turn(work, list(range(10)))
    assert threading.active_count() == before
    assert in_turn(work, []) == []
