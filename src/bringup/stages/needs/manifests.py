"""Needs installed from a manifest (requirements.txt, package.json): the install runs, and the
manifest's fingerprint is recorded only once every command succeeded, so a changed manifest is
installed again."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

from bringup.core.problems import Fix
from bringup.core.service import Service
from bringup.recipe.model import Recipe


def fingerprint(*files: Path) -> str:
    digest = hashlib.sha256()
    for file in files:
        if file.is_file():
            digest.update(file.name.encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def installed(service: Service, key: str, fresh: str) -> bool:
    """Installed from this very manifest, by this service or by another that shares the
    install (web and worker from one requirements.txt into one venv): one install for all."""
    if service.entry.fingerprints.get(key) == fresh:
        return True
    mine = _target(service.cwd, key)
    for other in others(service):
        entry = service.ctx.state.services.get(other.name)
        cwd = service.ctx.workspace.root / other.cwd
        if entry and any(value == fresh and _target(cwd, own) == mine
                         for own, value in entry.fingerprints.items()):
            return True
    return False


def others(service: Service) -> list[Recipe]:
    """The other services' recipes."""
    return [recipe for name, recipe in service.ctx.workspace.recipes.items()
            if name != service.name]


def _target(cwd: Path, key: str) -> tuple[str, ...]:
    """What a fingerprint key installs, as absolute paths: `npm:package.json` in web/ is
    web/package.json, `python:requirements.txt@.venv` is that file into that venv."""
    kind, _, where = key.partition(":")
    return (kind, *(os.path.normpath(cwd / part) for part in where.split("@")))


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
