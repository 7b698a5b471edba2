"""Stage stable: alive and healthy at every `interval` for `stable_for` seconds; a flap fails."""

from __future__ import annotations

from bringup.checks import Outcome, run_all
from bringup.core.output import Progress
from bringup.core.service import Service
from bringup.recipe.model import Recipe
from bringup.stages.base import Verdict, nothing_to_check, ok
from bringup.stages.logwatch import LogWatch
from bringup.state.logs import last_line
from bringup.state.model import StageName

NAME: StageName = "stable"
STARTS, WATCHES = False, True
check, passed = nothing_to_check, ok


def applies(recipe: Recipe) -> bool:
    """A task is done once it exits 0: it has no window to stay up in."""
    return not recipe.oneshot


def describe(service: Service) -> list[str]:
    verify = service.recipe.verify
    return [f"alive and healthy every {verify.interval:g} s for {verify.stable_for:g} s"]


def act(service: Service) -> Verdict:
    with service.ctx.out.progress(f"{service.name}: stable for "
                                  f"{service.recipe.verify.stable_for:g} s?",
                                  timed=False) as shown:
        return _watch(service, shown)


def _watch(service: Service, shown: Progress) -> Verdict:
    ctx, verify = service.ctx, service.recipe.verify
    probe = service.probe(timeout=max(min(verify.interval, 2.0), 0.5))
    causes = LogWatch(service)
    started = ctx.clock()
    end = started + verify.stable_for
    log = ctx.workspace.log_path(service.name)
    while True:
        if shown.wanted:
            shown.say(last_line(log))
        elapsed = ctx.clock() - started
        over = elapsed >= verify.stable_for
        outcomes = [*run_all(verify, probe), causes.end() if over else causes.look()]
        failing = [o for o in outcomes if not o.ok]
        if failing:
            status = service.running.exit_status() if service.running else None
            return Verdict(False, _flap(elapsed, verify.stable_for, failing, status),
                           outcomes, status, findings=[causes.finding] if causes.finding else [])
        if over:
            return Verdict(True, ", ".join(f"{o.kind} {o.detail}" for o in outcomes),
                           outcomes=outcomes)
        ctx.sleep(min(verify.interval, max(end - ctx.clock(), 0.0)))


def _flap(elapsed: float, window: float, failing: list[Outcome], status: int | None) -> str:
    if status is not None:
        return f"exited with status {status} {elapsed:.1f} s into the {window:g} s stability window"
    worst = [o for o in failing if o.final] or failing
    what = "; ".join(o.describe() for o in worst)
    return f"flapped after {elapsed:.1f} s of the {window:g} s stability window: {what}"
