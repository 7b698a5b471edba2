"""The one way a fix is offered, for a problem a stage's check found or for a finding read from
a log: shown, asked, applied, journalled with one shape, and the check run again. A stage
passes only on that second check."""

from __future__ import annotations

from bringup.core.problems import Fix, Problem
from bringup.core.service import Service
from bringup.diagnosis import Finding
from bringup.remedies import remedy
from bringup.stages import Stage, earliest, named, starting
from bringup.state.model import StageName

DECLINE = "not now"


def check_and_fix(service: Service, stage: Stage) -> str | None:
    """None when the stage's check passes (at once or after fixes); else why it does not."""
    ctx = service.ctx
    problems = stage.check(service)
    if problems is None:
        return None
    _journal_check(service, stage.NAME, problems)
    if not problems:
        ctx.out.step(stage.NAME, stage.passed(service), True)
        return None
    declined = False
    for problem in problems:
        ctx.out.step(stage.NAME, problem.message, False)
        if problem.hint:
            ctx.out.detail(problem.hint)
        if problem.fixes:
            declined |= offer(service, stage.NAME, problem) is None
    if ctx.dry_run:
        return "dry run: fixes not applied"
    left = stage.check(service) or []
    _journal_check(service, stage.NAME, left)
    if left:
        for problem in left:
            ctx.out.step(stage.NAME, f"still: {problem.message}", False)
        if declined:
            _to_go_on(service)
        return "; ".join(problem.message for problem in left)
    ctx.out.step(stage.NAME, "fixed, and the check passes again", True)
    return None


def fix_finding(service: Service, findings: list[Finding]) -> StageName | None:
    """Offer the fix for the most likely cause that has one. The stage to go back to once it is
    applied (never later than the one that starts the process again); None: nothing fixed."""
    for finding in findings:
        fix = remedy(service, finding)
        if fix is None:
            continue
        problem = Problem(finding.subject, finding.sentence(), (fix,), finding=finding.kind)
        applied = offer(service, finding.stage, problem)
        if applied is None:
            _to_go_on(service)
        if not applied:
            return None
        return earliest(named(finding.stage), starting())
    return None


def offer(service: Service, stage: str, problem: Problem) -> bool | None:
    """Ask which fix to apply and apply it; True when one was applied without error, None when
    the user chose none."""
    ctx = service.ctx
    if ctx.dry_run:
        for fix in problem.fixes:
            ctx.out.detail(f"would offer: {fix.label}" + (f"  ($ {fix.command})" if fix.command
                                                          else ""))
        return False
    options = [fix.label + (f" ($ {fix.command})" if fix.command and fix.command not in fix.label
                            else "") for fix in problem.fixes] + [DECLINE]
    pick = ctx.prompter.choose(f"{service.name}: {problem.message}. What now?", options)
    if pick >= len(problem.fixes):
        ctx.journal("declined", service.name, **_said(stage, problem))
        return None
    fix = problem.fixes[pick]
    ctx.out.detail(f"→ {options[pick]}")
    error = apply(fix, service)
    ctx.journal("fix", service.name, **_said(stage, problem), fix=fix.label, ok=error is None,
                **({"error": error} if error else {}))
    if error:
        ctx.out.detail(error)
    return error is None


def _to_go_on(service: Service) -> None:
    """After a fix declined: the next step to take."""
    service.ctx.out.detail(f"to go on: fix it yourself, or run `bringup next {service.name}` to "
                           f"be asked again; `bringup skip {service.name} --reason TEXT` parks "
                           "it")


def apply(fix: Fix, service: Service) -> str | None:
    """Apply a fix; what the file system refuses is a reason, not a crash."""
    try:
        return fix.apply(service)
    except OSError as error:
        return f"{fix.label}: {error.strerror or error} ({error.filename or ''})".rstrip(" ()")


def _said(stage: str, problem: Problem) -> dict[str, str | None]:
    """The one journal shape of a problem offered a fix."""
    return {"stage": stage, "subject": problem.subject, "problem": problem.message,
            "finding": problem.finding}


def _journal_check(service: Service, stage: str, problems: list[Problem]) -> None:
    service.ctx.journal("check", service.name, stage=stage, ok=not problems,
                        problems=[problem.message for problem in problems])
