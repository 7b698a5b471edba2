"""The small commands: down, skip, reset, logs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from bringup import supervisor
from bringup.context import Context
from bringup.errors import BringupError, UsageError
from bringup.state import ServiceState, now_iso
from bringup.status import STOPPED

DEFAULT_GRACE = 10.0


def selected(ctx: Context, names: tuple[str, ...]) -> list[str]:
    for name in names:
        ctx.workspace.recipe(name)
    return [name for name in ctx.workspace.recipes if not names or name in names]


def down(ctx: Context, names: tuple[str, ...]) -> list[str]:
    """Stop services in reverse dependency order; only processes bringup started. A service
    whose recipe was removed or broken since it started is stopped all the same."""
    try:
        recipes = ctx.workspace.recipes
    except BringupError:
        recipes = {}
    order = [*reversed(recipes), *(name for name in ctx.state.services if name not in recipes)]
    unknown = [name for name in names if name not in order]
    if unknown:
        raise UsageError(f"no service named {unknown[0]!r} (known: {', '.join(order)})")
    stopped = []
    for name in (name for name in order if not names or name in names):
        entry = ctx.state.of(name)
        handle = entry.handle
        if handle is None:
            continue
        grace = recipes[name].stop_grace if name in recipes else DEFAULT_GRACE
        if supervisor.stop(handle, grace=grace):
            stopped.append(name)
            ctx.out.step("stop", f"{name} (pid {handle.pid})", True)
            ctx.journal("stop", name, pid=handle.pid, why="down")
        entry.forget_process()
        entry.stopped_at = now_iso()
        if entry.status in ("proven", "regressed"):
            entry.reason, entry.findings = STOPPED, []
        ctx.save()
    if not stopped:
        ctx.out.line("nothing of bringup's was running")
    return stopped


def skip(ctx: Context, name: str, reason: str) -> None:
    ctx.workspace.recipe(name)
    if not reason.strip():
        raise UsageError("--reason must say why the service cannot run here")
    entry = ctx.state.of(name)
    entry.status, entry.skipped_reason, entry.updated_at = "skipped", reason, now_iso()
    ctx.save()
    ctx.journal("skip", name, reason=reason)
    ctx.out.verdict(f"{name} is parked: {reason}", True)


def reset(ctx: Context, names: tuple[str, ...]) -> list[str]:
    """Forget progress; a process bringup started stays known, so `down` can still stop it."""
    done = []
    for name in selected(ctx, names):
        old = ctx.state.of(name)
        # What was installed stays installed, and a running process stays known to `down`.
        fresh = ServiceState(pid=old.pid, create_time=old.create_time,
                             start_ticks=old.start_ticks, log_offset=old.log_offset,
                             fingerprints=old.fingerprints)
        ctx.state.services[name] = fresh
        ctx.journal("reset", name)
        done.append(name)
    ctx.save()
    return done


def tail(path: Path, count: int) -> list[str]:
    if not path.is_file():
        raise UsageError(f"no log yet at {path}: the service has not been started by bringup")
    with path.open("rb") as log:
        log.seek(0, 2)
        size = log.tell()
        log.seek(max(size - 256 * 1024, 0))
        return log.read().decode(errors="replace").splitlines()[-count:]


def follow(path: Path, sleep: float = 0.25) -> Iterator[str]:
    import time

    with path.open("rb") as log:
        log.seek(0, 2)
        while True:
            line = log.readline()
            if line:
                yield line.decode(errors="replace").rstrip("\n")
            else:
                time.sleep(sleep)
