"""`bringup down`: stop what bringup started, in reverse dependency order, the independent ones
at the same time; never a process whose pid and start time do not match bringup's record."""

from __future__ import annotations

from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from graphlib import TopologicalSorter
from typing import TYPE_CHECKING

from bringup.core import lifecycle
from bringup.core.context import Context
from bringup.errors import UsageError
from bringup.processes import supervisor, tags

if TYPE_CHECKING:
    import psutil

DEFAULT_GRACE = 10.0


@dataclass(frozen=True)
class DownResult:
    stopped: list[str] = field(default_factory=list)


def down(ctx: Context, names: tuple[str, ...]) -> DownResult:
    """A service whose recipe was removed or broken since it started is stopped all the same
    (the others in their order)."""
    ctx.workspace.settle()
    recipes = ctx.workspace.recipes
    order = [*reversed(recipes), *(name for name in ctx.state.services if name not in recipes)]
    unknown = [name for name in names if name not in order]
    if unknown:
        raise UsageError(f"no service named {unknown[0]!r} (known: {', '.join(order)})")
    chosen = [name for name in order if not names or name in names]
    for name in chosen:
        if name in names and name in recipes and recipes[name].external:
            ctx.out.step("stop", f"{name}: external, only checked: bringup never stops it",
                         None)
    # Every process that carries a service's tag is stopped with it: one bringup was killed
    # before it recorded, a helper that left the group with setsid. One look at the machine
    # finds them for every service (a look reads every process's environment).
    prefix = f"{ctx.workspace.tag}/"
    carrying: dict[str, list[psutil.Process]] = {}
    for process, tag in tags.tagged_with(prefix):
        carrying.setdefault(tag.removeprefix(prefix).partition("/")[0], []).append(process)

    def stop(name: str) -> bool:
        handle = ctx.state.of(name).handle
        grace = recipes[name].stop_grace if name in recipes else DEFAULT_GRACE
        signalled = supervisor.stop(handle, grace=grace, carriers=carrying.get(name, []))
        if handle is None and not signalled:
            return False
        if signalled:
            ctx.out.step("stop", name + (f" (pid {handle.pid})" if handle else ""), True)
        lifecycle.stopped(ctx, name, reason=lifecycle.stopped_by_down(name), why="down",
                          pid=handle.pid if signalled and handle else None)
        return signalled

    # A service stops once everything that comes after it has: the reverse of `up`, with the
    # services that do not depend on each other stopped together.
    dependents: dict[str, list[str]] = {name: [] for name in chosen}
    for name in chosen:
        for other in recipes[name].after if name in recipes else ():
            if other in dependents:
                dependents[other].append(name)
    graph = TopologicalSorter(dependents)
    graph.prepare()
    signalled: set[str] = set()
    with ThreadPoolExecutor(max_workers=max(len(chosen), 1)) as pool:
        stopping: dict[Future[bool], str] = {}
        while graph.is_active():
            for name in graph.get_ready():
                stopping[pool.submit(stop, name)] = name
            finished, _ = wait(stopping, return_when=FIRST_COMPLETED)
            for future in finished:
                name = stopping.pop(future)
                if future.result():
                    signalled.add(name)
                graph.done(name)
    return DownResult([name for name in chosen if name in signalled])
