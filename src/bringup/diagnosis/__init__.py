"""Log → findings: what a failed service's log says went wrong, and the fix for it.

Pure functions over text: this part imports nothing else of bringup. The caller adds what
only the live system knows (who holds a port, which recipe owns an address).

Each name is imported from its module when first asked for (PEP 562): a command that only
needs the package table or the Finding type does not load the rules."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .announced import announced_ports
    from .engine import diagnose, worth_reading
    from .finding import KIND_STAGE, Finding
    from .modules import distribution_for
    from .observed import daemonized, loopback_mismatch, unresolved, waiting, wrong_port
    from .packages import packages_for
    from .waits import arrived, waits_for

_HOME = {
    "KIND_STAGE": "finding", "Finding": "finding", "announced_ports": "announced",
    "arrived": "waits", "daemonized": "observed", "diagnose": "engine",
    "distribution_for": "modules", "loopback_mismatch": "observed", "packages_for": "packages",
    "unresolved": "observed", "waiting": "observed", "waits_for": "waits",
    "worth_reading": "engine", "wrong_port": "observed",
}
__all__ = [
    "KIND_STAGE",
    "Finding",
    "announced_ports",
    "arrived",
    "daemonized",
    "diagnose",
    "distribution_for",
    "loopback_mismatch",
    "packages_for",
    "unresolved",
    "waiting",
    "waits_for",
    "worth_reading",
    "wrong_port",
]


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value
