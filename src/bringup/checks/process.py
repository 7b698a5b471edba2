"""process: the service's own process is alive (the one bringup started, by pid and start time).

No recipe asks for it: every service has it, beside the checks its recipe asks for."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass

from bringup.checks.base import Outcome, Probe, Spec
from bringup.processes import supervisor
from bringup.tables import Table

KEYS: Mapping[str, tuple[type, ...]] = {}
ADDRESS_KEYS: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProcessSpec(Spec):
    """Nothing to say: the process is the one bringup recorded."""


SPEC = ProcessSpec()


def read(table: Table) -> None:
    return None


def describe(spec: ProcessSpec) -> str:
    return "the process stays alive"


def check(spec: ProcessSpec, probe: Probe) -> Outcome:
    started = time.perf_counter()
    alive = probe.handle is not None and supervisor.alive(probe.handle)
    detail = "running" if alive else "not running" if probe.handle else "not started by bringup"
    target = f"pid {probe.handle.pid}" if probe.handle else "no process"
    return Outcome("process", target, alive, (time.perf_counter() - started) * 1000, detail,
                   phrase=f"process {detail}")
