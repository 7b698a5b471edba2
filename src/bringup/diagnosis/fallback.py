"""The `crashed` fallback: nothing in the log matched a rule, so report the exit status (known
to bringup, else as the log gives it: a shell's "Killed", supervisord's "exit status 0; not
expected", compose's "exited with code 137") and the last line that looks like the error."""

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
    r"|^\s*\d+: 0x[0-9a-f]+ "  # a native stack's frames (node's after a FATAL ERROR)
)
# A runtime saying it ran out of memory: Java, Python, V8, Go, glibc, C++, PHP.
_MEMORY = re.compile(r"OutOfMemoryError|\bMemoryError\b|JavaScript heap out of memory"
                     r"|Cannot allocate memory|runtime: out of memory|std::bad_alloc"
                     r"|Allowed memory size of \d+ bytes exhausted")


# How shells, supervisors, compose, wrappers, make and Go's exec say a process ended; the
# subject is the word or number the log gives.
_ENDED = re.compile(
    r"^(?:\S+: line \d+: +\d+ +)?(?P<signal>Killed|Segmentation fault|Aborted|Terminated"
    r"|Bus error|Illegal instruction|Floating point exception|Hangup|Quit)(?: \(core dumped\))?"
    r"(?:\s|$)"
    r"|\bexited with (?:code|status) (?P<code>\d+)"
    r"|^make(?:\[\d+\])?: \*\*\* \[[^\]]*\] Error (?P<make>\d+)"
    r"|\(exit status (?P<status>\d+); not expected\)"
    r"|\(terminated by (?P<by>SIG[A-Z]+)(?:\s*\(core dumped\))?; not expected\)"
    r"|^terminated by (?P<foreman>SIG[A-Z]+)\s*$"  # foreman, behind its `TIME name.N | `
    r"|\bsignal: (?P<go>killed|segmentation fault|aborted|terminated)\b"
    r"|\bexit status (?P<exit>\d+)\b"
    r"|\bexited normally \(with status '(?P<tini>\d+)'\)"  # tini
    r"|\bexited with signal \(with signal '(?P<tsig>[^']+)'\)"
    r"|\breturned a non-zero code: (?P<docker>\d+)"  # docker build's RUN step
    r"|\bdid not complete successfully: exit code: (?P<buildkit>\d+)"
    r"|\b(?P<oom>OOMKilled)\b")
# The words without which _ENDED cannot match: looked for in the whole text first (cheap).
_ENDED_WORDS = ("Killed", "Segmentation fault", "Aborted", "Terminated", "Bus error",
                "Illegal instruction", "Floating point exception", "Hangup", "Quit",
                "exited with code", "exited with status", "*** [", "exit status", "terminated by",
                "signal: ", "(with status '", "(with signal '", "returned a non-zero code",
                "did not complete successfully")


def crashed(lines: list[str], exit_status: int | None) -> Finding:
    """The status bringup saw, else the one the log says; the line that says why."""
    said = ended(lines) if exit_status is None else None
    status, line = said or (status_text(exit_status), "")
    fix = advice.crashed(status)
    if "memory" not in fix and _MEMORY.search("\n".join(lines)):
        fix = advice.out_of_memory() + fix
    return Finding.build("crashed", status, fix=fix,
                         evidence=last_error(lines) if not line or _names_error(lines) else line)


def ended(lines: list[str]) -> tuple[str, str] | None:
    """How the log says the process ended (the latest such line): the status or signal as it
    is written there, and the line. Only the lines holding one of its words are read: a long
    quiet log costs a few milliseconds."""
    text = "\n".join(lines)
    starts: set[int] = set()
    for word in _ENDED_WORDS:
        at = text.find(word)
        while at != -1:
            starts.add(text.rfind("\n", 0, at) + 1)
            at = text.find(word, at + len(word))
    for start in sorted(starts, reverse=True):
        end = text.find("\n", start)
        line = text[start:end if end != -1 else len(text)].strip()
        found = _ENDED.search(line)
        if found:
            return next(group for group in found.groups() if group), line
    return None


def _names_error(lines: list[str]) -> bool:
    return any(_ERROR.search(line) and not _NOISE.search(line) for line in lines)


def names_an_error(lines: list[str]) -> bool:
    """Does any line name an error, or say the process ended on a signal or a status? A quiet
    log of a process that did not fail explains nothing."""
    return _names_error(lines) or ended(lines) is not None


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
