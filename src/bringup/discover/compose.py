"""Compose services as candidates: each one that builds from a folder of the workspace runs there
with its command (compose's, else its Dockerfile's ENTRYPOINT and CMD) as the host sees it
(`discover.onhost`); redis, postgres and nginx images get the catalog recipe; compose host names
become 127.0.0.1 at the other service's port here, and a name written into the code becomes a
host need; secret values go to a secrets file, never into a recipe. A service that cannot run
here is a candidate all the same, parked with the reason, so nothing in the compose file
vanishes."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from bringup.discover import health, nginx
from bringup.discover.candidate import (
    NODE_PROGRAMS,
    PY_PROGRAMS,
    SOURCES,
    Candidate,
    Need,
    as_port,
    manifest_needs,
    read,
    service_name,
    source_files,
)
from bringup.discover.compose_files import ComposeError, Loaded, Project, load, projects
from bringup.discover.onhost import on_host, port_here
from bringup.secrecy import URL_PASSWORD, looks_secret

Hosts = dict[str, tuple[int, int] | None]  # compose service name: (its port there, port here)
Command = str | tuple[str, ...]

# image: the catalog recipe that runs it here (Debian ships MariaDB, which speaks MySQL's protocol)
CATALOG_IMAGES = {"redis": "redis", "postgres": "postgres", "nginx": "nginx",
                  "mariadb": "mariadb", "mysql": "mariadb"}
# What the image makes of its environment on first start; MARIADB_X is read as MYSQL_X.
IMAGE_ENV = {"postgres": ("POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB"),
             "mariadb": ("MYSQL_ROOT_PASSWORD", "MYSQL_DATABASE", "MYSQL_USER",
                         "MYSQL_PASSWORD")}
SECRETS_FILE = ".env.bringup"  # where init keeps the secret values compose gives literally
INIT_WRAPPERS = ("tini", "dumb-init", "/sbin/tini", "/usr/bin/tini", "/usr/bin/dumb-init")


def detect(root: Path, project: Project | None = None,
           read_project: Callable[[Project], Loaded] = load) -> list[Candidate]:
    """The services of `project`, else of the nearest compose project in the workspace, read
    by `read_project` (bringup's own reader unless the caller has the compose binary)."""
    chosen = project or next(iter(projects(root)), None)
    if chosen is None:
        return []
    source = chosen.shown(root)
    try:
        loaded = read_project(chosen)
    except ComposeError as error:
        return [Candidate(service_name(chosen.files[0].stem), source,
                          problem=f"compose cannot read it: {error}")]
    services = loaded.services
    in_code = {name: code_hosts(_folder(spec), set(services) - {name})
               for name, spec in services.items()}
    named_in_code = {host: name for name, hosts in in_code.items() for host in hosts}
    # A server the code of another names keeps its port inside compose: code is not rewritten.
    moved = {name: None if name in named_in_code else _moved(spec)
             for name, spec in services.items()}
    found: dict[str, Candidate] = {}
    for name, spec in services.items():
        hosts = {other: port for other, port in moved.items() if other != name}
        candidate = _compose_service(root, f"{source}: service {name}", spec, hosts,
                                     named_by=named_in_code.get(name))
        found[name] = _profiled(_code_needs(candidate, in_code[name]), name, loaded)
    found = dict(zip(found, _one_replica_per_port(list(found.values())), strict=True))
    return [_served(name, candidate, services, found) if candidate.catalog == "nginx"
            else candidate for name, candidate in found.items()]


def _served(name: str, candidate: Candidate, services: dict[str, Any],
            found: dict[str, Candidate]) -> Candidate:
    """nginx with its main config written around the compose fragments, proxying to the
    services on their ports here; it comes after them."""
    served = nginx.site(services[name])
    if served is None or candidate.port is None:
        return candidate
    ports = {other: (_published(spec.get("ports"))[1], found[other].port)
             for other, spec in services.items() if other != name}
    folder = f"var/{candidate.name}"
    config = nginx.main_config(served, folder, candidate.port, ports, candidate.source)
    proxied = sorted(service_name(other) for other in nginx.upstreams(served, set(ports)))
    return replace(candidate, files={f"{folder}/nginx.conf": config},
                   after=(*candidate.after, *(p for p in proxied if p not in candidate.after)),
                   notes=(*candidate.notes, f"its main config {folder}/nginx.conf is written "
                          f"around {', '.join(f.name for f in served.fragments)}"))


def _folder(spec: dict[str, Any]) -> Path | None:
    build = spec.get("build")
    context = str(build.get("context", "")) if isinstance(build, dict) else ""
    return Path(context) if context and "://" not in context else None


def _code_needs(candidate: Candidate, hosts: set[str]) -> Candidate:
    """Names of other services written into its code: each must resolve here (a hosts alias),
    and it comes after them."""
    if not hosts or candidate.skip:
        return candidate
    names = sorted(hosts)
    return replace(
        candidate, needs=(*candidate.needs, *({"host": host} for host in names)),
        after=(*candidate.after, *(service_name(h) for h in names
                                   if service_name(h) not in candidate.after)),
        notes=(*candidate.notes, f"its code connects to {', '.join(names)} by name: "
               "bringup offers a hosts alias (127.0.0.1) before it starts"))


def _one_replica_per_port(found: list[Candidate]) -> list[Candidate]:
    """Replicas of one build get their own ports through the variable their code reads; when
    the code listens on one port whatever it is told, one replica runs here, the rest parked."""
    taken: dict[tuple[str, int], str] = {}
    kept = []
    for candidate in found:
        key = (candidate.cwd, candidate.port or 0)
        first = taken.get(key) if candidate.port and not candidate.skip else None
        if first is not None:
            kept.append(replace(candidate, skip=f"a replica of {first}, whose code listens on "
                                f"{candidate.port} whatever it is told: one replica runs here"))
            continue
        if candidate.port and not candidate.skip:
            taken[key] = candidate.name
        kept.append(candidate)
    return kept


_CODE_FILES = (*SOURCES, "*.conf")  # an nginx upstream names a host too
# A line about a connection, where a quoted service name is a host; an import is not one.
_HOSTISH_LINE = re.compile(r"host|connect|Redis\(|Client\(|createClient|\bserver\s|addr|broker"
                           r"|upstream|proxy_pass", re.IGNORECASE)
_IMPORT_LINE = re.compile(r"\brequire\s*\(|^\s*(?:import|from)\b|\bfrom\s+[\"']")


def code_hosts(folder: Path | None, names: set[str]) -> set[str]:
    """The compose service names its source connects to by name: in a URL
    (`'postgres://u@db/app'`), as `'name:port'`, or as a host literal on a line about a
    connection (`Redis(host="redis")`, an nginx `server web:5000;`)."""
    if folder is None or not names or not folder.is_dir():
        return set()
    alternatives = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    url = re.compile(rf"://(?:[^@/\s'\"]*@)?({alternatives})(?=[:/'\"\s;]|$)")
    quoted = re.compile(rf"[\"']({alternatives})(?::\d+)?[\"']")
    bare = re.compile(rf"(?<![\w.-])({alternatives}):\d+\b")
    found: set[str] = set()
    for source in source_files(folder, _CODE_FILES):
        for line in read(source).splitlines():
            if line.lstrip().startswith(("#", "//")):
                continue
            found |= set(url.findall(line))
            if _HOSTISH_LINE.search(line) and not _IMPORT_LINE.search(line):
                found |= set(quoted.findall(line)) | set(bare.findall(line))
    return found


def _profiled(candidate: Candidate, name: str, loaded: Loaded) -> Candidate:
    """A service of a profile compose would not start is written parked, its profile named."""
    if loaded.active(name):
        return candidate
    wanted = ", ".join(loaded.services[name].get("profiles") or [])
    said = f"compose starts it only with the profile {wanted}"
    return replace(candidate, skip=f"{said}; and {candidate.skip}" if candidate.skip
                   else f"{said}: remove this line to bring it up")


def _catalog(spec: dict[str, Any]) -> str | None:
    """The catalog recipe for a service that runs an image of the catalog (redis, postgres, ...)."""
    image = str(spec.get("image") or "").rpartition("/")[2]
    found = (kind for prefix, kind in CATALOG_IMAGES.items()
             if image.startswith(prefix) and not spec.get("build"))
    return next(found, None)


def _moved(spec: dict[str, Any]) -> tuple[int, int] | None:
    """(port in compose, port here) for a catalog service run on its published port."""
    host_port, own_port = _published(spec.get("ports"))
    if _catalog(spec) and host_port and own_port and host_port != own_port:
        return own_port, host_port
    return None


def _compose_service(root: Path, source: str, spec: dict[str, Any], hosts: Hosts, *,
                     named_by: str | None = None) -> Candidate:
    """`named_by`: a service whose code connects to this one by name, at its port inside
    compose: then that is its port here too (code is not rewritten)."""
    name = service_name(source.rpartition(" ")[2])
    after = tuple(service_name(str(other)) for other in spec.get("depends_on") or ())
    host_port, own_port = _published(spec.get("ports"))
    at_own = []
    if named_by and own_port and host_port and host_port != own_port:
        at_own = [f"on {own_port}, its port inside compose, not the published {host_port}: the "
                  f"code of {named_by} connects to it there"]
        host_port = None
    image = str(spec.get("image") or "")
    kind = _catalog(spec)
    if kind == "nginx" and nginx.site(spec) is None:
        return Candidate(name, source, after=after, skip=f"it runs the image {image} with no "
                         "config of yours mounted into it (conf.d): nothing to serve here")
    if kind is not None:
        given = {key.replace("MARIADB_", "MYSQL_", 1) if key.startswith("MARIADB_") else key:
                 value for key, value in (spec.get("environment") or {}).items()}
        used = {key: value for key, value in given.items()
                if key in IMAGE_ENV.get(kind, ()) and value is not None}
        unused = sorted(set(given) - set(used))
        notes = [f"compose's environment for the image is not used: {', '.join(unused)}"]
        return Candidate(name, f"{source} (image {image})",
                         port=port_here(host_port, own_port)[0],
                         after=after, catalog=kind, notes=(*at_own, *(notes if unused else ())),
                         env={k: v for k, v in used.items() if not looks_secret(k)},
                         secrets={k: v for k, v in used.items() if looks_secret(k)})
    build = spec.get("build")
    if not build:
        return Candidate(name, source, after=after, skip=f"it runs the image {image or '(none)'}"
                         ", which bringup does not run outside docker: write its command here")
    context = str(build.get("context", "."))
    folder = Path(context).resolve()
    if "://" in context or not folder.is_dir() or not folder.is_relative_to(root.resolve()):
        return Candidate(name, source, after=after, skip=f"its build context {context} is not "
                         "a folder inside the workspace")
    cwd = folder.relative_to(root.resolve()).as_posix() or "."
    dockerfile = read(folder / str(build.get("dockerfile") or "Dockerfile"))
    command, why, origin = _command(spec, dockerfile, folder)
    origin = [*at_own, *origin]
    given = {key: value for key, value in (spec.get("environment") or {}).items()
             if re.fullmatch(r"[A-Za-z_]\w*", key)}
    env, secrets, needs = _compose_env(given, hosts)
    origin += _env_notes(given, env, secrets, needs)
    command, named = _local_command(command, hosts)
    port = as_port(env.get("PORT", ""))  # no port published: it listens where its env says
    if host_port or own_port:
        here = on_host(command, env, folder, dockerfile, published=host_port, own=own_port)
        command, env, port, origin = here.command, here.env, here.port, [*origin, *here.notes]
    pointed = _hosts_named({key: value for key, value in given.items() if value}, hosts) | named
    after += tuple(sorted({service_name(other) for other in pointed} - set(after)))
    found = (health.from_compose(spec, own_port, port)
             or health.from_dockerfile(dockerfile, own_port, port))
    verify, said = found or ({}, "")
    return Candidate(name, source, command, cwd, port, after, env,
                     (*(manifest_needs(folder, command) if command else ()), *needs),
                     verify=verify, skip=why, secrets=secrets,
                     missing="" if why else _missing(command),
                     env_file=SECRETS_FILE if secrets else None,
                     notes=(*origin, *([said] if said else [])))


def _local_command(command: Command, hosts: Hosts) -> tuple[Command, set[str]]:
    """Compose host names in the command line (`--broker=redis://redis:6379/0`) as 127.0.0.1;
    and the services it names so."""
    words = [command] if isinstance(command, str) else list(command)
    named = {host for word in words for host in _hosts_named({"": word}, hosts)}
    local = [local_hosts(word, hosts, bare=False) for word in words]
    return (local[0] if isinstance(command, str) else tuple(local)), named


def _hosts_named(env: dict[str, str], hosts: Hosts) -> set[str]:
    """The compose services the values point at as hosts: a service comes after what it
    connects to, whether or not compose says depends_on."""
    return {host for host in hosts for key, value in env.items()
            if local_hosts(value, {host: hosts[host]}, bare=_hostish(key)) != value}


def _hostish(key: str) -> bool:
    """A variable whose value is a host (`DB_HOST=db`), not a word (`ROLE=worker`)."""
    return bool(re.search(r"HOST|ADDR|SERVER|ENDPOINT|BROKER|URL|URI|DSN|NODES?$", key,
                          re.IGNORECASE))


def _command(spec: dict[str, Any], dockerfile: str,
             folder: Path) -> tuple[Command, str, list[str]]:
    """What the container runs, as docker puts it together (an entrypoint in compose drops the
    image's CMD); when it cannot run here, why; and where it came from, to say."""
    said = []
    entry: Command | None = _as_command(spec.get("entrypoint"))
    command: Command | None = _as_command(spec.get("command"))
    if entry is None:
        entry = _instruction(dockerfile, "ENTRYPOINT")
        if command is None:
            command = _instruction(dockerfile, "CMD")
            used = [name for name, value in (("ENTRYPOINT", entry), ("CMD", command)) if value]
            said += [f"the command is its Dockerfile's {' and '.join(used)}"] if used else []
    if isinstance(entry, str):  # the shell form of ENTRYPOINT ignores CMD
        command, entry = entry, None
    if entry and (unwrapped := _unwrapped(entry)) != entry:
        said += [f"{entry[0]}, a container's init, is left out: here bringup reaps"]
        entry = unwrapped
    words: Command
    if entry and command:
        words = (*entry, *(("/bin/sh", "-c", command) if isinstance(command, str) else command))
    else:
        words = entry or command or ""
    if not words:
        return "", ("it has no command (compose's command, or CMD or ENTRYPOINT in its "
                    "Dockerfile)"), said
    return (*_runnable(words, folder), said)


def _as_command(value: Any) -> Command | None:
    return tuple(str(word) for word in value) if isinstance(value, list) else None


def _unwrapped(entry: tuple[str, ...]) -> tuple[str, ...]:
    """An init wrapper (tini, dumb-init) reaps zombies inside a container: here the program it
    runs is the command."""
    if entry and entry[0] in INIT_WRAPPERS:
        rest = entry[1:]
        return rest[1:] if rest[:1] == ("--",) else rest
    return entry


def _runnable(words: Command, folder: Path) -> tuple[Command, str]:
    """The command with an image path to a script of this folder made relative to it; the
    reason it cannot run here when its program exists only inside the image."""
    program = _program(words)
    if "/" in program:
        local = folder / program.lstrip("/")
        here = next((candidate for candidate in (local, folder / Path(program).name)
                     if candidate.is_file()), None)
        if here is None:
            if program.startswith("/") and Path(program).exists():
                return words, ""  # a system program: /bin/sh, /usr/bin/env
            return words, f"its program {program} exists only inside the image"
        relative = "./" + here.relative_to(folder).as_posix()
        if isinstance(words, tuple):
            return tuple(relative if word == program else word for word in words), ""
        return words.replace(program, relative, 1), ""
    return words, ""


def _program(command: Command) -> str:
    """Its program: the first word that is no `NAME=value`."""
    argv = list(command) if isinstance(command, tuple) else command.split()
    return next((word for word in argv if not re.match(r"\w+=", word)), "")


def _missing(command: Command) -> str:
    """Its program when it is not on this machine (a venv or node_modules provides Python's
    and Node's own): whether a package manager has it is for the caller to ask."""
    program = _program(command)
    if not program or "/" in program or program in (*PY_PROGRAMS, *NODE_PROGRAMS):
        return ""
    return "" if shutil.which(program) else program


def _compose_env(given: dict[str, str | None], hosts: Hosts
                 ) -> tuple[dict[str, str], dict[str, str], tuple[Need, ...]]:
    """Plain values for the recipe, secret ones (a secret's name, a URL with a password) for
    the secrets file, compose host names as 127.0.0.1 in both; a secret, or a variable compose
    would take from a shell that does not have it, is also a need for that variable."""
    env: dict[str, str] = {}
    secrets: dict[str, str] = {}
    needs: list[Need] = []
    for key, item in given.items():
        local = None if item is None else local_hosts(item, hosts, bare=_hostish(key))
        secret = looks_secret(key) or bool(local and URL_PASSWORD.search(local))
        if local is not None and secret:
            secrets[key] = local
        elif local is not None:
            env[key] = local
        if local is None or secret:
            needs.append({"env": key})
    for key, item in given.items():  # REDIS_HOST=cache beside REDIS_PORT=6379: the port here
        port_key, moved = key.removesuffix("HOST") + "PORT", hosts.get(item or "")
        if key.endswith("HOST") and moved and env.get(port_key) == str(moved[0]):
            env[port_key] = str(moved[1])
    return env, secrets, tuple(needs)


def local_hosts(text: str, hosts: Hosts, *, bare: bool = True) -> str:
    """Compose service names, which resolve inside compose only, as 127.0.0.1 (and the port
    a catalog service is run on here when that is its published one): in URLs, as `name:port`,
    and (`bare`) as a whole word."""
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
    if not bare:
        tail = rf"(?P<name>{names}):(?P<port>\d+)"
    return re.sub(rf"(?P<pre>)(?<![^,\s=]){tail}(?=[,\s]|$)", here, text)


def _env_notes(given: dict[str, str | None], env: dict[str, str], secrets: dict[str, str],
               needs: tuple[Need, ...]) -> tuple[str, ...]:
    local = [key for key, value in {**env, **secrets}.items() if value != given[key]]
    asked = [need["env"] for need in needs if need["env"] not in secrets]
    return tuple(note for note in (
        f"{', '.join(local)}: compose host names are 127.0.0.1 here" if local else "",
        f"{', '.join(secrets)}: compose's values are kept in {SECRETS_FILE} (yours only), not "
        "in this recipe" if secrets else "",
        f"{', '.join(asked)}: not copied (set by the shell): set them in env_file or the "
        "environment" if asked else "") if note)


def _instruction(dockerfile: str, name: str) -> Command | None:
    """The last CMD or ENTRYPOINT of a Dockerfile: its exec form as words, its shell form as
    the line (run by /bin/sh, as docker does)."""
    lines = re.findall(rf"(?im)^\s*{name}\s+(.+?)\s*$", dockerfile)
    if not lines:
        return None
    try:
        words = json.loads(lines[-1])
    except json.JSONDecodeError:
        return str(lines[-1])
    return tuple(str(word) for word in words) if isinstance(words, list) else str(lines[-1])


def _published(ports: Any) -> tuple[int | None, int | None]:
    """The first port mapping: (the port on this machine, the one the service listens on)."""
    for item in ports if isinstance(ports, list) else ():
        own = as_port(str(item.get("target", ""))) if isinstance(item, dict) else None
        if own:
            return as_port(str(item.get("published") or "")), own
    return None, None
