"""Who answers questions: a person at a terminal (bringup.face.prompts), `--yes`, or nobody
(then stop, never hang). Every question has a recommended answer; for a choice it is the first
option."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bringup.errors import NeedsTerminal


class Prompter(Protocol):
    def choose(self, question: str, options: Sequence[str]) -> int: ...

    def text(self, question: str, *, default: str, secret: bool = False) -> str: ...


class Recommended:
    """`--yes`: takes the recommended answer everywhere."""

    def choose(self, question: str, options: Sequence[str]) -> int:
        return 0

    def text(self, question: str, *, default: str, secret: bool = False) -> str:
        return default


class NoTerminal:
    """Standard input is not a terminal and --yes was not given: the first question stops."""

    def __init__(self, command: str) -> None:
        self.command = command

    def _stop(self, question: str) -> NeedsTerminal:
        return NeedsTerminal(f"bringup {self.command} must ask ({question}) but standard input "
                             "is not a terminal: pass --yes to take the recommended answers")

    def choose(self, question: str, options: Sequence[str]) -> int:
        raise self._stop(question)

    def text(self, question: str, *, default: str, secret: bool = False) -> str:
        raise self._stop(question)
