"""Python requirements installed into the service's venv (default .venv in its folder), from
the service's own python3; the service then runs with the venv's bin first on PATH."""

from __future__ import annotations

import os
import shlex
import shutil
import sys

from bringup.core.problems import Problem
from bringup.core.service import Service
from bringup.recipe.model import Need
from bringup.stages.needs.manifests import fingerprint, install, installed, missing_manifest


def check(service: Service, need: Need) -> Problem | None:
    manifest = service.path(need.value)
    if not manifest.is_file():
        return Problem(need.value, f"{need.value} does not exist",
                       hint=missing_manifest(need.value))
    python = service.path(need.venv) / "bin" / "python"
    key = f"python:{need.value}@{need.venv}"
    if python.exists() and installed(service, key, fingerprint(manifest)):
        return None
    why = ("changed since it was installed" if key in service.entry.fingerprints
           and python.exists() else f"is not installed into {need.venv}")
    commands = [] if python.exists() else [f"{shlex.quote(_interpreter(service))} -m venv "
                                            f"{need.venv}"]
    commands.append(f"{need.venv}/bin/python -m pip install -r {shlex.quote(need.value)}")
    return Problem(need.value, f"{need.value} {why}",
                   fixes=(install(f"install {need.value} into {need.venv}", commands, key,
                                  lambda: fingerprint(manifest)),))


def _interpreter(service: Service) -> str:
    """The python3 the service would find on its own PATH (not bringup's), for its venv."""
    path = os.pathsep.join(part for part in service.env().get("PATH", "").split(os.pathsep)
                           if not part.startswith(str(service.cwd)))
    return shutil.which("python3", path=path) or sys.executable
