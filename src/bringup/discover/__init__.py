"""What `bringup init` finds in a workspace: one detector module per kind of evidence, each
returning the services it saw as candidates, in one registry. Nothing here writes anything."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bringup.discover import compose, package_json, procfile, python, scripts
from bringup.discover.candidate import Candidate


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


def scan(root: Path) -> Scan:
    """Every detector in registry order; a name seen twice keeps the first finding."""
    kept: dict[str, Candidate] = {}
    also: list[tuple[Candidate, Candidate]] = []
    for detect in DETECTORS.values():
        for candidate in detect(root):
            if candidate.name in kept:
                also.append((candidate, kept[candidate.name]))
            else:
                kept[candidate.name] = candidate
    return Scan(list(kept.values()), also)
