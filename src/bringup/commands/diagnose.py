"""`bringup diagnose`: the findings for a service's last failure, or for any log."""

from __future__ import annotations

from dataclasses import dataclass, replace

from bringup.core.context import Context
from bringup.diagnosis import Finding, diagnose


@dataclass(frozen=True)
class Diagnosis:
    findings: list[Finding]
    proven: bool = False  # the service is proven: there is no failure to diagnose


def of_service(ctx: Context, name: str) -> Diagnosis:
    from bringup.proving.findings import for_service

    found = [replace(finding, subject=ctx.mask(finding.subject), fix=ctx.mask(finding.fix),
                     evidence=ctx.mask(finding.evidence)) for finding in for_service(ctx, name)]
    return Diagnosis(found, proven=not found and ctx.state.of(name).status == "proven")


def of_log(text: str) -> Diagnosis:
    return Diagnosis(diagnose(text))
