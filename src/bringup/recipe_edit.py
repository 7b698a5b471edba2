"""Edits bringup makes to a recipe, keeping its comments and layout (tomlkit)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any


def set_value(file: Path, key: str, value: Any) -> None:
    import tomlkit

    document = tomlkit.parse(file.read_text(encoding="utf-8"))
    document[key] = value
    file.write_text(tomlkit.dumps(document), encoding="utf-8")


def change_port(file: Path, old: int, new: int) -> None:
    """Move a service to another port: `port`, and the same number in command, env and verify."""
    import tomlkit

    document = tomlkit.parse(file.read_text(encoding="utf-8"))
    number = re.compile(rf"(?<!\d){old}(?!\d)")
    document["port"] = new
    _replace_in(document, "command", number, str(new))
    for table in ("env", "verify"):
        section = document.get(table)
        if section is not None:
            for key in list(section):
                if section[key] == old:
                    section[key] = new
                else:
                    _replace_in(section, key, number, str(new))
    file.write_text(tomlkit.dumps(document), encoding="utf-8")


def _replace_in(container: Any, key: str, number: re.Pattern[str], new: str) -> None:
    value = container.get(key)
    if isinstance(value, str):
        container[key] = number.sub(new, value)
    elif isinstance(value, list):
        container[key] = [number.sub(new, item) if isinstance(item, str) else item
                          for item in value]
