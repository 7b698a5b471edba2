"""Compose projects, read the way compose reads them.

A project is a folder with a compose file (and its override file), in the workspace or up to
two levels below it. It is read by the compose binary when one is installed (that part runs a
program, so it lives in `processes.compose`), else by bringup's own reader here, which follows
compose's rules for what init uses: interpolation with the project's `.env`, anchors, override
files, `extends`, `env_file`, profiles, and the short and long form of every field. Both give
the canonical form `docker compose config --format json` prints.

The variables compose interpolates from are the environment bringup runs in, less any whose
name says secret: a recipe never gets a value only the user's shell holds."""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bringup.discover.candidate import SKIP_DIRS, read
from bringup.discover.interpolation import InterpolationError, Interpolator, unescape
from bringup.secrecy import looks_secret

FILES = ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")
OVERRIDES = ("compose.override.yaml", "compose.override.yml", "docker-compose.override.yml",
             "docker-compose.override.yaml")
DEPTH = 2  # levels below the workspace searched: a repository of samples keeps them one down
OWN_READER = "bringup's compose reader"

Service = dict[str, Any]


class ComposeError(Exception):
    """The project cannot be read as compose would read it; the message says why."""


@dataclass(frozen=True)
class Project:
    folder: Path
    files: tuple[Path, ...]  # the compose file, then its override file if there is one

    def shown(self, root: Path) -> str:
        return self.files[0].relative_to(root).as_posix()


@dataclass(frozen=True)
class Loaded:
    services: dict[str, Service]  # every service of every profile, in compose's canonical form
    profiles: frozenset[str]  # the active ones (COMPOSE_PROFILES)
    reader: str  # what read it: the compose binary and its version, or bringup's reader
    unset: frozenset[str]  # variables the files use that nothing sets

    def active(self, name: str) -> bool:
        wanted = self.services[name].get("profiles") or []
        return not wanted or "*" in self.profiles or bool(self.profiles & set(wanted))


def projects(root: Path) -> list[Project]:
    """Every compose project at or below root, nearest first, then by path."""
    found = []
    for folder in _folders(root, DEPTH):
        main = next((folder / name for name in FILES if (folder / name).is_file()), None)
        if main is None:
            continue
        override = next((folder / name for name in OVERRIDES if (folder / name).is_file()), None)
        found.append(Project(folder, (main, override) if override else (main,)))
    return sorted(found, key=lambda project: (len(project.folder.relative_to(root).parts),
                                              project.folder.as_posix()))


def _folders(root: Path, depth: int) -> list[Path]:
    if depth < 0 or not root.is_dir():
        return []
    try:
        children = sorted(item for item in root.iterdir() if item.is_dir()
                          and not item.name.startswith(".") and item.name not in SKIP_DIRS)
    except OSError:
        return [root]
    return [root, *(found for child in children for found in _folders(child, depth - 1))]


Reader = Callable[["Project", Mapping[str, str]], tuple[dict[str, "Service"], set[str], str]]


def load(project: Project, environ: Mapping[str, str] | None = None,
         reader: Reader | None = None) -> Loaded:
    """The project as compose sees it, by `reader` (the compose binary: in `processes`), else by
    bringup's own; ComposeError when compose would refuse it."""
    given = dict(os.environ if environ is None else environ)
    values = {key: value for key, value in given.items() if not looks_secret(key)}
    lookup = {**_dotenv(project.folder / ".env", values), **values}  # the shell wins, as in compose
    profiles = frozenset(item.strip() for item in lookup.get("COMPOSE_PROFILES", "").split(",")
                         if item.strip())
    services, unset, name = (reader or own_reader)(project, values)
    return Loaded({name: _canonical(spec) for name, spec in sorted(services.items())}, profiles,
                  name, frozenset(unset))


def _canonical(spec: Service) -> Service:
    """As the service sees it (`$$` is one `$`), its mappings in compose's order (sorted, as
    `config` prints them)."""
    done: Service = _unescaped(spec)
    for key in ("environment", "depends_on"):
        if isinstance(done.get(key), dict):
            done[key] = dict(sorted(done[key].items()))
    return done


# --- bringup's own reader ---

def own_reader(project: Project,
               values: Mapping[str, str]) -> tuple[dict[str, Service], set[str], str]:
    """What `docker compose config` makes of the project, for the fields init reads; `values`
    are the variables of the environment, beneath which the project's `.env` goes."""
    interpolate = Interpolator({**_dotenv(project.folder / ".env", values), **values})
    merged: dict[str, Service] = {}
    for file in project.files:
        services = _read_file(file, interpolate)
        for name in services:
            spec = _extended(name, services, file, interpolate, ())
            merged[name] = _merge(merged[name], spec) if name in merged else spec
    for spec in merged.values():
        _resolve_env(spec, interpolate, project.folder)
    return merged, interpolate.unset, OWN_READER


