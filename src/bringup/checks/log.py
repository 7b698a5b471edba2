"""log: this start's log (its output and the files it logs to) shows the ready line, and no line
matches `log_error`."""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass

from bringup.checks.base import Outcome, Probe, Spec
from bringup.state.logs import read_sources
from bringup.tables import Table

KEYS: Mapping[str, tuple[type, ...]] = {"log": (str,), "log_error": (str,)}
ADDRESS_KEYS: tuple[str, ...] = ()


@dataclass(frozen=True)
class LogSpec(Spec):
    ready: str | None = None  # text that appears once the service is ready
    error: str | None = None  # a regex: a line matching it fails the check for good

    @property
    def readiness(self) -> bool:
        return self.ready is not None

    @property
    def recheck(self) -> bool:
        return self.error is not None


def read(table: Table) -> LogSpec | None:
    ready, error = table.nonempty("log"), table.nonempty("log_error")  # "" matches every line
    if error is not None:
        try:
            re.compile(error)
        except re.error as problem:
            raise table.fail("log_error", f"expected a regular expression ({problem})") from None
    return LogSpec(ready, error) if ready is not None or error is not None else None


def describe(spec: LogSpec) -> str:
    if spec.ready is None:
        return f"log without a line matching {spec.error!r}"
    return f"log line {spec.ready!r}"


def check(spec: LogSpec, probe: Probe) -> Outcome:
    started = time.perf_counter()
    text = read_sources(probe.logs(), marked=probe.marked)
    ok, detail, bad = _scan(spec, text)
    elapsed = (time.perf_counter() - started) * 1000
    phrase = f"log line matches log_error: {bad}" if bad is not None else ""
    return Outcome("log", probe.log_path.name, ok, elapsed, detail, phrase=phrase,
                   final=bad is not None)


def _scan(spec: LogSpec, text: str) -> tuple[bool, str, str | None]:
    if spec.error is not None:
        bad = re.search(spec.error, text, re.MULTILINE)
        if bad:
            line = _line_at(text, bad.start())
            return False, f"error line: {line}", line
    if spec.ready is None:
        return True, "no error line", None
    found = text.find(spec.ready)
    if found < 0:
        return False, f"no line with {spec.ready!r} yet", None
    return True, _line_at(text, found), None


def _line_at(text: str, index: int) -> str:
    start = text.rfind("\n", 0, index) + 1
    end = text.find("\n", index)
    return text[start:end if end >= 0 else len(text)].strip()
