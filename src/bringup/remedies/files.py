"""Fixes for paths: a missing file or folder, and one that cannot be run or written. Only paths
inside the workspace get one."""

from __future__ import annotations

import os
from pathlib import Path

from bringup.core.problems import Fix
from bringup.core.service import Service
from bringup.diagnosis import Finding
from bringup.recipe.edit import append_entry
from bringup.remedies.learning import learn

TEMPLATE_SUFFIXES = (".example", ".sample", ".dist", ".template", ".tmpl", ".default")


def missing_path(service: Service, finding: Finding) -> Fix | None:
    relative = _inside(service, finding.subject)
    if relative is None or relative.startswith("..") or service.path(relative).exists():
        return None
    if not Path(relative).suffix:
        entry: dict[str, str] = {"dir": relative}
    else:
        template = _template_for(service, relative)
        if template is None:
            return None
        entry = {"file": relative, "template": template}
    what = " from ".join(entry.values())
    return Fix(f"add {what} to the recipe's paths (then create it)", lambda s: learn(
        s, f"paths {what}", lambda: append_entry(s.recipe.file, "paths", entry)))


def permission(service: Service, finding: Finding) -> Fix | None:
    if "--allow-" in finding.fix:  # deno refused what its command line did not grant: a flag
        return None
    relative = _inside(service, finding.subject)
    if relative is None or relative.startswith(".."):
        return None
    path = service.path(relative)
    kind = "executable" if path.is_file() and _runnable(path, finding) else "writable"
    if kind == "writable" and not path.is_dir():
        relative = os.path.relpath(path.parent, service.cwd) if path.parent != service.cwd else "."
    entry = {kind: relative}
    if any(p.kind == kind and service.path(p.path) == service.path(relative)
           for p in service.recipe.permissions):
        return None
    return Fix(f"add {kind} {relative} to the recipe's permissions (then fix it)", lambda s: learn(
        s, f"permissions {kind} {relative}", lambda: append_entry(
            s.recipe.file, "permissions", entry)))


def _inside(service: Service, subject: str) -> str | None:
    """The subject as a path relative to the service's folder, when it is inside the workspace."""
    path = Path(os.path.normpath(service.cwd / subject))
    root = Path(os.path.normpath(service.ctx.workspace.root))
    if root != path and root not in path.parents:
        return None
    return os.path.relpath(path, os.path.normpath(service.cwd))


def _template_for(service: Service, relative: str) -> str | None:
    path = Path(relative)
    candidates = [f"{relative}{suffix}" for suffix in TEMPLATE_SUFFIXES]
    candidates += [str(path.with_name(f"{path.stem}{suffix}{path.suffix}"))
                   for suffix in TEMPLATE_SUFFIXES]
    return next((c for c in candidates if service.path(c).is_file()), None)


def _runnable(path: Path, finding: Finding) -> bool:
    with path.open("rb") as head:
        shebang = head.read(2) == b"#!"
    return shebang or path.suffix in (".sh", ".bash") or "open" not in finding.evidence.lower()
