"""`bringup report`: what is proven working, with the evidence of live checks."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bringup import supervisor
from bringup.checks import Outcome
from bringup.context import Context
from bringup.state import now_iso
from bringup.status import STOPPED, judge, next_name

SCHEMA = "bringup.report/1"


def build(ctx: Context, *, check: bool) -> dict[str, Any]:
    """The report as data, exactly the JSON shape of PRODUCT.md."""
    names = list(ctx.workspace.recipes)
    outcomes = None
    if check:
        from bringup.live import check_all  # only a checking report pays for threads and probes

        outcomes = check_all(ctx, names)
    standings = judge(ctx, outcomes)
    services = [_service(ctx, name, standings[name].status, standings[name].reason,
                         outcomes.get(name) if outcomes is not None else None, live=check)
                for name in names]
    return {
        "schema": SCHEMA,
        "workspace": str(ctx.workspace.root),
        "generated_at": now_iso()[:19] + "Z",
        "summary": {
            "total": len(names),
            "proven": sum(1 for s in standings.values() if s.status == "proven"),
            "regressed": sum(1 for s in standings.values() if s.status == "regressed"),
            "next": next_name(standings),
        },
        "services": services,
    }


def _service(ctx: Context, name: str, status: str, reason: str | None,
             outcomes: list[Outcome] | None, *, live: bool) -> dict[str, Any]:
    recipe, entry = ctx.workspace.recipes[name], ctx.state.of(name)
    handle = entry.handle
    running = handle is not None and (not live or supervisor.alive(handle))
    checks = [o.to_json() for o in outcomes] if outcomes is not None else entry.evidence
    findings = entry.findings
    if status == "regressed" and not findings and live and entry.reason != STOPPED:
        from bringup.explain import for_service  # what its log says since it last started

        findings = [finding.to_json() for finding in for_service(ctx, name)]
    data: dict[str, Any] = {
        "name": name, "status": status, "stage": entry.stage,
        "port": recipe.port, "pid": handle.pid if handle and running else None,
        "after": list(recipe.after), "started_at": entry.started_at if running else None,
        "proven_at": entry.proven_at, "checks": checks, "findings": findings,
    }
    if status != "proven":
        data["reason"] = reason or status
    return data


def exit_code(report: dict[str, Any]) -> int:
    return 1 if report["summary"]["regressed"] else 0


def uptime(started_at: str | None) -> str:
    if not started_at:
        return ""
    started = datetime.strptime(started_at[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC)
    seconds = max(int((datetime.now(UTC) - started).total_seconds()), 0)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {minutes:02d}m"
    return f"{minutes}m {seconds:02d}s" if minutes else f"{seconds}s"
