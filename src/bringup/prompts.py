"""Who answers questions: a person at a terminal, `--yes`, or nobody (then stop, never hang).

Every question has a recommended answer; for a choice it is the first option."""

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


class Interactive:
    """questionary prompts; `unsafe_ask` so that Ctrl-C arrives as KeyboardInterrupt."""

    def choose(self, question: str, options: Sequence[str]) -> int:
        import questionary

        labels = [f"{options[0]} (recommended)", *options[1:]]
        answer = questionary.select(question, choices=labels, default=labels[0]).unsafe_ask()
        return labels.index(answer)

    def text(self, question: str, *, default: str, secret: bool = False) -> str:
        import questionary

        if secret:
            hint = f"{question} (Enter keeps a generated value)"
            answer: str = questionary.password(hint).unsafe_ask()
            return answer or default
        return str(questionary.text(question, default=default).unsafe_ask())


def for_command(command: str, *, yes: bool, interactive: bool) -> Prompter:
    if yes:
        return Recommended()
    return Interactive() if interactive else NoTerminal(command)
