"""Stage verify: every check passes once within `startup_timeout`, the process still alive.

Polled fast, so a service that becomes ready is noticed within milliseconds."""

from __future__ import annotations

from dataclasses import replace

from bringup.checks import CHECKS, Outcome, Probe, Spec, process
from bringup.core import lifecycle
from bringup.core.service import Service
from bringup.diagnosis import daemonized
from bringup.processes import ports, supervisor
from bringup.stages.base import Verdict, always, nothing_to_check, ok
from bringup.stages.listening import PortWatch
from bringup.state.model import StageName

NAME: StageName = "verify"
STARTS, WATCHES = False, True
applies, check, passed = always, nothing_to_check, ok
POLL = 0.01
# With nothing to check, a process is ready once it has survived its first moments.
SETTLE = 0.3


def describe(service: Service) -> list[str]:
    if service.recipe.oneshot:
        return [f"exits 0 within {service.recipe.verify.startup_timeout:g} s"]
    checks = service.recipe.verify.checks
    return [CHECKS[name].describe(spec) for name, spec in checks.items()] or [
        process.describe(process.SPEC)]


def act(service: Service) -> Verdict:
    verdict = wait(service)
    if verdict.ok:
        verdict.reason = ", ".join(f"{o.kind} {o.detail}" for o in verdict.outcomes) or "exited 0"
    return verdict


def wait(service: Service) -> Verdict:
    """Poll until every check has passed once, the process dies, or the time is up."""
    ctx, verify = service.ctx, service.recipe.verify
    probe = service.probe(timeout=0.5)
    passed_now: dict[str, Outcome] = {}
    last: dict[str, Outcome] = {}
    elsewhere = PortWatch(service)
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
        for name, spec in verify.checks.items():
            if name in passed_now and not spec.recheck:
                continue
            outcome = CHECKS[name].check(spec, probe)
            last[name] = outcome
            if outcome.final:
                return Verdict(False, outcome.describe(), list(last.values()))
            if outcome.ok:
                passed_now[name] = outcome
        settled = verify.checks or ctx.clock() - started >= min(SETTLE, verify.startup_timeout)
        if not service.recipe.oneshot and len(passed_now) == len(verify.checks) and settled:
            return Verdict(True, outcomes=[*_process(probe), *passed_now.values()])
        wrong = elsewhere.look(ctx.clock())
        if wrong is not None:
            return Verdict(False, f"it listens on port {wrong.subject}, not where its checks "
                                  "look", list(last.values()), findings=[wrong])
        if ctx.clock() >= deadline:
            return Verdict(False, _timeout_reason(service, last, ctx.clock() - started),
                           list(last.values()))
        ctx.sleep(POLL)


def exit_status(service: Service) -> int | None:
    """The exit status when this bringup started the process and it ended; else None."""
    return service.running.exit_status() if service.running else None


def has_ended(service: Service) -> bool:
    if service.running is not None:
        return service.running.exit_status() is not None
    handle = service.entry.handle
    return handle is None or not supervisor.alive(handle)


def _process(probe: Probe) -> list[Outcome]:
    return [process.check(process.SPEC, probe)] if probe.handle else []


def _ended(service: Service, probe: Probe, last: dict[str, Outcome]) -> Verdict:
    status = exit_status(service)
    shown = "an unknown status" if status is None else f"status {status}"
    if status == 0:
        answering = _port_comes_up(service, probe)
        if answering:
            _adopt_daemon(service, answering)
            command = service.recipe.command_text()
            found = daemonized(command.split()[0], evidence=f"{answering[0].describe()} after "
                                                            f"`{command}` exited 0")
            return Verdict(False, "the command exited 0 while its port answers: it went to "
                                  "the background (daemonized), so bringup cannot supervise it",
                           answering, status, findings=[found])
    return Verdict(False, f"exited with {shown} before it was ready", list(last.values()), status)


def _adopt_daemon(service: Service, answering: list[Outcome]) -> None:
    """The process now holding the port was born after bringup ran the command: the command
    left it behind, so it is the service's own (and `down` or a restart can stop it)."""
    ours = service.entry.handle
    for outcome in answering:
        holder = ports.holder(outcome.address[1]) if outcome.address else None
        left = supervisor.identify(holder.pid) if holder else None
        if ours is None or left is None:
            continue
        if supervisor.born_after(left, ours):
            service.running = None
            lifecycle.adopted(service.ctx, service.name, left,
                              why="left behind by the command, holding its port")
            return


def _port_comes_up(service: Service, probe: Probe) -> list[Outcome]:
    """After an exit 0: the checks that reach an address passing within a moment means a
    daemon was left behind."""
    reaching: list[tuple[str, Spec]] = [(name, spec) for name, spec
                                        in service.recipe.verify.checks.items() if spec.address()]
    probe = replace(probe, handle=None)  # whoever answers: is it born of the command? (below)
    deadline = service.ctx.clock() + min(service.recipe.verify.startup_timeout, 3.0)
    while reaching:
        outcomes = [CHECKS[name].check(spec, probe) for name, spec in reaching]
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
