"""`bringup watch`: keep proven services healthy. Each is checked every `interval`; one that
fails is restarted per its `restart` policy with a growing pause between tries; more than
`max_restarts` within ten minutes and it counts as regressed. State stays current throughout,
so `bringup report --json` is a live picture."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from bringup.checks import healthy
from bringup.core import lifecycle
from bringup.core.context import Context
from bringup.core.service import Service
from bringup.processes import supervisor
from bringup.processes.supervisor import Running
from bringup.proving import checking, failure
from bringup.stages import start, verify

WINDOW = 600.0
FIRST_PAUSE, LONGEST_PAUSE = 1.0, 60.0


@dataclass
class Watched:
    """What watch remembers of one service between checks."""

    due: float = 0.0
    pause: float = FIRST_PAUSE
    restarts: deque[float] = field(default_factory=deque)
    gave_up: bool = False
    running: Running | None = None  # the process watch started itself: it knows its exit


def watch(ctx: Context, *, until: Callable[[], bool] = lambda: False) -> None:
    watched: dict[str, Watched] = {}
    while not until():
        now = ctx.clock()
        for name in _proven(ctx):
            state = watched.setdefault(name, Watched())
            if now >= state.due and not state.gave_up:
                tend(Service(ctx, ctx.workspace.recipes[name], running=state.running), state)
        ctx.sleep(0.1)


def _proven(ctx: Context) -> list[str]:
    return [name for name in ctx.workspace.recipes
            if ctx.state.of(name).status in ("proven", "regressed")]


def tend(service: Service, state: Watched) -> None:
    """Check once; restart what failed when its policy says so."""
    ctx, recipe = service.ctx, service.recipe
    state.due = ctx.clock() + recipe.verify.interval
    outcomes = checking.check_one(service)
    if healthy(outcomes) or recipe.oneshot:
        if service.entry.status != "proven":
            lifecycle.proven(ctx, service.name, evidence=[o.to_json() for o in outcomes],
                             why="watch: healthy again", again=True)
        lifecycle.observed(ctx, service.name, [o.to_json() for o in outcomes])
        state.pause = FIRST_PAUSE
        ctx.save()
        return
    failing = "; ".join(o.describe() for o in outcomes if not o.ok and not o.advisory)
    exited = service.running.exit_status() if service.running else None
    if recipe.restart == "on-failure" and exited == 0:
        lifecycle.stopped(ctx, service.name, why="exited 0", reason=(
            f"exited with status 0 (restart = \"on-failure\" restarts failures only); "
            f"`bringup up {service.name}` starts it again"))
        ctx.out.step("watch", f"{service.name}: exited with status 0; not restarted", True)
        return
    lifecycle.regressed(ctx, service.name, f"watch: {failing}")
    if recipe.restart == "no" or not _restart_allowed(service, state):
        return
    _restart(service, state, failing)


def _restart_allowed(service: Service, state: Watched) -> bool:
    now = service.ctx.clock()
    while state.restarts and now - state.restarts[0] > WINDOW:
        state.restarts.popleft()
    if len(state.restarts) < service.recipe.max_restarts:
        return True
    state.gave_up = True
    reason = (f"restarted {len(state.restarts)} times within 10 minutes "
              f"(max_restarts {service.recipe.max_restarts}); watch gave up")
    lifecycle.regressed(service.ctx, service.name, reason)
    service.ctx.out.step("watch", f"{service.name}: {reason}", False)
    return False


def _restart(service: Service, state: Watched, failing: str) -> None:
    ctx = service.ctx
    ctx.out.step("watch", f"{service.name}: {failing}; restarting", False)
    handle = service.entry.handle
    if handle is not None:
        supervisor.stop(handle, grace=service.recipe.stop_grace, tag=service.tag)
        lifecycle.replaced(ctx, service.name, why="watch: restart", pid=handle.pid)
    state.restarts.append(ctx.clock())
    ctx.journal("restart", service.name, why=failing, within_window=len(state.restarts))
    problem = start.launch(service)
    state.running = service.running
    verdict = verify.act(service) if problem is None else None
    if verdict is not None and verdict.ok:
        lifecycle.proven(ctx, service.name, evidence=[o.to_json() for o in verdict.outcomes],
                         why="watch: restarted", again=True)
        ctx.out.step("watch", f"{service.name}: back up (pid {service.entry.pid})", True)
        return
    if verdict is not None:
        failure.record(service, verify.NAME, verdict)
    state.due = ctx.clock() + state.pause
    state.pause = min(state.pause * 2, LONGEST_PAUSE)
