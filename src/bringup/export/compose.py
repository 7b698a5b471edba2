"""compose: one compose file for the stack. Each service builds from its folder (a Dockerfile
of its own, else one written inline from its needs) or, for a server the catalog knows, runs
the official image; healthchecks come from the recipe's checks, `depends_on` waits for health
(a task: for its successful end), and host names become the services' names."""

from __future__ import annotations

import os
import re
import shlex
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from bringup.checks.exec_ import ExecSpec
from bringup.checks.http import HttpSpec
from bringup.checks.tcp import TcpSpec
from bringup.discover.onhost import PRIVILEGED_MOVE
from bringup.errors import UsageError
from bringup.export import shell, yamltext
from bringup.export.stack import Member, Rendered, Stack
from bringup.recipe.env import read_env_file

NAME = "compose"
FILE = "compose.yaml"


@dataclass(frozen=True)
class Image:
    """An official image that runs a catalog server with its own command and data: its port
    inside, its own client's readiness command (PORT: the port inside), and how it lets a
    client in. `opens` tells from a recipe's set-up commands that the server asks clients no
    password (initdb's trust): then `open_env` starts the image likewise; else it needs the
    password in `password` from the environment, and will not start without it."""

    name: str
    port: int
    ready: str
    password: str = ""
    opens: Callable[[str], bool] = lambda said: False
    open_env: tuple[tuple[str, str], ...] = ()

    def env(self, member: Member) -> dict[str, str]:
        if not self.password or self.password in member.recipe.env:
            return {}
        if self.opens(" ".join(spec.run or "" for spec in member.recipe.paths)):
            return dict(self.open_env)
        return {self.password: f"${{{self.password}:?the {self.name} image starts only "
                               "with it: set it in the environment}"}


def _initdb_trusts(said: str) -> bool:
    """Does the set-up's initdb let TCP clients in without a password? Its default is trust;
    --auth-host, else -A / --auth, says otherwise."""
    initdb = next((line for line in said.split("&&") if re.search(r"\binitdb\b", line)), None)
    if initdb is None:
        return False
    words = initdb.replace("=", " ").split()
    method = "trust"
    for flag in ("-A", "--auth", "--auth-host"):  # the last, most particular, wins
        if flag in words and words.index(flag) + 1 < len(words):
            method = words[words.index(flag) + 1]
    return method == "trust"


MARIADB = Image("mariadb:11", 3306, "mariadb-admin ping -h 127.0.0.1 -P PORT --silent",
                "MARIADB_ROOT_PASSWORD",
                lambda said: "--auth-root-authentication-method=normal" in said,
                (("MARIADB_ALLOW_EMPTY_ROOT_PASSWORD", "1"),))
IMAGES = {
    "redis-server": Image("redis:7", 6379, "redis-cli -p PORT ping | grep -q PONG"),
    "postgres": Image("postgres:15", 5432, "pg_isready -h 127.0.0.1 -p PORT",
                      "POSTGRES_PASSWORD", _initdb_trusts,
                      (("POSTGRES_HOST_AUTH_METHOD", "trust"),)),
    "mariadbd": MARIADB,
    "mysqld": Image("mysql:8", 3306, "mysqladmin ping -h 127.0.0.1 -P PORT --silent",
                    "MYSQL_ROOT_PASSWORD", lambda said: "--initialize-insecure" in said,
                    (("MYSQL_ALLOW_EMPTY_PASSWORD", "yes"),))}
# A server that serves the service's own files and config runs the recipe's command in an
# image built from its folder on the official one (which has curl for its healthcheck).
BASES = {"nginx": "nginx:1.25"}
HEALTH = {"interval": "30s", "timeout": "5s", "retries": 3, "start_interval": "1s"}
LOOPBACK = re.compile(r"\b(?:127\.0\.0\.1|localhost):(\d+)\b")


OVERRIDE = "compose.bringup.yaml"
# What init writes at the top of a recipe it made from a compose service.
FROM_COMPOSE = re.compile(
    r"written by bringup init from (?P<file>\S+): service (?P<name>\S+?)\.?\s")


