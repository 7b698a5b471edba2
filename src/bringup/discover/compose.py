"""Compose files: each service that builds from a folder of the workspace becomes a candidate;
redis and postgres images get the catalog recipe on their published port, compose host names
become 127.0.0.1, and secret values become env needs instead of being copied."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from bringup.discover import health
from bringup.discover.candidate import (
    Candidate,
    Need,
    as_port,
    manifest_needs,
    read,
    service_name,
)
from bringup.secrecy import looks_secret

Hosts = dict[str, tuple[int, int] | None]  # compose service name: (its port there, port here)

COMPOSE_FILES = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")
CATALOG_IMAGES = ("redis", "postgres")


def detect(root: Path) -> list[Candidate]:
    import yaml

    found = []
    for file in (root / name for name in COMPOSE_FILES):
        try:
            data = yaml.safe_load(read(file)) or {}
        except yaml.YAMLError as error:
            data = {}
            found.append(Candidate(service_name(file.stem), file.name,
                                   problem=f"not valid YAML: {error}"))
        services = data.get("services") if isinstance(data, dict) else None
        services = services if isinstance(services, dict) else {}
        specs = {str(name): spec for name, spec in services.items() if isinstance(spec, dict)}
        moved = {name: _moved(spec) for name, spec in specs.items()}
        for name, spec in specs.items():
            hosts = {other: port for other, port in moved.items() if other != name}
            found.append(_compose_service(root, f"{file.name}: service {name}", spec, hosts))
    return found


def _catalog(spec: dict[str, Any]) -> str | None:
    """The catalog recipe for a service that runs a redis or postgres image."""
    image = str(spec.get("image") or "").rpartition("/")[2]
    found = (kind for kind in CATALOG_IMAGES if image.startswith(kind) and "build" not in spec)
    return next(found, None)


def _moved(spec: dict[str, Any]) -> tuple[int, int] | None:
    """(port in compose, port here) for a catalog service run on its published port."""
    host_port, own_port = _published(spec.get("ports"))
    if _catalog(spec) and host_port and own_port and host_port != own_port:
        return own_port, host_port
    return None


def _compose_service(root: Path, source: str, spec: dict[str, Any], hosts: Hosts) -> Candidate:
    name = service_name(source.rpartition(" ")[2])
    depends = spec.get("depends_on") or ()
    after = tuple(service_name(str(other)) for other in depends)
    host_port, own_port = _published(spec.get("ports"))
    image = str(spec.get("image") or "")
    kind = _catalog(spec)
    if kind is not None:
        unused = sorted(_environment(spec.get("environment")))
        notes = (f"compose's environment for the image is not used: {', '.join(unused)}",)
        return Candidate(name, f"{source} (image {image})", port=host_port or own_port,
                         after=after, catalog=kind, notes=notes if unused else ())
    build = spec.get("build")
    if build is None:
        return Candidate(name, source, problem=f"it runs the image {image or '(none)'}, which "
                         "bringup does not run outside docker: write its recipe by hand")
    context = str(build.get("context", ".") if isinstance(build, dict) else build)
    cwd = Path(context).as_posix().removeprefix("./") or "."
    folder = root / cwd
    if context.startswith(("/", "..")) or "://" in context or not folder.is_dir():
        return Candidate(name, source, problem=f"its build context {context} is not a folder "
                         "inside the workspace")
    command = _compose_command(spec.get("command")) or _dockerfile_cmd(folder, build)
    if not command:
        return Candidate(name, source, problem="it has no command: (and its Dockerfile no CMD)")
    given = {key: value for key, value in _environment(spec.get("environment")).items()
             if re.fullmatch(r"[A-Za-z_]\w*", key)}
    env, needs = _compose_env(given, hosts)
    port = own_port or as_port(env.get("PORT", ""))  # outside a container it listens on its own
    env_file = spec.get("env_file")
    env_file = (env_file[0] if env_file else None) if isinstance(env_file, list) else env_file
    shown_file = _relative(root / str(env_file), folder) if isinstance(env_file, str) else None
    dockerfile = build.get("dockerfile", "Dockerfile") if isinstance(build, dict) else "Dockerfile"
    found = (health.from_compose(spec, own_port, port)
             or health.from_dockerfile(read(folder / str(dockerfile)), own_port, port))
    verify, said = found or ({}, "")
    return Candidate(name, source, command, cwd, port, after, env,
                     (*manifest_needs(folder, command), *needs), verify=verify,
                     env_file=shown_file,
                     notes=(*_env_notes(given, env, needs), *([said] if said else [])))


def _published(ports: Any) -> tuple[int | None, int | None]:
    """The first port mapping: (the port on this machine, the one the service listens on)."""
    for item in ports if isinstance(ports, list) else ():
        if isinstance(item, dict):
            host, own = str(item.get("published", "")), str(item.get("target", ""))
        else:
            parts = str(item).partition("/")[0].rsplit(":", 2)
            host, own = (parts[-2] if len(parts) > 1 else ""), parts[-1]
        if as_port(own):
            return as_port(host), as_port(own)
    return None, None


def _environment(value: Any) -> dict[str, str | None]:
    if isinstance(value, dict):
        return {str(key): None if item is None else str(item).lower() if isinstance(item, bool)
                else str(item) for key, item in value.items()}
    pairs = [str(item).partition("=") for item in value] if isinstance(value, list) else []
    return {key: item if equals else None for key, equals, item in pairs}


def _compose_env(given: dict[str, str | None],
                 hosts: Hosts) -> tuple[dict[str, str], tuple[Need, ...]]:
    """Copy plain values (compose host names become 127.0.0.1); a secret, a value compose
    interpolates or takes from the shell becomes a need for that variable instead."""
    env: dict[str, str] = {}
    needs: list[Need] = []
    for key, item in given.items():
        if item is None or "$" in item or looks_secret(key):
            needs.append({"env": key})
        else:
            env[key] = local_hosts(item, hosts)
    return env, tuple(needs)


def local_hosts(text: str, hosts: Hosts) -> str:
    """Compose service names, which resolve inside compose only, as 127.0.0.1 (and the port
    a catalog service is run on here when that is its published one)."""
    if not hosts:
        return text
    names = "|".join(re.escape(host) for host in sorted(hosts, key=len, reverse=True))

    def here(match: re.Match[str]) -> str:
        port, moved = match["port"], hosts[match["name"]]
        if port and moved and int(port) == moved[0]:
            port = str(moved[1])
        return f"{match['pre']}127.0.0.1{':' + port if port else ''}"

    tail = rf"(?P<name>{names})(?::(?P<port>\d+))?"
    text = re.sub(rf"(?P<pre>://(?:[^@/\s]*@)?){tail}(?=[/?#,\s]|$)", here, text)
    return re.sub(rf"(?P<pre>)(?<![^,\s]){tail}(?=[,\s]|$)", here, text)


def _env_notes(given: dict[str, str | None], env: dict[str, str],
               needs: tuple[Need, ...]) -> tuple[str, ...]:
    local = [key for key, value in env.items() if value != given[key]]
    asked = [need["env"] for need in needs]
    return tuple(note for note in (
        f"{', '.join(local)}: compose host names are 127.0.0.1 here" if local else "",
        f"{', '.join(asked)}: not copied (a secret, or set by the shell): set them in "
        "env_file or the environment" if asked else "") if note)


def _compose_command(value: Any) -> str | tuple[str, ...]:
    if isinstance(value, list):
        return tuple(str(word) for word in value)
    return str(value).strip() if value else ""


def _dockerfile_cmd(folder: Path, build: Any) -> str | tuple[str, ...]:
    name = build.get("dockerfile", "Dockerfile") if isinstance(build, dict) else "Dockerfile"
    lines = re.findall(r"(?im)^\s*CMD\s+(.+?)\s*$", read(folder / str(name)))
    if not lines:
        return ""
    try:
        words = json.loads(lines[-1])
    except json.JSONDecodeError:
        return str(lines[-1])
    return tuple(str(word) for word in words) if isinstance(words, list) else str(lines[-1])


def _relative(file: Path, folder: Path) -> str:
    import os

    return Path(os.path.relpath(file, folder)).as_posix()


