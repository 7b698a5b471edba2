"""Python entry points: a Django project, an entry file beside requirements.txt, and the
scripts a pyproject.toml declares."""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path

from bringup.discover.candidate import (
    Candidate,
    cwd_of,
    folders,
    port_in_source,
    read,
    requirements,
    service_name,
    shown,
)

PY_ENTRIES = ("app.py", "main.py", "server.py")


def detect(root: Path) -> list[Candidate]:
    found = []
    for folder in folders(root):
        found += _django(root, folder) or _entry_file(root, folder)
        found += _pyproject_scripts(root, folder)
    return found


def _django(root: Path, folder: Path) -> list[Candidate]:
    if not (folder / "manage.py").is_file():
        return []
    return [Candidate(service_name(folder.name), f"{shown(root, folder / 'manage.py')}: Django",
                      "python manage.py runserver 127.0.0.1:8000", cwd_of(root, folder), 8000,
                      needs=requirements(folder), verify={"log_error": "Traceback"})]


def _entry_file(root: Path, folder: Path) -> list[Candidate]:
    entry = next((name for name in PY_ENTRIES if (folder / name).is_file()), None)
    if entry is None or not (folder / "requirements.txt").is_file():
        return []
    return [Candidate(service_name(folder.name), shown(root, folder / entry), f"python {entry}",
                      cwd_of(root, folder), port_in_source(read(folder / entry)),
                      needs=requirements(folder), verify={"log_error": "Traceback"})]


def _pyproject_scripts(root: Path, folder: Path) -> list[Candidate]:
    try:
        data = tomllib.loads(read(folder / "pyproject.toml"))
    except tomllib.TOMLDecodeError:
        return []
    scripts = data.get("project", {}).get("scripts", {})
    found = []
    for key, target in scripts.items() if isinstance(scripts, dict) else ():
        module, _, attr = re.sub(r"\s*\[.*\]$", "", str(target)).partition(":")
        if not re.fullmatch(r"[\w.]+", module) or not re.fullmatch(r"[\w.]*", attr):
            continue
        # Run without installing the project itself: its own code from src/ or the folder.
        code = "import sys; " + ("sys.path.insert(0, 'src'); " if (folder / "src").is_dir() else "")
        code += (f"from {module} import {attr.split('.')[0]}; sys.exit({attr}())" if attr
                 else f"import runpy; runpy.run_module('{module}', run_name='__main__')")
        needs = requirements(folder)
        notes = () if needs else ("its dependencies are not installed by bringup: list them in "
                                  "requirements.txt and add a python need",)
        found.append(Candidate(service_name(key), f"{shown(root, folder / 'pyproject.toml')}: "
                               f"project.scripts.{key}", f"python -c {shlex.quote(code)}",
                               cwd_of(root, folder), needs=needs, notes=notes))
    return found