def render(stack: Stack, *, system: bool) -> Rendered:
    """`system` is systemd's: compose has no such choice. A stack `init` read from a compose
    file gets an override file beside it, never a rewrite of the user's file."""
    origins = {member.name: origin(member) for member in stack.members
               if not member.recipe.external}
    files = {found[0] for found in origins.values() if found is not None}
    if len(files) == 1 and None not in origins.values():
        return _override(stack, files.pop(), {name: found[1] for name, found in origins.items()
                                               if found is not None})
    rendered = Rendered()
    services: list[str] = []
    for member in stack.members:
        if member.recipe.external:
            rendered.cannot.append(f"{member.name}: external (bringup only checks it): not a "
                                   "compose service; what comes after it does not wait for it")
            continue
        said, spec = _service(stack, member, rendered.cannot)
        text = yamltext.dump({member.name: spec})
        services.append("".join(f"  # {line}\n" for line in said)
                        + "".join(f"  {line}\n" for line in text.splitlines()))
    body = f"name: {stack.project}\nservices:\n" + "\n".join(services)
    rendered.files[FILE] = stack.seal(stack.header(NAME, rendered.cannot), body)
    return rendered


def _service(stack: Stack, member: Member, cannot: list[str]) -> tuple[list[str], dict[str, Any]]:
    recipe, said = member.recipe, [member.grace_said()]
    image = image_of(member)
    body: dict[str, Any] = {}
    if image is not None:
        body["image"] = image.name
        said.append(f"runs the {image.name} image's own command, not the recipe's "
                    f"({recipe.command_text()})")
    else:
        body["build"] = _build(stack, member, said)
        words = list(recipe.command) if isinstance(recipe.command, tuple) else [
            "/bin/sh", "-c", recipe.command]
        body["command"] = [word.replace("$", "$$") for word in words]  # not compose's to expand
    inside = image.port if image else recipe.port
    if recipe.port is not None:
        body["ports"] = [f"127.0.0.1:{recipe.port}:{inside}"]  # loopback, as it ran here
    if recipe.user and image is None:  # an official image runs its server as its own user
        body["user"] = recipe.user
    files = _env_files(stack, member)
    if files:
        body["env_file"] = [os.path.relpath(path, stack.out) for path in files]
    env = {**(image.env(member) if image else {}), **_environment(stack, member, cannot)}
    if env:
        body["environment"] = env
    check = None if recipe.oneshot else _healthcheck(member, image, inside, cannot, said)
    if check is not None:
        body["healthcheck"] = {"test": ["CMD-SHELL", check], **HEALTH,
                               "start_period": f"{member.grace()}s"}
    after = _depends_on(stack, member, cannot)
    if after:
        body["depends_on"] = after
    body["restart"] = "no" if recipe.oneshot else recipe.restart
    if recipe.restart != "no" and not recipe.oneshot:
        cannot.append(f"{member.name}: max_restarts = {recipe.max_restarts} within 10 minutes: "
                      "compose restarts without a limit")
    body["stop_grace_period"] = f"{recipe.stop_grace:g}s"
    return said, body


def _program(word: str) -> str:
    return PurePath(word).name


def image_of(member: Member) -> Image | None:
    """The official image that runs the service's program, if the catalog knows one (Debian's
    mysqld is MariaDB's, when its needs or set-up say so)."""
    words = member.recipe.words()
    image = IMAGES.get(_program(words[0])) if words else None
    said = " ".join([*(str(need.install) for need in member.recipe.needs),
                     *(spec.run or "" for spec in member.recipe.paths)])
    return MARIADB if image is IMAGES["mysqld"] and "mariadb" in said else image


