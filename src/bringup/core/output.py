"""Who is told what happens: the protocol the wizard speaks through, and a silent listener."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Literal, Protocol

Tone = Literal["plain", "notice", "warning"]


class Progress(Protocol):
    """A long step under way, shown live: `wanted` says whether anyone sees it (a terminal), so
    that the caller reads the latest line of output only then."""

    wanted: bool

    def say(self, line: str) -> None: ...


class Unseen:
    """The progress of a step nobody watches live."""

    wanted = False

    def say(self, line: str) -> None:
        pass


class Output(Protocol):
    def heading(self, text: str) -> None: ...

    def step(self, stage: str, text: str, ok: bool | None = None) -> None: ...

    def line(self, text: str, tone: Tone = "plain") -> None: ...

    def detail(self, text: str) -> None: ...

    def command(self, command: str, *, where: str = "", user: str | None = None) -> None: ...

    def block(self, text: str) -> None: ...

    def verdict(self, text: str, ok: bool) -> None: ...

    def progress(self, what: str, *, timed: bool = True) -> AbstractContextManager[Progress]:
        """A live line while the step runs (what, the time so far, the latest line said);
        `timed`: then a line with the time it took."""
        ...


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

    @contextlib.contextmanager
    def progress(self, what: str, *, timed: bool = True) -> Iterator[Progress]:
        with self.inner.progress(self._mask(what), timed=timed) as shown:
            yield _MaskedProgress(shown, self._mask)


class _MaskedProgress:
    def __init__(self, inner: Progress, mask: Callable[[str], str]) -> None:
        self.inner, self.mask, self.wanted = inner, mask, inner.wanted

    def say(self, line: str) -> None:
        self.inner.say(self.mask(line))


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

    @contextlib.contextmanager
    def progress(self, what: str, *, timed: bool = True) -> Iterator[Progress]:
        yield Unseen()


class Recorded:
    """Keeps what is said as plain lines: for a caller that returns it (the MCP tools)."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def heading(self, text: str) -> None:
        self.lines.append(text)

    def step(self, stage: str, text: str, ok: bool | None = None) -> None:
        mark = {True: "✓", False: "✗", None: "•"}[ok]
        self.lines.append(f"{mark} {stage}: {text}")

    def line(self, text: str, tone: Tone = "plain") -> None:
        self.lines.append(text)

    def detail(self, text: str) -> None:
        self.lines.append(f"  {text}")

    def command(self, command: str, *, where: str = "", user: str | None = None) -> None:
        self.lines.append(f"  $ {command}" + (f" (in {where})" if where else ""))

    def block(self, text: str) -> None:
        self.lines += [f"  | {row}" for row in text.rstrip().splitlines()]

    def verdict(self, text: str, ok: bool) -> None:
        self.lines.append(("✓ " if ok else "✗ ") + text)

    @contextlib.contextmanager
    def progress(self, what: str, *, timed: bool = True) -> Iterator[Progress]:
        yield Unseen()
