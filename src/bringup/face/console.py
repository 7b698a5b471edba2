"""What the wizard says, in one voice, on a rich console. User-supplied text is escaped before
it meets markup. rich is imported when the first line is said: a command that says nothing
(`report --json`) does not pay for it."""

from __future__ import annotations

import contextlib
import functools
import threading
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

from bringup.core.output import Progress, Tone, Unseen

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

MARKS = {True: "[green]✓[/]", False: "[red]✗[/]", None: "[cyan]•[/]"}
TONES: dict[Tone, str] = {"plain": "", "notice": "cyan", "warning": "yellow"}


def escape(text: str) -> str:
    from rich.markup import escape as escaped

    return escaped(text)


class ConsoleOutput:
    def __init__(self, console: Console | None = None) -> None:
        if console is not None:
            self.console = console
        self._live = threading.Lock()  # one live line at a time (services start in parallel)

    @functools.cached_property
    def console(self) -> Console:
        from rich.console import Console

        return Console(highlight=False, soft_wrap=True)

    def _print(self, markup: str) -> None:
        self.console.print(markup)

    def heading(self, text: str) -> None:
        self._print(f"\n[bold]{escape(text)}[/]")

    def step(self, stage: str, text: str, ok: bool | None = None) -> None:
        self._print(f"  {MARKS[ok]} [bold]{stage:<11}[/] {escape(text)}")

    def line(self, text: str, tone: Tone = "plain") -> None:
        style = TONES[tone]
        self._print(f"[{style}]{escape(text)}[/]" if style else escape(text))

    def detail(self, text: str) -> None:
        self._print(f"      {escape(text)}")

    def command(self, command: str, *, where: str = "", user: str | None = None) -> None:
        place = f" [dim](in {escape(where)}{' as ' + escape(user) if user else ''})[/]" if where \
            else ""
        self._print(f"      [yellow]$ {escape(command)}[/]{place}")

    def block(self, text: str) -> None:
        for row in text.rstrip().splitlines():
            self._print(f"      [dim]│ {escape(row)}[/]")

    def verdict(self, text: str, ok: bool) -> None:
        self._print(f"\n{MARKS[ok]} [bold]{escape(text)}[/]")

    @contextlib.contextmanager
    def progress(self, what: str, *, timed: bool = True) -> Iterator[Progress]:
        """A spinner line with the step, its time so far and the latest line of its output, on
        a terminal only (and one at a time: a step alongside one shown is not); then, for a
        step of a second or more, the time it took."""
        started = time.monotonic()
        live = self.console.is_terminal and self._live.acquire(blocking=False)
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
