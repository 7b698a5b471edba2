"""`bringup down`: stop what bringup started, in reverse dependency order; never a process whose
pid and start time do not match bringup's record."""

from __future__ import annotations

from dataclasses import dataclass, field

from bringup.core import lifecycle
from bringup.core.context import Context
from bringup.errors import BringupError, UsageError
from bringup.processes import supervisor, tags

DEFAULT_GRACE = 10.0


@dataclass(frozen=True)
class DownResult:
    stopped: list[str] = field(default_factory=list)


def down(ctx: Context, names: tuple[str, ...]) -> DownResult:
    """A service whose recipe was removed or broken since it started is stopped all the same."""
    try:
        recipes = ctx.workspace.recipes
    except BringupError:
        recipes = {}
    order = [*reversed(recipes), *(name for name in ctx.state.services if name not in recipes)]
    unknown = [name for name in names if name not in order]
    if unknown:
        raise UsageError(f"no service named {unknown[0]!r} (known: {', '.join(order)})")
    stopped = []
    # Every process that carries a service's tag is stopped with it: one bringup was killed
    # before it recorded, a helper that left the group with setsid. One look at the machine
    # finds which services have any.
    prefix = f"{ctx.workspace.tag}/"
    tagged = {(tags.tag_of(process.pid) or "").removeprefix(prefix).partition("/")[0]
              for process in tags.tagged(prefix)}
    for name in (name for name in order if not names or name in names):
        handle = ctx.state.of(name).handle
        grace = recipes[name].stop_grace if name in recipes else DEFAULT_GRACE
        signalled = supervisor.stop(handle, grace=grace,
                                    tag=f"{prefix}{name}/" if name in tagged else None)
        if handle is None and not signalled:
            continue
        if signalled:
            stopped.append(name)
            ctx.out.step("stop", name + (f" (pid {handle.pid})" if handle else ""), True)
        lifecycle.stopped(ctx, name, reason=lifecycle.stopped_by_down(name), why="down",
                          pid=handle.pid if signalled and handle else None)
    return DownResult(stopped)
