"""Long-running services: spawn detached, know them by pid and start time, stop by group."""

from __future__ import annotations

import contextlib
import os
import select
import signal
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bringup.processes import tags

if TYPE_CHECKING:
    import subprocess

    import psutil

# psutil derives start times from the boot time, which Linux recomputes from the wall clock:
# when the clock is stepped, a process's create_time moves. Linux's own record of a start, in
# clock ticks since boot, never does; the wall-clock time is the fallback elsewhere.
_SAME_START = 1.0


@dataclass(frozen=True)
class Handle:
    """A process bringup started: the pid alone could be reused, pid and start time cannot."""

    pid: int
    create_time: float
    start_ticks: int | None = None


def start_ticks(pid: int) -> int | None:
    """When the process started, in clock ticks since boot (Linux); None where unknown."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:  # noqa: PTH123  (not a path of ours)
            fields = stat.read().rpartition(b")")[2].split()
        return int(fields[19])
    except (OSError, IndexError, ValueError):
        return None


def identify(pid: int) -> Handle | None:
    """The identity of a live process, to record now and recognise later. On Linux its start
    time is made as psutil makes it (ticks since boot, after the boot time /proc/stat says
    now), without the cost of importing psutil before a stack's next start."""
    ticks = start_ticks(pid)
    booted = _boot_time() if ticks is not None else None
    if ticks is not None and booted is not None:
        return Handle(pid, booted + ticks / os.sysconf("SC_CLK_TCK"), ticks)
    import psutil

    try:
        created = psutil.Process(pid).create_time()
    except psutil.Error:
        return None
    return Handle(pid, created, start_ticks(pid))


def _boot_time() -> float | None:
    """When Linux says it booted, in seconds since the epoch (read each time: it moves with
    the wall clock)."""
    try:
        with open("/proc/stat", "rb") as stat:  # noqa: PTH123  (not a path of ours)
            for line in stat:
                if line.startswith(b"btime "):
                    return float(line.split()[1])
    except (OSError, IndexError, ValueError):
        pass
    return None


def _same_start(handle: Handle, process: psutil.Process) -> bool:
    ticks = start_ticks(process.pid) if handle.start_ticks is not None else None
    if ticks is not None:
        return ticks == handle.start_ticks
    return abs(process.create_time() - handle.create_time) <= _SAME_START


def born_after(later: Handle, earlier: Handle) -> bool:
    """Did `later` start no earlier than `earlier` (same clock, ticks where both have them)?"""
    if later.start_ticks is not None and earlier.start_ticks is not None:
        return later.start_ticks >= earlier.start_ticks
    return later.create_time >= earlier.create_time - _SAME_START


def _not_older(handle: Handle, process: psutil.Process) -> bool:
    ticks = start_ticks(process.pid) if handle.start_ticks is not None else None
    if ticks is not None:
        return ticks >= handle.start_ticks  # type: ignore[operator]
    return bool(process.create_time() >= handle.create_time - _SAME_START)


@dataclass
class Running:
    """A process started by this very bringup: it can also tell its exit status."""

    handle: Handle
    popen: subprocess.Popen[bytes]

    def exit_status(self) -> int | None:
        return self.popen.poll()


def spawn(command: str | Sequence[str], *, cwd: Path, env: Mapping[str, str], log_path: Path,
          user: str | None = None, tag: str | None = None) -> Running:
    """Start `command` in its own session (so its group can be stopped) with output to the log,
    carrying `tag` in its environment."""
    import subprocess  # here: a command that only looks at processes never starts one

    from bringup.processes.runner import as_user

    argv = ["/bin/sh", "-c", command] if isinstance(command, str) else list(command)
    env = {**env, tags.VARIABLE: tag} if tag else dict(env)
    with log_path.open("ab") as log:
        popen = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                 stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                                 **as_user(user))  # type: ignore[call-overload]
    handle = identify(popen.pid) or Handle(popen.pid, time.time())
    return Running(handle, popen)


def find(handle: Handle) -> psutil.Process | None:
    """The live process behind `handle`, or None when it is gone or the pid now names another."""
    import psutil

    try:
        process = psutil.Process(handle.pid)
        if not _same_start(handle, process) or not lives(process):
            return None
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return None
    return process


def lives(process: psutil.Process) -> bool:
    """Not ended: a zombie has, unless it is a leader whose other threads still run (its main
    thread gone, they go on serving, or finish exiting while they hold its sockets)."""
    import psutil

    try:
        return process.status() != psutil.STATUS_ZOMBIE or _threads_on(process.pid)
    except psutil.NoSuchProcess:
        return False


def _threads_on(pid: int) -> bool:
    """Does the zombie `pid` still have a thread running? Linux lists each in /proc/PID/task."""
    try:
        return len(list(Path(f"/proc/{pid}/task").iterdir())) > 1
    except OSError:
        return False


def alive(handle: Handle) -> bool:
    """Is the process behind `handle` still running? On Linux one read of /proc/PID/stat says
    (`watch` asks it of every service every second); elsewhere psutil."""
    if handle.start_ticks is not None and _PROC:
        try:
            with open(f"/proc/{handle.pid}/stat", "rb") as stat:  # noqa: PTH123  (not ours)
                fields = stat.read().rpartition(b")")[2].split()
            return int(fields[19]) == handle.start_ticks and (
                fields[0] != b"Z" or _threads_on(handle.pid))
        except FileNotFoundError:
            return False
        except (OSError, IndexError, ValueError):
            pass
    return find(handle) is not None