def _build(stack: Stack, member: Member, said: list[str]) -> dict[str, Any]:
    context = os.path.relpath(member.cwd, stack.out)
    if (member.cwd / "Dockerfile").is_file():
        said.append("builds its own Dockerfile; its healthcheck assumes curl in that image")
        return {"context": context}
    needs = member.recipe.needs
    python = next((need for need in needs if need.kind == "python"), None)
    npm = next((need for need in needs if need.kind == "npm"), None)
    program = _interpreter(member)
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    if program in BASES:
        base = BASES[program]
    elif npm is not None or program in ("node", "npm", "npx", "yarn", "pnpm"):
        base = "node:20-slim"
    elif python is not None or program.startswith("python"):
        base = f"python:{version}-slim"
    else:
        base = "debian:12-slim"
    apt = sorted({"curl", *(need.install["apt"] for need in needs
                            if need.kind == "binary" and "apt" in need.install
                            and (program not in BASES or need.value != program))}
                 - ({"curl"} if program in BASES else set()))
    lines = [f"FROM {base}"]
    if apt:
        lines.append("RUN apt-get update && apt-get install -y --no-install-recommends "
                     f"{' '.join(apt)} && rm -rf /var/lib/apt/lists/*")
    if member.recipe.user:  # `user:` names it: the image must have it
        user = shlex.quote(member.recipe.user)
        lines.append(f"RUN id -u {user} >/dev/null 2>&1 || useradd --system {user}")
    lines += ["WORKDIR /app", "COPY . ."]
    if python is not None:
        lines.append(f"RUN pip install --no-cache-dir -r {python.value}")
    if npm is not None:
        lock = (member.cwd / "package-lock.json").is_file()
        lines.append("RUN npm ci" if lock else "RUN npm install")
    lines += [f"RUN mkdir -p {shlex.quote(spec.path)}" for spec in member.recipe.paths
              if spec.kind == "dir" and spec.run is None]
    lines += [f"RUN chmod +x {shlex.quote(entry.path)}" for entry in member.recipe.permissions
              if entry.kind == "executable"]
    said.append(f"no Dockerfile in {context}: one is written inline from {base}, with its needs")
    return {"context": context, "dockerfile_inline": ("\n".join(lines) + "\n").replace("$", "$$")}


def _interpreter(member: Member) -> str:
    """The program that runs the service: its command's, or for a script of its folder the
    one its #! line names (`./start.sh` may well be Python)."""
    words = member.recipe.words()
    if not words:
        return ""
    program = _program(words[0])
    script = member.cwd / words[0]
    if "/" not in words[0] or not script.is_file():
        return program
    try:
        with script.open("rb") as file:
            first = file.readline(200).decode(errors="replace")
    except OSError:
        return program
    said = first[2:].split() if first.startswith("#!") else []
    if said and _program(said[0]) == "env":
        said = [word for word in said[1:] if not word.startswith("-")]
    return _program(said[0]) if said else program


def _env_files(stack: Stack, member: Member) -> list[Path]:
    found = [stack.root / ".env"]
    if member.recipe.env_file:
        found.append(member.cwd / member.recipe.env_file)
    return [path for path in dict.fromkeys(found) if path.is_file()]


def _environment(stack: Stack, member: Member, cannot: list[str]) -> dict[str, str]:
    env = {key: _rewritten(stack, value, member) for key, value in member.plain_env().items()}
    for key, value in list(env.items()):  # REDIS_HOST=127.0.0.1 beside REDIS_PORT=6379
        port_key = key.removesuffix("HOST") + "PORT"
        owner = _owner(stack, env.get(port_key, ""), member)
        if key.endswith("HOST") and value in ("127.0.0.1", "localhost") and owner is not None:
            env[key], env[port_key] = owner
    for key in member.secret_env():
        env[key] = f"${{{key}:?{key} is a secret: set it in the environment}}"
        cannot.append(f"{member.name}: env {key} looks secret: its value is not written; "
                      "compose takes it from the environment or .env")
    # A variable its needs ask for reaches it from an env file it has, else from where compose
    # runs: never its value here.
    given = {key for file in _env_files(stack, member) for key in read_env_file(file)}
    for need in member.recipe.needs:
        if need.kind == "env" and need.value not in env and need.value not in given:
            env[need.value] = (f"${{{need.value}:?{member.name} needs it: set it in the "
                               "environment}")
    return env


