"""Typed reading of one TOML table: every error names the file, the key and what was expected.

Recipes are read with it, and so is each check kind's part of `[verify]`."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from bringup.errors import RecipeError

Choice = TypeVar("Choice", bound=str)

_NAMES = {str: "a string", int: "an integer", bool: "true or false", float: "a number",
          list: "an array", dict: "a table"}


def describe(kinds: tuple[type, ...]) -> str:
    return " or ".join(_NAMES[kind] for kind in kinds)


def is_kind(value: object, kinds: tuple[type, ...]) -> bool:
    if isinstance(value, bool):
        return bool in kinds
    if float in kinds and isinstance(value, int):
        return True
    return isinstance(value, kinds)


class Table:
    """A TOML table being read: `file` and `prefix` make every error message precise."""

    def __init__(self, file: str, prefix: str, data: Mapping[str, Any]) -> None:
        self.file, self.prefix, self.data = file, prefix, data

    def key(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def fail(self, name: str, expected: str) -> RecipeError:
        return RecipeError(self.file, self.key(name), expected)

    def only(self, allowed: Iterable[str]) -> None:
        allowed = sorted(allowed)
        for name in self.data:
            if name not in allowed:
                import difflib

                close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
                meant = f" did you mean {close[0]!r}?" if close else ""
                raise self.fail(name, f"unknown key;{meant} expected one of {', '.join(allowed)}")

    def get(self, name: str, kinds: tuple[type, ...], default: Any = None) -> Any:
        if name not in self.data:
            return default
        value = self.data[name]
        if not is_kind(value, kinds):
            raise self.fail(name, f"expected {describe(kinds)}, got {_show(value)}")
        return float(value) if kinds == (float,) else value

    def text(self, name: str, default: str | None = None) -> str | None:
        value = self.get(name, (str,), default)
        if name in self.data and not value.strip():
            raise self.fail(name, "expected a non-empty string")
        return value  # type: ignore[no-any-return]

    def nonempty(self, name: str) -> str | None:
        """An optional string that must not be empty when given (whitespace may matter)."""
        value: str | None = self.get(name, (str,))
        if value == "":
            raise self.fail(name, "expected a non-empty string")
        return value

    def number(self, name: str, default: float, *, minimum: float = 0,
               least: float = 0) -> float:
        """A finite number of at least `minimum`; `least` above 0: a positive one, and not
        below `least` (a smaller interval is a busy loop, not a check)."""
        value: float = self.get(name, (float,), default)
        if not math.isfinite(value):
            raise self.fail(name, f"expected a finite number, got {value}")
        if value < minimum:
            raise self.fail(name, f"expected a number of at least {minimum:g}, got {value:g}")
        if least and value <= 0:
            raise self.fail(name, "expected a number above 0")
        if value < least:
            raise self.fail(name, f"expected at least {least:g}, got {value:g}")
        return value

    def whole(self, name: str, default: int | None, *, low: int, high: int) -> int | None:
        value: int | None = self.get(name, (int,), default)
        if value is not None and not low <= value <= high:
            raise self.fail(name, f"expected an integer from {low} to {high}, got {value}")
        return value

    def strings(self, name: str) -> tuple[str, ...]:
        value = self.get(name, (list,), [])
        for item in value:
            if not isinstance(item, str) or not item:
                raise self.fail(name, f"expected an array of non-empty strings, got {_show(item)}")
        return tuple(value)

    def command(self, name: str) -> str | tuple[str, ...] | None:
        value = self.get(name, (str, list))
        if isinstance(value, list):
            if not value or not all(isinstance(part, str) for part in value) or not value[0]:
                raise self.fail(name, "expected a non-empty array of strings, the program first")
            return tuple(value)
        if value is not None and not value.strip():
            raise self.fail(name, "expected a non-empty string")
        return value  # type: ignore[no-any-return]

    def choice(self, name: str, options: tuple[Choice, ...], default: Choice) -> Choice:
        value: Choice = self.get(name, (str,), default)
        if value not in options:
            raise self.fail(name, f"expected one of {', '.join(map(repr, options))}, got "
                                  f"{cut(repr(value))}")
        return value

    def mapping(self, name: str) -> dict[str, str]:
        value = self.get(name, (dict,), {})
        for key, item in value.items():
            if not isinstance(item, str):
                raise RecipeError(self.file, f"{self.key(name)}.{key}",
                                  f"expected a string, got {_show(item)}")
        return dict(value)

    def tables(self, name: str) -> list[Table]:
        value = self.get(name, (list,), [])
        found = []
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                raise self.fail(f"{name}[{index}]", f"expected a table, got {_show(item)}")
            found.append(Table(self.file, f"{self.key(name)}[{index}].", item))
        return found


SHOWN = 60  # a value quoted in a message is cut to this many characters


def _show(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    for kind, name in _NAMES.items():
        if type(value) is kind:
            return f"{name} ({cut(repr(value))})" if kind in (str, int, float) else name
    return type(value).__name__


def cut(text: str) -> str:
    return text if len(text) <= SHOWN else f"{text[:SHOWN]}… ({len(text)} characters)"
