"""What `bringup init` finds in a workspace: one detector module per kind of evidence, each
returning the services it saw as candidates, in one registry. Nothing here writes anything."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from bringup.discover import compose, health, package_json, procfile, python, scripts
from bringup.discover.candidate import Candidate
from bringup.discover.compose_files import Loaded, Project, load


@dataclass(frozen=True)
class Scan:
    candidates: list[Candidate]
    also_found: list[tuple[Candidate, Candidate]]  # (the one set aside, the one kept)


DETECTORS: dict[str, Callable[[Path], list[Candidate]]] = {
    "compose": compose.detect,
    "procfile": procfile.detect,
    "package.json": package_json.detect,
    "python": python.detect,
    "script": scripts.detect,
}


def scan(root: Path, project: Project | None = None,
         read_project: Callable[[Project], Loaded] = load) -> Scan:
    """Every detector in registry order (compose reading `project`, else the nearest one, with
    `read_project`); a name seen twice keeps the first finding, and a folder compose builds a
    service from is that service's alone. A service with a port and no check that shows it
    works gets its code's health route, or a note."""
    kept: dict[str, Candidate] = {}
    also: list[tuple[Candidate, Candidate]] = []
    built: dict[str, Candidate] = {}  # folder: the compose service built from it
    detectors: dict[str, Callable[[Path], list[Candidate]]] = {
        **DETECTORS, "compose": partial(compose.detect, project=project,
                                        read_project=read_project)}
    for kind, detect in detectors.items():
        for candidate in detect(root):
            owner = kept.get(candidate.name) or (built.get(candidate.cwd) if kind != "compose"
                                                 else None)
            if owner is not None:
                also.append((candidate, owner))
                continue
            kept[candidate.name] = candidate
            if kind == "compose" and candidate.command:
                built.setdefault(candidate.cwd, candidate)
    return Scan([_checked(root, candidate) for candidate in kept.values()], also)


FUNCTIONAL = ("http", "exec", "log")  # checks that show more than an open port


def _checked(root: Path, candidate: Candidate) -> Candidate:
    if (candidate.port is None or candidate.catalog or candidate.problem or candidate.skip
            or any(key in candidate.verify for key in FUNCTIONAL)):
        return candidate
    found = health.from_code(root / candidate.cwd, candidate.port)
    if found is None:
        return replace(candidate, notes=(*candidate.notes, health.NO_CHECK))
    check, said = found
    return replace(candidate, verify={**candidate.verify, **check},
                   notes=(*candidate.notes, said))
