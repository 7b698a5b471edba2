"""Where Python tracebacks sit in a log, so ranking can tell the root of a chain from the
exceptions raised while handling it, and skip the frames in between."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

HEADER = "traceback (most recent call last)"
MARKERS = (
    "during handling of the above exception, another exception occurred",
    "the above exception was the direct cause of the following exception",
)
_MESSAGE_LINES = 30  # an exception message longer than this is not worth following


@dataclass(frozen=True)
class Unit:
    """One traceback: frames from `start`, its exception on line `exception` up to `end`.
    `depth` counts from the root of its chain (0); `chain_end` is where the chain stops."""

    start: int
    exception: int
    end: int
    depth: int
    chain_end: int


class Tracebacks:
    def __init__(self, units: list[Unit]) -> None:
        self._units = units
        self._starts = [unit.start for unit in units]

    @classmethod
    def scan(cls, lines: list[str], headers: list[int], markers: set[int]) -> Tracebacks:
        """Units for the given header lines; `markers` are the chain marker lines."""
        spans: list[tuple[int, int, int, bool]] = []
        for n, start in enumerate(headers):
            stop = headers[n + 1] if n + 1 < len(headers) else len(lines)
            exception = _exception_line(lines, start, stop)
            end = _message_end(lines, exception, stop, markers)
            spans.append((start, exception, end, _chained(lines, start, markers)))
        return cls(_link(spans))

    def unit_at(self, index: int) -> Unit | None:
        n = bisect.bisect_right(self._starts, index) - 1
        if n < 0 or index > self._units[n].end:
            return None
        return self._units[n]

    def in_frames(self, index: int) -> bool:
        """Frame lines quote source code, which is no evidence of what failed."""
        unit = self.unit_at(index)
        return unit is not None and unit.start <= index < unit.exception


def _exception_line(lines: list[str], start: int, stop: int) -> int:
    """The first line after the frames: the frames are indented relative to the header, and a
    log prefix before `Traceback` (a timestamp, a container name) repeats on every line."""
    header = lines[start]
    prefix = header[: header.lower().find(HEADER)]
    for index in range(start + 1, stop):
        body = lines[index].removeprefix(prefix)
        if body.strip() and not body[0].isspace():
            return index
    return stop - 1


def _message_end(lines: list[str], exception: int, stop: int, markers: set[int]) -> int:
    end = exception
    limit = min(stop, exception + _MESSAGE_LINES)
    while end + 1 < limit and lines[end + 1].strip() and end + 1 not in markers:
        end += 1
    return end


def _chained(lines: list[str], start: int, markers: set[int]) -> bool:
    """Whether a chain marker (blank lines around it) sits right above this header."""
    index = start - 1
    while index >= 0 and not lines[index].strip():
        index -= 1
    return index in markers


def _link(spans: list[tuple[int, int, int, bool]]) -> list[Unit]:
    chains: list[list[tuple[int, int, int]]] = []
    for start, exception, end, chained in spans:
        if chained and chains:
            chains[-1].append((start, exception, end))
        else:
            chains.append([(start, exception, end)])
    return [
        Unit(start, exception, end, depth, chain[-1][2])
        for chain in chains
        for depth, (start, exception, end) in enumerate(chain)
    ]
