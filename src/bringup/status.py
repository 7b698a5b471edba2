"""Where each service stands: the stored progress, judged against live checks when given."""

from __future__ import annotations

from dataclasses import dataclass

from bringup.checks import Outcome
from bringup.context import Context
from bringup.live import healthy

STOPPED = "stopped by `bringup down`; `bringup up` starts it again"


@dataclass(frozen=True)
class Standing:
    name: str
    status: str
    reason: str | None


def judge(ctx: Context, live: dict[str, list[Outcome]] | None) -> dict[str, Standing]:
    """Every service's status in dependency order; `live` None means stored state only."""
    found: dict[str, Standing] = {}
    for name, recipe in ctx.workspace.recipes.items():
        entry = ctx.state.of(name)
        status, reason = entry.status, entry.reason
        if status == "skipped":
            reason = f"skipped: {entry.skipped_reason or 'no reason given'}"
        elif status in ("proven", "regressed"):
            status, reason = _proven_now(entry.status, live.get(name) if live else None,
                                         recipe.oneshot, entry.reason)
            if status == "regressed" and entry.reason == STOPPED and entry.handle is None:
                reason = STOPPED
        else:
            waiting = [dep for dep in recipe.after if found[dep].status != "proven"]
            parked = [dep for dep in waiting if found[dep].status == "skipped"]
            if parked:
                status = "blocked"
                reason = f"waits for {', '.join(parked)}, parked ({found[parked[0]].reason})"
            elif waiting:
                status = "blocked"
                reason = f"waits for {', '.join(waiting)}: not proven yet"
            elif status == "in-progress":
                reason = f"stopped at {entry.stage}" + (f": {reason}" if reason else "")
            elif status not in ("failed",):
                status, reason = "pending", "not started yet"
        found[name] = Standing(name, status, None if status == "proven" else reason)
    return found


def _proven_now(stored: str, outcomes: list[Outcome] | None, oneshot: bool,
                reason: str | None) -> tuple[str, str | None]:
    if outcomes is None or oneshot:
        return stored, reason
    if healthy(outcomes):
        return "proven", None
    failing = [o for o in outcomes if not o.ok] or outcomes
    what = "; ".join(o.describe() for o in failing) or "no live check"
    return "regressed", f"was proven; now {what}"


def next_name(standings: dict[str, Standing]) -> str | None:
    """Regressed first, then the first service in dependency order that can be worked on."""
    for wanted in (("regressed",), ("in-progress", "failed", "pending")):
        for standing in standings.values():
            if standing.status in wanted:
                return standing.name
    return None
