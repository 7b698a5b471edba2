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


def append_entry(file: Path, array: str, entry: dict[str, Any]) -> None:
    """Add a [[needs]], [[paths]] or [[permissions]] entry at the end of that array."""
    import tomlkit

    document = tomlkit.parse(file.read_text(encoding="utf-8"))
    tables = document.get(array)
    if tables is None:
        tables = tomlkit.aot()
        document.add(tomlkit.nl())
        document.append(array, tables)
    table = tomlkit.table()
    table.update(entry)
    table.add(tomlkit.nl())
    tables.append(table)
    file.write_text(tomlkit.dumps(document), encoding="utf-8")


def add_after(file: Path, name: str) -> None:
    import tomlkit

    document = tomlkit.parse(file.read_text(encoding="utf-8"))
    after = document.get("after")
    if after is None:
        document["after"] = [name]
    elif name not in after:
        after.append(name)
    file.write_text(tomlkit.dumps(document), encoding="utf-8")


def set_env(file: Path, key: str, value: str) -> None:
    import tomlkit

    document = tomlkit.parse(file.read_text(encoding="utf-8"))
    env = document.get("env")
    if env is None:
        env = tomlkit.inline_table()
        env[key] = value
        document["env"] = env
    else:
        env[key] = value
    file.write_text(tomlkit.dumps(document), encoding="utf-8")


def replace_in_verify(file: Path, old: str, new: str) -> None:
    """Replace text (a host, say) in the [verify] strings of a recipe."""
    import tomlkit

    document = tomlkit.parse(file.read_text(encoding="utf-8"))
    verify = document.get("verify")
    pattern = re.compile(re.escape(old))
    for key in list(verify or ()):
        _replace_in(verify, key, pattern, new)
    file.write_text(tomlkit.dumps(document), encoding="utf-8")
