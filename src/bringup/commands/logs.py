"""`bringup logs`: a service's own log from state/logs/, and the files it writes its log to."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from bringup.core.context import Context
from bringup.core.service import Service
from bringup.errors import UsageError
from bringup.state import logs


@dataclass(frozen=True)
class LogLines:
    lines: list[str]
    follow: Iterator[str] | None


def show(ctx: Context, name: str, count: int, *, follow: bool) -> LogLines:
    """Its last lines, and what follows when asked; the secrets bringup knows masked."""
    recipe = ctx.workspace.recipe(name)
    Service(ctx, recipe)  # makes its secrets known to the context
    path = ctx.workspace.log_path(name)
    if not path.is_file():
        raise UsageError(f"no log yet at {path}: the service has not been started by bringup")
    files = [ctx.workspace.cwd(recipe) / file for file in recipe.log_files()]
    try:
        lines = logs.tail(path, count)
    except OSError as error:
        raise UsageError(f"{path} cannot be read ({error.strerror or error})") from None
    for file in (file for file in files if file.is_file()):
        try:
            lines += [f"=== {file.name} ===", *logs.tail(file, count)]
        except OSError as error:
            lines.append(f"=== {file.name}: cannot be read ({error.strerror or error}) ===")
    followed = (ctx.mask(line) for line in logs.follow([path, *files])) if follow else None
    return LogLines(ctx.mask(lines), followed)
