"""`bringup report`: what is proven working, with the evidence of live checks, as data in the
shape of the JSON report (`bringup.report/1`, docs/report.md)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from bringup.checks import Outcome
from bringup.core.context import Context
from bringup.processes import supervisor
from bringup.proving.standing import Shown, judge, next_name
from bringup.state.journal import now_iso

SCHEMA = "bringup.report/1"


def build(ctx: Context, *, check: bool) -> dict[str, Any]:
    names = list(ctx.workspace.recipes)
    outcomes = None
    if check:
        from bringup.proving.checking import check_all  # only a checking report pays for probes

        outcomes = check_all(ctx, names)
    standings = judge(ctx, outcomes)
    services = [_service(ctx, name, standings[name].status, standings[name].reason,
                         outcomes.get(name) if outcomes is not None else None, live=check)
                for name in names]
    return ctx.mask({
        "schema": SCHEMA,
        "workspace": str(ctx.workspace.root),
        "generated_at": now_iso()[:19] + "Z",
        "summary": {
            "total": len(names),
            "proven": (proven := sum(1 for s in standings.values() if s.status == "proven")),
            "regressed": sum(1 for s in standings.values() if s.status == "regressed"),
            "next": next_name(standings),
            "coherence": round(proven / len(names), 3) if names else 0.0,
        },
        "services": services,
        "machine_changes": [asdict(change) for change in ctx.state.changes],
        "watch": _watch(ctx),
    })


def _watch(ctx: Context) -> dict[str, Any]:
    """Whether a watch supervises this workspace now (its pid: 0 when just started)."""
    from bringup.commands.background import running

    pid = running(ctx)
    return {"running": pid is not None, "pid": pid}


def _service(ctx: Context, name: str, status: Shown, reason: str | None,
             outcomes: list[Outcome] | None, *, live: bool) -> dict[str, Any]:
    recipe, entry = ctx.workspace.recipes[name], ctx.state.of(name)
    handle = entry.handle
    running = handle is not None and (not live or supervisor.alive(handle))
    checks = [o.to_json() for o in outcomes] if outcomes is not None else entry.evidence
    findings = entry.findings
    if status == "regressed" and not findings and live:
        from bringup.core.service import Service  # what its logs say since it last started
        from bringup.proving.findings import of_checks, read_log

        service = Service(ctx, recipe)
        found = read_log(service, entry.exit_status) + of_checks(service, outcomes or [])
        findings = [finding.to_json() for finding in found]
    data: dict[str, Any] = {
        "name": name, "status": status, "stage": entry.stage,
        "port": recipe.port, "pid": handle.pid if handle and running else None,
        "after": list(recipe.after), "started_at": entry.started_at if running else None,
        "proven_at": entry.proven_at, "checks": checks, "findings": findings,
    }
    if status != "proven":
        data["reason"] = reason or status
    if recipe.external:
        data["external"] = True
    return data


def exit_code(report: dict[str, Any]) -> int:
    """1 when a proven service has regressed; a stopped one is not a failure."""
    return 1 if report["summary"]["regressed"] else 0
