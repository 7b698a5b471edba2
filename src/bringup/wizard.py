"""`bringup next`: take one service through the stages, from where it last stopped."""

from __future__ import annotations

from dataclasses import dataclass

from bringup import explain, live, supervisor
from bringup.context import Context
from bringup.diagnosis import Finding
from bringup.errors import WorkFailed, WorkspaceError
from bringup.failure import record_failure
from bringup.service import Service
from bringup.settle import settle
from bringup.stages import CHECK_STAGES, DESCRIBE, STAGES, needs, stable, start, verify
from bringup.state import now_iso
from bringup.status import STOPPED, Standing, judge, next_name
from bringup.treat import treat

MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class Done:
    """What `next` achieved: the service it worked on (None: nothing was left to do)."""

    service: str | None
    proven: list[str]
    upcoming: str | None


def run_next(ctx: Context, name: str | None) -> Done:
    if not ctx.workspace.recipes:
        raise WorkspaceError(f"no recipes in {ctx.workspace.recipes_dir}: write one per service "
                             "(recipes/NAME.toml), or try `bringup demo`")
    standings = _recheck_proven(ctx)
    target = name or next_name(standings)
    if target is None:
        return _nothing_left(ctx, standings)
    ctx.workspace.recipe(target)
    standing = standings[target]
    if standing.status == "proven":
        ctx.out.verdict(f"{target} is already proven", True)
        return Done(None, _proven(standings), next_name(standings))
    if standing.status in ("blocked", "skipped"):
        raise WorkFailed(f"{target} cannot be worked on now: {standing.reason}")
    service = Service(ctx, ctx.workspace.recipe(target))
    if standing.status == "regressed":
        service.entry.status, service.entry.stage = "regressed", "needs"
        ctx.out.line(f"{target} has regressed ({standing.reason}); fixing it first", "yellow")
    if ctx.dry_run:
        return _dry_run(service)
    walk(service)
    after = judge(ctx, None)
    return Done(target, _proven(after), next_name(after))


def walk(service: Service) -> None:
    """Run the stages from the recorded one; after a failed start, offer the fix for its cause
    and go back to the stage that fix belongs to, at most MAX_ATTEMPTS times."""
    ctx, entry = service.ctx, service.entry
    recipe = service.recipe
    ctx.out.heading(f"{service.name}: {recipe.description or recipe.command_text()}")
    for attempt in range(1, MAX_ATTEMPTS + 1):
        findings = _walk_once(service)
        if findings is None:
            entry.stage, entry.status, entry.proven_at = "stable", "proven", now_iso()
            entry.reason, entry.findings = None, []
            ctx.save()
            ctx.journal("verdict", service.name, status="proven", evidence=entry.evidence)
            return
        if attempt == MAX_ATTEMPTS:
            break
        back = treat(service, findings)
        if back is None:
            raise WorkFailed(_not_proven(service, findings))
        _stop_if_blocked(service)
        entry.stage = back
        ctx.save()
        ctx.out.line(f"\n{service.name}: back to stage {back}", "cyan")
    raise WorkFailed(_not_proven(service, findings or [], attempts=MAX_ATTEMPTS))


def _walk_once(service: Service) -> list[Finding] | None:
    """None when every stage passed; else the findings of a failed start, verify or stable."""
    ctx, entry = service.ctx, service.entry
    if entry.stage in ("verify", "stable") and not _still_running(service):
        entry.stage = "start"
    entry.status, entry.updated_at = "in-progress", now_iso()
    ctx.save()
    for stage in STAGES[STAGES.index(entry.stage):]:
        if stage == "stable" and service.recipe.oneshot:
            break
        entry.stage = stage
        outcome = _run_stage(service, stage)
        if isinstance(outcome, str):
            raise WorkFailed(f"{service.name} is not proven: {outcome}")
        if outcome is not None:
            return outcome
        if stage != STAGES[-1]:
            entry.stage = STAGES[STAGES.index(stage) + 1]
        entry.updated_at = now_iso()
        ctx.save()
    return None


