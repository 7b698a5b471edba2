"""`bringup diagnose`: the findings for a service's last failure, or for any log."""

from __future__ import annotations

from bringup.checks.log import read_since
from bringup.context import Context
from bringup.diagnosis import Finding, diagnose
from bringup.enrich import enrich
from bringup.service import Service


def for_service(ctx: Context, name: str) -> list[Finding]:
    """The findings kept from its last failure (with the facts of that moment); else what its
    log since its last start and its exit status say. A proven service has none."""
    service = Service(ctx, ctx.workspace.recipe(name))
    entry = service.entry
    if entry.status == "proven":
        return []
    if entry.findings and entry.status in ("failed", "regressed"):
        return [Finding(**finding) for finding in entry.findings]
    text = read_since(service.probe())
    return enrich(service, diagnose(text, exit_status=entry.exit_status))


def render(findings: list[Finding]) -> str:
    if not findings:
        return "no findings: nothing in the log points at a cause"
    blocks = [f"{index}. {f.kind} {f.subject} (back to stage {f.stage})\n"
              f"   fix:      {f.fix}\n   evidence: {f.evidence}"
              for index, f in enumerate(findings, 1)]
    return "\n".join(blocks)
