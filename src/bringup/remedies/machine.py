"""The changes bringup makes outside the workspace: a hosts alias, for a name that only compose's
network resolves; leave for a service's user to enter a folder on the way to the workspace; a
system package it installed (stages/needs/binary). Each is made only when asked, recorded in
state with what undoes it, listed by `report`, and undone by `bringup reset --all`."""

from __future__ import annotations

import os
import pwd
import stat
from pathlib import Path

from bringup.core import lifecycle
from bringup.core.context import Context
from bringup.core.problems import Fix
from bringup.core.service import Service
from bringup.processes.installers import INSTALLERS
from bringup.processes.runner import run_command
from bringup.state.journal import now_iso
from bringup.state.model import Change

MARK = "# added by bringup"


def alias_line(host: str) -> str:
    return f"127.0.0.1 {host}  {MARK}"


def hosts_alias(service: Service, host: str) -> Fix | None:
    """Add `127.0.0.1 host` to the hosts file: as root, once; None when it cannot be offered."""
    hosts_file = service.ctx.hosts_file
    line = alias_line(host)
    if os.geteuid() != 0 or line in _lines(hosts_file):
        return None

    def apply(service: Service) -> str | None:
        try:
            with hosts_file.open("a", encoding="utf-8") as hosts:
                hosts.write(("" if _ends_with_newline(hosts_file) else "\n") + line + "\n")
        except OSError as error:
            return f"{hosts_file} cannot be written ({error.strerror or error})"
        service.ctx.out.detail(f"{hosts_file}: added `{line}` (`bringup reset --all` removes it)")
        lifecycle.machine_changed(service.ctx, Change("hosts-line", str(hosts_file), line,
                                                      service.name, now_iso()))
        return None

    return Fix(f"add the alias `127.0.0.1 {host}` to {hosts_file} (undone by "
               "`bringup reset --all`)", apply)


def by_hand(host: str, hosts_file: Path) -> str:
    """What the user runs when bringup is not root."""
    return (f"add the alias yourself: echo '{alias_line(host)}' | sudo tee -a {hosts_file}; "
            "or point the service at 127.0.0.1")


def closed_folder(user: str, folder: Path) -> Path | None:
    """The first folder on the way to `folder` (itself included) that `user` cannot enter."""
    try:
        entry = pwd.getpwnam(user)
        groups = set(os.getgrouplist(user, entry.pw_gid))
    except (KeyError, OSError):
        return None
    path = Path(folder.absolute().anchor)
    for part in (*folder.absolute().parts[1:], None):
        try:
            info = path.stat()
        except OSError:
            return None
        bit = (stat.S_IXUSR if info.st_uid == entry.pw_uid
               else stat.S_IXGRP if info.st_gid in groups else stat.S_IXOTH)
        if entry.pw_uid != 0 and not info.st_mode & bit:
            return path
        if part is None:
            return None
        path = path / part
    return None


def let_in(service: Service, user: str, folder: Path) -> Fix:
    """Let others enter `folder` (the x bit only: nothing in it becomes readable)."""
    inside = folder.absolute().is_relative_to(service.ctx.workspace.root.absolute())

    def apply(service: Service) -> str | None:
        before = stat.S_IMODE(folder.stat().st_mode)
        try:
            folder.chmod(before | stat.S_IXOTH)
        except OSError as error:
            return f"{folder} cannot be changed ({error.strerror or error})"
        service.ctx.out.detail(f"chmod o+x {folder} (mode was {before:04o})")
        if not inside:
            lifecycle.machine_changed(service.ctx, Change(
                "mode", str(folder), f"{before:04o}", service.name, now_iso()))
        return None

    undo = "" if inside else ", undone by `bringup reset --all`"
    return Fix(f"let {user} enter {folder} (chmod o+x: enter only, nothing becomes readable"
               f"{undo})", apply)


def undo_all(ctx: Context) -> list[str]:
    """Undo every change bringup made to this machine, newest first; what was done, or why not."""
    said = []
    for change in reversed(list(ctx.state.changes)):
        try:
            done = _undo(ctx, change)
        except FileNotFoundError:
            done = f"{change.file} is gone: nothing to undo"
        except OSError as error:
            said.append(f"{change.file}: could not undo ({error.strerror or error}): "
                        f"{change.describe()}")
            continue
        lifecycle.machine_restored(ctx, change)
        said.append(done)
    return said


def _undo(ctx: Context, change: Change) -> str:
    file = Path(change.file)
    if change.kind == "package":
        return _uninstall(ctx, change)
    if change.kind == "mode":
        file.chmod(int(change.line, 8))
        return f"{file}: mode {change.line} again"
    text = file.read_text(encoding="utf-8")
    kept = [line for line in text.splitlines() if line != change.line]
    # Written in place: a container's hosts file is mounted, it cannot be replaced.
    file.write_text("\n".join(kept) + ("\n" if kept else ""), encoding="utf-8")
    return f"{file}: removed `{change.line}`"


def _uninstall(ctx: Context, change: Change) -> str:
    """Remove a package bringup installed: shown first, run only as bringup may (no sudo)."""
    installer = INSTALLERS.get(change.file)
    if installer is None or not installer.may_run():
        raise OSError(f"bringup does not use sudo: run the removal yourself ({change.line})")
    command = installer.removal(change.line)
    ctx.out.command(command)
    with ctx.out.progress(command) as shown:
        result = run_command(command, cwd=ctx.workspace.root, timeout=1800,
                             on_line=shown.say if shown.wanted else None)
    ctx.journal("command", change.service, command=command, code=result.code)
    if not result.ok:
        raise OSError(f"`{command}` failed")
    return f"removed the package {change.line} ({installer.program})"


def _lines(file: Path) -> list[str]:
    try:
        return file.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []


def _ends_with_newline(file: Path) -> bool:
    try:
        return file.read_bytes()[-1:] in (b"\n", b"")
    except OSError:
        return True