def _run_stage(service: Service, stage: str) -> str | list[Finding] | None:
    """None: passed. A sentence: stop here (a check not fixed). Findings: the start failed."""
    if stage in CHECK_STAGES:
        failure = settle(service, stage, CHECK_STAGES[stage].check)
        if failure is not None:
            _stop_here(service, stage, failure)
        return failure
    if stage == "start":
        port = service.recipe.port
        failure = settle(service, stage, start.check,
                         ok_text=f"port {port} is free" if port else "nothing in the way")
        if failure is not None:
            _stop_here(service, stage, failure)
            return failure
        failure = None if service.adopted else start.launch(service)
        if failure is not None:
            _stop_here(service, stage, failure)
            return failure
        verb = "adopted" if service.adopted else "started"
        service.ctx.out.step(stage, f"{verb}: pid {service.entry.pid}", True)
        return None
    verdict = verify.run(service) if stage == "verify" else stable.run(service)
    service.ctx.journal("check", service.name, stage=stage, ok=verdict.ok,
                        checks=[o.to_json() for o in verdict.outcomes])
    if not verdict.ok:
        service.adopted = False
        return record_failure(service, stage, verdict)
    service.entry.evidence = [o.to_json() for o in verdict.outcomes]
    detail = ", ".join(f"{o.kind} {o.detail}" for o in verdict.outcomes) or "exited 0"
    service.ctx.out.step(stage, detail, True)
    return None


def _not_proven(service: Service, findings: list[Finding], attempts: int = 0) -> str:
    tries = f" after {attempts} attempts" if attempts else ""
    cause = f" (cause: {findings[0].kind} {findings[0].subject})" if findings else ""
    return (f"{service.name} is not proven{tries}: {service.entry.reason}{cause}. Fix it and run "
            f"`bringup next` again, or park it: bringup skip {service.name} --reason '...'")


def _stop_if_blocked(service: Service) -> None:
    waiting = [name for name in service.recipe.after
               if service.ctx.state.of(name).status != "proven"]
    if waiting:
        service.entry.stage = "start"
        service.ctx.save()
        raise WorkFailed(f"{service.name} now waits for {', '.join(waiting)}: run `bringup next` "
                         f"to bring {waiting[0]} up first")


def _stop_here(service: Service, stage: str, failure: str) -> None:
    entry = service.entry
    entry.status, entry.reason, entry.updated_at = "in-progress", failure, now_iso()
    service.ctx.save()
    service.ctx.journal("verdict", service.name, status="in-progress", stage=stage,
                        reason=failure)


def _still_running(service: Service) -> bool:
    handle = service.entry.handle
    if handle is not None and supervisor.alive(handle):
        service.adopted = True
        return True
    return False


def _recheck_proven(ctx: Context) -> dict[str, Standing]:
    stored = judge(ctx, None)
    proven = [name for name, standing in stored.items() if standing.status in ("proven",
                                                                             "regressed")]
    standings = judge(ctx, live.check_all(ctx, proven))
    for name in proven:
        reason = standings[name].reason if standings[name].status == "regressed" else None
        stale = needs.check(Service(ctx, ctx.workspace.recipes[name]))
        if stale:
            reason = "; ".join(problem.message for problem in stale)
            standings[name] = Standing(name, "regressed", reason)
        entry = ctx.state.of(name)
        if entry.reason == STOPPED and entry.handle is None:
            continue  # stopped on purpose: nothing to diagnose
        if reason is None and entry.status == "regressed":
            entry.status, entry.reason, entry.findings = "proven", None, []
            ctx.journal("verdict", name, status="proven", why="live checks pass again")
        if reason and entry.status == "proven":
            entry.status, entry.reason = "regressed", reason
            entry.findings = [f.to_json() for f in explain.for_service(ctx, name)]
            ctx.journal("verdict", name, status="regressed", reason=reason)
    if proven:
        ctx.save()
    return standings


def _proven(standings: dict[str, Standing]) -> list[str]:
    return [name for name, standing in standings.items() if standing.status == "proven"]


def _nothing_left(ctx: Context, standings: dict[str, Standing]) -> Done:
    blocked = [s for s in standings.values() if s.status == "blocked"]
    if blocked:
        raise WorkFailed("nothing can be worked on now: " + "; ".join(
            f"{s.name} {s.reason}" for s in blocked))
    parked = [s.name for s in standings.values() if s.status == "skipped"]
    ctx.out.verdict("every service is proven" + (
        f" but the parked ones ({', '.join(parked)})" if parked else ""), True)
    return Done(None, _proven(standings), None)


def _dry_run(service: Service) -> Done:
    ctx, entry = service.ctx, service.entry
    ctx.out.heading(f"dry run: {service.name} from stage {entry.stage} (nothing is changed)")
    for stage in STAGES[STAGES.index(entry.stage):]:
        for item in DESCRIBE[stage](service) or ["nothing to check"]:
            ctx.out.step(stage, f"would check: {item}")
        if stage in CHECK_STAGES:
            settle(service, stage, CHECK_STAGES[stage].check)
        elif stage == "start":
            settle(service, stage, start.check, ok_text="nothing in the way of a start")
    return Done(None, [], service.name)
