"""After a failed start: offer the fix for the most likely cause that has one, apply it, and
say which stage the service goes back to."""

from __future__ import annotations

from bringup.diagnosis import Finding
from bringup.remedies import remedy
from bringup.service import Service
from bringup.settle import apply
from bringup.state import STAGES


def treat(service: Service, findings: list[Finding]) -> str | None:
    """The stage to go back to once a fix is applied; None when nothing was fixed."""
    ctx = service.ctx
    for finding in findings:
        fix = remedy(service, finding)
        if fix is None:
            continue
        if fix.command:
            ctx.out.detail(f"({fix.label} runs: {fix.command})")
        pick = ctx.prompter.choose(
            f"{service.name}: {finding.kind} {finding.subject}. What now?",
            [fix.label, "leave it (stop here)"])
        if pick != 0:
            ctx.journal("declined", service.name, finding=finding.kind, subject=finding.subject)
            return None
        ctx.out.detail(f"→ {fix.label}")
        error = apply(fix, service)
        ctx.journal("fix", service.name, stage=finding.stage, finding=finding.kind,
                    subject=finding.subject, fix=fix.label, ok=error is None)
        if error:
            ctx.out.detail(error)
            return None
        return min(finding.stage, "start", key=STAGES.index)
    return None
