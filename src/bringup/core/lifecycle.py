"""The one writer of a service's status. Each transition sets every field it owns, saves, and
journals its verdict; nothing else in bringup assigns a status.

    pending ─ begin ─▶ in-progress ─ proven ─▶ proven ─ regressed ─▶ regressed
                          │  ▲                  │  ▲                    │
                        failed  begin       stopped  up / proven      proven (checks pass again)
                          ▼  │                  ▼  │
                         failed               stopped
    any ─ skipped ─▶ skipped;  any ─ reset ─▶ pending
"""

from __future__ import annotations

from typing import Any

from bringup.core.context import Context
from bringup.processes.supervisor import Handle
from bringup.state.journal import now_iso
from bringup.state.model import STAGE_NAMES, Change, ServiceState, StageName, Status

LAST_STAGE: StageName = STAGE_NAMES[-1]
FIRST_STAGE: StageName = STAGE_NAMES[0]
# Statuses of a service that has passed its stability window and not been reset since.
WAS_PROVEN: frozenset[Status] = frozenset({"proven", "regressed", "stopped"})


def begin(ctx: Context, name: str, stage: StageName) -> None:
    """The walk takes the service up at `stage`."""
    entry = ctx.state.of(name)
    entry.status, entry.stage, entry.reason = "in-progress", stage, None
    entry.updated_at = now_iso()
    ctx.save()


def reached(ctx: Context, name: str, stage: StageName) -> None:
    """The stages before `stage` have passed."""
    entry = ctx.state.of(name)
    entry.stage, entry.updated_at = stage, now_iso()
    ctx.save()


def back_to(ctx: Context, name: str, stage: StageName) -> None:
    """A fix was applied: `stage` is the one to do again."""
    ctx.state.of(name).stage = stage
    ctx.save()


def halted(ctx: Context, name: str, stage: StageName, reason: str) -> None:
    """Stopped part-way at `stage`: its check does not pass and was not fixed."""
    entry = ctx.state.of(name)
    entry.status, entry.stage, entry.reason, entry.updated_at = ("in-progress", stage, reason,
                                                                 now_iso())
    ctx.save()
    ctx.journal("verdict", name, status="in-progress", stage=stage, reason=reason)


def launching(ctx: Context, name: str, start: str) -> None:
    """A start is about to spawn its process: recorded first, so that a bringup killed before
    it records the process can find it again by its tag. Until this start's end is recorded
    it has no `stopped_at`: an entry with one has nothing left to find."""
    entry = ctx.state.of(name)
    entry.start_id, entry.stopped_at = start, None
    ctx.save()
    ctx.journal("launching", name, start=start)


def started(ctx: Context, name: str, handle: Handle, *, port: int | None, command: str,
            origin: dict[str, str]) -> None:
    """A process was started for the service: who it is, and what it was started from, are
    recorded before anything else."""
    entry = ctx.state.of(name)
    entry.record(handle)
    entry.started_from = origin
    entry.attempts += 1
    entry.port, entry.started_at, entry.exit_status, entry.stopped_at = port, now_iso(), None, None
    ctx.save()
    ctx.journal("start", name, pid=handle.pid, attempt=entry.attempts, command=command)


def ready(ctx: Context, name: str, seconds: float) -> None:
    """A start became ready (every check passed; a task exited 0) `seconds` after its wait
    began: the slowest such time is kept, the measure an engine's start grace is made from."""
    entry = ctx.state.of(name)
    entry.ready_after = max(seconds, entry.ready_after or 0.0)
    ctx.journal("ready", name, seconds=round(seconds, 3))


def adopted(ctx: Context, name: str, handle: Handle, *, why: str,
            port: int | None = None) -> None:
    """A process bringup did not spawn itself is the service's own: a daemon its command left,
    or the one a killed bringup started (`port`: what that start was for)."""
    entry = ctx.state.of(name)
    entry.record(handle)
    if port is not None:
        entry.port = port
    ctx.save()
    ctx.journal("adopted", name, pid=handle.pid, why=why)


def proven(ctx: Context, name: str, *, evidence: list[dict[str, Any]], why: str,
           again: bool = False) -> None:
    """Passed its checks: every stage done, no reason, no findings. `again`: its live checks
    pass once more, which keeps the time it was first proven."""
    entry = ctx.state.of(name)
    entry.status, entry.stage, entry.reason, entry.findings = "proven", LAST_STAGE, None, []
    entry.evidence, entry.updated_at = evidence, now_iso()
    if not again or entry.proven_at is None:
        entry.proven_at = entry.updated_at
    ctx.save()
    ctx.journal("verdict", name, status="proven", why=why, evidence=evidence)


