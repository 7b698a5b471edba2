"""Stage verify: every check passes once within `startup_timeout`, the process still alive.

Polled fast, so a service that becomes ready is noticed within milliseconds."""

from __future__ import annotations

from bringup.checks import CHECKS, Outcome, Probe, process
from bringup.core import lifecycle
from bringup.core.service import Service
from bringup.processes import supervisor
from bringup.stages.base import Verdict, always, nothing_to_check, ok
from bringup.stages.daemons import left_behind
from bringup.stages.listening import PortWatch
from bringup.stages.logwatch import LogWatch
from bringup.state.logs import last_line
from bringup.state.model import StageName

NAME: StageName = "verify"
STARTS, WATCHES = False, True
applies, check, passed = always, nothing_to_check, ok
POLL = 0.01
SETTLE = 0.3  # seconds a service with no readiness check must live to count as ready


def describe(service: Service) -> list[str]:
    if service.recipe.oneshot:
        return [f"exits 0 within {service.recipe.verify.startup_timeout:g} s"]
    checks = service.recipe.verify.checks
    return [CHECKS[name].describe(spec) for name, spec in checks.items()] or [
        process.describe(process.SPEC)]


def act(service: Service) -> Verdict:
    began = service.ctx.clock()
    verdict = wait(service)
    if verdict.ok:
        lifecycle.ready(service.ctx, service.name, service.ctx.clock() - began)
        verdict.reason = ", ".join(f"{o.kind} {o.detail}" for o in verdict.outcomes) or "exited 0"
    return verdict


def wait(service: Service) -> Verdict:
    """Poll until every check has passed once, the process dies, or the time is up."""
    waiting = _Waiting(service)
    limit = service.recipe.verify.startup_timeout
    log = service.ctx.workspace.log_path(service.name)
    with service.ctx.out.progress(f"{service.name}: verify, up to {limit:g} s",
                                  timed=False) as shown:
        while True:
            verdict = waiting.step()
            if verdict is not None:
                return verdict
            if shown.wanted:
                shown.say(last_line(log))
            service.ctx.sleep(POLL)


class _Waiting:
    """One start being waited on: what has passed so far, and what watches it meanwhile."""

    def __init__(self, service: Service) -> None:
        self.service, self.verify = service, service.recipe.verify
        self.probe = service.probe(timeout=0.5)
        self.passed: dict[str, Outcome] = {}
        self.last: dict[str, Outcome] = {}
        self.ran: dict[str, float] = {}  # when each check last ran
        self.elsewhere, self.causes = PortWatch(service), LogWatch(service)
        self.started = service.ctx.clock()

    def step(self) -> Verdict | None:
        """One poll: a verdict once there is one."""
        if has_ended(self.service):
            return self._ended()
        if self.service.recipe.oneshot:
            return self._failed_for_good() or self._timed_out()
        return self._checked() or self._elsewhere() or self._timed_out()

    def _failed_for_good(self) -> Verdict | None:
        """A task is judged by its exit; only a check that fails for good (an error line its
        recipe names) ends the wait before it."""
        for name, spec in self.verify.checks.items():
            outcome = CHECKS[name].check(spec, self.probe) if spec.recheck else None
            if outcome is not None and outcome.final:
                return Verdict(False, outcome.describe(), [outcome])
        return None

    def _ended(self) -> Verdict:
        status = exit_status(self.service)
        if self.service.recipe.oneshot:
            return Verdict(status == 0, "" if status == 0 else f"exited with status {status}",
                           exit_status=status)
        daemon = left_behind(self.service, self.probe) if status == 0 else None
        if daemon is not None:
            found, answering = daemon
            return Verdict(False, "the command exited 0 while its port answers: it went to "
                                  "the background (daemonized), so bringup cannot supervise it",
                           answering, status, findings=[found])
        shown = "an unknown status" if status is None else f"status {status}"
        return Verdict(False, f"exited with {shown} before it was ready",
                       list(self.last.values()), status)

    def _checked(self) -> Verdict | None:
        """Run what has not passed yet (and what can still fail later); read the log."""
        now = self.service.ctx.clock()
        for name, spec in self.verify.checks.items():
            if name in self.passed and not spec.recheck:
                continue
            if name in self.ran and now - self.ran[name] < spec.every:
                continue
            self.ran[name] = now
            outcome = self.last[name] = CHECKS[name].check(spec, self.probe)
            if outcome.final:
                return Verdict(False, outcome.describe(), list(self.last.values()))
            if outcome.ok:
                self.passed[name] = outcome
        said = self.causes.look()
        if not said.ok:
            return Verdict(False, said.describe(), [*self.last.values(), said],
                           findings=[self.causes.finding] if self.causes.finding else [])
        # With no check that can tell it is ready, a service is ready once it has survived
        # its first moments (long enough to say an error its recipe looks for).
        ready_told = any(spec.readiness for spec in self.verify.checks.values())
        elapsed = self.service.ctx.clock() - self.started
        settled = ready_told or elapsed >= min(SETTLE, self.verify.startup_timeout)
        if len(self.passed) == len(self.verify.checks) and settled:
            return Verdict(True, outcomes=[*_process(self.probe), *self.passed.values(), said])
        return None

    def _elsewhere(self) -> Verdict | None:
        wrong = self.elsewhere.look(self.service.ctx.clock())
        if wrong is None:
            return None
        return Verdict(False, f"it listens on port {wrong.subject}, not where its checks look",
                       list(self.last.values()), findings=[wrong])

    def _timed_out(self) -> Verdict | None:
        waited = self.service.ctx.clock() - self.started
        if waited < self.verify.startup_timeout:
            return None
        failing = [o for o in self.last.values() if not o.ok]
        what = "; ".join(o.describe() for o in failing) or "checks failing"
        if self.service.recipe.oneshot:
            what = "it has not exited"
        reason = f"{what} for {waited:.0f} s (startup_timeout {self.verify.startup_timeout:g} s)"
        return Verdict(False, reason, list(self.last.values()))


def exit_status(service: Service) -> int | None:
    """The exit status when this bringup started the process and it ended; else None."""
    return service.running.exit_status() if service.running else None


def has_ended(service: Service) -> bool:
    if service.recipe.external:
        return False  # it has no process of bringup's: its checks alone say how it is
    if service.running is not None:
        return service.running.exit_status() is not None
    handle = service.entry.handle
    return handle is None or not supervisor.alive(handle)


def _process(probe: Probe) -> list[Outcome]:
    return [process.check(process.SPEC, probe)] if probe.handle else []
