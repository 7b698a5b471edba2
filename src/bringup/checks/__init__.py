"""The check kinds, in one explicit registry. Each kind module owns its `[verify]` keys, reads
and validates them into its spec, says what address it reaches, and runs the check; the recipe
reader takes `[verify]` from here. A new kind is one module and one line below."""

from __future__ import annotations

from typing import Any

from bringup.checks import connects, exec_, http, log, process, tcp
from bringup.checks.base import Address, CheckKind, Outcome, Probe, Spec, Verify, healthy
from bringup.tables import Table

CHECKS: dict[str, CheckKind[Any]] = {
    "process": process,
    "tcp": tcp,
    "http": http,
    "exec": exec_,
    "log": log,
    "connects": connects,
}
TIMINGS = {"startup_timeout": 30.0, "stable_for": 10.0, "interval": 1.0}
LEAST = {"interval": 0.01, "startup_timeout": 0.01}  # seconds: less is a busy loop

__all__ = ["CHECKS", "Address", "CheckKind", "Outcome", "Probe", "Spec", "Verify", "healthy",
           "read_verify", "run_all"]


def read_verify(parent: Table, port: int | None) -> Verify:
    """The recipe's `[verify]`. A service with a port and no check that tells when it is ready
    gets a connect to that port."""
    table = Table(parent.file, "verify.", parent.get("verify", (dict,), {}))
    table.only((*(key for kind in CHECKS.values() for key in kind.KEYS), *TIMINGS))
    checks = {name: spec for name, kind in CHECKS.items()
              if (spec := kind.read(table)) is not None}
    if port is not None and not any(spec.readiness for spec in checks.values()):
        checks = {"tcp": tcp.at_port(port), **checks}
    timing = {key: table.number(key, default, least=LEAST.get(key, 0))
              for key, default in TIMINGS.items()}
    return Verify(checks, **timing)


def run_all(verify: Verify, probe: Probe) -> list[Outcome]:
    """The process check (but for an external service, which has none), then every check the
    recipe asks for."""
    return [*([] if probe.external else [process.check(process.SPEC, probe)]),
            *(CHECKS[name].check(spec, probe) for name, spec in verify.checks.items())]


def address_keys() -> frozenset[str]:
    """The `[verify]` keys whose value names an address (where a moved port is rewritten)."""
    return frozenset(key for kind in CHECKS.values() for key in kind.ADDRESS_KEYS)
