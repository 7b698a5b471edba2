"""What the wizard says, in one voice. User-supplied text is escaped before it meets markup."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

MARKS = {True: "[green]✓[/]", False: "[red]✗[/]", None: "[cyan]•[/]"}


class Output:
    def __init__(self, console: Console | None = None) -> None:
        if console is None:
            from rich.console import Console

            console = Console(highlight=False, soft_wrap=True)
        self.console = console

    def _print(self, markup: str) -> None:
        self.console.print(markup)

    def heading(self, text: str) -> None:
        self._print(f"\n[bold]{_esc(text)}[/]")

    def step(self, stage: str, text: str, ok: bool | None = None) -> None:
        self._print(f"  {MARKS[ok]} [bold]{stage:<11}[/] {_esc(text)}")

    def line(self, text: str, style: str = "") -> None:
        self._print(f"[{style}]{_esc(text)}[/]" if style else _esc(text))

    def detail(self, text: str) -> None:
        self._print(f"      {_esc(text)}")

    def command(self, command: str, *, where: str = "", user: str | None = None) -> None:
        place = f" [dim](in {_esc(where)}{' as ' + _esc(user) if user else ''})[/]" if where else ""
        self._print(f"      [yellow]$ {_esc(command)}[/]{place}")

    def block(self, text: str) -> None:
        for row in text.rstrip().splitlines():
            self._print(f"      [dim]│ {_esc(row)}[/]")

    def verdict(self, text: str, ok: bool) -> None:
        self._print(f"\n{MARKS[ok]} [bold]{_esc(text)}[/]")


def _esc(text: str) -> str:
    from rich.markup import escape

    return escape(text)
