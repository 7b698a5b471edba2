"""npm packages installed from package.json: node_modules satisfies it (fix: npm ci with a
lockfile, else npm install); a package.json without dependencies needs nothing."""

from __future__ import annotations

import json
from pathlib import Path

from bringup.core.problems import Problem
from bringup.core.service import Service
from bringup.processes import supervisor
from bringup.recipe.model import Need
from bringup.stages.needs.manifests import (
    fingerprint,
    install,
    installed,
    missing_manifest,
    others,
)


def check(service: Service, need: Need) -> Problem | None:
    manifest = service.path(need.value)
    if not manifest.is_file():
        return Problem(need.value, f"{need.value} does not exist",
                       hint=missing_manifest(need.value))
    folder = manifest.parent
    lock = folder / "package-lock.json"
    key = f"npm:{need.value}"
    present = (folder / "node_modules").is_dir() or not _has_dependencies(manifest)
    if present and installed(service, key, fingerprint(manifest, lock)):
        return None
    where = str(folder.relative_to(service.cwd))
    busy = (folder / "node_modules").is_dir() and _in_use(service, folder)
    verb = "ci" if lock.is_file() and not busy else "install"  # npm ci deletes node_modules
    command = f"npm {verb} --no-audit --no-fund" + ("" if where == "." else f" --prefix {where}")
    return Problem(need.value, f"npm packages of {need.value} are not installed",
                   fixes=(install(f"npm {verb}", [command], key,
                                  lambda: fingerprint(manifest, lock)),))


def _in_use(service: Service, folder: Path) -> bool:
    """Another service runs from this folder: its node_modules must not vanish under it."""
    for recipe in others(service):
        entry = service.ctx.state.services.get(recipe.name)
        handle = entry.handle if entry else None
        if (handle is not None and (service.ctx.workspace.root / recipe.cwd).resolve()
                == folder.resolve() and supervisor.alive(handle)):
            return True
    return False


def _has_dependencies(manifest: Path) -> bool:
    """npm makes no node_modules for a package.json without dependencies."""
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (ValueError, OSError):
        return True
    return isinstance(data, dict) and any(data.get(key) for key in (
        "dependencies", "devDependencies", "optionalDependencies"))
