"""The supervisor, on real processes: spawn into a log, identity by pid and start time, stop by
process group with SIGKILL after the grace period."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import psutil
import pytest

from bringup.processes import ports, supervisor
from bringup.processes.supervisor import Running

SLEEP = [sys.executable, "-c", "import time; time.sleep(60)"]
DEAF = ("import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
        "print('ready', flush=True); time.sleep(60)")

Spawn = Callable[..., Running]


def until(condition: Callable[[], object], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


@pytest.fixture
def spawn(tmp_path: Path) -> Iterator[Spawn]:
    """Spawn into tmp_path/service.log; whatever is still running is killed afterwards."""
    started: list[Running] = []

    def start(command: str | list[str]) -> Running:
        started.append(supervisor.spawn(command, cwd=tmp_path, env=os.environ,
                                        log_path=tmp_path / "service.log"))
        return started[-1]

    yield start
    for each in started:
        if each.exit_status() is None:
            supervisor.stop(each.handle, grace=0)


def test_spawned_process_is_found(spawn: Spawn) -> None:
    service = spawn(SLEEP)
    found = supervisor.find(service.handle)
    assert found is not None and found.pid == service.handle.pid
    assert supervisor.alive(service.handle)
    assert service.exit_status() is None


def test_spawned_in_its_own_session(spawn: Spawn) -> None:
    pid = spawn(SLEEP).handle.pid
    assert os.getpgid(pid) == pid and os.getsid(pid) == pid


def test_output_goes_to_the_log(spawn: Spawn, tmp_path: Path) -> None:
    service = spawn("echo out; echo err >&2; exit 3")
    assert service.popen.wait(timeout=5) == 3
    assert (tmp_path / "service.log").read_text().splitlines() == ["out", "err"]


def test_log_is_appended(spawn: Spawn, tmp_path: Path) -> None:
    (tmp_path / "service.log").write_text("== earlier start ==\n")
    spawn(["echo", "again"]).popen.wait(timeout=5)
    assert (tmp_path / "service.log").read_text() == "== earlier start ==\nagain\n"


@pytest.mark.parametrize("ticks", [True, False], ids=["start-ticks", "wall-clock"])
def test_other_start_time_is_another_process(spawn: Spawn, ticks: bool) -> None:
    service = spawn(SLEEP)
    earlier = service.handle.start_ticks - 3000 if service.handle.start_ticks and ticks else None
    impostor = replace(service.handle, create_time=service.handle.create_time - 30,
                       start_ticks=earlier)
    assert supervisor.find(impostor) is None
    assert not supervisor.alive(impostor)
    assert supervisor.stop(impostor, grace=0.1) is False
    time.sleep(0.05)
    assert running(service.handle.pid) and supervisor.alive(service.handle)


def test_a_stepped_wall_clock_does_not_hide_a_process(spawn: Spawn) -> None:
    service = spawn(SLEEP)
    if service.handle.start_ticks is None:
        pytest.skip("start ticks are a Linux record")
    moved = replace(service.handle, create_time=service.handle.create_time + 5)
    assert supervisor.alive(moved)


def test_exited_process_is_not_alive(spawn: Spawn) -> None:
    service = spawn(["true"])
    service.popen.wait(timeout=5)
    assert not supervisor.alive(service.handle)
    assert supervisor.stop(service.handle, grace=0.1) is False


def test_stop_takes_the_whole_group(spawn: Spawn) -> None:
    service = spawn("sleep 60 & sleep 60")
    until(lambda: len(supervisor.group_members(service.handle)) >= 2)
    members = [process.pid for process in supervisor.group_members(service.handle)]
    assert supervisor.stop(service.handle, grace=2) is True
    until(lambda: not any(running(pid) for pid in members))
    assert not supervisor.group_members(service.handle)


def test_sigkill_after_grace(spawn: Spawn, tmp_path: Path) -> None:
    service = spawn([sys.executable, "-c", DEAF])
    until(lambda: "ready" in (tmp_path / "service.log").read_text())
    began = time.monotonic()
    assert supervisor.stop(service.handle, grace=0.5) is True
    assert 0.5 <= time.monotonic() - began < 5
    assert not running(service.handle.pid)


def test_zombie_is_not_alive(spawn: Spawn) -> None:
    service = spawn([sys.executable, "-c", "pass"])
    until(lambda: psutil.Process(service.handle.pid).status() == psutil.STATUS_ZOMBIE)
    assert supervisor.find(service.handle) is None
    assert not supervisor.alive(service.handle)
    supervisor.reap(service)
    assert service.exit_status() == 0


LEADER_GONE = """
import ctypes, signal, socket, sys, threading
signal.signal(signal.SIGTERM, signal.SIG_IGN)
server = socket.socket()
server.bind(("127.0.0.1", 0))
server.listen()
def serve():
    while True:
        server.accept()[0].close()
threading.Thread(target=serve).start()
print(server.getsockname()[1], flush=True)
ctypes.CDLL(None).pthread_exit(None)
"""


def test_a_leader_whose_thread_still_serves_is_alive_and_stopped(spawn: Spawn,
                                                                  tmp_path: Path) -> None:
    """Its main thread gone, the leader reads as a zombie while another thread holds the port
    (as a multi-threaded server's does while it exits): not ended until that thread is."""
    service = spawn([sys.executable, "-c", LEADER_GONE])
    log = tmp_path / "service.log"
    until(lambda: log.read_text().strip())
    port = int(log.read_text())
    until(lambda: psutil.Process(service.handle.pid).status() == psutil.STATUS_ZOMBIE)
    assert supervisor.alive(service.handle) and supervisor.find(service.handle) is not None
    assert supervisor.stop(service.handle, grace=0.3) is True  # deaf to SIGTERM: killed
    assert not ports.in_use(port)
    assert not supervisor.alive(service.handle)


def test_handle_reads_back_the_same(spawn: Spawn) -> None:
    handle = spawn(SLEEP).handle
    again = supervisor.identify(handle.pid)
    assert supervisor.alive(again) and again == handle
