"""A command that exited 0 while its port came up went to the background (daemonized): the
process it left on the port is the service's own, and is recorded so that it can be stopped."""

from __future__ import annotations

from dataclasses import replace

from bringup.checks import CHECKS, Outcome, Probe, Spec
from bringup.core import lifecycle
from bringup.core.service import Service
from bringup.diagnosis import Finding, daemonized
from bringup.processes import ports, supervisor

POLL = 0.05


def left_behind(service: Service, probe: Probe) -> tuple[Finding, list[Outcome]] | None:
    """After an exit 0: the finding, and the checks that answer, when a daemon was left."""
    answering = _port_comes_up(service, probe)
    if not answering:
        return None
    _adopt(service, answering)
    command = service.recipe.command_text()
    found = daemonized(command.split()[0], evidence=f"{answering[0].describe()} after "
                                                    f"`{command}` exited 0")
    return found, answering


def _adopt(service: Service, answering: list[Outcome]) -> None:
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
