"""Stage stable: alive and healthy at every `interval` for `stable_for` seconds; a flap fails."""

from __future__ import annotations

from bringup.checks import Outcome, run_all
from bringup.checks.log import error_line
from bringup.service import Service
from bringup.stages.verify import Verdict

NAME = "stable"


def describe(service: Service) -> list[str]:
    verify = service.recipe.verify
    return [f"alive and healthy every {verify.interval:g} s for {verify.stable_for:g} s"]


def run(service: Service) -> Verdict:
    ctx, verify = service.ctx, service.recipe.verify
    probe = service.probe(timeout=max(min(verify.interval, 2.0), 0.5))
    started = ctx.clock()
    end = started + verify.stable_for
    while True:
        outcomes = run_all(probe)
        failing = [o for o in outcomes if not o.ok]
        bad = error_line(probe)
        elapsed = ctx.clock() - started
        if failing or bad:
            status = service.running.exit_status() if service.running else None
            return Verdict(False, _flap(elapsed, verify.stable_for, bad, failing, status),
                           outcomes, status)
        if elapsed >= verify.stable_for:
            return Verdict(True, outcomes=outcomes)
        ctx.sleep(min(verify.interval, max(end - ctx.clock(), 0.0)))


def _flap(elapsed: float, window: float, bad: str | None, failing: list[Outcome],
          status: int | None) -> str:
    if status is not None:
        return f"exited with status {status} {elapsed:.1f} s into the {window:g} s stability window"
    what = f"log line matches log_error: {bad}" if bad else "; ".join(
        o.describe() for o in failing)
    return f"flapped after {elapsed:.1f} s of the {window:g} s stability window: {what}"
