"""`bringup wait`: exit once the services' checks pass, for a script after `bringup up` or an
engine's readiness hook (systemd's ExecStartPost, a Kubernetes init container).

A service bringup runs must be its own recorded process, alive, answering on its own sockets;
one an engine runs (`--engine`) is judged by what its checks can see from outside: its
addresses and commands, and its log: the file given with `--log` (what this start writes to
its output, from its beginning) and the files its recipe says it logs to, from where each
ended when `bringup wait --mark` ran before the engine started it (systemd's ExecStartPre),
else when the wait began: what they held before was written by another start."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from bringup import atomic
from bringup.checks import Outcome, Verify, healthy, run_all
from bringup.core.context import Context
from bringup.core.service import Service
from bringup.errors import UsageError
from bringup.processes import supervisor
from bringup.proving.checking import check_one

POLL = 0.05  # seconds between rounds: a service that becomes ready is noticed at once
INSIDE = ("connects",)  # checks that look at the process tree: an engine's is not bringup's


@dataclass
class Waited:
    ready: dict[str, str] = field(default_factory=dict)  # name: what its checks said
    waiting: dict[str, str] = field(default_factory=dict)  # name: why not, at the timeout


def wait(ctx: Context, names: tuple[str, ...], *, timeout: float, engine: bool = False,
         log: Path | None = None) -> Waited:
    """Check every service each round until all have passed once, or the time is up."""
    judges = {name: _judge(ctx, name, engine=engine, log=log) for name in names}
    result = Waited()
    deadline = ctx.clock() + timeout
    while True:
        ctx.refresh()  # what a running `up` or `watch` has recorded since
        for name in [name for name in judges if name not in result.ready]:
            outcomes = judges[name]()
            if healthy(outcomes):
                result.ready[name] = ", ".join(f"{o.kind} {o.detail}" for o in outcomes)
                result.waiting.pop(name, None)
                ctx.out.step("wait", f"{name}: {result.ready[name]}", True)
            else:
                result.waiting[name] = next(o.describe() for o in outcomes if not o.ok)
        if not result.waiting or ctx.clock() >= deadline:
            return result
        ctx.sleep(POLL)


def _judge(ctx: Context, name: str, *, engine: bool,
           log: Path | None) -> Callable[[], list[Outcome]]:
    recipe = ctx.workspace.recipe(name)
    if recipe.oneshot and engine:
        raise UsageError(f"{name} is a oneshot: an engine judges a task by its exit, not by "
                         "`bringup wait`")
    if engine and not recipe.external:
        service = Service(ctx, recipe)
        marks = _marks(ctx, name)
        own = [(file, marks.get(str(file), 0) if marks is not None else _size(file))
               for file in map(service.path, recipe.log_files())]
        verify = _outside(name, recipe.verify, log, bool(own))
        return lambda: _from_outside(Service(ctx, recipe), verify, log, own)
    if recipe.oneshot:
        return lambda: [_finished(ctx, name)]
    return lambda: check_one(Service(ctx, recipe))


def _outside(name: str, verify: Verify, log: Path | None, own_files: bool) -> Verify:
    """The checks that can be run on a process bringup did not start."""
    kept = {kind: spec for kind, spec in verify.checks.items()
            if kind not in INSIDE and (kind != "log" or log is not None or own_files)}
    if not any(spec.readiness for spec in kept.values()):
        missing = "its log: pass --log FILE, the file this start writes" if "log" in (
            verify.checks) else "a check that reaches it (tcp, http or exec)"
        raise UsageError(f"{name}: nothing tells from outside when it is ready but {missing}")
    return replace(verify, checks=kept)


def _from_outside(service: Service, verify: Verify, log: Path | None,
                  own: list[tuple[Path, int]]) -> list[Outcome]:
    sources = [*([(log, 0)] if log is not None else []), *own]
    probe = replace(service.probe(), handle=None, external=True, log_files=tuple(sources[1:]))
    if sources:  # none: the log check was left out
        probe = replace(probe, log_path=sources[0][0], log_offset=sources[0][1], marked=False)
    return run_all(verify, probe)


def mark(ctx: Context, names: tuple[str, ...]) -> None:
    """Record where each file the services log to ends now, before an engine starts them: what
    a later `wait --engine` reads of them begins there."""
    for name in names:
        service = Service(ctx, ctx.workspace.recipe(name))
        ends = {str(file): _size(file) for file in map(service.path, service.recipe.log_files())}
        _marks_file(ctx, name).parent.mkdir(parents=True, exist_ok=True)
        atomic.write_text(_marks_file(ctx, name), json.dumps(ends, sort_keys=True) + "\n")
        ctx.out.step("wait", f"{name}: its log files marked where they end", True)


def _marks_file(ctx: Context, name: str) -> Path:
    return ctx.workspace.logs_dir / f"{name}.engine-marks.json"


def _marks(ctx: Context, name: str) -> dict[str, int] | None:
    try:
        found = json.loads(_marks_file(ctx, name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return {key: value for key, value in found.items() if isinstance(value, int)} \
        if isinstance(found, dict) else None


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # not written yet: all of it will be this start's


def _finished(ctx: Context, name: str) -> Outcome:
    """A task bringup runs is ready once it has been proven (it exited 0) and is not running
    again."""
    entry = ctx.state.of(name)
    handle = entry.handle
    done = entry.status == "proven" and (handle is None or not supervisor.alive(handle))
    return Outcome("exit", name, done, 0.0, "exited 0" if done else "not finished with status 0",
                   phrase="" if done else f"{name} has not exited 0 yet")
