"""Every process bringup starts carries a tag in its environment, which all it starts in turn
inherit: the workspace, the service and the start. So a process can be known as bringup's own
without the state file (bringup was killed before it recorded it), and stopped whatever its
group or session (a helper that called setsid)."""

from __future__ import annotations

import os
import time

import psutil

VARIABLE = "BRINGUP_TAG"


def new_start() -> str:
    """An id for one start, unique enough never to meet another."""
    return f"{time.time_ns():x}{os.urandom(2).hex()}"


def tag_of(pid: int) -> str | None:
    try:
        return psutil.Process(pid).environ().get(VARIABLE)
    except (psutil.Error, OSError):
        return None


def tagged(prefix: str) -> list[psutil.Process]:
    """The live processes whose tag starts with `prefix`, eldest first."""
    found = []
    for process in psutil.process_iter(["pid", "create_time", "status"]):
        if process.info["status"] == psutil.STATUS_ZOMBIE:
            continue
        try:
            if process.environ().get(VARIABLE, "").startswith(prefix):
                found.append(process)
        except (psutil.Error, OSError):
            continue
    return sorted(found, key=lambda process: process.info["create_time"] or 0.0)
