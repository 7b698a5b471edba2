"""`bringup logs`: a service's own log from state/logs/."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from bringup.core.context import Context
from bringup.errors import UsageError
from bringup.state import logs


@dataclass(frozen=True)
class LogLines:
    lines: list[str]
    follow: Iterator[str] | None


def show(ctx: Context, name: str, count: int, *, follow: bool) -> LogLines:
    ctx.workspace.recipe(name)
    path = ctx.workspace.log_path(name)
    if not path.is_file():
        raise UsageError(f"no log yet at {path}: the service has not been started by bringup")
    return LogLines(logs.tail(path, count), logs.follow(path) if follow else None)
