"""The check kinds, in one explicit registry; the recipe schema takes its [verify] keys from it."""

from __future__ import annotations

from bringup.checks import exec_, http, log, process, tcp
from bringup.checks.base import CheckKind, Outcome, Probe

CHECKS: dict[str, CheckKind] = {
    "process": process,
    "tcp": tcp,
    "http": http,
    "exec": exec_,
    "log": log,
}

__all__ = ["CHECKS", "CheckKind", "Outcome", "Probe", "run_all"]


def run_all(probe: Probe) -> list[Outcome]:
    """Every check the recipe asks for, plus the process check when there is a process."""
    return [kind.run(probe) for kind in CHECKS.values() if kind.wanted(probe)]
