"""The findings for a service: its logs since its last start (its output and the files it logs
to) and its exit status read through the diagnosis rules, with what the machine knows added
(bringup.remedies.facts)."""

from __future__ import annotations

from bringup.checks import Outcome
from bringup.core.context import Context
from bringup.core.service import Service
from bringup.diagnosis import Finding, diagnose
from bringup.remedies.facts import add_facts, loopback, unresolved_check


def for_service(ctx: Context, name: str) -> list[Finding]:
    """The findings kept from its last failure (with the facts of that moment); else what its
    log since its last start and its exit status say. A proven service has none."""
    service = Service(ctx, ctx.workspace.recipe(name))
    entry = service.entry
    if entry.status == "proven":
        return []
    if entry.findings and entry.status in ("failed", "regressed"):
        return [Finding(**finding) for finding in entry.findings]
    return read_log(service, entry.exit_status)


def read_log(service: Service, exit_status: int | None) -> list[Finding]:
    """What its logs say since its last start, its output and its log files alike."""
    return add_facts(service, diagnose(service.log_text(), exit_status=exit_status))


def of_checks(service: Service, outcomes: list[Outcome]) -> list[Finding]:
    """What failing checks show by themselves: a check on the wrong loopback, a host name that
    does not resolve."""
    return [found for found in (loopback(outcomes), unresolved_check(service, outcomes)) if found]


def of_failure(service: Service, exit_status: int | None, outcomes: list[Outcome],
               seen: list[Finding]) -> list[Finding]:
    """The findings of a failed start: what bringup saw itself (`seen` by the stage, a check on
    the wrong loopback) comes before what the log says, and a check's host that does not
    resolve after it (a crash the log tells of fails the check too); one finding per kind and
    subject."""
    astray, unknown = loopback(outcomes), unresolved_check(service, outcomes)
    unique: dict[tuple[str, str], Finding] = {}
    for finding in [*add_facts(service, seen), *([astray] if astray else []),
                    *read_log(service, exit_status), *([unknown] if unknown else [])]:
        unique.setdefault((finding.kind, finding.subject), finding)
    return list(unique.values())
