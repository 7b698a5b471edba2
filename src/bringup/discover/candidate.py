"""What a detector reports: a candidate service, and the helpers every detector shares to read
a folder (its files, the port a command or a source obviously listens on, its manifests)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Need = dict[str, Any]  # one [[needs]] entry: its kind and value, and an install table


@dataclass(frozen=True)
class Candidate:
    name: str
    source: str  # one line: where it was found ("docker-compose.yml: service api")
    command: str | tuple[str, ...] = ""
    cwd: str = "."
    port: int | None = None
    after: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict)
    needs: tuple[Need, ...] = ()
    verify: dict[str, Any] = field(default_factory=dict)
    env_file: str | None = None
    oneshot: bool = False
    catalog: str | None = None  # a catalog recipe (redis, postgres) to start from instead
    notes: tuple[str, ...] = ()  # said in the recipe's header comment
    secrets: dict[str, str] = field(default_factory=dict, repr=False)  # kept out of the recipe
    files: dict[str, str] = field(default_factory=dict)  # to write beside it (nginx's config)
    skip: str = ""  # why it cannot run here: its recipe is written parked, saying so
    missing: str = ""  # its program, not on this machine: a binary need, or parked if no route
    problem: str = ""  # why no recipe can be written for it


SKIP_DIRS = {"node_modules", "recipes", "state", "venv", "env", "__pycache__", "site-packages"}
SERVICE_DIRS = ("services", "apps")  # common homes of one folder per service
PY_PROGRAMS = {"python", "python3", "gunicorn", "uvicorn", "flask", "celery", "daphne",
               "hypercorn", "waitress-serve"}
NODE_PROGRAMS = {"node", "npm", "npx", "yarn", "pnpm", "nodemon"}
_COMMAND_PORTS = (r"(?:--port|-p)[=\s]+(\d+)\b", r"(?:--bind|-b)[=\s]+\S*:(\d+)\b",
                  r"\bPORT=(\d+)\b", r"(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::\]):(\d+)\b")
_SOURCE_PORTS = (r"process\.env\.PORT\s*(?:\|\||\?\?)\s*[\"']?(\d+)",
                 r"[\"']PORT[\"']\s*(?:,|\)\s*or)\s*[\"']?(\d+)", r"\.listen\(\s*(\d+)",
                 r"\bport\s*[=:]\s*[\"']?(\d+)",
                 r"HTTPServer\(\s*\(\s*[\"'][^\"']*[\"']\s*,\s*(\d+)")


def service_name(text: str) -> str:
    """A recipe NAME: lowercase letters, digits, - and _; anything else becomes -."""
    name = re.sub(r"[^a-z0-9_-]+", "-", text.lower()).strip("-_")
    return name or "service"


def folders(root: Path) -> list[Path]:
    """The workspace, its first-level folders, and the folders in services/ and apps/."""
    def children(folder: Path) -> list[Path]:
        if not folder.is_dir():
            return []
        return sorted(item for item in folder.iterdir() if item.is_dir()
                      and not item.name.startswith(".") and item.name not in SKIP_DIRS)

    nested = [item for name in SERVICE_DIRS for item in children(root / name)]
    return [root, *children(root), *nested]


def port_in_command(text: str) -> int | None:
    """A port a command (or a script's lines) obviously listens on, or None."""
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            continue
        for pattern in _COMMAND_PORTS:
            if match := re.search(pattern, line):
                return as_port(match.group(1))
        words = line.split()  # `python -m http.server 8000`: a last bare number
        last = as_port(words[-1]) if len(words) > 1 else None
        port = last if words and words[0] not in ("sleep", "timeout") else None
        if port and port >= 1024:
            return port
    return None


SOURCES = ("*.py", "*.js", "*.mjs", "*.cjs", "*.ts", "*.go", "*.rb", "*.php")


def source_files(folder: Path, patterns: tuple[str, ...] = SOURCES) -> list[Path]:
    """A service's own source files: in its folder and one level down (40 of each kind per
    level at most), never in node_modules or a venv."""
    found: list[Path] = []
    for pattern in patterns:
        found += sorted(folder.glob(pattern))[:40]
        found += [path for path in sorted(folder.glob(f"*/{pattern}"))[:40]
                  if not {"node_modules", ".venv", "venv"} & set(path.parts)]
    return found


def port_in_source(text: str) -> int | None:
    for pattern in _SOURCE_PORTS:
        if match := re.search(pattern, text, re.IGNORECASE):
            return as_port(match.group(1))
    return None


def manifest_needs(folder: Path, command: str | tuple[str, ...]) -> tuple[Need, ...]:
    """A Python or Node command beside its manifest needs that manifest installed."""
    words = command.split() if isinstance(command, str) else list(command)
    words = [word for word in words if not re.match(r"\w+=", word)]  # FOO=1 python app.py
    program = Path(words[0]).name if words else ""
    if program in PY_PROGRAMS:
        return requirements(folder)
    if program in NODE_PROGRAMS and (folder / "package.json").is_file():
        return ({"npm": "package.json"},)
    return ()


def requirements(folder: Path) -> tuple[Need, ...]:
    found = (folder / "requirements.txt").is_file()
    return ({"python": "requirements.txt"},) if found else ()


def main_js(folder: Path, data: dict[str, Any]) -> str:
    names = [str(data.get("main") or ""), "server.js", "index.js", "app.js"]
    return next((read(folder / name) for name in names if name and (folder / name).is_file()), "")


def as_port(text: str) -> int | None:
    return int(text) if text.isdigit() and 1 <= int(text) <= 65535 else None


def cwd_of(root: Path, folder: Path) -> str:
    return "." if folder == root else folder.relative_to(root).as_posix()


def shown(root: Path, file: Path) -> str:
    return file.relative_to(root).as_posix()


def read(file: Path) -> str:
    try:
        return file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def read_json(file: Path) -> dict[str, Any]:
    try:
        data = json.loads(read(file) or "{}")
    except json.JSONDecodeError:
        return {}
    return data if isinstance(data, dict) else {}


