"""A failed start, verify or stable: keep the evidence, stop what is left, name the causes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bringup import supervisor
from bringup.checks.log import read_since
from bringup.service import Service
from bringup.stages.verify import Verdict
from bringup.state import now_iso

if TYPE_CHECKING:
    from bringup.diagnosis import Finding

TAIL = 30


def record_failure(service: Service, stage: str, verdict: Verdict) -> list[Finding]:
    ctx, entry = service.ctx, service.entry
    text = read_since(service.probe())
    lines = [line for line in text.splitlines() if line.strip()]
    status = verdict.exit_status
    if status is None and service.running is not None:
        status = service.running.exit_status()
    entry.exit_status, entry.log_tail = status, lines[-TAIL:]
    findings = _diagnose(service, text, status, verdict)
    entry.findings = [finding.to_json() for finding in findings]
    entry.status, entry.reason, entry.updated_at = "failed", verdict.reason, now_iso()
    entry.evidence = [o.to_json() for o in verdict.outcomes]
    entry.stage = "start"
    ctx.out.step(stage, verdict.reason, False)
    if lines:
        ctx.out.detail(f"last lines of state/logs/{service.name}.log:")
        ctx.out.block("\n".join(lines[-12:]))
    for finding in findings[:3]:
        ctx.out.detail(f"cause: {finding.kind} {finding.subject}: {finding.fix}")
        ctx.out.detail(f"  evidence: {finding.evidence}")
    _stop_leftover(service)
    ctx.save()
    ctx.journal("verdict", service.name, status="failed", stage=stage, reason=verdict.reason,
                exit_status=status, findings=entry.findings)
    return findings


def _diagnose(service: Service, text: str, status: int | None,
              verdict: Verdict) -> list[Finding]:
    from bringup.diagnosis import daemonized, diagnose
    from bringup.enrich import enrich, loopback

    if verdict.daemonized:
        program = service.recipe.command_text().split()[0]
        return [daemonized(program, evidence=f"{verdict.outcomes[0].describe()} after "
                                             f"`{service.recipe.command_text()}` exited 0")]
    astray = loopback(verdict.outcomes)
    found = enrich(service, diagnose(text, exit_status=status))
    return [astray, *found] if astray else found


def _stop_leftover(service: Service) -> None:
    handle = service.entry.handle
    if handle is not None and supervisor.group_members(handle):
        supervisor.stop(handle, grace=min(service.recipe.stop_grace, 5.0))
        service.ctx.out.detail(f"stopped what was left of it (pid {handle.pid})")
        service.ctx.journal("stop", service.name, pid=handle.pid, why="failed")
    supervisor.reap(service.running)
    service.entry.forget_process()
    service.entry.stopped_at = now_iso()


