"""`bringup watch --detach` and `--stop`: a watch that goes on supervising after the terminal
closes. Every watch holds state/.watch for its life (the kernel's lock: it goes with the
process), so a second is refused, `report` can say whether one runs, and `--stop` signals only
the process holding it: a watch, which bringup started."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from bringup.core.context import Context
from bringup.errors import UsageError, WorkFailed
from bringup.processes import supervisor

if TYPE_CHECKING:
    pass

LOCK = "watch"


def log_file(ctx: Context) -> Path:
    return ctx.workspace.state_dir / "watch.log"


def running(ctx: Context) -> int | None:
    """The pid of the watch running in this workspace (0: it has not said yet), else None."""
    return ctx.store.holder(LOCK)


def refuse_a_second(ctx: Context) -> None:
    found = running(ctx)
    if found is not None:
        raise UsageError(f"a watch already runs in {ctx.workspace.root} (pid {found}); "
                         "`bringup watch --stop` ends it")


def detach(ctx: Context, options: list[str] | None = None) -> int:
    """Start a watch in a session of its own (with `options`), its output to state/watch.log;
    its pid once it holds the workspace's watch lock."""
    refuse_a_second(ctx)
    log = log_file(ctx)
    log.parent.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "bringup", "watch", "--workspace", str(ctx.workspace.root),
               *(options or [])]
    ctx.out.command(" ".join(command) + f" >> {log.name} 2>&1 &", where="state")
    child = supervisor.spawn(command, cwd=ctx.workspace.root, env=os.environ, log_path=log)
    pid = child.handle.pid
    deadline = time.monotonic() + 15
    while running(ctx) != pid:
        if (status := child.exit_status()) is not None:
            raise WorkFailed(f"the watch ended at once (exit status {status}); its log: {log}")
        if time.monotonic() > deadline:
            break  # slow to start on a loaded machine: it runs, and will hold the lock
        time.sleep(0.02)
    ctx.journal("watch-detached", pid=pid)
    return pid


def stop(ctx: Context, *, wait: float = 15.0) -> int | None:
    """End the running watch (SIGTERM: it saves and exits, as on Ctrl-C); its pid, or None
    when none runs."""
    import psutil

    pid = running(ctx)
    deadline = time.monotonic() + 2
    while pid == 0 and time.monotonic() < deadline:  # just started: its pid comes next
        time.sleep(0.02)
        pid = running(ctx)
    if not pid:
        return None
    try:
        process = psutil.Process(pid)  # the holder of the lock: a watch
    except psutil.NoSuchProcess:
        return pid  # it ended meanwhile
    ctx.out.command(f"kill -TERM {pid}")
    process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + wait
    while supervisor.lives(process):  # past its lock: it saves, then exits
        if time.monotonic() > deadline:
            raise WorkFailed(f"the watch (pid {pid}) has not ended {wait:.0f} s after SIGTERM")
        time.sleep(0.02)
    ctx.journal("watch-stopped", pid=pid)
    return pid
