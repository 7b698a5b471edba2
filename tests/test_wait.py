"""`bringup wait`: 0 once the services answer their checks, 1 at the timeout. A service bringup
runs counts only as its own live process; with --engine, what another engine runs is judged
from outside. Every start's time to ready is measured and kept, the slowest of them."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers import (
    PYTHON,
    SERVER,
    free_port,
    invoke,
    journal,
    next_ok,
    stored,
    web_service,
    write_file,
    write_recipe,
)


@pytest.fixture
def theirs(ws: Path) -> Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """A web server on the recipe's port that bringup did not start (an engine's)."""
    port = web_service(ws)
    server = subprocess.Popen([PYTHON, str(ws / "server.py"), str(port)])
    yield port, server
    server.kill()
    server.wait()


def wait(ws: Path, *args: str) -> tuple[int, str]:
    result = invoke("wait", "--workspace", str(ws), *args)
    return result.code, result.output


def test_wait_passes_once_up_has_it_answering_and_fails_at_the_timeout(ws: Path) -> None:
    web_service(ws)
    next_ok(ws)
    assert wait(ws, "web", "--timeout", "5")[0] == 0
    invoke("down", "--workspace", str(ws))
    code, said = wait(ws, "web", "--timeout", "0.3")
    assert code == 1 and "web: not ready after 0.3 s" in said
    starting = subprocess.Popen([sys.executable, "-m", "bringup", "up", "--workspace", str(ws)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        code, said = wait(ws, "web", "--timeout", "30")
    finally:
        starting.wait(timeout=30)
    assert code == 0, said
    assert "web: " in said and "http" in said


def test_a_server_bringup_did_not_start_passes_only_with_engine(
        ws: Path, theirs: tuple[int, subprocess.Popen[bytes]]) -> None:
    code, said = wait(ws, "web", "--timeout", "0.5")
    assert code == 1 and "not started by bringup" in said
    code, said = wait(ws, "web", "--engine", "--timeout", "10")
    assert code == 0, said
    theirs[1].kill()
    theirs[1].wait()
    code, said = wait(ws, "web", "--engine", "--timeout", "0.3")
    assert code == 1 and "refused" in said


def test_a_log_check_from_outside_reads_only_the_file_given(ws: Path) -> None:
    write_recipe(ws, "worker", 'command = "sleep 30"\n[verify]\nlog = "worker ready"\n')
    code, said = wait(ws, "worker", "--engine", "--timeout", "1")
    assert code == 2 and "pass --log FILE" in said
    log = write_file(ws, "out/worker.log", "starting\n")
    assert wait(ws, "worker", "--engine", "--log", str(log), "--timeout", "0.3")[0] == 1
    log.write_text("starting\nworker ready\n")
    assert wait(ws, "worker", "--engine", "--log", str(log), "--timeout", "5")[0] == 0
    code, said = wait(ws, "worker", "--log", str(log))
    assert code == 2 and "--log goes with --engine" in said


def test_a_file_the_recipe_logs_to_counts_from_where_it_ended_when_the_wait_began(
        ws: Path) -> None:
    """The service writes its ready line only to its own file: an engine's start is judged by
    what it adds there, never by what an earlier start left."""
    write_recipe(ws, "worker", 'command = "sleep 30"\nlogs = ["var/app.log"]\n'
                               '[verify]\nlog = "worker ready"\n')
    log = write_file(ws, "var/app.log", "worker ready\n")  # an earlier start's
    assert wait(ws, "worker", "--engine", "--timeout", "0.3")[0] == 1

    def append() -> None:
        with log.open("a") as file:
            file.write("worker ready\n")

    later = threading.Timer(0.3, append)
    later.start()
    try:
        code, said = wait(ws, "worker", "--engine", "--timeout", "10")
    finally:
        later.join()
    assert code == 0, said


def test_an_engine_judges_a_task_by_its_exit(ws: Path) -> None:
    write_recipe(ws, "migrate", 'command = "true"\noneshot = true\n')
    code, said = wait(ws, "migrate", "--engine")
    assert code == 2 and "oneshot" in said
    assert wait(ws, "migrate", "--timeout", "0.2")[0] == 1
    next_ok(ws)
    assert wait(ws, "migrate", "--timeout", "5")[0] == 0


def test_every_start_measures_its_time_to_ready_and_keeps_the_slowest(ws: Path) -> None:
    port = free_port()
    write_file(ws, "server.py", "import time; time.sleep(0.6)\n" + SERVER)
    write_recipe(ws, "slow", f"""
        command = ["{PYTHON}", "server.py", "{port}"]
        port = {port}
        [verify]
        tcp = {port}
        stable_for = 0.2
        """)
    next_ok(ws)
    first = stored(ws, "slow")["ready_after"]
    assert 0.6 <= first < 5
    write_file(ws, "server.py", SERVER)  # faster now: the slowest start stays the measure
    invoke("down", "--workspace", str(ws))
    assert invoke("up", "--workspace", str(ws)).code == 0
    assert stored(ws, "slow")["ready_after"] == first
    times = [event["seconds"] for event in journal(ws, "ready")]
    assert len(times) == 2 and times[1] < times[0]


def test_a_mark_before_the_engine_starts_it_counts_what_the_start_wrote_before_the_wait(
        ws: Path) -> None:
    """systemd runs `wait --mark` before the service (ExecStartPre): a ready line it writes
    at once, before the wait after it begins, counts; one of an earlier start does not."""
    write_recipe(ws, "worker", 'command = "sleep 30"\nlogs = ["var/app.log"]\n'
                               '[verify]\nlog = "worker ready"\n')
    log = write_file(ws, "var/app.log", "worker ready\n")  # an earlier start's
    assert wait(ws, "worker", "--engine", "--mark")[0] == 0
    assert wait(ws, "worker", "--engine", "--timeout", "0.3")[0] == 1
    with log.open("a") as file:
        file.write("worker ready\n")  # this start's, before its wait began
    code, said = wait(ws, "worker", "--engine", "--timeout", "5")
    assert code == 0, said
    assert wait(ws, "worker", "--mark")[0] == 2  # it goes with --engine
