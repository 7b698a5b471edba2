"""What `bringup init` finds in a workspace: one small detector per kind of evidence, each
returning the services it saw as candidates. Nothing here writes anything."""

from __future__ import annotations

import json
import re
import shlex
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Need = dict[str, str]
Hosts = dict[str, tuple[int, int] | None]  # compose service name: (its port there, port here)


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
    problem: str = ""  # why no recipe can be written for it


@dataclass(frozen=True)
class Scan:
    candidates: list[Candidate]
    also_found: list[tuple[Candidate, Candidate]]  # (the one set aside, the one kept)


SKIP_DIRS = {"node_modules", "recipes", "state", "venv", "env", "__pycache__", "site-packages"}
SERVICE_DIRS = ("services", "apps")  # common homes of one folder per service
PY_ENTRIES = ("app.py", "main.py", "server.py")
START_SCRIPTS = ("start.sh", "run.sh", "bin/start", "scripts/start.sh")
PY_PROGRAMS = {"python", "python3", "gunicorn", "uvicorn", "flask", "celery", "daphne",
               "hypercorn", "waitress-serve"}
NODE_PROGRAMS = {"node", "npm", "npx", "yarn", "pnpm", "nodemon"}
_COMMAND_PORTS = (r"(?:--port|-p)[=\s]+(\d+)\b", r"(?:--bind|-b)[=\s]+\S*:(\d+)\b",
                  r"\bPORT=(\d+)\b", r"(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::\]):(\d+)\b")
_SOURCE_PORTS = (r"process\.env\.PORT\s*(?:\|\||\?\?)\s*[\"']?(\d+)",
                 r"[\"']PORT[\"']\s*(?:,|\)\s*or)\s*[\"']?(\d+)", r"\.listen\(\s*(\d+)",
                 r"\bport\s*[=:]\s*[\"']?(\d+)",
                 r"HTTPServer\(\s*\(\s*[\"'][^\"']*[\"']\s*,\s*(\d+)")


def scan(root: Path) -> Scan:
    """Every detector in registry order; a name seen twice keeps the first finding."""
    kept: dict[str, Candidate] = {}
    also: list[tuple[Candidate, Candidate]] = []
    for detect in DETECTORS.values():
        for candidate in detect(root):
            if candidate.name in kept:
                also.append((candidate, kept[candidate.name]))
            else:
                kept[candidate.name] = candidate
    return Scan(list(kept.values()), also)


def service_name(text: str) -> str:
    """A recipe NAME: lowercase letters, digits, - and _; anything else becomes -."""
    name = re.sub(r"[^a-z0-9_-]+", "-", text.lower()).strip("-_")
    return name or "service"


COMPOSE_FILES = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")
CATALOG_IMAGES = ("redis", "postgres")
_SECRET = re.compile(r"PASSWORD|PASSWD|SECRET|TOKEN|CREDENTIAL"
                     r"|(?:^|_)(?:PASS|PWD|(?:API)?KEYS?)(?:$|_)")


def compose(root: Path) -> list[Candidate]:
    import yaml

    found = []
    for file in (root / name for name in COMPOSE_FILES):
        try:
            data = yaml.safe_load(_read(file)) or {}
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
    port = own_port or _port(env.get("PORT", ""))  # outside a container it listens on its own
    env_file = spec.get("env_file")
    env_file = (env_file[0] if env_file else None) if isinstance(env_file, list) else env_file
    shown_file = _relative(root / str(env_file), folder) if isinstance(env_file, str) else None
    return Candidate(name, source, command, cwd, port, after, env,
                     (*manifest_needs(folder, command), *needs), env_file=shown_file,
                     notes=_env_notes(given, env, needs))


def _published(ports: Any) -> tuple[int | None, int | None]:
    """The first port mapping: (the port on this machine, the one the service listens on)."""
    for item in ports if isinstance(ports, list) else ():
        if isinstance(item, dict):
            host, own = str(item.get("published", "")), str(item.get("target", ""))
        else:
            parts = str(item).partition("/")[0].rsplit(":", 2)
            host, own = (parts[-2] if len(parts) > 1 else ""), parts[-1]
        if _port(own):
            return _port(host), _port(own)
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
        if item is None or "$" in item or _SECRET.search(key.upper()):
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
    lines = re.findall(r"(?im)^\s*CMD\s+(.+?)\s*$", _read(folder / str(name)))
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


def procfile(root: Path) -> list[Candidate]:
    file = root / "Procfile"
    text = _read(file)
    lines = re.findall(r"(?m)^([A-Za-z0-9_.-]+):[ \t]*(\S.*?)\s*$", text)
    found = []
    for index, (kind, command) in enumerate(lines):
        port, env = port_in_command(command), {}
        if port is None and re.search(r"\$\{?PORT\b", command):
            port = 5000 + 100 * index  # foreman's convention: 5000, 5100, ... in file order
            env = {"PORT": str(port)}
        found.append(Candidate(service_name(kind), f"Procfile: {kind}", command, port=port,
                               env=env, needs=manifest_needs(root, command),
                               oneshot=kind == "release"))
    return found


