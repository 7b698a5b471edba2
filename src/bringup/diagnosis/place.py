"""Where a match sits in a log, and the lines around it: for subjects that a log spreads over
several lines."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from .finding import UNKNOWN


@dataclass(frozen=True)
class Place:
    lines: list[str]
    index: int
    exit_status: int | None = None
    # Log-wide searches, shared by every line's context so each runs once per log.
    searched: dict[re.Pattern[str], re.Match[str] | None] = field(default_factory=dict)

    @property
    def line(self) -> str:
        return self.lines[self.index]

    @property
    def below(self) -> str:
        """The line under the match ("" at the log's end)."""
        return self.lines[self.index + 1] if self.index + 1 < len(self.lines) else ""

    def before(self, count: int) -> Iterator[str]:
        """The `count` lines above the match, nearest first."""
        for i in range(self.index - 1, max(self.index - count, 0) - 1, -1):
            yield self.lines[i]

    def nearest(self, count: int) -> Iterator[str]:
        """The match's line, then lines alternately above and below it, nearest first, up to
        `count` lines away."""
        yield self.line
        for step in range(1, count + 1):
            above, below = self.index - step, self.index + step
            if above < 0 and below >= len(self.lines):
                return
            if above >= 0:
                yield self.lines[above]
            if below < len(self.lines):
                yield self.lines[below]

    def find_back(self, pattern: re.Pattern[str], count: int) -> re.Match[str] | None:
        return _first(pattern, self.before(count))

    def index_back(self, pattern: re.Pattern[str], count: int) -> int | None:
        """The index of the nearest of the `count` lines above that matches."""
        for i in range(self.index - 1, max(self.index - count, 0) - 1, -1):
            if pattern.search(self.lines[i]):
                return i
        return None

    def find_near(self, pattern: re.Pattern[str], count: int) -> re.Match[str] | None:
        return _first(pattern, self.nearest(count))

    def find_anywhere(self, pattern: re.Pattern[str], holding: str = "") -> re.Match[str] | None:
        """The first match in the whole log (among the lines `holding` a literal, if given: the
        cheap test first)."""
        if pattern not in self.searched:
            lines = (text for text in self.lines if holding in text)
            self.searched[pattern] = _first(pattern, lines)
        return self.searched[pattern]

    def status(self) -> str:
        return status_text(self.exit_status)


def status_text(exit_status: int | None) -> str:
    """An exit status as a subject: "1", "signal 9" for a kill, "unknown" when not known."""
    if exit_status is None:
        return UNKNOWN
    if exit_status < 0:
        return f"signal {-exit_status}"
    return str(exit_status)


def _first(pattern: re.Pattern[str], lines: Iterator[str]) -> re.Match[str] | None:
    for text in lines:
        found = pattern.search(text)
        if found:
            return found
    return None
