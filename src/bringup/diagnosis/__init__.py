"""Log → findings: what a failed service's log says went wrong, and the fix for it.

Pure functions over text; the caller adds what only the live system knows (who holds a
port, which recipe owns an address) with the helpers in `facts`."""

from __future__ import annotations

from .engine import diagnose
from .facts import daemonized, held_by, loopback_mismatch, owned_by
from .finding import KIND_STAGE, Finding
from .modules import distribution_for

__all__ = [
    "KIND_STAGE",
    "Finding",
    "daemonized",
    "diagnose",
    "distribution_for",
    "held_by",
    "loopback_mismatch",
    "owned_by",
]
