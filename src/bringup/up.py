"""`bringup up`: start proven services in dependency order, the independent ones at the same
time, each verified; no questions. A service that fails keeps the ones after it down."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from bringup import live, ports, supervisor
from bringup.context import Context
from bringup.failure import record_failure
from bringup.service import Service
from bringup.stages import start, verify
from bringup.state import now_iso


@dataclass
class Outcome:
    up: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    left: dict[str, str] = field(default_factory=dict)


def wanted(ctx: Context, names: tuple[str, ...]) -> list[str]:
    """The named services and everything they come after, in dependency order (all if none)."""
    recipes = ctx.workspace.recipes
    chosen = set(names or recipes)
    todo = list(chosen)
    while todo:
        for other in ctx.workspace.recipe(todo.pop()).after:
            if other not in chosen:
                chosen.add(other)
                todo.append(other)
    return [name for name in recipes if name in chosen]


def up(ctx: Context, names: tuple[str, ...]) -> Outcome:
    outcome = Outcome()
    pending = []
    for name in wanted(ctx, names):
        if ctx.state.of(name).status in ("proven", "regressed"):
            pending.append(name)
        else:
            outcome.left[name] = "not proven yet: bring it up with `bringup next` first"
    while pending:
        wave = [name for name in pending if _ready(ctx, name, pending, outcome)]
        blocked = [name for name in pending if name not in wave and _blocked(ctx, name, outcome)]
        for name in blocked:
            outcome.left[name] = "an earlier service did not come up"
        pending = [name for name in pending if name not in wave and name not in blocked]
        if not wave:
            break
        with ThreadPoolExecutor(max_workers=min(8, len(wave))) as pool:
            for name, failure in zip(wave, pool.map(lambda n: bring_up(ctx, n), wave),
                                     strict=True):
                if failure is None:
                    outcome.up.append(name)
                else:
                    outcome.failed[name] = failure
    return outcome


def _ready(ctx: Context, name: str, pending: list[str], outcome: Outcome) -> bool:
    after = ctx.workspace.recipes[name].after
    return all(dep in outcome.up or (dep not in pending and dep not in outcome.failed
                                     and dep not in outcome.left) for dep in after)


def _blocked(ctx: Context, name: str, outcome: Outcome) -> bool:
    after = ctx.workspace.recipes[name].after
    return any(dep in outcome.failed or dep in outcome.left for dep in after)


def bring_up(ctx: Context, name: str) -> str | None:
    """Start one proven service (unless it already runs and answers) and verify it."""
    service = Service(ctx, ctx.workspace.recipes[name])
    entry = service.entry
    if entry.handle is not None and supervisor.alive(entry.handle):
        if live.healthy(live.check_one(service)):
            ctx.out.step("up", f"{name}: already running (pid {entry.pid})", True)
            return None
        supervisor.stop(entry.handle, grace=service.recipe.stop_grace)
        entry.forget_process()
    port = service.recipe.port
    if port is not None and ports.in_use(port):
        holder = ports.holder(port)
        return f"port {port} is held by {holder.describe() if holder else 'another process'}"
    failure = start.launch(service)
    if failure is not None:
        return failure
    verdict = verify.run(service)
    if not verdict.ok:
        record_failure(service, "verify", verdict)
        return verdict.reason
    entry.status, entry.stage, entry.reason = "proven", "stable", None
    entry.evidence, entry.updated_at = [o.to_json() for o in verdict.outcomes], now_iso()
    ctx.save()
    ctx.journal("verdict", name, status="proven", why="up", evidence=entry.evidence)
    ctx.out.step("up", f"{name}: pid {entry.pid}, " + ", ".join(
        f"{o.kind} {o.detail}" for o in verdict.outcomes), True)
    return None
