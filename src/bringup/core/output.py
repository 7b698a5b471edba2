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


class Masker(Protocol):
    def mask(self, value: str) -> str: ...


class Masked:
    """Tells `inner`, every secret masked first: nothing bringup says shows one."""

    def __init__(self, inner: Output, masker: Masker) -> None:
        self.inner: Output = inner.inner if isinstance(inner, Masked) else inner
        self._mask = masker.mask

    def heading(self, text: str) -> None:
        self.inner.heading(self._mask(text))

    def step(self, stage: str, text: str, ok: bool | None = None) -> None:
        self.inner.step(stage, self._mask(text), ok)

    def line(self, text: str, tone: Tone = "plain") -> None:
        self.inner.line(self._mask(text), tone)

    def detail(self, text: str) -> None:
        self.inner.detail(self._mask(text))

    def command(self, command: str, *, where: str = "", user: str | None = None) -> None:
        self.inner.command(self._mask(command), where=where, user=user)

    def block(self, text: str) -> None:
        self.inner.block(self._mask(text))

    def verdict(self, text: str, ok: bool) -> None:
        self.inner.verdict(self._mask(text), ok)


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
