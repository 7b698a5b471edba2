"""process: the service's own process is alive (the one bringup started, by pid and start time)."""

from __future__ import annotations

import time
from collections.abc import Mapping

from bringup import supervisor
from bringup.checks.base import Outcome, Probe

KEYS: Mapping[str, tuple[type, ...]] = {}


def wanted(probe: Probe) -> bool:
    """Always: a service is only up while the process bringup started for it is."""
    return True


def target(probe: Probe) -> str:
    return f"pid {probe.handle.pid}" if probe.handle else "no process"


def run(probe: Probe) -> Outcome:
    started = time.perf_counter()
    alive = probe.handle is not None and supervisor.alive(probe.handle)
    detail = "running" if alive else "not running" if probe.handle else "not started by bringup"
    return Outcome("process", target(probe), alive, (time.perf_counter() - started) * 1000, detail)
