"""log: this start's log shows the ready line, and no line matches `log_error`."""

from __future__ import annotations

import re
import time
from collections.abc import Mapping

from bringup.checks.base import Outcome, Probe

KEYS: Mapping[str, tuple[type, ...]] = {"log": (str,), "log_error": (str,)}


def wanted(probe: Probe) -> bool:
    return probe.verify.log is not None or probe.verify.log_error is not None


def target(probe: Probe) -> str:
    return probe.log_path.name


def run(probe: Probe) -> Outcome:
    started = time.perf_counter()
    ok, detail = _scan(probe, read_since(probe))
    return Outcome("log", target(probe), ok, (time.perf_counter() - started) * 1000, detail)


def read_since(probe: Probe) -> str:
    try:
        with probe.log_path.open("rb") as log:
            log.seek(probe.log_offset)
            return log.read().decode(errors="replace")
    except FileNotFoundError:
        return ""


def error_line(probe: Probe) -> str | None:
    """The first line of this start's log that matches `log_error`, if any."""
    pattern = probe.verify.log_error
    if pattern is None:
        return None
    text = read_since(probe)
    found = re.search(pattern, text, re.MULTILINE)
    return _line_at(text, found.start()) if found else None


def _scan(probe: Probe, text: str) -> tuple[bool, str]:
    verify = probe.verify
    if verify.log_error is not None:
        bad = re.search(verify.log_error, text, re.MULTILINE)  # as error_line reads it
        if bad:
            return False, f"error line: {_line_at(text, bad.start())}"
    if verify.log is None:
        return True, "no error line"
    found = text.find(verify.log)
    if found < 0:
        return False, f"no line with {verify.log!r} yet"
    return True, _line_at(text, found)


def _line_at(text: str, index: int) -> str:
    start = text.rfind("\n", 0, index) + 1
    end = text.find("\n", index)
    return text[start:end if end >= 0 else len(text)].strip()
