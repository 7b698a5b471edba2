"""`bringup up` after `bringup down`: proven services start again in dependency order, each
verified, without a question; one that fails keeps the services after it down."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

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


LATE = """
import runpy, sys, time
time.sleep(float(sys.argv[2]))  # a service slow to become ready
sys.argv = sys.argv[:2]
runpy.run_path("server.py", run_name="__main__")
"""


def test_a_service_waits_for_its_own_dependencies_not_for_a_slow_neighbour(ws: Path) -> None:
    from datetime import datetime

    from helpers import journal

    write_file(ws, "server.py", SERVER)
    write_file(ws, "late.py", LATE)
    slow = free_port()
    write_recipe(ws, "slow", http_server_recipe(slow).replace(
        f'"server.py", "{slow}"]', f'"late.py", "{slow}", "3"]'))
    write_recipe(ws, "fast", http_server_recipe(free_port()))
    write_recipe(ws, "web", http_server_recipe(free_port(), extra='after = ["fast"]'))
    for _ in range(3):
        assert invoke("next", "--yes", "--workspace", str(ws)).code == 0
    assert invoke("down", "--workspace", str(ws)).code == 0
    result = invoke("up", "--workspace", str(ws))
    assert result.code == 0, result.output
    starts = {line["service"]: datetime.fromisoformat(line["ts"])
              for line in journal(ws, "start")}  # the last start of each: `up`'s
    # web follows fast, which answers at once; slow takes three seconds, and web must not
    # wait for it as it would if services started a whole level at a time.
    assert (starts["web"] - starts["slow"]).total_seconds() < 2.0
    assert "up: fast, slow, web" in result.output  # in the recipes' order all the same


SLOW_TO_STOP = """
import runpy, signal, sys, time

def leave(*_):
    with open(f"term-{sys.argv[1]}", "w") as told:  # when it was asked to stop
        told.write(repr(time.time()))
    time.sleep(1.0)  # closing its connections, flushing
    sys.exit(0)

signal.signal(signal.SIGTERM, leave)
runpy.run_path("server.py", run_name="__main__")
"""


def test_down_stops_dependents_first_and_independent_services_together(ws: Path) -> None:
    write_file(ws, "server.py", SERVER)
    write_file(ws, "slow_stop.py", SLOW_TO_STOP)
    ports = {}
    for name, after in (("api", ""), ("worker", ""), ("batch", ""), ("dash", 'after = ["api"]')):
        ports[name] = free_port()
        write_recipe(ws, name, http_server_recipe(ports[name], extra=after).replace(
            '"server.py"', '"slow_stop.py"'))
    for _ in range(4):
        assert invoke("next", "--yes", "--workspace", str(ws)).code == 0
    result = invoke("down", "--workspace", str(ws))
    assert result.code == 0, result.output
    assert set(statuses(ws).values()) == {"stopped"}
    told = {name: float((ws / f"term-{port}").read_text()) for name, port in ports.items()}
    # Each takes a second to stop. dash, worker and batch are told at once; api only once
    # dash, which comes after it, is gone.
    first = min(told.values())
    assert all(told[name] - first < 0.5 for name in ("dash", "worker", "batch")), told
    assert told["api"] - told["dash"] >= 0.9, told


def test_an_error_in_one_start_reaches_the_caller_once_every_start_has_ended(
        ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading
    import time

    from bringup.commands import up as up_command
    from bringup.state.model import ServiceState
    from bringup.state.store import Store

    from helpers import context

    store = Store(ws / "state")
    state = store.load()
    for name, after in (("api", ""), ("dash", 'after = ["api"]'), ("solo", "")):
        write_recipe(ws, name, f'command = "sleep 30"\n{after}\n')
        state.services[name] = ServiceState(stage="stable", status="stopped")
    store.save(state)
    ended: list[str] = []

    def bring_up(ctx: object, name: str) -> str | None:  # what the process layer is not asked
        time.sleep(0.3 if name == "solo" else 0.05)
        ended.append(name)
        if name == "api":
            raise RuntimeError("the state could not be read")
        return None

    monkeypatch.setattr(up_command, "bring_up", bring_up)
    before = threading.active_count()
    with pytest.raises(RuntimeError, match="could not be read"):
        up_command.up(context(ws), ())
    assert sorted(ended) == ["api", "solo"]  # solo's start ran to its end; dash never began
    assert threading.active_count() == before
