"""`bringup up` after `bringup down`: proven services start again in dependency order, each
verified, without a question; one that fails keeps the services after it down."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import (
    SERVER,
    free_port,
    http_server_recipe,
    invoke,
    statuses,
    write_file,
    write_recipe,
)


def stack(ws: Path) -> None:
    write_file(ws, "server.py", SERVER)
    for name, after in (("api", ""), ("dash", 'after = ["api"]'), ("solo", "")):
        write_recipe(ws, name, http_server_recipe(free_port(), extra=after))
    for _ in range(3):
        assert invoke("next", "--yes", "--workspace", str(ws)).code == 0


def test_up_starts_what_down_stopped(ws: Path) -> None:
    stack(ws)
    assert invoke("down", "--workspace", str(ws)).code == 0
    assert set(statuses(ws).values()) == {"stopped"}
    report = json.loads(invoke("report", "--json", "--workspace", str(ws)).stdout)
    for service in report["services"]:
        assert service["reason"].startswith("stopped by `bringup down`")
        assert service["findings"] == []
    result = invoke("up", "--workspace", str(ws))
    assert result.code == 0, result.output
    assert "up: " in result.output and "?" not in result.output
    assert set(statuses(ws).values()) == {"proven"}
    again = invoke("up", "--workspace", str(ws))
    assert again.code == 0 and again.output.count("already running") == 3


def test_a_service_that_fails_keeps_the_ones_after_it_down(ws: Path) -> None:
    stack(ws)
    invoke("down", "--workspace", str(ws))
    write_file(ws, "server.py", "raise SystemExit('broken on purpose')\n")
    result = invoke("up", "dash", "--workspace", str(ws))
    assert result.code == 1
    assert "api: exited with status 1" in result.output
    assert "dash: an earlier service did not come up" in result.output
    assert "solo" not in result.output


def test_up_leaves_what_is_not_proven(ws: Path) -> None:
    write_recipe(ws, "new", 'command = "sleep 30"\n')
    result = invoke("up", "--workspace", str(ws))
    assert result.code == 1 and "new: not proven yet" in result.output


def test_a_regressed_service_up_finds_answering_is_proven_again(ws: Path) -> None:
    from bringup.core import lifecycle

    from helpers import context

    stack(ws)
    ctx = context(ws)
    lifecycle.regressed(ctx, "solo", "its check failed a moment ago")  # it answers again now
    result = invoke("up", "solo", "--workspace", str(ws))
    assert result.code == 0 and "solo: already running" in result.output, result.output
    assert statuses(ws)["solo"] == "proven"
    assert invoke("report", "--no-check", "--workspace", str(ws)).code == 0