def _read_file(file: Path, interpolate: Interpolator) -> dict[str, Service]:
    import yaml

    try:
        data = yaml.safe_load(read(file)) or {}
    except yaml.YAMLError as error:
        raise ComposeError(f"{file.name} is not valid YAML ({error})") from None
    except RecursionError:
        raise ComposeError(f"{file.name} is not valid YAML (nested too deeply)") from None
    services = data.get("services") if isinstance(data, dict) else None
    if services is None:
        return {}
    if not isinstance(services, dict):
        raise ComposeError(f"{file.name}: services must be a mapping")
    try:
        return {str(name): _normal(_interpolated(spec, interpolate, f"services.{name}"),
                                   file.parent)
                for name, spec in services.items()}
    except InterpolationError as error:
        raise ComposeError(f"{file.name}: {error}") from None
    except RecursionError:
        raise ComposeError(f"{file.name}: nested too deeply") from None


def _interpolated(value: Any, interpolate: Callable[[str], str], where: str) -> Any:
    if isinstance(value, str):
        try:
            return interpolate(value)
        except InterpolationError as error:
            raise InterpolationError(f"error while interpolating {where}: {error}") from None
    if isinstance(value, dict):
        return {key: _interpolated(item, interpolate, f"{where}.{key}")
                for key, item in value.items()}
    if isinstance(value, list):
        return [_interpolated(item, interpolate, f"{where}[{index}]")
                for index, item in enumerate(value)]
    return value


def _extended(name: str, services: dict[str, Service], file: Path,
              interpolate: Interpolator, seen: tuple[str, ...]) -> Service:
    """The service with what it `extends` beneath it, from this file or another."""
    spec = dict(services[name])
    extends = spec.pop("extends", None)
    if extends is None:
        return spec
    if isinstance(extends, str):
        extends = {"service": extends}
    base_name = str(extends.get("service", "")) if isinstance(extends, dict) else ""
    other = file.parent / str(extends.get("file")) if extends.get("file") else file
    key = f"{other}:{base_name}"
    if key in seen:
        raise ComposeError(f"{file.name}: services.{name} extends itself (through {base_name})")
    pool = services if other == file else _read_file(other, interpolate)
    if base_name not in pool:
        raise ComposeError(f"{file.name}: services.{name} extends {base_name}, which "
                           f"{other.name} does not define")
    return _merge(_extended(base_name, pool, other, interpolate, (*seen, key)), spec)


APPENDED = ("ports", "expose", "env_file", "dns", "volumes")


def _merge(base: Service, over: Service) -> Service:
    """Compose's merge of two definitions of a service: mappings merge key by key, lists of
    ports and files add up, anything else is replaced."""
    merged = dict(base)
    for key, value in over.items():
        old = merged.get(key)
        if key in APPENDED and isinstance(old, list) and isinstance(value, list):
            merged[key] = [*old, *(item for item in value if item not in old)]
        elif isinstance(old, dict) and isinstance(value, dict) and key not in ("command",):
            merged[key] = {**old, **value}
        else:
            merged[key] = value
    return merged


def _normal(spec: Any, folder: Path) -> Service:
    """One service in the canonical form, as far as init reads it."""
    if not isinstance(spec, dict):
        return {}
    normal = dict(spec)
    for key in ("command", "entrypoint"):
        if key in normal:
            normal[key] = _words(normal[key])
    if "environment" in normal:
        normal["environment"] = _mapping(normal["environment"])
    if "ports" in normal:
        normal["ports"] = [port for item in normal["ports"] or [] for port in _ports(item)]
    if "depends_on" in normal:
        normal["depends_on"] = _depends(normal["depends_on"])
    if "build" in normal:
        normal["build"] = _build(normal["build"], folder)
    if "env_file" in normal:
        normal["env_file"] = _env_files(normal["env_file"], folder)
    if "volumes" in normal:
        normal["volumes"] = [_volume(item, folder) for item in normal["volumes"] or []]
    health = normal.get("healthcheck")
    if isinstance(health, dict) and isinstance(health.get("test"), str):
        normal["healthcheck"] = {**health, "test": ["CMD-SHELL", health["test"]]}
    return normal


def _words(value: Any) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, list):
        return [_text(word) for word in value]
    try:
        return shlex.split(str(value))
    except ValueError as error:
        raise ComposeError(f"{value!r} cannot be split into words ({error})") from None


