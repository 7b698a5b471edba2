"""Long-running services: spawn detached, know them by pid and start time, stop by group."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import psutil

from bringup.run import as_user

# psutil derives start times from clock ticks; the same process reads back within this.
_SAME_START = 0.05


@dataclass(frozen=True)
class Handle:
    """A process bringup started: the pid alone could be reused, pid and start time cannot."""

    pid: int
    create_time: float


@dataclass
class Running:
    """A process started by this very bringup: it can also tell its exit status."""

    handle: Handle
    popen: subprocess.Popen[bytes]

    def exit_status(self) -> int | None:
        return self.popen.poll()


def spawn(command: str | Sequence[str], *, cwd: Path, env: Mapping[str, str], log_path: Path,
          user: str | None = None) -> Running:
    """Start `command` in its own session (so its group can be stopped) with output to the log."""
    argv = ["/bin/sh", "-c", command] if isinstance(command, str) else list(command)
    with log_path.open("ab") as log:
        popen = subprocess.Popen(argv, cwd=cwd, env=dict(env), stdin=subprocess.DEVNULL,
                                 stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                                 **as_user(user))  # type: ignore[call-overload]
    try:
        created = psutil.Process(popen.pid).create_time()
    except psutil.NoSuchProcess:
        created = time.time()
    return Running(Handle(popen.pid, created), popen)


def find(handle: Handle) -> psutil.Process | None:
    """The live process behind `handle`, or None when it is gone or the pid now names another."""
    try:
        process = psutil.Process(handle.pid)
        if abs(process.create_time() - handle.create_time) > _SAME_START:
            return None
        if process.status() == psutil.STATUS_ZOMBIE:
            return None
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return None
    return process


def alive(handle: Handle) -> bool:
    return find(handle) is not None


def group_members(handle: Handle) -> list[psutil.Process]:
    """Processes still in the group bringup created: same group id, started no earlier."""
    if handle.pid <= 1 or handle.pid == os.getpgrp() or _pid_reused(handle):
        return []
    members = []
    for process in psutil.process_iter(["pid", "create_time", "status"]):
        try:
            if (os.getpgid(process.pid) == handle.pid
                    and process.info["create_time"] >= handle.create_time - _SAME_START
                    and process.info["status"] != psutil.STATUS_ZOMBIE):
                members.append(process)
        except (ProcessLookupError, PermissionError, psutil.Error):
            continue
    return members


def _pid_reused(handle: Handle) -> bool:
    try:
        started = psutil.Process(handle.pid).create_time()
    except psutil.NoSuchProcess:
        return False
    return abs(started - handle.create_time) > _SAME_START


def stop(handle: Handle, *, grace: float) -> bool:
    """SIGTERM the group, SIGKILL what is left after `grace` seconds. False: nothing of ours ran."""
    members = group_members(handle)
    if not members:
        own = find(handle)  # a process that is not a group leader (an adopted daemon, say)
        if own is None:
            return False
        members = [own]
    _signal_group(handle, members, signal.SIGTERM)
    left = _wait_gone(members, grace)
    if left:
        _signal_group(handle, left, signal.SIGKILL)
        _wait_gone(left, 5.0)
    return True


def _wait_gone(members: list[psutil.Process], timeout: float) -> list[psutil.Process]:
    """Wait for the processes to end; a zombie has ended, whoever is left to reap it."""
    deadline = time.monotonic() + timeout
    while True:
        _, alive_now = psutil.wait_procs(members, timeout=0.05)
        members = [p for p in alive_now if _running(p)]
        if not members or time.monotonic() >= deadline:
            return members


def _running(process: psutil.Process) -> bool:
    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _signal_group(handle: Handle, members: list[psutil.Process], signum: int) -> None:
    try:
        os.killpg(handle.pid, signum)
    except (ProcessLookupError, PermissionError):
        for process in members:
            try:
                process.send_signal(signum)
            except psutil.Error:
                continue


def reap(running: Running | None) -> None:
    """Collect the exit status of a child that died, so it does not linger as a zombie."""
    if running is not None:
        running.popen.poll()
