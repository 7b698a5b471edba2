"""Log → findings: what a failed service's log says went wrong, and the fix for it.

Pure functions over text: this part imports nothing else of bringup. The caller adds what
only the live system knows (who holds a port, which recipe owns an address)."""

from __future__ import annotations

from .announced import announced_ports
from .engine import diagnose, worth_reading
from .finding import KIND_STAGE, Finding
from .modules import distribution_for
from .observed import daemonized, loopback_mismatch, waiting, wrong_port
from .packages import packages_for
from .waits import arrived, waits_for

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
    "waiting",
    "waits_for",
    "worth_reading",
    "wrong_port",
]