def package_json(root: Path) -> list[Candidate]:
    found = []
    for folder in folders(root):
        data = _json(folder / "package.json")
        scripts = data.get("scripts")
        if not isinstance(scripts, dict):
            continue
        script = next((key for key in ("start", "dev") if isinstance(scripts.get(key), str)), "")
        if not script:
            continue
        port = port_in_command(scripts[script]) or port_in_source(_main_js(folder, data))
        package = str(data.get("name") or "").rpartition("/")[2]
        name = service_name(package if folder == root and package else folder.name)
        found.append(Candidate(
            name, f"{_shown(root, folder / 'package.json')}: scripts.{script}",
            "npm start" if script == "start" else "npm run dev", _cwd(root, folder), port,
            needs=({"npm": "package.json"},)))
    return found


def python(root: Path) -> list[Candidate]:
    found = []
    for folder in folders(root):
        found += _django(root, folder) or _entry_file(root, folder)
        found += _pyproject_scripts(root, folder)
    return found


def script(root: Path) -> list[Candidate]:
    found = []
    for folder in folders(root):
        relative = next((item for item in START_SCRIPTS if (folder / item).is_file()), None)
        if relative is not None:
            found.append(Candidate(service_name(folder.name), _shown(root, folder / relative),
                                   f"./{relative}", _cwd(root, folder),
                                   port_in_command(_read(folder / relative))))
    return found


def _django(root: Path, folder: Path) -> list[Candidate]:
    if not (folder / "manage.py").is_file():
        return []
    return [Candidate(service_name(folder.name), f"{_shown(root, folder / 'manage.py')}: Django",
                      "python manage.py runserver 127.0.0.1:8000", _cwd(root, folder), 8000,
                      needs=_requirements(folder), verify={"log_error": "Traceback"})]


def _entry_file(root: Path, folder: Path) -> list[Candidate]:
    entry = next((name for name in PY_ENTRIES if (folder / name).is_file()), None)
    if entry is None or not (folder / "requirements.txt").is_file():
        return []
    return [Candidate(service_name(folder.name), _shown(root, folder / entry), f"python {entry}",
                      _cwd(root, folder), port_in_source(_read(folder / entry)),
                      needs=_requirements(folder), verify={"log_error": "Traceback"})]


def _pyproject_scripts(root: Path, folder: Path) -> list[Candidate]:
    try:
        data = tomllib.loads(_read(folder / "pyproject.toml"))
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
        needs = _requirements(folder)
        notes = () if needs else ("its dependencies are not installed by bringup: list them in "
                                  "requirements.txt and add a python need",)
        found.append(Candidate(service_name(key), f"{_shown(root, folder / 'pyproject.toml')}: "
                               f"project.scripts.{key}", f"python -c {shlex.quote(code)}",
                               _cwd(root, folder), needs=needs, notes=notes))
    return found


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
                return _port(match.group(1))
        words = line.split()  # `python -m http.server 8000`: a last bare number
        port = _port(words[-1]) if len(words) > 1 and words[0] not in ("sleep", "timeout") else None
        if port and port >= 1024:
            return port
    return None


def port_in_source(text: str) -> int | None:
    for pattern in _SOURCE_PORTS:
        if match := re.search(pattern, text, re.IGNORECASE):
            return _port(match.group(1))
    return None


def manifest_needs(folder: Path, command: str | tuple[str, ...]) -> tuple[Need, ...]:
    """A Python or Node command beside its manifest needs that manifest installed."""
    words = command.split() if isinstance(command, str) else list(command)
    words = [word for word in words if not re.match(r"\w+=", word)]  # FOO=1 python app.py
    program = Path(words[0]).name if words else ""
    if program in PY_PROGRAMS:
        return _requirements(folder)
    if program in NODE_PROGRAMS and (folder / "package.json").is_file():
        return ({"npm": "package.json"},)
    return ()


def _requirements(folder: Path) -> tuple[Need, ...]:
    found = (folder / "requirements.txt").is_file()
    return ({"python": "requirements.txt"},) if found else ()


def _main_js(folder: Path, data: dict[str, Any]) -> str:
    names = [str(data.get("main") or ""), "server.js", "index.js", "app.js"]
    return next((_read(folder / name) for name in names if name and (folder / name).is_file()), "")


def _port(text: str) -> int | None:
    return int(text) if text.isdigit() and 1 <= int(text) <= 65535 else None


def _cwd(root: Path, folder: Path) -> str:
    return "." if folder == root else folder.relative_to(root).as_posix()


def _shown(root: Path, file: Path) -> str:
    return file.relative_to(root).as_posix()


def _read(file: Path) -> str:
    try:
        return file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _json(file: Path) -> dict[str, Any]:
    try:
        data = json.loads(_read(file) or "{}")
    except json.JSONDecodeError:
        return {}
    return data if isinstance(data, dict) else {}


DETECTORS: dict[str, Callable[[Path], list[Candidate]]] = {
    "compose": compose,
    "procfile": procfile,
    "package.json": package_json,
    "python": python,
    "script": script,
}
