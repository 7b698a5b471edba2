"""The log is evidence during verify and stable: every line the service writes, to its output or
its log files, goes through the diagnosis rules as it comes. A line that names a cause fails
the stage with that finding, however well the port answers. A refused connection or a wait for
a dependency may be passing: it fails once it has come more than TIMES times with no
connection made in between, or when the window ends with it unanswered; one the service then
recovers from is kept as evidence."""

from __future__ import annotations

import time
from collections import deque
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from bringup import diagnosis
from bringup.checks import Outcome
from bringup.core.service import Service
from bringup.state.logs import complete_lines

if TYPE_CHECKING:
    from bringup.diagnosis import Finding

TIMES = 3
CONTEXT = 200  # lines read again around new ones, so a traceback split across reads is whole
PASSING = frozenset({"connection-refused"})  # causes a client may outlive by retrying
# What a database server logs about its clients (a wrong password, a missing database) is theirs.
CLIENTS_OWN = frozenset({"auth-failed", "database-missing"})
SERVERS = ("postgres", "postmaster", "pg_ctl", "mysqld", "mariadbd", "mysqld_safe", "mongod",
           "redis-server", "valkey-server")


class LogWatch:
    def __init__(self, service: Service) -> None:
        self._positions: dict[Path, int] = dict(service.log_sources())
        self._names = ", ".join(path.name for path in self._positions)
        self._server = any(PurePath(word).name.startswith(SERVERS)
                           for word in service.recipe.words()[:3])
        self._recent: deque[str] = deque(maxlen=CONTEXT)
        self._read = 0
        self._unanswered: list[Finding] = []  # passing causes and waits since the last arrival
        self._recovered: list[str] = []
        self._held: Finding | None = None  # a vague cause, judged once more lines are in
        self._held_lines: set[str] = set()
        self.finding: Finding | None = None  # the cause, once one fails the stage

    def look(self) -> Outcome:
        """Read what is new; the outcome fails for good (final) once a cause is found."""
        started = time.perf_counter()
        if self.finding is None:
            new = self._new_lines()
            if new:
                self._judge(new)
        return self._outcome(started)

    def end(self) -> Outcome:
        """The window is over: what is still unanswered is the cause."""
        started = time.perf_counter()
        self.look()
        if self.finding is None and (self._held or self._unanswered):
            self.finding = self._held or self._unanswered[-1]
        return self._outcome(started)

    def _new_lines(self) -> list[str]:
        new: list[str] = []
        for path, position in self._positions.items():
            lines, self._positions[path] = complete_lines(path, position)
            new += lines
        self._read += len(new)
        return new

    def _judge(self, new: list[str]) -> None:
        before = list(self._recent)
        self._recent.extend(new)
        waits = len(self._unanswered)
        for line in new:
            self._follow_waits(line)
        held, self._held = self._held, None
        wanted = {line.strip() for line in new} | (self._held_lines if held else set())
        if held or any(diagnosis.worth_reading(line) for line in new):
            self._causes([*before, *new], wanted, since=waits)
        if self.finding is None and held is not None:  # more lines came, naming nothing better
            self.finding, self._held = self._held or held, None
        if self.finding is None and len(self._unanswered) > TIMES:
            self.finding = self._unanswered[-1]

    def _follow_waits(self, line: str) -> None:
        dependency = diagnosis.waits_for(line)
        if dependency is not None:
            self._unanswered.append(diagnosis.waiting(dependency, len(self._unanswered) + 1,
                                            evidence=line))
        elif diagnosis.arrived(line) and self._unanswered:
            first = self._unanswered[0]
            self._recovered.append(f"{first.kind} {first.subject} {len(self._unanswered)} "
                                   f"times, then: {line.strip()}")
            self._unanswered.clear()

    def _causes(self, lines: list[str], wanted: set[str], *, since: int) -> None:
        """The causes among the `wanted` lines (the others were judged before); a wait line
        that also names its cause counts once, as that cause."""
        for found in diagnosis.diagnose("\n".join(lines), running=True):
            if found.evidence not in wanted or self._theirs(found):
                continue
            if found.kind in PASSING:
                self._unanswered[since:] = [wait for wait in self._unanswered[since:]
                                            if wait.evidence != found.evidence]
                self._unanswered.append(found)
            elif found.kind == "crashed":
                self._held, self._held_lines = self._held or found, wanted
            elif self.finding is None:
                self.finding = found

    def _theirs(self, found: Finding) -> bool:
        """A database server's line about a client's failure is not the server's failure."""
        return found.kind in CLIENTS_OWN and self._server

    def _outcome(self, started: float) -> Outcome:
        elapsed = (time.perf_counter() - started) * 1000
        if self.finding is not None:
            said = f"{self.finding.kind} {self.finding.subject}: {self.finding.evidence}"
            return Outcome("diagnosis", self._names, False, elapsed, said,
                           phrase=f"its log says {said}", final=True)
        detail = f"no cause in {self._read} lines"
        if self._recovered:
            detail += f"; recovered from {'; '.join(self._recovered)}"
        return Outcome("diagnosis", self._names, True, elapsed, detail)