def _rewritten(stack: Stack, value: str, member: Member) -> str:
    """127.0.0.1:PORT of another service becomes that service's name and its port inside."""
    def host(match: re.Match[str]) -> str:
        owner = _owner(stack, match.group(1), member)
        return f"{owner[0]}:{owner[1]}" if owner else match.group(0)
    return LOOPBACK.sub(host, value).replace("$", "$$")


def _owner(stack: Stack, port: str, member: Member) -> tuple[str, str] | None:
    """Another service that listens on this port here, and the port it listens on inside (a
    service's own address is where it binds: not rewritten)."""
    owner = next((m for m in stack.members if str(m.recipe.port) == port.strip()
                  and not m.recipe.external and m is not member), None)
    if owner is None:
        return None
    image = image_of(owner)
    return owner.name, str(image.port if image else port.strip())


def _healthcheck(member: Member, image: Image | None, inside: int | None,
                 cannot: list[str], said: list[str]) -> str | None:
    """Every check the recipe has that a command inside the container can run, joined: all
    must pass, as in the recipe."""
    tests = []
    cannot += shell.unrunnable(member)
    runnable = shell.runnable(member)
    for kind, spec in member.recipe.verify.checks.items():
        if isinstance(spec, TcpSpec | HttpSpec | ExecSpec) and spec not in runnable:
            continue  # said: a shell would judge it otherwise
        if isinstance(spec, TcpSpec):
            port = int(spec.target.rpartition(":")[2])
            port = inside if inside is not None and port == member.recipe.port else port
            if image is not None:
                tests.append(image.ready.replace("PORT", str(port)))
                said.append(f"healthcheck: {image.name}'s own client")
            else:
                tests.append(shell.tcp(spec, port))
                said.append("healthcheck: bash's /dev/tcp for the tcp check")
        elif isinstance(spec, HttpSpec):
            tests.append(shell.curl(spec, inside_url(spec.url, member.recipe.port, inside)))
            said.append("healthcheck: curl for the http check")
        elif isinstance(spec, ExecSpec):
            tests.append(inside_command(shell.check_command(spec), member.recipe.port, inside,
                                        cannot, member.name))
            said.append("healthcheck: the exec check, assumed to exist in the image")
        else:
            cannot.append(f"{member.name}: verify.{kind} ({kind} check): compose's "
                          "healthcheck runs a command, it cannot read the log or the process tree")
    return shell.all_of(tests).replace("$", "$$") if tests else None


def inside_url(url: str, port: int | None, inside: int | None) -> str:
    """The URL at the port the service listens on inside its container."""
    if port is None or inside is None:
        return url
    return LOOPBACK.sub(lambda m: "127.0.0.1:" + (
        str(inside) if int(m.group(1)) == port else m.group(1)), url)


# How a command names the port it reaches, each a word of its own: HOST:PORT, /dev/tcp/HOST/PORT,
# -p PORT, -P PORT, --port PORT, --port=PORT, port=PORT, X_PORT=PORT.
_PORT_SAID = (r"((?:127\.0\.0\.1|localhost|0\.0\.0\.0|\[::1\]):|/dev/tcp/[\w.-]+/"
              r"|(?<!\S)(?:-[pP]\s*|--port[=\s]|(?:\w*_)?(?i:port)=)){port}(?![\w.])")


def inside_command(command: str, port: int | None, inside: int | None,
                   cannot: list[str], name: str) -> str:
    """An exec check run inside the container, at the port the service listens on there; one
    that names the port here otherwise is said."""
    if port is None or inside is None or port == inside:
        return command
    moved = re.sub(_PORT_SAID.format(port=port), lambda m: f"{m.group(1)}{inside}", command)
    if re.search(rf"(?<!\d){port}(?!\d)", moved):
        cannot.append(f"{name}: its exec check names {port}, its port here, in a way export does "
                      f"not rewrite: inside the container it listens on {inside}")
    return moved