_PROC = Path("/proc/self/stat").exists()


def group_members(handle: Handle) -> list[psutil.Process]:
    """Processes still in the group bringup created: same group id, started no earlier."""
    import psutil

    if handle.pid <= 1 or handle.pid == os.getpgrp() or _pid_reused(handle):
        return []
    members = []
    for pid in psutil.pids():  # the group id first: one system call, where a Process reads files
        try:
            if os.getpgid(pid) != handle.pid:
                continue
            process = psutil.Process(pid)
            if _not_older(handle, process) and lives(process):
                members.append(process)
        except (ProcessLookupError, PermissionError, psutil.Error):
            continue
    return members


def tree(handle: Handle) -> list[psutil.Process]:
    """The service's processes: the one bringup recorded, its descendants, and what is left of
    the group bringup created for it."""
    import psutil

    found: dict[int, psutil.Process] = {}
    own = find(handle)
    if own is not None:
        found[own.pid] = own
        with contextlib.suppress(psutil.Error):  # it ended meanwhile
            found.update((child.pid, child) for child in own.children(recursive=True))
    for member in group_members(handle):
        found.setdefault(member.pid, member)
    return list(found.values())


def belongs(handle: Handle, pid: int) -> bool:
    """Is `pid` one of the service's processes: the one bringup recorded, a descendant of it,
    or a member of the group bringup created? Asked of one pid, without listing them all."""
    import psutil

    try:
        process = psutil.Process(pid)
        if pid == handle.pid:
            return _same_start(handle, process)
        if any(parent.pid == handle.pid and _same_start(handle, parent)
               for parent in process.parents()):
            return True
        return (handle.pid > 1 and os.getpgid(pid) == handle.pid and not _pid_reused(handle)
                and _not_older(handle, process))
    except (psutil.Error, ProcessLookupError, PermissionError):
        return False


def _pid_reused(handle: Handle) -> bool:
    import psutil

    try:
        return not _same_start(handle, psutil.Process(handle.pid))
    except psutil.NoSuchProcess:
        return False


def stop(handle: Handle | None, *, grace: float, tag: str | None = None,
         carriers: Sequence[psutil.Process] | None = None) -> bool:
    """SIGTERM the group, and every process that carries `tag` (a prefix of the service's tag,
    whatever its group or session); SIGKILL what is left after `grace` seconds. `carriers`:
    those processes as already found (one look at the machine for many services: each look
    reads every process's environment). False: nothing of ours ran."""
    members = group_members(handle) if handle else []
    own = find(handle) if handle else None  # not a group leader: an adopted daemon, say
    members += [own] if own and own.pid not in {m.pid for m in members} else []
    if carriers is None:
        carriers = tags.tagged(tag) if tag else []
    members += [p for p in carriers
                if p.pid not in {m.pid for m in members} and p.pid not in (1, os.getpid())]
    if not members:
        return False
    _signal(handle, members, signal.SIGTERM)
    left = _wait_gone(members, grace)
    if left:
        _signal(handle, left, signal.SIGKILL)
        _wait_gone(left, 5.0)
    return True


def _wait_gone(members: list[psutil.Process], timeout: float) -> list[psutil.Process]:
    """Wait for the processes to end; a zombie has ended, whoever is left to reap it. Through
    pidfds the wait ends the moment the last one exits (they are not bringup's children to
    wait on); where there are none, it looks every 50 ms."""
    import psutil

    deadline = time.monotonic() + timeout
    exits = _exit_fds(members)
    try:
        while True:
            members = [p for p in members if lives(p)]
            left = deadline - time.monotonic()
            if not members or left <= 0:
                return members
            if exits:
                ended, _, _ = select.select(list(exits), [], [], min(left, 0.05))
                for fd in ended:  # forgotten before it is closed: a signal in between
                    del exits[fd]  # must not close it twice (the number may be reused)
                    os.close(fd)
            else:
                psutil.wait_procs(members, timeout=min(left, 0.05))
    finally:
        while exits:
            os.close(exits.popitem()[0])


def _exit_fds(members: list[psutil.Process]) -> dict[int, psutil.Process]:
    """A pidfd for each process (readable once it has exited), where the system has them."""

    found: dict[int, psutil.Process] = {}
    for process in members if hasattr(os, "pidfd_open") else ():
        try:
            found[os.pidfd_open(process.pid)] = process
        except OSError:
            continue  # gone already; or no pidfds here: the look every 50 ms finds it so
    return found


def _signal(handle: Handle | None, members: list[psutil.Process], signum: int) -> None:
    """The group at once when bringup made one, then each process not reached by that."""
    import psutil

    grouped = set()
    if handle is not None and handle.pid > 1 and handle.pid != os.getpgrp():
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(handle.pid, signum)
            grouped = {p.pid for p in members if _group_of(p.pid) == handle.pid}
    for process in members:
        if process.pid not in grouped:
            with contextlib.suppress(psutil.Error):
                process.send_signal(signum)


def _group_of(pid: int) -> int | None:
    try:
        return os.getpgid(pid)
    except (ProcessLookupError, PermissionError):
        return None


def reap(running: Running | None) -> None:
    """Collect the exit status of a child that died, so it does not linger as a zombie."""
    if running is not None:
        running.popen.poll()
