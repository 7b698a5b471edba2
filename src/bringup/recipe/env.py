"""A service's environment: the workspace's `.env`, the outer one, then its env_file, then the
recipe's env, then its venv.

Values are only ever handed to the service; they are never printed or journalled."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from bringup import atomic
from bringup.errors import WorkspaceError
from bringup.recipe.model import Recipe
from bringup.secrecy import URL_PASSWORD, looks_secret


def env_file_path(cwd: Path, recipe: Recipe) -> Path:
    return cwd / (recipe.env_file or ".env")


def read_env_file(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    from dotenv import dotenv_values

    try:
        values = dotenv_values(path)
    except (OSError, UnicodeDecodeError) as error:
        raise WorkspaceError(f"{path} cannot be read ({error}): bringup reads the service's "
                             "env file from it") from None
    return {key: value for key, value in values.items() if value is not None}


def workspace_env(root: Path) -> dict[str, str]:
    """The `.env` at the workspace's root: read for every service, below everything else (as
    compose reads a project's `.env`)."""
    return read_env_file(root / ".env")


def service_env(cwd: Path, recipe: Recipe,
                outer: Mapping[str, str] | None = None) -> dict[str, str]:
    env = {**workspace_env(recipe.root), **(os.environ if outer is None else outer)}
    if recipe.env_file:
        env.update(read_env_file(cwd / recipe.env_file))
    env.update(recipe.env)
    for need in recipe.needs:
        if need.kind == "python":
            venv = cwd / need.venv
            env["VIRTUAL_ENV"] = str(venv)
            env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', os.defpath)}"
            env.pop("PYTHONHOME", None)
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


SHORTEST = 4  # a shorter value would mask ordinary text: it is no secret worth the name


def secret_values(cwd: Path, recipe: Recipe) -> set[str]:
    return set(secrets(cwd, recipe))


def secrets(cwd: Path, recipe: Recipe) -> dict[str, str]:
    """The values bringup knows to be secrets for this service, each with what may stand in its
    place in a file: those of variables its needs ask for (bringup asked or generated them)
    and of variables whose names say secret (`${NAME}`), and the password in any URL of its
    env (`****`); from the recipe's env, its env file and the environment bringup runs in
    alike."""
    given = service_env(cwd, recipe)  # the shell's environment too: a secret may come from it
    asked = {need.value for need in recipe.needs if need.kind == "env"}
    found = {value: f"${{{key}}}" for key, value in given.items()
             if key in asked or looks_secret(key)}
    found |= {password: "****" for value in given.values() if "://" in value
              for password in URL_PASSWORD.findall(value)}
    return {value: stands for value, stands in found.items() if len(value) >= SHORTEST}


def save_value(path: Path, key: str, value: str) -> None:
    """Write KEY='value' into a dotenv file, replacing the line of KEY if there is one; the
    file is written whole and is readable by its owner only."""
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    quoted = value.replace("\\", "\\\\").replace("'", "\\'")  # dotenv's two escapes
    line = f"{key}='{quoted}'"
    kept = [existing for existing in lines if _key_of(existing) != key]
    where = next((index for index, existing in enumerate(lines) if _key_of(existing) == key),
                 len(kept))
    atomic.write_text(path, "\n".join([*kept[:where], line, *kept[where:]]) + "\n", mode=0o600)


def _key_of(line: str) -> str:
    name = line.strip().removeprefix("export ").partition("=")[0].strip()
    return name if "=" in line else ""
