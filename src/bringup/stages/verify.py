"""Stage verify: every check passes once within `startup_timeout`, the process still alive.

Polled fast, so a service that becomes ready is noticed within milliseconds."""

from __future__ import annotations

from dataclasses import dataclass, field

from bringup import ports, supervisor
from bringup.checks import CHECKS, CheckKind, Outcome, Probe
from bringup.checks.log import error_line
from bringup.service import Service

NAME = "verify"
POLL = 0.01
# With nothing to check, a process is ready once it has survived its first moments.
SETTLE = 0.3


@dataclass
class Verdict:
    ok: bool
    reason: str = ""
    outcomes: list[Outcome] = field(default_factory=list)
    exit_status: int | None = None
    daemonized: bool = False


def describe(service: Service) -> list[str]:
    if service.recipe.oneshot:
        return [f"exits 0 within {service.recipe.verify.startup_timeout:g} s"]
    probe = service.probe()
    wanted = [f"log line {probe.verify.log!r}" if name == "log" and probe.verify.log
              else f"{name} {kind.target(probe)}" for name, kind in _kinds(probe)]
    return wanted or ["the process stays alive"]


def _kinds(probe: Probe) -> list[tuple[str, CheckKind]]:
    return [(name, kind) for name, kind in CHECKS.items()
            if name != "process" and kind.wanted(probe)]


def exit_status(service: Service) -> int | None:
    """The exit status when this bringup started the process and it ended; else None."""
    return service.running.exit_status() if service.running else None


def has_ended(service: Service) -> bool:
    if service.running is not None:
        return service.running.exit_status() is not None
    handle = service.entry.handle
    return handle is None or not supervisor.alive(handle)


def run(service: Service) -> Verdict:
    ctx, verify = service.ctx, service.recipe.verify
    probe = service.probe(timeout=0.5)
    waiting = {name: kind for name, kind in CHECKS.items()
               if name != "process" and kind.wanted(probe)}
    passed: dict[str, Outcome] = {}
    last: dict[str, Outcome] = {}
    started = ctx.clock()
    deadline = started + verify.startup_timeout
    while True:
        if service.recipe.oneshot:
            if has_ended(service):
                status = exit_status(service)
                return Verdict(status == 0, "" if status == 0 else f"exited with status {status}",
                               exit_status=status)
        elif has_ended(service):
            return _ended(service, probe, last)
        bad = error_line(probe)
        if bad:
            return Verdict(False, f"log line matches log_error: {bad}", list(last.values()))
        for name in [name for name in waiting if name not in passed]:
            outcome = waiting[name].run(probe)
            last[name] = outcome
            if outcome.ok:
                passed[name] = outcome
        settled = waiting or ctx.clock() - started >= min(SETTLE, verify.startup_timeout)
        if not service.recipe.oneshot and len(passed) == len(waiting) and settled:
            return Verdict(True, outcomes=[*_process(probe), *passed.values()])
        if ctx.clock() >= deadline:
            return Verdict(False, _timeout_reason(service, last, ctx.clock() - started),
                           list(last.values()))
        ctx.sleep(POLL)


def _process(probe: Probe) -> list[Outcome]:
    return [CHECKS["process"].run(probe)] if probe.handle else []


def _ended(service: Service, probe: Probe, last: dict[str, Outcome]) -> Verdict:
    status = exit_status(service)
    shown = "an unknown status" if status is None else f"status {status}"
    if status == 0:
        answering = _port_comes_up(service, probe)
        if answering:
            _adopt_daemon(service, answering)
            return Verdict(False, "the command exited 0 while its port answers: it went to "
                                  "the background (daemonized), so bringup cannot supervise it",
                           answering, status, daemonized=True)
    return Verdict(False, f"exited with {shown} before it was ready", list(last.values()), status)


def _adopt_daemon(service: Service, answering: list[Outcome]) -> None:
    """The process now holding the port was born after bringup ran the command: the command
    left it behind, so it is the service's own (and `down` or a restart can stop it)."""
    entry = service.entry
    for outcome in answering:
        port = outcome.port()
        holder = ports.holder(port) if port else None
        ours = entry.handle
        left = supervisor.identify(holder.pid) if holder else None
        if ours is None or left is None:
            continue
        if supervisor.born_after(left, ours):
            entry.record(left)
            service.running = None
            service.ctx.journal("adopted", service.name, pid=left.pid,
                                why="left behind by the command, holding its port")
            return


def _port_comes_up(service: Service, probe: Probe) -> list[Outcome]:
    """After an exit 0: the port checks passing within a moment means a daemon was left behind."""
    kinds = [kind for name, kind in CHECKS.items()
             if name in ("tcp", "http") and kind.wanted(probe)]
    deadline = service.ctx.clock() + min(service.recipe.verify.startup_timeout, 3.0)
    while kinds:
        outcomes = [kind.run(probe) for kind in kinds]
        if all(outcome.ok for outcome in outcomes):
            return outcomes
        if service.ctx.clock() >= deadline:
            break
        service.ctx.sleep(POLL * 5)
    return []


def _timeout_reason(service: Service, last: dict[str, Outcome], waited: float) -> str:
    failing = [o for o in last.values() if not o.ok]
    what = "; ".join(o.describe() for o in failing) or "checks failing"
    limit = service.recipe.verify.startup_timeout
    return f"{what} for {waited:.0f} s (startup_timeout {limit:g} s)"
