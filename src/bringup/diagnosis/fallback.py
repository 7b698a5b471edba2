"""The `crashed` fallback: nothing in the log matched a rule, so report the exit status and
the last line that looks like the error."""

from __future__ import annotations

import re

from . import advice
from .finding import Finding
from .place import status_text

_ERROR = re.compile(r"Error|Exception|FATAL|fatal|panic")
# Lines that never explain a crash: stack frames, carets, warnings, and the chatter that
# runners print after the real error (nodemon, node's version footer, npm's log pointer).
_NOISE = re.compile(
    r'^\s+at |^\s*File "|^\s*[\^~]+\s*$|^\s*[{}\[\]()],?\s*$'
    r"|\bWARN(?:ING)?\b|Warning:|^\s*LOG:|^\(node:\d+\) "
    r"|^\[nodemon\]|^Node\.js v\d|A complete log of this run|_logs/\S+-debug|^npm (?:notice|WARN)"
    r"|^\s*\* (?:Running on|Serving Flask app|Debug mode|Restarting with)"
)


def crashed(lines: list[str], exit_status: int | None) -> Finding:
    status = status_text(exit_status)
    return Finding.build("crashed", status, fix=advice.crashed(status), evidence=last_error(lines))


def names_an_error(lines: list[str]) -> bool:
    """Does any line name an error? A quiet log of a process that did not fail explains nothing."""
    return any(_ERROR.search(line) and not _NOISE.search(line) for line in lines)


def last_error(lines: list[str]) -> str:
    """The last line naming an error, else the last meaningful line, else nothing."""
    meaningful = ""
    for line in reversed(lines):
        if not line.strip():
            continue
        # The cheap test first: the noise pattern only runs on the few lines it can change.
        if _ERROR.search(line):
            if not _NOISE.search(line):
                return line.strip()
        elif not meaningful and not _NOISE.search(line):
            meaningful = line.strip()
    return meaningful


# What a running program prints when an error escaped every handler.
_UNHANDLED = re.compile(r"Traceback \(most recent call last\)|\bUnhandled\b|\buncaught\b"
                        r"|UnhandledPromiseRejection|^panic: |^goroutine \d+ \[running\]",
                        re.IGNORECASE)


def unhandled(lines: list[str]) -> bool:
    """Does any line say that an error went unhandled?"""
    return any(_UNHANDLED.search(line) for line in lines)
