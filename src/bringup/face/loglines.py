"""A log line for people: after its service's name in a colour of the service's own (as compose
and honcho show them) and, when asked, its local time."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from bringup.commands.logs import Shown

COLOURS = ("cyan", "yellow", "green", "magenta", "blue", "bright_red", "bright_cyan",
           "bright_yellow", "bright_green", "bright_magenta", "bright_blue", "red")


def log_line(line: Shown, names: list[str], width: int, *, timestamps: bool) -> str:
    """The line as shown; `names` (all the services shown, for their colours) is empty when
    one service's log is shown alone, which needs no name."""
    parts = []
    if timestamps:
        parts.append(click.style(_when(line), dim=True))
    if names:
        colour = COLOURS[names.index(line.service) % len(COLOURS)] if line.service in names \
            else None
        parts.append(click.style(f"{line.service:<{width}} |", fg=colour))
    return " ".join([*parts, line.text])


def _when(line: Shown) -> str:
    if line.at is None:
        return " " * 9
    moment = datetime.fromtimestamp(line.at).astimezone()
    shown = moment.strftime("%H:%M:%S" if moment.date() == datetime.now().date()
                            else "%Y-%m-%d %H:%M:%S")
    return shown if line.arrived else f"~{shown}"
