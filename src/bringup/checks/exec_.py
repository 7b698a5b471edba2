"""exec: a command exits 0 and, optionally, prints an expected text."""

from __future__ import annotations

import time
from collections.abc import Mapping

from bringup.checks.base import Outcome, Probe
from bringup.run import run as run_command

KEYS: Mapping[str, tuple[type, ...]] = {"exec": (str, list), "exec_expect": (str,)}


def wanted(probe: Probe) -> bool:
    return probe.verify.exec is not None


def target(probe: Probe) -> str:
    command = probe.verify.exec
    return command if isinstance(command, str) else " ".join(command or ())


def run(probe: Probe) -> Outcome:
    started = time.perf_counter()
    assert probe.verify.exec is not None
    result = run_command(probe.verify.exec, cwd=probe.cwd, env=dict(probe.env),
                         timeout=max(probe.timeout, 2.0))
    lines = result.output.strip().splitlines()
    detail = lines[-1] if lines else f"exit {result.code}"
    expect = probe.verify.exec_expect
    ok = result.code == 0 and (expect is None or expect in result.output)
    if result.code == 0 and not ok:
        detail = f"output lacks {expect!r}"
    elapsed = (time.perf_counter() - started) * 1000
    return Outcome("exec", target(probe), ok, elapsed, detail)