def observed(ctx: Context, name: str, evidence: list[dict[str, Any]]) -> None:
    """A live check passed: its evidence is the latest."""
    entry = ctx.state.of(name)
    entry.evidence, entry.updated_at = evidence, now_iso()


def failed(ctx: Context, name: str, *, stage: StageName, back: StageName, reason: str,
           findings: list[dict[str, Any]], exit_status: int | None, log_tail: list[str],
           evidence: list[dict[str, Any]]) -> None:
    """The attempt failed at `stage`; `back` is the stage to do again. A service that had been
    proven and fails to come back is regressed, not merely failed."""
    entry = ctx.state.of(name)
    status: Status = "regressed" if entry.status in WAS_PROVEN else "failed"
    entry.status, entry.stage, entry.reason, entry.updated_at = status, back, reason, now_iso()
    entry.findings, entry.evidence = findings, evidence
    entry.exit_status, entry.log_tail = exit_status, log_tail
    entry.forget_process()
    entry.stopped_at = now_iso()
    ctx.save()
    ctx.journal("verdict", name, status=status, stage=stage, reason=reason,
                exit_status=exit_status, findings=findings)


def regressed(ctx: Context, name: str, reason: str,
              findings: list[dict[str, Any]] | None = None) -> None:
    """Was proven; its live checks fail now."""
    entry = ctx.state.of(name)
    again = entry.status == "regressed" and entry.reason == reason
    entry.status, entry.reason, entry.updated_at = "regressed", reason, now_iso()
    if findings is not None:
        entry.findings = findings
    ctx.save()
    if not again:  # a check that keeps failing the same way is one verdict, not one a second
        ctx.journal("verdict", name, status="regressed", reason=reason)


def retry(ctx: Context, name: str) -> None:
    """A regressed service is walked again from the first stage."""
    entry = ctx.state.of(name)
    entry.status, entry.stage = "regressed", FIRST_STAGE
    ctx.save()


def stopped(ctx: Context, name: str, *, reason: str, why: str, pid: int | None = None) -> None:
    """Its process is gone on purpose (stopped by bringup when `pid` is given, or a finished run
    that is not restarted). A proven service becomes `stopped`, which is not a failure:
    `bringup up` starts it again. `reason` says how it stopped."""
    entry = ctx.state.of(name)
    if entry.status in ("proven", "regressed"):
        entry.status, entry.reason, entry.findings = "stopped", reason, []
    _forget(ctx, name, why=why, pid=pid)


def replaced(ctx: Context, name: str, *, why: str, pid: int | None = None) -> None:
    """Its process was stopped to be started again: its status stays until the new one is judged."""
    _forget(ctx, name, why=why, pid=pid)


def _forget(ctx: Context, name: str, *, why: str, pid: int | None) -> None:
    entry = ctx.state.of(name)
    entry.forget_process()
    entry.stopped_at = now_iso()
    ctx.save()
    if pid is not None:
        ctx.journal("stop", name, pid=pid, why=why)


def skipped(ctx: Context, name: str, reason: str) -> None:
    """Parked: it cannot run here; what comes after it stays blocked."""
    entry = ctx.state.of(name)
    entry.status, entry.skipped_reason, entry.updated_at = "skipped", reason, now_iso()
    ctx.save()
    ctx.journal("skip", name, reason=reason)


def reset(ctx: Context, name: str) -> None:
    """Progress forgotten. What was installed stays installed, and a running process stays
    known, so `down` can still stop it."""
    old = ctx.state.of(name)
    ctx.state.services[name] = ServiceState(
        pid=old.pid, create_time=old.create_time, start_ticks=old.start_ticks,
        started_from=old.started_from, start_id=old.start_id, log_offset=old.log_offset,
        log_files=old.log_files, fingerprints=old.fingerprints)
    ctx.save()
    ctx.journal("reset", name)


def machine_changed(ctx: Context, change: Change) -> None:
    """bringup changed this machine outside the workspace: kept until it is undone."""
    ctx.state.changes.append(change)
    ctx.save()
    ctx.journal("machine-changed", change.service, kind=change.kind, file=change.file,
                line=change.line)


def machine_restored(ctx: Context, change: Change) -> None:
    ctx.state.changes.remove(change)
    ctx.save()
    ctx.journal("machine-restored", change.service, kind=change.kind, file=change.file,
                line=change.line)


def stopped_by_down(name: str) -> str:
    return f"stopped by `bringup down`; `bringup up {name}` starts it again"
