"""`bringup watch`: keep proven services healthy. Each is checked every `interval`; one that
fails is restarted per its `restart` policy with a growing pause between tries; more than
`max_restarts` within ten minutes and it counts as regressed. State stays current throughout,
so `bringup report --json` is a live picture."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from bringup import live, supervisor
from bringup.context import Context
from bringup.failure import record_failure
from bringup.service import Service
from bringup.stages import start, verify
from bringup.state import now_iso

WINDOW = 600.0
FIRST_PAUSE, LONGEST_PAUSE = 1.0, 60.0


@dataclass
class Watched:
    """What watch remembers of one service between checks."""

    due: float = 0.0
    pause: float = FIRST_PAUSE
    restarts: deque[float] = field(default_factory=deque)
    gave_up: bool = False


def watch(ctx: Context, *, until: Callable[[], bool] = lambda: False) -> None:
    watched: dict[str, Watched] = {}
    while not until():
        now = ctx.clock()
        for name in _proven(ctx):
            state = watched.setdefault(name, Watched())
            if now >= state.due and not state.gave_up:
                tend(Service(ctx, ctx.workspace.recipes[name]), state)
        ctx.sleep(0.1)


def _proven(ctx: Context) -> list[str]:
    return [name for name in ctx.workspace.recipes
            if ctx.state.of(name).status in ("proven", "regressed")]


def tend(service: Service, state: Watched) -> None:
    """Check once; restart what failed when its policy says so."""
    ctx, entry, recipe = service.ctx, service.entry, service.recipe
    state.due = ctx.clock() + recipe.verify.interval
    outcomes = live.check_one(service)
    if live.healthy(outcomes) or recipe.oneshot:
        if entry.status != "proven":
            entry.status, entry.reason = "proven", None
            ctx.journal("verdict", service.name, status="proven", why="watch: healthy again")
        entry.evidence, entry.updated_at = [o.to_json() for o in outcomes], now_iso()
        state.pause = FIRST_PAUSE
        ctx.save()
        return
    failing = "; ".join(o.describe() for o in outcomes if not o.ok)
    entry.status, entry.reason = "regressed", f"watch: {failing}"
    ctx.save()
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
    service.entry.reason = (f"restarted {len(state.restarts)} times within 10 minutes "
                            f"(max_restarts {service.recipe.max_restarts}); watch gave up")
    service.ctx.save()
    service.ctx.journal("verdict", service.name, status="regressed", reason=service.entry.reason)
    service.ctx.out.step("watch", f"{service.name}: {service.entry.reason}", False)
    return False


def _restart(service: Service, state: Watched, failing: str) -> None:
    ctx, entry = service.ctx, service.entry
    ctx.out.step("watch", f"{service.name}: {failing}; restarting", False)
    if entry.handle is not None:
        supervisor.stop(entry.handle, grace=service.recipe.stop_grace)
        entry.forget_process()
    state.restarts.append(ctx.clock())
    ctx.journal("restart", service.name, why=failing, within_window=len(state.restarts))
    failure = start.launch(service)
    verdict = verify.run(service) if failure is None else None
    if verdict is not None and verdict.ok:
        entry.status, entry.reason = "proven", None
        entry.evidence = [o.to_json() for o in verdict.outcomes]
        ctx.save()
        ctx.journal("verdict", service.name, status="proven", why="watch: restarted")
        ctx.out.step("watch", f"{service.name}: back up (pid {entry.pid})", True)
        return
    if verdict is not None:
        record_failure(service, "verify", verdict)
        entry.status = "regressed"
        ctx.save()
    state.due = ctx.clock() + state.pause
    state.pause = min(state.pause * 2, LONGEST_PAUSE)
