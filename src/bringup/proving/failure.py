"""A failed start, verify or stable: keep the evidence, stop what is left, name the causes."""

from __future__ import annotations

from bringup.core import lifecycle
from bringup.core.service import Service
from bringup.diagnosis import Finding
from bringup.processes import supervisor
from bringup.proving.findings import of_failure
from bringup.stages import Verdict, starting
from bringup.state.model import StageName

TAIL = 30


def record(service: Service, stage: StageName, verdict: Verdict) -> list[Finding]:
    """Say what failed and why, stop what is left of it, and record it failed (or regressed)
    at the stage that starts it again."""
    ctx = service.ctx
    lines = [line for line in service.log_text().splitlines() if line.strip()]
    status = verdict.exit_status
    if status is None and service.running is not None:
        status = service.running.exit_status()
    findings = of_failure(service, status, verdict.outcomes, verdict.findings)
    ctx.out.step(stage, verdict.reason, False)
    if lines:
        files = ", ".join([f"state/logs/{service.name}.log", *service.recipe.log_files()])
        ctx.out.detail(f"last lines of {files}:")
        ctx.out.block("\n".join(lines[-12:]))
    for finding in findings[:3]:
        ctx.out.detail(f"cause: {finding.kind} {finding.subject}: {finding.fix}")
        ctx.out.detail(f"  evidence: {finding.evidence}")
    _stop_leftover(service)
    lifecycle.failed(ctx, service.name, stage=stage, back=starting(), reason=verdict.reason,
                     findings=[finding.to_json() for finding in findings], exit_status=status,
                     log_tail=lines[-TAIL:], evidence=[o.to_json() for o in verdict.outcomes])
    return findings


def _stop_leftover(service: Service) -> None:
    handle = service.entry.handle
    if supervisor.stop(handle, grace=min(service.recipe.stop_grace, 5.0), tag=service.tag):
        shown = f" (pid {handle.pid})" if handle else ""
        service.ctx.out.detail(f"stopped what was left of it{shown}")
        service.ctx.journal("stop", service.name, pid=handle.pid if handle else None,
                            why="failed")
    supervisor.reap(service.running)