def _depends_on(stack: Stack, member: Member, cannot: list[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name in member.recipe.after:
        other = stack.member(name)
        if other is None or other.recipe.external:
            continue
        if other.recipe.oneshot:
            condition = "service_completed_successfully"
        elif shell.runnable(other):
            condition = "service_healthy"
        else:
            condition = "service_started"
            cannot.append(f"{member.name}: waits only for {name} to start: {name}'s readiness "
                          "has no compose healthcheck")
        found[name] = {"condition": condition}
    return found


def origin(member: Member) -> tuple[Path, str] | None:
    """The compose file and service `init` made the recipe from, if it still exists."""
    try:
        head = member.recipe.file.read_text(encoding="utf-8").split("\n\n", 1)[0]
    except OSError:
        return None
    found = FROM_COMPOSE.search(" ".join(line.lstrip("# ") for line in head.splitlines()) + " ")
    if found is None:
        return None
    file = (member.recipe.root / found["file"]).resolve()
    return (file, found["name"]) if file.is_file() and file.is_relative_to(
        member.recipe.root.resolve()) else None


def _override(stack: Stack, file: Path, names: dict[str, str]) -> Rendered:
    """What bringup learned, as an override of the user's compose file: the healthchecks its
    checks prove, dependencies that wait for them, restart, the start grace measured."""
    from bringup.discover.compose_files import ComposeError, Project, load

    rendered = Rendered(home=file.parent)
    try:
        services = load(Project(file.parent, (file,))).services
    except ComposeError as error:
        raise UsageError(f"{file}: compose cannot read it ({error}): export writes an "
                         "override of it") from None
    blocks = []
    for member in stack.members:
        name = names.get(member.name)
        if name is None:
            continue
        spec, said = services.get(name, {}), [member.grace_said()]
        inside = _target(spec, member.recipe.port)
        image = IMAGES.get(_repository(str(spec.get("image", ""))))
        body: dict[str, Any] = {}
        check = None if member.recipe.oneshot else _healthcheck(
            member, image, inside, rendered.cannot, said)
        if check is not None:
            body["healthcheck"] = {"test": ["CMD-SHELL", check], **HEALTH,
                                   "start_period": f"{member.grace()}s"}
            given = (spec.get("healthcheck") or {}).get("test")
            if given and given != body["healthcheck"]["test"]:
                said.append(f"replaces the healthcheck the compose file gives it: {given}")
        after = _depends_on(stack, member, rendered.cannot)
        if after:
            body["depends_on"] = {names.get(other, other): condition
                                  for other, condition in after.items()}
        body["restart"] = "no" if member.recipe.oneshot else member.recipe.restart
        blocks.append("".join(f"  # {line}\n" for line in said)
                      + "".join(f"  {line}\n" for line in yamltext.dump({name: body}).splitlines()))
    header = [*stack.header(NAME, rendered.cannot),
              f"An override of {file.name}: docker compose -f {file.name} -f {OVERRIDE} up"]
    rendered.files[OVERRIDE] = stack.seal(header, "services:\n" + "\n".join(blocks))
    return rendered


def _target(spec: dict[str, Any], port: int | None) -> int | None:
    """The port inside the container that compose publishes as `port` here; where init gave
    the service another port here (a privileged one 8000 higher, or its port inside), the
    mapping that became it."""
    pairs = [(str(item.get("published") or ""), int(item["target"]))
             for item in spec.get("ports") or [] if isinstance(item, dict) and "target" in item]
    for published, target in pairs:
        if published == str(port):
            return target
    for published, target in pairs:
        if port is not None and (target == port or (
                published.isdigit() and int(published) + PRIVILEGED_MOVE == port)):
            return target
    return pairs[0][1] if len(pairs) == 1 else port


def _repository(image: str) -> str:
    """`redis:7-alpine`, `docker.io/library/postgres:15` → the program its catalog entry names."""
    name = image.rsplit("/", 1)[-1].split(":", 1)[0].split("@", 1)[0]
    return {"redis": "redis-server", "postgres": "postgres", "mariadb": "mariadbd",
            "mysql": "mysqld", "nginx": "nginx"}.get(name, "")
