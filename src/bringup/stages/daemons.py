"""A command that exited 0 while its port came up went to the background (daemonized): the
process it left on the port is the service's own, and is recorded so that it can be stopped."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from bringup import diagnosis
from bringup.checks import CHECKS, Outcome, Probe, Spec
from bringup.core import lifecycle
from bringup.core.service import Service
from bringup.processes import ports, supervisor, tags

if TYPE_CHECKING:
    from bringup.diagnosis import Finding

POLL = 0.05


def left_behind(service: Service, probe: Probe) -> tuple[Finding, list[Outcome]] | None:
    """After an exit 0: the finding, and the checks that answer, when a daemon was left."""
    answering = _port_comes_up(service, probe)
    if not answering:
        return None
    _adopt(service, answering)
    command = service.recipe.command_text()
    found = diagnosis.daemonized(service.recipe.words()[0],
                                 evidence=f"{answering[0].describe()} after `{command}` exited 0")
    return found, answering


def _adopt(service: Service, answering: list[Outcome]) -> None:
    """The process now holding the port was left behind by the command: it carries this
    start's tag, or (a program that wrote its title over its environment) it was born after
    the command, in bringup's own control groups. Then it is the service's own, and `down`
    or a restart can stop it. One a service manager started for the command (`systemctl
    start`) is neither, and is never adopted."""
    start, ours = service.entry.start_id, service.entry.handle
    for outcome in answering:
        holder = ports.holder(outcome.address[1]) if outcome.address else None
        left = supervisor.identify(holder.pid) if holder else None
        if left is None or ours is None or start is None:
            continue
        tagged = tags.carries(left.pid, service.tag + start)
        if tagged or (tagged is None and supervisor.born_after(left, ours)
                      and tags.same_cgroup(left.pid)):
            service.running = None
            lifecycle.adopted(service.ctx, service.name, left,
                              why="left behind by the command, holding its port")
            return


def _port_comes_up(service: Service, probe: Probe) -> list[Outcome]:
    """The checks that reach an address, passing within a moment of the exit."""
    reaching: list[tuple[str, Spec]] = [(name, spec) for name, spec
                                        in service.recipe.verify.checks.items() if spec.address()]
    probe = replace(probe, handle=None)  # whoever answers: is it born of the command? (above)
    deadline = service.ctx.clock() + min(service.recipe.verify.startup_timeout, 3.0)
    while reaching:
        outcomes = [CHECKS[name].check(spec, probe) for name, spec in reaching]
        if all(outcome.ok for outcome in outcomes):
            return outcomes
        if service.ctx.clock() >= deadline:
            break
        service.ctx.sleep(POLL)
    return []
