"""`bringup logs`: the services' own logs from state/logs/ (and the files they write their logs
to), one service's as it is, several interleaved by when each start began, each line with its
service; `-f` goes on with the lines as they arrive."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from datetime import time as dt_time
from pathlib import Path

from bringup.core.context import Context
from bringup.core.service import Service
from bringup.errors import UsageError
from bringup.recipe.model import Recipe
from bringup.state import logs

NOT_SERVICES = frozenset({"bringup-error"})  # logs in state/logs/ that no service writes


@dataclass(frozen=True)
class Shown:
    service: str
    text: str
    at: float | None  # when it arrived (followed), else when the start that wrote it began
    arrived: bool = False


@dataclass(frozen=True)
class LogLines:
    services: list[str]  # every service shown (or followed), in the order of the recipes
    lines: list[Shown]
    follow: Iterator[Shown] | None
    named: bool
    invalid: str | None = None  # the first invalid recipe: its error, the others shown anyway

    @property
    def alone(self) -> bool:
        """One service's log, asked for by name: its lines need no name before them."""
        return len(self.services) == 1 and self.named


def show(ctx: Context, names: list[str], count: int, *, follow: bool,
         since: float | None = None) -> LogLines:
    """The last `count` lines of each service's log (all of them when none is named) written
    since `since`, and what follows when asked; the secrets bringup knows masked."""
    errors = ctx.workspace.settle()  # an invalid recipe is said, not fatal
    invalid = next(iter(errors.values()), None)
    services = names or _all(ctx)
    files = {name: _files(ctx, name) for name in services}
    # What is followed is opened first and the history read up to where each follow begins,
    # so a line written in between is neither lost nor shown twice.
    followed = {path: logs.Followed(path) for name in services for path in files[name]} \
        if follow else {}
    present = [name for name in services if files[name][0].is_file()]
    if not present and not follow:
        if len(names) == 1:
            path = files[names[0]][0]
            raise UsageError(f"no log yet at {path}: the service has not been started by bringup")
        raise UsageError(f"no logs yet in {ctx.workspace.logs_dir}: bringup has started no "
                         "service here")
    lines = [line for name in present
             for line in _history(name, files[name], count, since, followed)]
    if len(services) > 1:
        lines.sort(key=lambda line: line.at or 0.0)  # stable: each log keeps its own order
    lines = [Shown(line.service, ctx.mask(line.text), line.at) for line in lines]
    return LogLines(services if follow else present, lines,
                    _follow(ctx, files, followed) if follow else None, bool(names), invalid)


def _all(ctx: Context) -> list[str]:
    """Every service: those with recipes, in their order (even when one of them is invalid),
    then any other that left a log."""
    named = [*ctx.workspace.recipes,
             *sorted(file.stem for file in ctx.workspace.recipes_dir.glob("*.toml")
                     if file.stem not in ctx.workspace.recipes)]
    logged = sorted(file.stem for file in ctx.workspace.logs_dir.glob("*.log"))
    return named + [name for name in logged if name not in named and name not in NOT_SERVICES]


def _files(ctx: Context, name: str) -> list[Path]:
    """The service log, then each file its recipe says it logs to (its secrets made known)."""
    recipe = _recipe(ctx, name)
    path = ctx.workspace.log_path(name)
    if recipe is None:
        return [path]
    Service(ctx, recipe)  # makes its secrets known to the context
    return [path, *(ctx.workspace.cwd(recipe) / file for file in recipe.log_files())]


def _recipe(ctx: Context, name: str) -> Recipe | None:
    """Its recipe; None when that is invalid (the log is shown as it is), or gone while its
    log stays."""
    recipes = ctx.workspace.recipes  # settled: the valid ones
    if name in recipes:
        return recipes[name]
    if ctx.workspace.recipe_file(name).is_file() or ctx.workspace.log_path(name).is_file():
        return None
    return ctx.workspace.recipe(name)  # an error naming the services there are


def _history(name: str, files: list[Path], count: int, since: float | None,
             followed: dict[Path, logs.Followed]) -> list[Shown]:
    """Its last lines, each at the time of the start that wrote it; with `since`, only the
    lines of starts that were still writing then; of a followed file, those before the follow
    begins."""
    path, *others = files
    try:
        written = _since(logs.history(path, count, followed.get(path)), since)
    except OSError as error:
        raise UsageError(f"{path} cannot be read ({error.strerror or error})") from None
    shown = [Shown(name, line.text, line.until if line.start is None else line.start)
             for line in written]
    for file in (file for file in others if file.is_file()):
        try:
            written = _since(logs.history(file, count, followed.get(file)), since)
        except OSError as error:
            shown.append(Shown(name, f"=== {file.name}: cannot be read "
                                     f"({error.strerror or error}) ===", None))
            continue
        if written:  # a file it logs to has no markers: its lines are as old as its last change
            shown += [Shown(name, f"=== {file.name} ===", written[0].until),
                      *(Shown(name, line.text, line.until) for line in written)]
    return shown


def _since(written: list[logs.Written], since: float | None) -> list[logs.Written]:
    return written if since is None else [line for line in written if line.until >= since]


def _follow(ctx: Context, files: dict[str, list[Path]],
            followed: dict[Path, logs.Followed]) -> Iterator[Shown]:
    owner = {path: name for name, paths in files.items() for path in paths}
    service_log = {paths[0] for paths in files.values()}
    for path, line in logs.follow(list(followed.values())):
        text = line if path in service_log else f"{path.name}: {line}"
        yield Shown(owner[path], ctx.mask(text), time.time(), arrived=True)


_AGO = re.compile(r"(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?")


def since_time(text: str, now: float) -> float:
    """The moment `--since` names: a duration ago (`90s`, `10m`, `2h`, `1d`, `1h30m`) or a local
    date and time in ISO form (`2026-12-06T18:00`, `18:00` for today)."""
    ago = _AGO.fullmatch(text.strip())
    if ago and any(ago.groups()):
        days, hours, minutes, seconds = (int(part or 0) for part in ago.groups())
        return now - (((days * 24 + hours) * 60 + minutes) * 60 + seconds)
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        try:
            clock = dt_time.fromisoformat(text.strip())
        except ValueError:
            raise ValueError(f"expected a duration such as 10m, 2h or 1d, or a time such as "
                             f"18:00 or 2026-12-06T18:00, not {text!r}") from None
        moment = datetime.combine(datetime.fromtimestamp(now).date(), clock)
    return moment.timestamp()
