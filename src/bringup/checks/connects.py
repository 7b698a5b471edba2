"""connects: the service's own processes hold a connection to each of the services named (to a
port of theirs on this machine), so that `api -> redis` is something seen, not assumed."""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass

from bringup.checks.base import Outcome, Probe, Spec
from bringup.tables import Table

KEYS: Mapping[str, tuple[type, ...]] = {"connects": (list,)}
ADDRESS_KEYS: tuple[str, ...] = ()
NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")
LOCAL = ("127.", "::1", "0.0.0.0", "::")


@dataclass(frozen=True)
class ConnectsSpec(Spec):
    services: tuple[str, ...]

    @property
    def readiness(self) -> bool:
        return False  # a client may connect before its own port opens: the port check stays

    @property
    def every(self) -> float:
        return 0.25

    def refers_to(self) -> Mapping[str, tuple[str, ...]]:
        return {"verify.connects": self.services}


def read(table: Table) -> ConnectsSpec | None:
    names = table.strings("connects")
    if "connects" not in table.data:
        return None
    if not names or not all(NAME.fullmatch(name) for name in names):
        raise table.fail("connects", f"expected an array of service names, got {names!r}")
    return ConnectsSpec(names)


def describe(spec: ConnectsSpec) -> str:
    return f"connects to {', '.join(spec.services)}"


def check(spec: ConnectsSpec, probe: Probe) -> Outcome:
    started = time.perf_counter()
    seen = connected(spec.services, probe)
    missing = [name for name in spec.services if name not in seen]
    detail = "; ".join([*(f"connected to {name}" for name in seen),
                        *(f"no connection to {name} ({_ports(probe, name)})" for name in missing)])
    return Outcome("connects", ", ".join(spec.services), not missing,
                   (time.perf_counter() - started) * 1000, detail)


def connected(services: tuple[str, ...], probe: Probe) -> list[str]:
    """Those of `services` that the service's own processes hold a connection to."""
    from bringup.processes import ports  # psutil and the socket table: for this check alone

    remote = ports.connected_to(probe.handle) if probe.handle else set()
    reached = {port for ip, port in remote if ip.startswith(LOCAL)}
    return [name for name in services if probe.peers.get(name, frozenset()) & reached]


def _ports(probe: Probe, name: str) -> str:
    found = sorted(probe.peers.get(name, ()))
    return "port " + ", ".join(map(str, found)) if found else "no port known"
