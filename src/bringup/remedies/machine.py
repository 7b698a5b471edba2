"""The changes bringup makes outside the workspace: a hosts alias, for a name that only compose's
network resolves. Each is made only as root and only when asked, recorded in state with what
undoes it, listed by `report`, and undone by `bringup reset --all`."""

from __future__ import annotations

import os
from pathlib import Path

from bringup.core import lifecycle
from bringup.core.context import Context
from bringup.core.problems import Fix
from bringup.core.service import Service
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


def undo_all(ctx: Context) -> list[str]:
    """Undo every change bringup made to this machine, newest first; what was done, or why not."""
    said = []
    for change in reversed(list(ctx.state.changes)):
        file = Path(change.file)
        try:
            text = file.read_text(encoding="utf-8")
            kept = [line for line in text.splitlines() if line != change.line]
            # Written in place: a container's hosts file is mounted, it cannot be replaced.
            file.write_text("\n".join(kept) + ("\n" if kept else ""), encoding="utf-8")
        except FileNotFoundError:
            pass
        except OSError as error:
            said.append(f"{file}: could not remove `{change.line}` ({error.strerror or error})")
            continue
        lifecycle.machine_restored(ctx, change)
        said.append(f"{file}: removed `{change.line}`")
    return said


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
