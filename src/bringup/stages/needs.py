"""Stage needs: binaries on PATH, Python requirements in a venv, npm packages, env variables."""

from __future__ import annotations

import json
import os
import secrets
import shlex
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from bringup import installers
from bringup.env import env_file_path, save_value
from bringup.recipe import Need
from bringup.recipe_edit import set_value
from bringup.service import Service
from bringup.stages.base import Fix, Problem, fingerprint

NAME = "needs"


def check(service: Service) -> list[Problem]:
    found = (KINDS[need.kind](service, need) for need in service.recipe.needs)
    return [problem for problem in found if problem is not None]


def describe(service: Service) -> list[str]:
    return [need.label for need in service.recipe.needs]


def _binary(service: Service, need: Need) -> Problem | None:
    if shutil.which(need.value, path=service.env().get("PATH")):
        return None
    message = f"{need.value}: not found on PATH"
    chosen = installers.choose(need.install)
    if chosen is None:
        routes = ", ".join(f"{key}: {pkg}" for key, pkg in need.install.items()) or "none given"
        return Problem(need.value, message,
                       hint=f"install {need.value} yourself (recipe install routes: {routes}; "
                            "none of those package managers is on this machine)")
    installer, package = chosen
    if not installer.may_run():
        return Problem(need.value, message,
                       hint=f"bringup does not use sudo; run this yourself, then run bringup "
                            f"again:  sudo {installer.command(package)}")
    return Problem(need.value, message, fixes=(Fix(
        f"install {package} with {installer.program}", _install(installer, package),
        installer.command(package)),))


def _install(installer: installers.Installer, package: str) -> Callable[[Service], str | None]:
    def apply(service: Service) -> str | None:
        result = service.shell(installer.command(package))
        if not result.ok and installer.refresh is not None:
            service.shell(" ".join(installer.refresh))
            result = service.shell(installer.command(package))
        return None if result.ok else f"{installer.program} could not install {package}"

    return apply


def _python(service: Service, need: Need) -> Problem | None:
    manifest = service.path(need.value)
    if not manifest.is_file():
        return Problem(need.value, f"{need.value} does not exist",
                       hint=f"create {need.value} or fix the recipe's needs entry")
    python = service.path(need.venv) / "bin" / "python"
    key = f"python:{need.value}@{need.venv}"
    if python.exists() and service.entry.fingerprints.get(key) == fingerprint(manifest):
        return None
    why = ("changed since it was installed" if key in service.entry.fingerprints
           and python.exists() else f"is not installed into {need.venv}")
    base = _interpreter(service)
    commands = [] if python.exists() else [f"{shlex.quote(base)} -m venv {need.venv}"]
    commands.append(f"{need.venv}/bin/python -m pip install -r {shlex.quote(need.value)}")
    return Problem(need.value, f"{need.value} {why}",
                   fixes=(_manifest_fix(f"install {need.value} into {need.venv}", commands, key,
                                        lambda: fingerprint(manifest)),))


def _interpreter(service: Service) -> str:
    """The python3 the service would find on its own PATH (not bringup's), for its venv."""
    path = os.pathsep.join(part for part in service.env().get("PATH", "").split(os.pathsep)
                           if not part.startswith(str(service.cwd)))
    return shutil.which("python3", path=path) or sys.executable


def _npm(service: Service, need: Need) -> Problem | None:
    manifest = service.path(need.value)
    if not manifest.is_file():
        return Problem(need.value, f"{need.value} does not exist",
                       hint=f"create {need.value} or fix the recipe's needs entry")
    folder = manifest.parent
    lock = folder / "package-lock.json"
    key = f"npm:{need.value}"
    installed = (folder / "node_modules").is_dir() or not _has_dependencies(manifest)
    if installed and service.entry.fingerprints.get(key) == fingerprint(manifest, lock):
        return None
    where = str(folder.relative_to(service.cwd))
    verb = "ci" if lock.is_file() else "install"
    command = f"npm {verb} --no-audit --no-fund" + ("" if where == "." else f" --prefix {where}")
    return Problem(need.value, f"npm packages of {need.value} are not installed",
                   fixes=(_manifest_fix(f"npm {verb}", [command], key,
                                        lambda: fingerprint(manifest, lock)),))


def _has_dependencies(manifest: Path) -> bool:
    """npm makes no node_modules for a package.json without dependencies."""
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (ValueError, OSError):
        return True
    return isinstance(data, dict) and any(data.get(key) for key in (
        "dependencies", "devDependencies", "optionalDependencies"))


def _manifest_fix(label: str, commands: list[str], key: str,
                  fresh: Callable[[], str]) -> Fix:
    """Run the install; record the manifest's fingerprint only once every command succeeded."""

    def apply(service: Service) -> str | None:
        for command in commands:
            if not service.shell(command).ok:
                return f"`{command}` failed"
        service.entry.fingerprints[key] = fresh()
        return None

    return Fix(label, apply, " && ".join(commands))


def _env(service: Service, need: Need) -> Problem | None:
    if service.env().get(need.value, "").strip():
        return None
    target = env_file_path(service.cwd, service.recipe)
    shown = str(target.relative_to(service.ctx.workspace.root))
    return Problem(need.value, f"environment variable {need.value} is not set",
                   fixes=(Fix(f"enter a value for {need.value} (saved to {shown})",
                              _ask_env(need.value)),))


def _ask_env(key: str) -> Callable[[Service], str | None]:
    def apply(service: Service) -> str | None:
        generated = secrets.token_urlsafe(24)
        value = service.ctx.prompter.text(f"value for {key}", default=generated, secret=True)
        if not value.strip():
            return f"no value given for {key}"
        if service.recipe.env_file is None:
            set_value(service.recipe.file, "env_file", ".env")
            service.reload()
        target = env_file_path(service.cwd, service.recipe)
        save_value(target, key, value)
        if value == generated:
            note = (f"saved a generated random value for {key} to {target.name} (not shown); "
                    "replace it there if the service needs a real key")
        else:
            note = f"saved the value given for {key} to {target.name} (not shown)"
        service.ctx.out.detail(note)
        service.ctx.journal("env-saved", service.name, variable=key, file=target.name)
        return None

    return apply


KINDS: dict[str, Callable[[Service, Need], Problem | None]] = {
    "binary": _binary,
    "python": _python,
    "npm": _npm,
    "env": _env,
}