def _text(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _mapping(value: Any) -> dict[str, str | None]:
    if isinstance(value, dict):
        return {str(key): None if item is None else _text(item) for key, item in value.items()}
    pairs = [str(item).partition("=") for item in value or []]
    return {key: item if equals else None for key, equals, item in pairs}


_SHORT_PORT = re.compile(r"^(?:(?P<ip>\[[^\]]*\]|\d+\.\d+\.\d+\.\d+):)?(?:(?P<host>[\d-]*):)?"
                         r"(?P<target>\d+(?:-\d+)?)(?:/(?P<protocol>\w+))?$")


def _ports(item: Any) -> list[dict[str, Any]]:
    if isinstance(item, dict):
        port: dict[str, Any] = {"mode": item.get("mode", "ingress"),
                                "target": int(item.get("target", 0)),
                                "protocol": item.get("protocol", "tcp")}
        if item.get("host_ip"):
            port["host_ip"] = str(item["host_ip"])
        if item.get("published") not in (None, ""):
            port["published"] = str(item["published"])
        return [port]
    match = _SHORT_PORT.match(str(item).strip())
    if match is None:
        raise ComposeError(f"ports: {item!r} is not a port mapping")
    targets = _span(match["target"])
    hosts = _span(match["host"]) if match["host"] else []
    found = []
    for index, target in enumerate(targets):
        port = {"mode": "ingress", "target": target, "protocol": match["protocol"] or "tcp"}
        if match["ip"]:
            port["host_ip"] = match["ip"].strip("[]")
        if hosts:
            port["published"] = str(hosts[index] if len(hosts) == len(targets) else
                                    f"{hosts[0]}-{hosts[-1]}")
        found.append(port)
    return found


def _span(text: str) -> list[int]:
    low, _, high = text.partition("-")
    return list(range(int(low), int(high or low) + 1))


def _depends(value: Any) -> dict[str, dict[str, Any]]:
    if isinstance(value, dict):
        return {str(name): {"condition": "service_started", "required": True,
                            **(item if isinstance(item, dict) else {})}
                for name, item in value.items()}
    return {str(name): {"condition": "service_started", "required": True}
            for name in value or []}


def _build(value: Any, folder: Path) -> dict[str, Any]:
    build = dict(value) if isinstance(value, dict) else {"context": str(value)}
    context = str(build.get("context") or ".")
    if "://" not in context and not context.startswith("git@"):
        context = os.path.normpath(folder / context)
    return {**build, "context": context, "dockerfile": str(build.get("dockerfile")
                                                          or "Dockerfile")}


def _volume(item: Any, folder: Path) -> dict[str, Any]:
    """`./src:/app:ro` (a path: a bind mount, relative to the file's folder), `data:/var/lib`
    (a named volume), `/cache` (an anonymous one), or the long form."""
    if isinstance(item, dict):
        volume = dict(item)
    else:
        parts = str(item).split(":")
        if len(parts) == 1:
            return {"type": "volume", "target": parts[0]}
        source, target, mode = parts[0], parts[1], ",".join(parts[2:])
        kind = "bind" if source.startswith((".", "/", "~")) else "volume"
        volume = {"type": kind, "source": source, "target": target}
        if "ro" in mode.split(","):
            volume["read_only"] = True
    source = str(volume.get("source", ""))
    if volume.get("type") == "bind" and source:
        volume["source"] = os.path.normpath(folder / Path(source).expanduser())
    return volume


def _env_files(value: Any, folder: Path) -> list[dict[str, Any]]:
    items = value if isinstance(value, list) else [value]
    files = []
    for item in items:
        entry = item if isinstance(item, dict) else {"path": item}
        files.append({"path": os.path.normpath(folder / str(entry.get("path", ""))),
                      "required": entry.get("required", True) is not False})
    return files


def _resolve_env(spec: Service, interpolate: Interpolator, folder: Path) -> None:
    """What the container's environment holds: its env files beneath its `environment`, and a
    bare name taken from the variables compose interpolates from (null when none has it)."""
    from_files: dict[str, str | None] = {}
    for entry in spec.pop("env_file", None) or []:
        path = Path(entry["path"])
        if not path.is_file():
            if entry["required"]:
                raise ComposeError(f"env file {path} not found")
            continue
        from_files.update(_dotenv(path, interpolate.values))
    own = spec.get("environment") or {}
    resolved = {key: interpolate.values.get(key) if value is None else value
                for key, value in own.items()}
    if from_files or own:
        spec["environment"] = {**from_files, **resolved}


def _dotenv(path: Path, values: Mapping[str, str]) -> dict[str, str]:
    if not path.is_file():
        return {}
    from dotenv import dotenv_values

    try:
        written = dotenv_values(path, interpolate=False)
    except (OSError, UnicodeDecodeError) as error:
        raise ComposeError(f"{path} cannot be read ({error})") from None
    found: dict[str, str] = {}
    for key, value in written.items():  # a value may use the variables, and the lines above
        if value is not None:
            try:
                found[key] = Interpolator({**found, **values})(value)
            except InterpolationError as error:
                raise ComposeError(f"{path}: {key}: {error}") from None
    return found


def _unescaped(spec: Any) -> Any:
    if isinstance(spec, str):
        return unescape(spec)
    if isinstance(spec, dict):
        return {key: _unescaped(value) for key, value in spec.items()}
    if isinstance(spec, list):
        return [_unescaped(value) for value in spec]
    return spec
