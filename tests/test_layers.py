"""The parts of bringup and the rules between them, read from the source with `ast`: a part
imports only the parts below it; only the face talks to people (click, rich, questionary);
only processes/ starts a process; only the lifecycle module assigns a status."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers import ROOT

SOURCE = ROOT / "src" / "bringup"
# Bottom to top: each part may import those before it, and itself.
PARTS = ("errors", "atomic", "tables", "diagnosis", "discover", "processes", "state", "checks",
         "recipe", "core", "remedies", "stages", "proving", "commands", "face")
FACE_ONLY = {"click", "rich", "questionary"}
SPAWNING = {"subprocess", "multiprocessing", "pty"}
OS_SPAWNING = ("system", "popen", "exec", "spawn", "fork", "posix_spawn")
LIFECYCLE = SOURCE / "core" / "lifecycle.py"
MODULES = sorted(path for path in SOURCE.rglob("*.py") if path.parent != SOURCE
                 or path.stem not in ("__init__", "__main__"))


def part_of(path: Path) -> str:
    return path.relative_to(SOURCE).parts[0].removesuffix(".py")


def imports(path: Path) -> Iterator[tuple[int, str]]:
    """(line, dotted name) of every import, inside functions and TYPE_CHECKING blocks too."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(("bringup", *path.relative_to(SOURCE).parent.parts))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            yield from ((node.lineno, f"{base}.{alias.name}") for alias in node.names)


def imported_part(name: str) -> str | None:
    """The part a dotted name of bringup belongs to; None for other packages and the root."""
    parts = name.split(".")
    if parts[0] != "bringup" or len(parts) < 2 or parts[1] not in PARTS:
        return None
    return parts[1]


def test_every_module_is_in_a_part() -> None:
    assert {part_of(path) for path in MODULES} == set(PARTS)


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(SOURCE)))
def test_a_part_imports_only_the_parts_below_it(path: Path) -> None:
    own = PARTS.index(part_of(path))
    above = [f"line {line}: {name}" for line, name in imports(path)
             if (other := imported_part(name)) and PARTS.index(other) > own]
    assert not above, f"{part_of(path)} imports a part above it: {above}"


def test_diagnosis_imports_nothing_else_of_bringup() -> None:
    for path in (SOURCE / "diagnosis").glob("*.py"):
        assert not [name for _, name in imports(path)
                    if name.startswith("bringup.") and not name.startswith("bringup.diagnosis")]


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(SOURCE)))
def test_only_the_face_talks_to_people(path: Path) -> None:
    if part_of(path) == "face":
        return
    assert not [name for _, name in imports(path) if name.split(".")[0] in FACE_ONLY]


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(SOURCE)))
def test_only_processes_starts_a_process(path: Path) -> None:
    if part_of(path) == "processes":
        return
    assert not [name for _, name in imports(path) if name.split(".")[0] in SPAWNING]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = [node.func.attr for node in ast.walk(tree) if isinstance(node, ast.Call)
             and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name)
             and node.func.value.id in ("os", "asyncio") and node.func.attr.startswith(
                 (*OS_SPAWNING, "create_subprocess"))]
    assert not calls


def status_assignments(path: Path) -> list[int]:
    """Lines that assign a `.status` (alone or in a tuple), or build a state with one."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = [t for target in node.targets
                       for t in (target.elts if isinstance(target, ast.Tuple) else [target])]
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        if any(isinstance(t, ast.Attribute) and t.attr == "status" for t in targets):
            found.append(node.lineno)
        if (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "ServiceState"
                and any(keyword.arg == "status" for keyword in node.keywords)):
            found.append(node.lineno)
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(SOURCE)))
def test_only_the_lifecycle_assigns_a_status(path: Path) -> None:
    if path != LIFECYCLE:
        assert status_assignments(path) == []


def test_the_lifecycle_assigns_statuses_and_this_test_can_see_it() -> None:
    assert len(status_assignments(LIFECYCLE)) >= 6


def test_the_stage_registry_is_the_stored_stages_in_order() -> None:
    from bringup.recipe.read import NEED_KINDS
    from bringup.stages import STAGES
    from bringup.stages.needs import KINDS
    from bringup.state.model import STAGE_NAMES

    assert tuple(STAGES) == STAGE_NAMES
    assert [name for name, stage in STAGES.items() if name != stage.NAME] == []
    assert sum(stage.STARTS for stage in STAGES.values()) == 1
    assert set(KINDS) == set(NEED_KINDS)  # every need kind the reader knows is checked
