"""`bringup next`: re-check the proven services, then take the next one (or the one named)
through the stages, from where it last stopped."""

from __future__ import annotations

from dataclasses import dataclass, field

from bringup.core import lifecycle
from bringup.core.context import Context
from bringup.core.service import Service
from bringup.errors import WorkFailed, WorkspaceError
from bringup.proving import fixing
from bringup.proving.standing import Standing, judge, next_name
from bringup.proving.walk import recheck_proven, walk
from bringup.stages import from_stage


@dataclass(frozen=True)
class NextResult:
    """What `next` achieved: the service it worked on (None: nothing was left to do)."""

    service: str | None
    proven: list[str]
    upcoming: str | None
    parked: list[str] = field(default_factory=list)
    stopped: list[str] = field(default_factory=list)
    said: str = ""  # the verdict when nothing was walked
    dry_run: bool = False


def run_next(ctx: Context, name: str | None) -> NextResult:
    if not ctx.workspace.recipes:
        raise WorkspaceError(f"no recipes in {ctx.workspace.recipes_dir}: write one per service "
                             "(recipes/NAME.toml), or try `bringup demo`")
    standings = recheck_proven(ctx)
    target = name or next_name(standings)
    if target is None:
        return _nothing_left(ctx, standings)
    ctx.workspace.recipe(target)
    standing = standings[target]
    if standing.status == "proven":
        return _result(ctx, standings, said=f"{target} is already proven")
    if standing.status == "stopped":
        return _result(ctx, standings, said=f"{target} is {standing.reason}")
    if standing.status in ("blocked", "skipped"):
        raise WorkFailed(f"{target} cannot be worked on now: {standing.reason}")
    service = Service(ctx, ctx.workspace.recipe(target))
    if standing.status == "regressed":
        lifecycle.retry(ctx, target)
        ctx.out.line(f"{target} has regressed ({standing.reason}); fixing it first", "warning")
    if ctx.dry_run:
        return _dry_run(service)
    walk(service)
    return _result(ctx, judge(ctx, None), service=target)


def run_all(ctx: Context) -> NextResult:
    """`next --all`: the next service, then the next, each through its stages and its
    stability window, until none is left; the first that cannot be proven stops it (its
    WorkFailed, as `next` alone). Still one service at a time: only the typing is saved."""
    result = run_next(ctx, None)
    while (result.service is not None and result.service in result.proven
           and result.upcoming is not None and not ctx.dry_run):
        ctx.out.line(f"{result.service} is proven; next: {result.upcoming}")
        result = run_next(ctx, None)
    return result


def _result(ctx: Context, standings: dict[str, Standing], *, service: str | None = None,
            said: str = "") -> NextResult:
    def named(status: str) -> list[str]:
        return [name for name, standing in standings.items() if standing.status == status]

    return NextResult(service, named("proven"), next_name(standings), named("skipped"),
                      named("stopped"), said)


def _nothing_left(ctx: Context, standings: dict[str, Standing]) -> NextResult:
    """Nothing to walk: every service is proven, parked, stopped, or waits on one that is."""
    result = _result(ctx, standings)
    blocked = [s for s in standings.values() if s.status == "blocked"]
    if blocked and not result.stopped:
        raise WorkFailed("nothing can be worked on now: " + "; ".join(
            f"{s.name} {s.reason}" for s in blocked))
    said = "every service is proven"
    if result.parked:
        said += f" but the parked ones ({', '.join(result.parked)})"
    if result.stopped:
        said += (f"; stopped by `bringup down`: {', '.join(result.stopped)} "
                 "(`bringup up` starts them)")
    if blocked:
        said += f"; waiting on them: {', '.join(s.name for s in blocked)}"
    return _result(ctx, standings, said=said)


def _dry_run(service: Service) -> NextResult:
    ctx, entry = service.ctx, service.entry
    ctx.out.heading(f"dry run: {service.name} from stage {entry.stage} (nothing is changed)")
    for stage in [stage for stage in from_stage(entry.stage) if stage.applies(service.recipe)]:
        for item in stage.describe(service) or ["nothing to check"]:
            ctx.out.step(stage.NAME, f"would check: {item}")
        fixing.check_and_fix(service, stage)
    return NextResult(None, [], service.name, dry_run=True)
