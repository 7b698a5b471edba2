"""A recipe: one service, read from `recipes/NAME.toml` and checked key by key."""

from __future__ import annotations

import os
import re
import shlex
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bringup.checks import CHECKS
from bringup.errors import RecipeError
from bringup.schema import Table

NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
NEED_KINDS = ("binary", "python", "npm", "env")
PATH_KINDS = ("dir", "file")
PERMISSION_KINDS = ("executable", "writable")
RESTARTS = ("on-failure", "always", "no")
TIMING_KEYS = {"startup_timeout": 30.0, "stable_for": 10.0, "interval": 1.0}
_COMPANIONS = (("tcp_send", "tcp"), ("tcp_expect", "tcp"), ("http_expect", "http"),
               ("http_status", "http"), ("http_data", "http"), ("exec_expect", "exec"))
TOP_KEYS = ("description", "cwd", "command", "after", "port", "oneshot", "restart",
            "max_restarts", "stop_grace", "user", "env", "env_file", "needs", "paths",
            "permissions", "verify")


@dataclass(frozen=True)
class Need:
    kind: str
    value: str
    install: dict[str, str] = field(default_factory=dict)
    venv: str = ".venv"

    @property
    def label(self) -> str:
        return f"{self.kind} {self.value}"


@dataclass(frozen=True)
class PathSpec:
    kind: str
    path: str
    template: str | None = None
    run: str | None = None


@dataclass(frozen=True)
class Permission:
    kind: str
    path: str


@dataclass(frozen=True)
class Verify:
    tcp: str | None = None
    tcp_send: str | None = None
    tcp_expect: str | None = None
    http: str | None = None
    http_expect: str | None = None
    http_status: int | None = None
    http_method: str = "GET"
    http_data: str | None = None
    exec: str | tuple[str, ...] | None = None
    exec_expect: str | None = None
    log: str | None = None
    log_error: str | None = None
    startup_timeout: float = 30.0
    stable_for: float = 10.0
    interval: float = 1.0


@dataclass(frozen=True)
class Recipe:
    name: str
    file: Path
    command: str | tuple[str, ...]
    description: str = ""
    cwd: str = "."
    after: tuple[str, ...] = ()
    port: int | None = None
    oneshot: bool = False
    restart: str = "on-failure"
    max_restarts: int = 5
    stop_grace: float = 10.0
    user: str | None = None
    env: dict[str, str] = field(default_factory=dict)
    env_file: str | None = None
    needs: tuple[Need, ...] = ()
    paths: tuple[PathSpec, ...] = ()
    permissions: tuple[Permission, ...] = ()
    verify: Verify = field(default_factory=Verify)

    def command_text(self) -> str:
        return self.command if isinstance(self.command, str) else shlex.join(self.command)

    def command_path(self) -> str | None:
        """The command's program when it is a relative path (./start.sh): it must exist and run."""
        if isinstance(self.command, str):
            try:
                words = shlex.split(self.command)
            except ValueError:
                return None
        else:
            words = list(self.command)
        program = words[0] if words else ""
        return program if "/" in program and not program.startswith("/") else None


def load(file: Path, root: Path) -> Recipe:
    """Read and check `file`; `root` is the workspace every path must stay inside."""
    shown = _shown(file, root)
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise RecipeError(shown, "", f"not valid TOML ({error})") from None
    except (OSError, UnicodeDecodeError) as error:
        raise RecipeError(shown, "", f"cannot be read ({error})") from None
    if not NAME.match(file.stem):
        raise RecipeError(shown, "", "the file name must be lowercase letters, digits, - or _")
    return parse(Table(shown, "", data), file, root)


def parse(table: Table, file: Path, root: Path) -> Recipe:
    table.only(TOP_KEYS)
    command = table.command("command")
    if command is None:
        raise table.fail("command", "missing; expected the command that starts the service")
    cwd = table.text("cwd", ".") or "."
    inside(table, "cwd", root, root / cwd)
    base = root / cwd
    port = table.whole("port", None, low=1, high=65535)
    recipe = Recipe(
        name=file.stem, file=file, command=command,
        description=table.text("description", "") or "", cwd=cwd, after=table.strings("after"),
        port=port, oneshot=table.get("oneshot", (bool,), False),
        restart=table.choice("restart", RESTARTS, "on-failure"),
        max_restarts=table.whole("max_restarts", 5, low=0, high=1000) or 0,
        stop_grace=table.number("stop_grace", 10.0), user=table.text("user"),
        env=_env(table), env_file=_path(table, "env_file", root, base),
        needs=tuple(_need(item, root, base) for item in table.tables("needs")),
        paths=tuple(_path_spec(item, root, base) for item in table.tables("paths")),
        permissions=tuple(_permission(item, root, base) for item in table.tables("permissions")),
        verify=_verify(table, port),
    )
    if recipe.user is not None and os.geteuid() == 0 and not _user_exists(recipe.user):
        raise table.fail("user", f"no user named {recipe.user!r} on this machine")
    program = recipe.command_path()
    if program is not None:
        inside(table, "command", root, base / program)
    if recipe.name in recipe.after:
        raise table.fail("after", f"a service cannot come after itself ({recipe.name})")
    return recipe


def inside(table: Table, key: str, root: Path, path: Path) -> None:
    if "\0" in str(path):
        raise table.fail(key, "expected a path, got one with a NUL character")
    # Judged as written: `..` cannot climb out, while a link the user made inside the workspace
    # (a venv's python, a data folder on another disk) is the user's own layout.
    written, top = Path(os.path.normpath(path.absolute())), Path(os.path.normpath(root.absolute()))
    if written != top and top not in written.parents:
        raise table.fail(key, f"expected a path inside the workspace, got one leading to {written}")


