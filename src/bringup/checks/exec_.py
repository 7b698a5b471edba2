"""exec: a command exits 0 and, optionally, prints an expected text."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass

from bringup.checks.base import Outcome, Probe, Spec, alone
from bringup.tables import Table

KEYS: Mapping[str, tuple[type, ...]] = {"exec": (str, list), "exec_expect": (str,)}
ADDRESS_KEYS: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExecSpec(Spec):
    command: str | tuple[str, ...]  # a string runs through /bin/sh -c, an array directly
    expect: str | None = None

    @property
    def text(self) -> str:
        return self.command if isinstance(self.command, str) else " ".join(self.command)


def read(table: Table) -> ExecSpec | None:
    command = table.command("exec")
    if command is None:
        alone(table, "exec", ("exec_expect",))
        return None
    return ExecSpec(command, table.nonempty("exec_expect"))


def describe(spec: ExecSpec) -> str:
    return f"exec {spec.text}"


def check(spec: ExecSpec, probe: Probe) -> Outcome:
    from bringup.processes.runner import run_command  # a report without checks: no subprocess

    started = time.perf_counter()
    result = run_command(spec.command, cwd=probe.cwd, env=dict(probe.env),
                         timeout=max(probe.timeout, 2.0))
    lines = result.output.strip().splitlines()
    detail = lines[-1] if lines else f"exit {result.code}"
    ok = result.code == 0 and (spec.expect is None or spec.expect in result.output)
    if result.code == 0 and not ok:
        detail = f"output lacks {spec.expect!r}"
    elapsed = (time.perf_counter() - started) * 1000
    return Outcome("exec", spec.text, ok, elapsed, detail)
