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
PARTS = ("errors", "atomic", "tables", "secrecy", "diagnosis", "discover", "processes", "state",
         "checks", "recipe", "core", "remedies", "stages", "proving", "export", "commands", "face")
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
    inside = path.is_relative_to(SOURCE)
    package = ".".join(("bringup", *(path.relative_to(SOURCE).parent.parts if inside else ())))
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


def spawning(path: Path) -> list[str]:
    """What in a module can start a process: an import of subprocess and its kind, a name from
    os that spawns (imported by itself or called on os under any alias), psutil.Popen, a pool of
    processes, asyncio's subprocesses."""
    found = [name for _, name in imports(path) if name.split(".")[0] in SPAWNING
             or name in ("concurrent.futures.ProcessPoolExecutor", "psutil.Popen")
             or (name.startswith("os.") and name[3:].startswith(OS_SPAWNING))]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    aliases = {alias.asname or alias.name for node in ast.walk(tree)
               if isinstance(node, ast.Import) for alias in node.names
               if alias.name in ("os", "asyncio", "psutil")}
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id in aliases
                and (node.attr.startswith((*OS_SPAWNING, "create_subprocess"))
                     or node.attr in ("Popen", "ProcessPoolExecutor"))):
            found.append(f"{node.value.id}.{node.attr}")
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(SOURCE)))
def test_only_processes_starts_a_process(path: Path) -> None:
    if part_of(path) != "processes":
        assert spawning(path) == []


def test_the_process_rule_sees_every_way_to_start_one(tmp_path: Path) -> None:
    ways = ["import os as o\no.execv('x', [])", "from os import system", "import psutil\n"
            "psutil.Popen(['x'])", "from concurrent.futures import ProcessPoolExecutor",
            "import multiprocessing", "import asyncio\nasyncio.create_subprocess_exec('x')"]
    for index, code in enumerate(ways):
        module = tmp_path / f"way{index}.py"
        module.write_text(code)
        assert spawning(module), code


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
        if isinstance(node, ast.Call) and _sets_status(node):
            found.append(node.lineno)
    return found


def _sets_status(call: ast.Call) -> bool:
    """ServiceState(status=...), replace(entry, status=...), setattr(entry, "status", ...)."""
    name = getattr(call.func, "id", None) or getattr(call.func, "attr", "")
    if name in ("ServiceState", "replace"):
        return any(keyword.arg == "status" for keyword in call.keywords)
    return (name == "setattr" and len(call.args) > 1 and isinstance(call.args[1], ast.Constant)
            and call.args[1].value == "status")


def test_the_status_rule_sees_every_way_to_assign_one(tmp_path: Path) -> None:
    ways = ["entry.status = 'proven'", "entry.status, entry.stage = 'a', 'b'",
            "model.ServiceState(status='x')", "replace(entry, status='x')",
            "setattr(entry, 'status', 'x')", "entry.status += 'x'"]
    for index, code in enumerate(ways):
        module = tmp_path / f"way{index}.py"
        module.write_text(code)
        assert status_assignments(module), code


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(SOURCE)))
def test_only_the_lifecycle_assigns_a_status(path: Path) -> None:
    if path != LIFECYCLE:
        assert status_assignments(path) == []


def test_the_lifecycle_assigns_statuses_and_this_test_can_see_it() -> None:
    assert len(status_assignments(LIFECYCLE)) >= 6


def test_the_stage_registry_is_the_stored_stages_in_order() -> None:
    from bringup.recipe.read import NEED_KINDS
    from bringup.stages import registry
    from bringup.stages.needs import KINDS
    from bringup.state.model import STAGE_NAMES

    assert tuple(registry()) == STAGE_NAMES
    assert [name for name, stage in registry().items() if name != stage.NAME] == []
    assert sum(stage.STARTS for stage in registry().values()) == 1
    assert set(KINDS) == set(NEED_KINDS)  # every need kind the reader knows is checked
