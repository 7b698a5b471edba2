"""A person at a terminal answers with questionary; `unsafe_ask` so that Ctrl-C arrives as
KeyboardInterrupt. Who answers a command's questions is chosen here."""

from __future__ import annotations

from collections.abc import Sequence

from bringup.core.prompting import NoTerminal, Prompter, Recommended


class Interactive:
    def choose(self, question: str, options: Sequence[str]) -> int:
        import questionary

        labels = [f"{options[0]} (recommended)", *options[1:]]
        answer = questionary.select(question, choices=labels, default=labels[0]).unsafe_ask()
        return labels.index(answer)

    def text(self, question: str, *, default: str, secret: bool = False) -> str:
        import questionary

        if secret:
            hint = f"{question} (Enter keeps a generated value)" if default else question
            answer: str = questionary.password(hint).unsafe_ask()
            return answer or default
        return str(questionary.text(question, default=default).unsafe_ask())


def for_command(command: str, *, yes: bool, interactive: bool) -> Prompter:
    if yes:
        return Recommended()
    return Interactive() if interactive else NoTerminal(command)
