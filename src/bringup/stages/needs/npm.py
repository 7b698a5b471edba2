"""npm packages installed from package.json: node_modules satisfies it (fix: npm ci with a
lockfile, else npm install); a package.json without dependencies needs nothing."""

from __future__ import annotations

import json
from pathlib import Path

from bringup.core.problems import Problem
from bringup.core.service import Service
from bringup.recipe.model import Need
from bringup.stages.needs.manifests import fingerprint, install, installed, missing_manifest


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
    verb = "ci" if lock.is_file() else "install"
    command = f"npm {verb} --no-audit --no-fund" + ("" if where == "." else f" --prefix {where}")
    return Problem(need.value, f"npm packages of {need.value} are not installed",
                   fixes=(install(f"npm {verb}", [command], key,
                                  lambda: fingerprint(manifest, lock)),))


def _has_dependencies(manifest: Path) -> bool:
    """npm makes no node_modules for a package.json without dependencies."""
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (ValueError, OSError):
        return True
    return isinstance(data, dict) and any(data.get(key) for key in (
        "dependencies", "devDependencies", "optionalDependencies"))
