"""Stage permissions: scripts can execute (the command's own path too), folders can be written."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

from bringup.core.problems import Fix, Problem
from bringup.core.service import Service
from bringup.recipe.model import Permission
from bringup.stages.base import always, nothing_to_do, ok
from bringup.state.model import StageName

NAME: StageName = "permissions"
STARTS = WATCHES = False

applies, passed, act = always, ok, nothing_to_do


def wanted(service: Service) -> list[Permission]:
    """The recipe's entries, plus the command when it is a relative path such as ./start.sh."""
    entries = list(service.recipe.permissions)
    command = service.recipe.command_path()
    covered = {os.path.realpath(service.path(entry.path)) for entry in entries}
    if command and os.path.realpath(service.path(command)) not in covered:
        entries.append(Permission("executable", command))
    return entries


def check(service: Service) -> list[Problem]:
    found = (_check(service, entry) for entry in wanted(service))
    return [problem for problem in found if problem is not None]


def describe(service: Service) -> list[str]:
    return [f"{entry.kind} {entry.path}" for entry in wanted(service)]


def _check(service: Service, entry: Permission) -> Problem | None:
    path = service.path(entry.path)
    if entry.kind == "executable":
        if not path.is_file():
            return Problem(entry.path, f"{entry.path} does not exist",
                           hint=f"create {entry.path} or fix the recipe")
        if path.stat().st_mode & stat.S_IXUSR:
            return None
        return Problem(entry.path, f"{entry.path} is not executable",
                       fixes=(Fix(f"add the exec bit to {entry.path}", _chmod_x(entry),
                                  f"chmod +x {entry.path}"),))
    if _writable(service, path):
        return None
    what = "does not exist" if not path.exists() else "is not writable"
    label = f"create {entry.path}" if not path.exists() else f"make {entry.path} writable"
    return Problem(entry.path, f"{entry.path} {what}", fixes=(Fix(label, _make_writable(entry)),))


def _writable(service: Service, path: Path) -> bool:
    if not path.exists():
        return False
    info = path.stat()
    if service.user:
        import pwd

        uid = pwd.getpwnam(service.user).pw_uid
        return bool((info.st_uid == uid and info.st_mode & stat.S_IWUSR)
                    or info.st_mode & stat.S_IWOTH)
    if os.geteuid() == 0:
        return bool(info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    return os.access(path, os.W_OK)


def _chmod_x(entry: Permission) -> Callable[[Service], str | None]:
    def apply(service: Service) -> str | None:
        path = service.path(entry.path)
        mask = 0o111 & ~_umask()
        path.chmod(path.stat().st_mode | (mask or stat.S_IXUSR))
        service.ctx.journal("chmod", service.name, path=entry.path, mode=oct(path.stat().st_mode))
        return None

    return apply


def _make_writable(entry: Permission) -> Callable[[Service], str | None]:
    def apply(service: Service) -> str | None:
        path = service.path(entry.path)
        if not path.exists():
            path.mkdir(parents=True)
        path.chmod(path.stat().st_mode | stat.S_IWUSR)
        service.give_to_user(path)
        service.ctx.journal("writable", service.name, path=entry.path)
        return None

    return apply


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