def _env(table: Table) -> dict[str, str]:
    env = table.mapping("env")
    for key in env:
        if not ENV_NAME.fullmatch(key):
            raise table.fail("env", f"expected environment variable names as keys, got {key!r}")
    return env


def _path(table: Table, key: str, root: Path, base: Path) -> str | None:
    value = table.text(key)
    if value is not None:
        inside(table, key, root, base / value)
    return value


def _one_kind(table: Table, kinds: tuple[str, ...], what: str) -> str:
    present = [kind for kind in kinds if kind in table.data]
    if len(present) != 1:
        got = ", ".join(present) or "none"
        raise RecipeError(table.file, table.prefix.rstrip("."),
                          f"expected exactly one of {', '.join(kinds)} in each {what} entry, "
                          f"got {got}")
    return present[0]


def _need(table: Table, root: Path, base: Path) -> Need:
    kind = _one_kind(table, NEED_KINDS, "[[needs]]")
    extra = {"binary": ("install",), "python": ("venv",), "npm": (), "env": ()}[kind]
    table.only((kind, *extra))
    value = table.text(kind) or ""
    if kind in ("python", "npm"):
        inside(table, kind, root, base / value)
    if kind == "env" and not ENV_NAME.fullmatch(value):
        raise table.fail(kind, f"expected an environment variable name, got {value!r}")
    venv = _path(table, "venv", root, base) or ".venv"
    install = table.mapping("install")
    return Need(kind, value, install, venv)


def _path_spec(table: Table, root: Path, base: Path) -> PathSpec:
    kind = _one_kind(table, PATH_KINDS, "[[paths]]")
    table.only((kind, "template", "run"))
    path = _path(table, kind, root, base) or ""
    template = _path(table, "template", root, base)
    if template is not None and kind != "file":
        raise table.fail("template", "a template only goes with a file entry")
    return PathSpec(kind, path, template, table.text("run"))


def _permission(table: Table, root: Path, base: Path) -> Permission:
    kind = _one_kind(table, PERMISSION_KINDS, "[[permissions]]")
    table.only((kind,))
    return Permission(kind, _path(table, kind, root, base) or "")


def _verify(parent: Table, port: int | None) -> Verify:
    data = parent.get("verify", (dict,), {})
    table = Table(parent.file, "verify.", data)
    check_keys = {key: kinds for kind in CHECKS.values() for key, kinds in kind.KEYS.items()}
    table.only((*check_keys, *TIMING_KEYS))
    values = {key: table.get(key, kinds) for key, kinds in check_keys.items()}
    for key in ("tcp_send", "tcp_expect", "http_expect", "http_data", "exec_expect", "log"):
        if values[key] == "":
            raise table.fail(key, "expected a non-empty string")
    values["tcp"] = _tcp_target(table, values["tcp"], port, given=any(
        values[key] is not None for key in ("tcp", "http", "exec", "log")))
    if isinstance(values["exec"], list):
        values["exec"] = tuple(table.command("exec") or ())
    _check_verify_values(table, values)
    timing = {key: table.number(key, default) for key, default in TIMING_KEYS.items()}
    if timing["interval"] <= 0 or timing["startup_timeout"] <= 0:
        raise table.fail("interval" if timing["interval"] <= 0 else "startup_timeout",
                          "expected a number above 0")
    given: dict[str, Any] = {key: value for key, value in values.items() if value is not None}
    return Verify(**given | timing)


def _tcp_target(table: Table, value: int | str | None, port: int | None, *,
                given: bool) -> str | None:
    if value is None:
        return f"127.0.0.1:{port}" if port is not None and not given else None
    if isinstance(value, int):
        if not 1 <= value <= 65535:
            raise table.fail("tcp", f"expected a port from 1 to 65535, got {value}")
        return f"127.0.0.1:{value}"
    host, _, number = value.rpartition(":")
    if not host or not number.isdigit() or not 1 <= int(number) <= 65535:
        raise table.fail("tcp", f"expected a port or \"host:port\", got {value!r}")
    return value


def _check_verify_values(table: Table, values: dict[str, object]) -> None:
    http = values["http"]
    if isinstance(http, str) and not _url_ok(http):
        raise table.fail("http", "expected an http:// or https:// URL with a host (and a port "
                                 f"up to 65535), got {http!r}")
    status = values["http_status"]
    if isinstance(status, int) and not 100 <= status <= 599:
        raise table.fail("http_status", f"expected an HTTP status from 100 to 599, got {status}")
    method = values["http_method"] or "GET"
    if not isinstance(method, str) or not method.isalpha():
        raise table.fail("http_method", f"expected an HTTP method such as GET, got {method!r}")
    values["http_method"] = method.upper()
    log_error = values["log_error"]
    if isinstance(log_error, str):
        try:
            re.compile(log_error)
        except re.error as error:
            raise table.fail("log_error", f"expected a regular expression ({error})") from None
    for key, owner in _COMPANIONS:
        if values[key] is not None and values[owner] is None:
            raise table.fail(key, f"goes with {owner}, which is not set")


def _user_exists(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _url_ok(url: str) -> bool:
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises for a port out of range)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _shown(file: Path, root: Path) -> str:
    try:
        return str(file.relative_to(root))
    except ValueError:
        return str(file)
