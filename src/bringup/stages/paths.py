"""Stage paths: directories exist, files exist (copied from a template, never overwritten)."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path

from bringup import atomic
from bringup.core.problems import Fix, Problem
from bringup.core.service import Service
from bringup.recipe.model import PathSpec
from bringup.remedies import machine
from bringup.stages.base import always, nothing_to_do, ok
from bringup.state.model import StageName

NAME: StageName = "paths"
STARTS = WATCHES = False

applies, passed, act = always, ok, nothing_to_do


def check(service: Service) -> list[Problem]:
    if not service.cwd.is_dir():
        cwd = service.recipe.cwd
        return [Problem(cwd, f"the service's folder {cwd} does not exist",
                        hint=f"check out the code into {cwd}, or fix `cwd` in the recipe")]
    found = [_closed(service), *(_check(service, spec) for spec in service.recipe.paths)]
    return [problem for problem in found if problem is not None]


def _closed(service: Service) -> Problem | None:
    """A service run as another user must be able to enter its folder: first, since what the
    other paths run as that user needs it."""
    user = service.user
    closed = machine.closed_folder(user, service.cwd) if user else None
    if user is None or closed is None:
        return None
    mode = stat.S_IMODE(closed.stat().st_mode)
    return Problem(str(closed), f"{service.name} runs as {user}, who cannot enter {closed} "
                   f"(mode {mode:04o}): the workspace is in a folder closed to other users",
                   fixes=(machine.let_in(service, user, closed),),
                   hint="or move the workspace to a folder other users can enter")


def describe(service: Service) -> list[str]:
    return [f"{spec.kind} {spec.path}" for spec in service.recipe.paths]


def _check(service: Service, spec: PathSpec) -> Problem | None:
    path = service.path(spec.path)
    if (spec.kind == "dir" and path.is_dir()) or (spec.kind == "file" and path.is_file()):
        return None
    if path.exists() or path.is_symlink():
        other = "a directory" if path.is_dir() else "not a directory"
        return Problem(spec.path, f"{spec.path} exists but is {other}",
                       hint=f"move {spec.path} away; bringup never overwrites it")
    noun = "directory" if spec.kind == "dir" else "file"
    message = f"{noun} {spec.path} does not exist"
    if spec.run:
        return Problem(spec.path, message, fixes=(Fix(f"run `{spec.run}`", _run(spec), spec.run),))
    if spec.kind == "dir":
        return Problem(spec.path, message, fixes=(Fix(f"create {spec.path}", _mkdir(spec)),))
    if spec.template and service.path(spec.template).is_file():
        return Problem(spec.path, message,
                       fixes=(Fix(f"copy {spec.template} to {spec.path}", _copy(spec)),))
    missing = f" and its template {spec.template} is missing too" if spec.template else ""
    return Problem(spec.path, message + missing,
                   hint=f"create {spec.path} (bringup has no template to copy it from)")


def _mkdir(spec: PathSpec) -> Callable[[Service], str | None]:
    def apply(service: Service) -> str | None:
        path = service.path(spec.path)
        top = _first_missing(service, spec.path)
        path.mkdir(parents=True, exist_ok=True)
        service.give_to_user(top)
        service.ctx.journal("created", service.name, path=spec.path)
        return None

    return apply


def _copy(spec: PathSpec) -> Callable[[Service], str | None]:
    def apply(service: Service) -> str | None:
        assert spec.template is not None
        target, template = service.path(spec.path), service.path(spec.template)
        try:  # whole or not at all: a copy cut short must not count as the file
            atomic.create_bytes(target, template.read_bytes(),
                                mode=stat.S_IMODE(template.stat().st_mode))
        except FileExistsError:
            return f"{spec.path} appeared meanwhile; left as it is"
        service.give_to_user(target)
        service.ctx.journal("copied", service.name, path=spec.path, template=spec.template)
        return None

    return apply


def _run(spec: PathSpec) -> Callable[[Service], str | None]:
    def apply(service: Service) -> str | None:
        assert spec.run is not None
        parent = service.path(spec.path).parent
        if not parent.exists():
            top = _first_missing(service, str(parent.relative_to(service.cwd)))
            parent.mkdir(parents=True)
            service.give_to_user(top)
        result = service.shell(spec.run, as_service=True)
        return None if result.ok else f"`{spec.run}` exited with status {result.code}"

    return apply


def _first_missing(service: Service, relative: str) -> Path:
    path = service.path(relative)
    while not path.parent.exists():
        path = path.parent
    return path


