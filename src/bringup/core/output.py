"""Who is told what happens: the protocol the wizard speaks through, and a silent listener."""

from __future__ import annotations

from typing import Literal, Protocol

Tone = Literal["plain", "notice", "warning"]


class Output(Protocol):
    def heading(self, text: str) -> None: ...

    def step(self, stage: str, text: str, ok: bool | None = None) -> None: ...

    def line(self, text: str, tone: Tone = "plain") -> None: ...

    def detail(self, text: str) -> None: ...

    def command(self, command: str, *, where: str = "", user: str | None = None) -> None: ...

    def block(self, text: str) -> None: ...

    def verdict(self, text: str, ok: bool) -> None: ...


class Silent:
    """Tells nobody: for callers that only want the result."""

    def heading(self, text: str) -> None:
        pass

    def step(self, stage: str, text: str, ok: bool | None = None) -> None:
        pass

    def line(self, text: str, tone: Tone = "plain") -> None:
        pass

    def detail(self, text: str) -> None:
        pass

    def command(self, command: str, *, where: str = "", user: str | None = None) -> None:
        pass

    def block(self, text: str) -> None:
        pass

    def verdict(self, text: str, ok: bool) -> None:
        pass
