"""Fixes for a command that does not stay in the foreground (it daemonized)."""

from __future__ import annotations

import shlex

from bringup.core.problems import Fix
from bringup.core.service import Service
from bringup.diagnosis import Finding
from bringup.recipe.edit import set_value
from bringup.remedies.learning import learn

# Flags that send a server to the background; the foreground is the default without them.
BACKGROUND_FLAGS = ("--daemon", "--detach")
YES = ("yes", "true")


def daemonized(service: Service, finding: Finding) -> Fix | None:
    command = service.recipe.command
    argv = shlex.split(command) if isinstance(command, str) else list(command)
    kept = foreground(argv)
    if kept == argv:
        return None
    value: str | list[str] = shlex.join(kept) if isinstance(command, str) else kept

    def apply(service: Service) -> str | None:
        return learn(service, "command stays in the foreground",
                     lambda: set_value(service.recipe.file, "command", value))

    return Fix("keep it in the foreground (rewrite its daemon flag in the recipe)", apply)


def foreground(argv: list[str]) -> list[str]:
    kept: list[str] = []
    for part in argv:
        if part in BACKGROUND_FLAGS:
            continue
        if kept and kept[-1] == "--daemonize" and part.lower() in YES:
            kept.append("no")
        elif part.startswith("--daemonize=") and part.split("=", 1)[1].lower() in YES:
            kept.append("--daemonize=no")
        else:
            kept.append(part)
    return kept
