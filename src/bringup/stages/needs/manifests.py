"""Needs installed from a manifest (requirements.txt, package.json): the install runs, and the
manifest's fingerprint is recorded only once every command succeeded, so a changed manifest is
installed again."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from bringup.core.problems import Fix
from bringup.core.service import Service


def fingerprint(*files: Path) -> str:
    digest = hashlib.sha256()
    for file in files:
        if file.is_file():
            digest.update(file.name.encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def installed(service: Service, key: str, fresh: str) -> bool:
    return service.entry.fingerprints.get(key) == fresh


def install(label: str, commands: list[str], key: str, fresh: Callable[[], str]) -> Fix:
    """Run the install; record the manifest's fingerprint only once every command succeeded."""

    def apply(service: Service) -> str | None:
        for command in commands:
            if not service.shell(command).ok:
                return f"`{command}` failed"
        service.entry.fingerprints[key] = fresh()
        return None

    return Fix(label, apply, " && ".join(commands))


def missing_manifest(need_value: str) -> str:
    return f"create {need_value} or fix the recipe's needs entry"
