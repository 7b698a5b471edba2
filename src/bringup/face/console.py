"""What the wizard says, in one voice, on a rich console. User-supplied text is escaped before
it meets markup."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markup import escape

from bringup.core.output import Tone

if TYPE_CHECKING:
    from rich.console import Console

MARKS = {True: "[green]✓[/]", False: "[red]✗[/]", None: "[cyan]•[/]"}
TONES: dict[Tone, str] = {"plain": "", "notice": "cyan", "warning": "yellow"}


class ConsoleOutput:
    def __init__(self, console: Console | None = None) -> None:
        if console is None:
            from rich.console import Console

            console = Console(highlight=False, soft_wrap=True)
        self.console = console

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
