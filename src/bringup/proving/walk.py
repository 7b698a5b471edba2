"""The walk: one service through the stages, from where it last stopped. After a failed start,
the fix for its cause is offered and the service goes back to the stage that fix belongs to,
at most MAX_ATTEMPTS times."""

from __future__ import annotations

from bringup.core import lifecycle
from bringup.core.context import Context
from bringup.core.service import Service
from bringup.diagnosis import Finding
from bringup.errors import WorkFailed
from bringup.processes import supervisor
from bringup.proving import checking, failure, findings, fixing
from bringup.proving.standing import Standing, judge
from bringup.stages import Stage, from_stage, registry, starting
from bringup.stages import needs as needs_stage

MAX_ATTEMPTS = 3


def walk(service: Service) -> None:
    """Run the stages from the recorded one until the service is proven; WorkFailed otherwise."""
    ctx = service.ctx
    recipe = service.recipe
    what = recipe.description or ("external: checked, never started" if recipe.external
                                  else recipe.command_text())
    ctx.out.heading(f"{service.name}: {what}")
    found: list[Finding] = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        failed = _walk_once(service)
        if failed is None:
            lifecycle.proven(ctx, service.name, evidence=service.entry.evidence, why="next")
            return
        found = failed
        if attempt == MAX_ATTEMPTS:
            break
        back = fixing.fix_finding(service, found)
        if back is None:
            raise WorkFailed(_not_proven(service, found))
        _stop_if_blocked(service)
        lifecycle.back_to(ctx, service.name, back)
        ctx.out.line(f"\n{service.name}: back to stage {back}", "notice")
    raise WorkFailed(_not_proven(service, found, attempts=MAX_ATTEMPTS))


def _walk_once(service: Service) -> list[Finding] | None:
    """None when every stage passed; else the findings of a failed start, verify or stable."""
    ctx, entry = service.ctx, service.entry
    stage = entry.stage
    if registry()[stage].WATCHES and not _still_running(service):
        stage = starting()
    lifecycle.begin(ctx, service.name, stage)
    for current in from_stage(stage):
        if not current.applies(service.recipe):
            continue
        lifecycle.reached(ctx, service.name, current.NAME)
        failed = _run_stage(service, current)
        if failed is not None:
            return failed
    return None


def _run_stage(service: Service, stage: Stage) -> list[Finding] | None:
    """Check (offering fixes), then act. A check not fixed or an act that fails without a log
    to read stops the walk; a failure of a watching stage gives its findings."""
    ctx = service.ctx
    unfixed = fixing.check_and_fix(service, stage)
    if unfixed is not None:
        _halt(service, stage, unfixed)
    verdict = stage.act(service)
    if stage.WATCHES:
        ctx.journal("check", service.name, stage=stage.NAME, ok=verdict.ok,
                    checks=[o.to_json() for o in verdict.outcomes])
    if verdict.ok:
        if stage.WATCHES:
            lifecycle.observed(ctx, service.name, [o.to_json() for o in verdict.outcomes])
        if verdict.reason:
            ctx.out.step(stage.NAME, verdict.reason, True)
        return None
    if not stage.WATCHES:
        _halt(service, stage, verdict.reason)
    service.adopted = False
    return failure.record(service, stage.NAME, verdict)


def _halt(service: Service, stage: Stage, reason: str) -> None:
    lifecycle.halted(service.ctx, service.name, stage.NAME, reason)
    raise WorkFailed(f"{service.name} is not proven: {reason}")


def _not_proven(service: Service, found: list[Finding], attempts: int = 0) -> str:
    tries = f" after {attempts} attempts" if attempts else ""
    cause = f" (cause: {found[0].kind} {found[0].subject})" if found else ""
    return (f"{service.name} is not proven{tries}: {service.entry.reason}{cause}. Fix it and run "
            f"`bringup next` again, or park it: bringup skip {service.name} --reason '...'")


def _stop_if_blocked(service: Service) -> None:
    waiting = [name for name in service.recipe.after
               if service.ctx.state.of(name).status != "proven"]
    if waiting:
        lifecycle.back_to(service.ctx, service.name, starting())
        raise WorkFailed(f"{service.name} now waits for {', '.join(waiting)}: run `bringup next` "
                         f"to bring {waiting[0]} up first")


def _still_running(service: Service) -> bool:
    """The process of an interrupted walk runs on: it is watched on, unless what it was
    started from has changed (then the start stage offers to restart it)."""
    handle = service.entry.handle
    if handle is not None and supervisor.alive(handle) and not service.stale():
        service.adopted = True
        return True
    return False


def recheck_proven(ctx: Context) -> dict[str, Standing]:
    """Every service's standing, the proven ones checked live first: a proven service whose
    checks fail, or whose needs changed, is regressed; a regressed one that answers is proven."""
    stored = judge(ctx, None)
    proven = [name for name, standing in stored.items()
              if standing.status in ("proven", "regressed")]
    standings = judge(ctx, checking.check_all(ctx, proven))
    for name in proven:
        reason = standings[name].reason if standings[name].status == "regressed" else None
        service = Service(ctx, ctx.workspace.recipes[name])
        unmet = needs_stage.check(service)
        changed = service.stale() if service.entry.handle else []
        if unmet or changed:
            reason = "; ".join([problem.message for problem in unmet] + (
                [f"its process was started before its {', '.join(changed)} changed"]
                if changed else []))
            standings[name] = Standing(name, "regressed", reason)
        entry = ctx.state.of(name)
        if standings[name].status == "blocked":
            continue  # it waits on another: judged again once that one is proven
        if reason is None and entry.status == "regressed":
            lifecycle.proven(ctx, name, evidence=entry.evidence, why="live checks pass again",
                             again=True)
        if reason and entry.status == "proven":
            lifecycle.regressed(ctx, name, reason, findings=[
                f.to_json() for f in findings.read_log(service, entry.exit_status)])
    return standings
