"""Where each service stands: the stored progress, judged against live checks when given."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bringup.checks import Outcome, healthy
from bringup.core.context import Context
from bringup.state.model import ServiceState, Status

Shown = Status | Literal["blocked"]  # `blocked` is judged from the order, never stored


@dataclass(frozen=True)
class Standing:
    name: str
    status: Shown
    reason: str | None


def judge(ctx: Context, live: dict[str, list[Outcome]] | None) -> dict[str, Standing]:
    """Every service's status in dependency order; `live` None means stored state only."""
    found: dict[str, Standing] = {}
    for name, recipe in ctx.workspace.recipes.items():
        entry = ctx.state.of(name)
        status: Shown
        reason: str | None
        if recipe.skip is not None:
            status, reason = "skipped", f"skipped: {recipe.skip} ({recipe.file.name})"
        elif entry.status == "skipped":
            status, reason = "skipped", f"skipped: {entry.skipped_reason or 'no reason given'}"
        elif entry.status in ("proven", "regressed"):
            status, reason = _depends([found[dep] for dep in recipe.after])
            if status != "blocked":  # what it waits on first: its own checks may fail for that
                status, reason = _proven_now(entry, live.get(name) if live else None,
                                             recipe.oneshot)
        elif entry.status == "stopped":
            status, reason = "stopped", entry.reason
        else:
            status, reason = _waiting(entry, [found[dep] for dep in recipe.after])
        found[name] = Standing(name, status, None if status == "proven" else reason)
    return found


def _waiting(entry: ServiceState, after: list[Standing]) -> tuple[Shown, str | None]:
    waiting = [dep for dep in after if dep.status != "proven"]
    parked = [dep for dep in waiting if dep.status == "skipped"]
    stopped = [dep for dep in waiting if dep.status == "stopped"]
    if parked:
        names = ", ".join(dep.name for dep in parked)
        return "blocked", f"waits for {names}, parked ({parked[0].reason})"
    if stopped:
        return "blocked", f"waits for {stopped[0].name}: {stopped[0].reason}"
    if waiting:
        return "blocked", f"waits for {', '.join(dep.name for dep in waiting)}: not proven yet"
    if entry.status == "in-progress":
        return "in-progress", f"stopped at {entry.stage}" + (
            f": {entry.reason}" if entry.reason else "")
    if entry.status == "failed":
        return "failed", entry.reason
    return "pending", "not started yet"


def _depends(after: list[Standing]) -> tuple[Shown, str | None]:
    """A proven service is proven only while what it comes after is."""
    for dep in after:
        if dep.status != "proven":
            said = {"skipped": "parked"}.get(dep.status, dep.status)
            return "blocked", f"depends on {dep.name}, which is {said}"
    return "proven", None


def _proven_now(entry: ServiceState, outcomes: list[Outcome] | None,
                oneshot: bool) -> tuple[Shown, str | None]:
    if outcomes is None or oneshot:
        return entry.status, entry.reason
    if healthy(outcomes):
        return "proven", None
    failing = [o for o in outcomes if not o.ok and not o.advisory] or outcomes
    what = "; ".join(o.describe() for o in failing) or "no live check"
    return "regressed", f"was proven; now {what}"


def next_name(standings: dict[str, Standing]) -> str | None:
    """Regressed first, then the first service in dependency order that can be worked on."""
    for wanted in (("regressed",), ("in-progress", "failed", "pending")):
        for standing in standings.values():
            if standing.status in wanted:
                return standing.name
    return None
