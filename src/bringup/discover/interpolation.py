"""Compose's variable interpolation, for reading a compose file without the compose binary:
`$VAR`, `${VAR}`, `${VAR:-default}` / `${VAR-default}`, `${VAR:?error}` / `${VAR?error}`,
`${VAR:+other}` / `${VAR+other}`, nested (`${A:-${B:-c}}`), and `$$` for a literal `$`, which
stays `$$` as `docker compose config` prints it. An unset variable is an empty string, noted.

For a recipe, which hands its command to a shell, only the braced forms are interpolated: a bare
`$VAR`, `$1` or `$$` is the shell's, and `$${` is a literal `${`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
OPERATORS = (":-", "-", ":?", "?", ":+", "+")


class InterpolationError(ValueError):
    """A `${VAR:?message}` whose variable is not set, or text that is no interpolation."""


@dataclass
class Interpolator:
    values: Mapping[str, str]
    unset: set[str] = field(default_factory=set)  # variables used but not set, as compose warns
    braced_only: bool = False  # a recipe's: bare forms are left to the shell

    def __call__(self, text: str) -> str:
        out: list[str] = []
        index = 0
        while (dollar := text.find("$", index)) != -1:
            out.append(text[index:dollar])
            after = text[dollar + 1:dollar + 2]
            if self.braced_only and after != "{":
                escaped = text.startswith("$${", dollar)
                out.append("$" if escaped else text[dollar:dollar + 2])
                index = dollar + (1 if escaped else 2)
                if escaped:  # the `{` that follows is literal text, not a variable
                    out.append("{")
                    index += 2
                continue
            if after == "$":
                out.append("$$")
                index = dollar + 2
            elif after == "{":
                end = _closing(text, dollar + 2)
                out.append(self._braced(text[dollar + 2:end], text))
                index = end + 1
            elif match := NAME.match(text, dollar + 1):
                out.append(self._value(match[0]))
                index = match.end()
            else:
                raise InterpolationError(f"invalid interpolation format in {text!r}: a $ "
                                         "must start a variable, or be written $$")
        out.append(text[index:])
        return "".join(out)

    def _braced(self, body: str, text: str) -> str:
        match = NAME.match(body)
        if match is None:
            raise InterpolationError(f"invalid interpolation format in {text!r}: "
                                     f"${{{body}}} names no variable")
        name, rest = match[0], body[match.end():]
        if not rest:
            return self._value(name)
        operator = next((op for op in OPERATORS if rest.startswith(op)), None)
        if operator is None:
            raise InterpolationError(f"invalid interpolation format in {text!r}: "
                                     f"${{{body}}}")
        argument = rest[len(operator):]
        value = self.values.get(name)
        given = value is not None and (value != "" or ":" not in operator)
        if operator.endswith("-"):
            return value if given and value is not None else self(argument)
        if operator.endswith("+"):
            return self(argument) if given else ""
        if not given:
            raise InterpolationError(f"required variable {name} is missing a value: "
                                     f"{self(argument) or 'set it'}")
        return value or ""

    def _value(self, name: str) -> str:
        value = self.values.get(name)
        if value is None:
            self.unset.add(name)
        return value or ""


def _closing(text: str, start: int) -> int:
    """The index of the `}` that closes the `${` before `start`, nested ones skipped."""
    depth = 1
    index = start
    while index < len(text):
        if text.startswith("${", index):
            depth += 1
            index += 2
            continue
        if text[index] == "}":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    raise InterpolationError(f"invalid interpolation format in {text!r}: a ${{ is not closed")


def unescape(text: str) -> str:
    """The value a service sees: compose's `$$` is one `$`."""
    return text.replace("$$", "$")
