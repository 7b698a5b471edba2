"""Edits bringup makes to a recipe, keeping its comments and layout (tomlkit). Each edit is
read back before it replaces the file, so a recipe is never left unreadable."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bringup import atomic
from bringup.checks import address_keys

Document = Any  # a tomlkit document; typed loosely, as tomlkit's containers are


def _edit(file: Path, change: Callable[[Document], None]) -> None:
    import tomlkit

    document = tomlkit.parse(file.read_text(encoding="utf-8"))
    change(document)
    text = tomlkit.dumps(document)
    tomllib.loads(text)  # raises rather than write a file TOML cannot read
    atomic.write_text(file, text)


def set_value(file: Path, key: str, value: Any) -> None:
    def change(document: Document) -> None:
        document[key] = value

    _edit(file, change)


def change_port(file: Path, old: int, new: int) -> None:
    """Move a service to another port: `port`, and the same number in command, env and verify
    (a bare number only where a check names its address)."""
    number = re.compile(rf"(?<!\d){old}(?!\d)")
    addresses = address_keys()

    def change(document: Document) -> None:
        document["port"] = new
        _replace_in(document, "command", number, str(new))
        for section in (document.get("env"), document.get("verify")):
            for key in list(section or ()):
                if key in addresses and section[key] == old:
                    section[key] = new
                else:
                    _replace_in(section, key, number, str(new))

    _edit(file, change)


def _replace_in(container: Any, key: str, number: re.Pattern[str], new: str) -> None:
    value = container.get(key)
    if isinstance(value, str):
        container[key] = number.sub(new, value)
    elif isinstance(value, list):
        container[key] = [number.sub(new, item) if isinstance(item, str) else item
                          for item in value]


def append_entry(file: Path, array: str, entry: dict[str, Any]) -> None:
    """Add a needs, paths or permissions entry, in the form the recipe already uses."""
    import tomlkit

    def change(document: Document) -> None:
        existing = document.get(array)
        if isinstance(existing, list) and not isinstance(existing, tomlkit.items.AoT):
            inline = tomlkit.inline_table()
            inline.update(entry)
            existing.append(inline)
            return
        if existing is None:
            existing = tomlkit.aot()
            document.add(tomlkit.nl())
            document.append(array, existing)
        table = tomlkit.table()
        table.update(entry)
        table.add(tomlkit.nl())
        existing.append(table)

    _edit(file, change)


def add_after(file: Path, name: str) -> None:
    def change(document: Document) -> None:
        after = document.get("after")
        if after is None:
            document["after"] = [name]
        elif name not in after:
            after.append(name)

    _edit(file, change)


def set_env(file: Path, key: str, value: str) -> None:
    import tomlkit

    def change(document: Document) -> None:
        env = document.get("env")
        if env is None:
            env = tomlkit.inline_table()
            document["env"] = env
        env[key] = value

    _edit(file, change)


def replace_in_verify(file: Path, old: str, new: str) -> None:
    """Replace text (a host, say) in the [verify] strings of a recipe."""
    pattern = re.compile(re.escape(old))

    def change(document: Document) -> None:
        verify = document.get("verify")
        for key in list(verify or ()):
            _replace_in(verify, key, pattern, new)

    _edit(file, change)


def inline_table(values: dict[str, Any]) -> Any:
    """`{ KEY = "value", ... }` for a new recipe."""
    import tomlkit

    table = tomlkit.inline_table()
    table.update(values)
    return table


def new_table(values: dict[str, Any]) -> Any:
    """A `[table]` for a new recipe."""
    import tomlkit

    table = tomlkit.table()
    table.update(values)
    return table
