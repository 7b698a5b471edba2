"""What the wizard says, in one voice, on a rich console. Each line is put together from plain
text and styled parts, never parsed as markup: what a user or a log wrote is shown as written,
brackets and colons included. Where no terminal takes the output and no colour is forced, the
lines are written plain and rich is never imported: `up` in a script starts its first service
sooner for it."""

from __future__ import annotations

import contextlib
import functools
import os
import sys
import threading
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

from bringup.core.output import Progress, Tone, Unseen

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

Part = str | tuple[str, str]  # plain text, or text and its style
MARKS: dict[bool | None, Part] = {True: ("✓", "green"), False: ("✗", "red"), None: ("•", "cyan")}
TONES: dict[Tone, str] = {"plain": "", "notice": "cyan", "warning": "yellow"}
# What makes rich colour output that is not a terminal's.
_FORCED = ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")


class ConsoleOutput:
    def __init__(self, console: Console | None = None) -> None:
        if console is not None:
            self.console = console
        self._plain = console is None and not sys.stdout.isatty() and not any(
            os.environ.get(name) for name in _FORCED)
        self._live = threading.Lock()  # one live line at a time (services start in parallel)

    @functools.cached_property
    def console(self) -> Console:
        from rich.console import Console

        return Console(highlight=False, soft_wrap=True)

    def _say(self, *parts: Part) -> None:
        if self._plain:
            sys.stdout.write("".join(part if isinstance(part, str) else part[0]
                                     for part in parts) + "\n")
            sys.stdout.flush()
            return
        from rich.text import Text

        self.console.print(Text.assemble(*parts))

    def heading(self, text: str) -> None:
        self._say("\n", (text, "bold"))

    def step(self, stage: str, text: str, ok: bool | None = None) -> None:
        self._say("  ", MARKS[ok], " ", (f"{stage:<11}", "bold"), " ", text)

    def line(self, text: str, tone: Tone = "plain") -> None:
        self._say((text, TONES[tone]))

    def detail(self, text: str) -> None:
        self._say(f"      {text}")

    def command(self, command: str, *, where: str = "", user: str | None = None) -> None:
        place = f" (in {where}{' as ' + user if user else ''})" if where else ""
        self._say("      ", (f"$ {command}", "yellow"), (place, "dim"))

    def block(self, text: str) -> None:
        for row in text.rstrip().splitlines():
            self._say("      ", (f"│ {row}", "dim"))

    def verdict(self, text: str, ok: bool) -> None:
        self._say("\n", MARKS[ok], " ", (text, "bold"))

    @contextlib.contextmanager
    def progress(self, what: str, *, timed: bool = True) -> Iterator[Progress]:
        """A spinner line with the step, its time so far and the latest line of its output, on
        a terminal only (and one at a time: a step alongside one shown is not); then, for a
        step of a second or more, the time it took."""
        started = time.monotonic()
        live = (not self._plain and self.console.is_terminal
                and self._live.acquire(blocking=False))
        try:
            if live:
                shown = _Live(what, started)
                with self.console.status(shown, spinner="dots"):
                    yield shown
            else:
                yield Unseen()
        finally:
            if live:
                self._live.release()
        took = time.monotonic() - started
        if timed and took >= 1.0:
            self.detail(f"took {took:.1f} s")


class _Live:
    """The text of a live line, rendered afresh at each refresh (so its time runs)."""

    wanted = True

    def __init__(self, what: str, started: float) -> None:
        self.what, self.started, self.line = what, started, ""

    def say(self, line: str) -> None:
        self.line = line.strip()

    def __rich__(self) -> Text:
        from rich.text import Text

        shown = Text(f"{self.what} · {time.monotonic() - self.started:.1f} s", no_wrap=True,
                     overflow="ellipsis")
        if self.line:
            shown.append(f" · {self.line}", style="dim")
        return shown
