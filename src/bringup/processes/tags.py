"""Every process bringup starts carries a tag in its environment, which all it starts in turn
inherit: the workspace, the service and the start. So a process can be known as bringup's own
without the state file (bringup was killed before it recorded it), and stopped whatever its
group or session (a helper that called setsid)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import psutil


VARIABLE = "BRINGUP_TAG"


def new_start() -> str:
    """An id for one start, unique enough never to meet another."""
    return f"{time.time_ns():x}{os.urandom(2).hex()}"


def tag_of(pid: int) -> str | None:
    import psutil

    try:
        return psutil.Process(pid).environ().get(VARIABLE)
    except (psutil.Error, OSError):
        return None


def carries(pid: int, prefix: str) -> bool | None:
    """Does the process carry a tag starting with `prefix`? None: its environment cannot be
    read, or holds nothing (a program that writes its title over it: redis, postgres)."""
    import psutil

    try:
        environment = psutil.Process(pid).environ()
    except (psutil.Error, OSError):
        return None
    if not environment:
        return None
    return environment.get(VARIABLE, "").startswith(prefix)


def same_cgroup(pid: int) -> bool | None:
    """Is the process in bringup's own control groups (where what bringup starts stays, and a
    service manager's services do not)? None: not known (no cgroups here)."""
    try:
        theirs = Path(f"/proc/{pid}/cgroup").read_text(encoding="utf-8")
        own = Path("/proc/self/cgroup").read_text(encoding="utf-8")
    except OSError:
        return None
    return theirs == own


def tagged(prefix: str) -> list[psutil.Process]:
    """The live processes whose tag starts with `prefix`, eldest first."""
    return [process for process, _ in tagged_with(prefix)]


def tagged_with(prefix: str) -> list[tuple[psutil.Process, str]]:
    """The live processes whose tag starts with `prefix`, each with its tag, eldest first (the
    one look at every process's environment finds both)."""
    import psutil

    found = []
    for process in psutil.process_iter(["pid", "create_time", "status"]):
        if process.info["status"] == psutil.STATUS_ZOMBIE:
            continue
        try:
            tag = process.environ().get(VARIABLE, "")
        except (psutil.Error, OSError):
            continue
        if tag.startswith(prefix):
            found.append((process, tag))
    return sorted(found, key=lambda pair: pair[0].info["create_time"] or 0.0)
