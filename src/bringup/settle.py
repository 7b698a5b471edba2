"""Check, offer fixes, apply the chosen ones, check again: a stage passes only on the re-check."""

from __future__ import annotations

from collections.abc import Callable

from bringup.service import Service
from bringup.stages.base import Fix, Problem

Check = Callable[[Service], list[Problem]]


def settle(service: Service, stage: str, check: Check, *, ok_text: str = "ok") -> str | None:
    """None when the stage's check passes (at once or after fixes); else why it does not."""
    ctx = service.ctx
    problems = check(service)
    ctx.journal("check", service.name, stage=stage, ok=not problems,
                problems=[problem.message for problem in problems])
    if not problems:
        ctx.out.step(stage, ok_text, True)
        return None
    for problem in problems:
        _offer(service, stage, problem)
    if ctx.dry_run:
        return "dry run: fixes not applied"
    left = check(service)
    ctx.journal("check", service.name, stage=stage, ok=not left,
                problems=[problem.message for problem in left])
    if left:
        for problem in left:
            ctx.out.step(stage, f"still: {problem.message}", False)
        return "; ".join(problem.message for problem in left)
    ctx.out.step(stage, "fixed, and the check passes again", True)
    return None


def apply(fix: Fix, service: Service) -> str | None:
    """Apply a fix; what the file system refuses is a reason, not a crash."""
    try:
        return fix.apply(service)
    except OSError as error:
        return f"{fix.label}: {error.strerror or error} ({error.filename or ''})".rstrip(" ()")


def _offer(service: Service, stage: str, problem: Problem) -> None:
    ctx = service.ctx
    ctx.out.step(stage, problem.message, False)
    if problem.hint:
        ctx.out.detail(problem.hint)
    if not problem.fixes:
        return
    if ctx.dry_run:
        for fix in problem.fixes:
            ctx.out.detail(f"would offer: {fix.label}" + (f"  ($ {fix.command})" if fix.command
                                                          else ""))
        return
    for fix in problem.fixes:
        if fix.command:
            ctx.out.detail(f"({fix.label} runs: {fix.command})")
    options = [fix.label for fix in problem.fixes] + ["not now (skip this fix)"]
    pick = ctx.prompter.choose(f"{service.name}: {problem.message}. What now?", options)
    if pick >= len(problem.fixes):
        ctx.journal("declined", service.name, stage=stage, problem=problem.message)
        return
    fix = problem.fixes[pick]
    ctx.out.detail(f"→ {fix.label}")
    error = apply(fix, service)
    ctx.journal("fix", service.name, stage=stage, problem=problem.message, fix=fix.label,
                ok=error is None, **({"error": error} if error else {}))
    if error:
        ctx.out.detail(error)
