"""Fixes for a command that does not stay in the foreground (it daemonized)."""

from __future__ import annotations

import re

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
    value: str | list[str]
    if isinstance(command, str):  # edited as text: its shell syntax ($VAR, &&) stays as it is
        value = foreground_text(command)
        changed = value != command
    else:
        value = foreground(list(command))
        changed = value != list(command)
    if not changed:
        return None

    def apply(service: Service) -> str | None:
        return learn(service, "command stays in the foreground",
                     lambda: set_value(service.recipe.file, "command", value))

    return Fix("keep it in the foreground (rewrite its daemon flag in the recipe)", apply)


_DAEMONIZE = re.compile(r"(?<!\S)--daemonize(\s+|=)(?:yes|true)(?!\S)", re.IGNORECASE)
_BACKGROUND = re.compile(rf"(?<!\S)(?:{'|'.join(BACKGROUND_FLAGS)})(?!\S)[ \t]*")


def foreground_text(command: str) -> str:
    """A shell command line with its daemon flags rewritten, the rest left as written."""
    return _BACKGROUND.sub("", _DAEMONIZE.sub(r"--daemonize\1no", command)).rstrip()


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
