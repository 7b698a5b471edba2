"""Reading `recipes/NAME.toml`, checked key by key: a bad recipe stops a command before it does
anything, with one message naming the file, the key and what was expected."""

from __future__ import annotations

import errno
import os
import re
import stat
import tomllib
from pathlib import Path

from bringup.checks import read_verify
from bringup.errors import RecipeError
from bringup.processes.installers import INSTALLERS
from bringup.recipe.model import RESTARTS, Need, PathSpec, Permission, Recipe
from bringup.tables import Table, cut

NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Each need kind: what its value names, and the keys that go with it. The needs stage checks
# each kind in a module of its own (bringup.stages.needs).
NEED_KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "binary": ("command", ("install",)),
    "python": ("path", ("venv",)),
    "npm": ("path", ()),
    "env": ("variable", ()),
    "host": ("host", ()),
}
HOST_NAME = re.compile(r"(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9_-]{0,62})(?:\.[A-Za-z0-9_-]{1,63})*")
PATH_KINDS = ("dir", "file")
PERMISSION_KINDS = ("executable", "writable")
TOP_KEYS = ("description", "cwd", "command", "after", "port", "oneshot", "restart",
            "max_restarts", "stop_grace", "user", "env", "env_file", "needs", "paths",
            "permissions", "verify", "logs", "skip", "external")
# What only a process bringup starts has: an external service (`external = true`) is checked,
# never started, so none of these can mean anything in its recipe.
PROCESS_KEYS = ("command", "port", "oneshot", "restart", "max_restarts", "stop_grace", "user",
                "logs", "paths", "permissions")
EXTERNAL_CHECKS = ("tcp", "http", "exec")  # what can tell an external service answers


def load(file: Path, root: Path) -> Recipe:
    """Read and check `file`; `root` is the workspace every path must stay inside."""
    shown = _shown(file, root)
    if not NAME.fullmatch(file.stem):
        raise RecipeError(shown, "", "the file name must be lowercase letters, digits, - or _")
    try:
        if not stat.S_ISREG(file.stat().st_mode):  # a FIFO would block the read for ever
            raise RecipeError(shown, "", "expected a regular file")
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise RecipeError(shown, "", f"not valid TOML ({error})") from None
    except RecursionError:
        raise RecipeError(shown, "", "not valid TOML (nested too deeply)") from None
    except (OSError, UnicodeDecodeError) as error:
        raise RecipeError(shown, "", f"cannot be read ({error})") from None
    try:
        _no_nul(Table(shown, "", data), data, "")
        return parse(Table(shown, "", data), file, root)
    except RecipeError as error:
        line = line_of(file.read_text(encoding="utf-8"), error.key) if error.key else None
        if line is None:
            raise
        raise RecipeError(error.file, error.key, error.expected, line) from None


_KEY = re.compile(r"([A-Za-z0-9_-]+)(?:\[(\d+)\])?(?:\.(.*))?")


def line_of(text: str, key: str) -> int | None:
    """The line (from 1) where the key an error names is written: `port`, `verify.tcp`,
    `needs[1].venv`, `env.A` (in a [section] or an inline table); None when it cannot be told."""
    lines = text.splitlines()
    first = _KEY.fullmatch(key)
    if first is None:
        return None
    section, index, rest = first[1], int(first[2] or 0), first[3]
    if rest:
        name = rest.split(".")[0].strip('"')
        headers = [number for number, line in enumerate(lines) if re.fullmatch(
            rf"\s*\[\[?\s*{re.escape(section)}\s*\]\]?\s*(?:#.*)?", line)]
        if len(headers) > index:
            start = headers[index] + 1
            end = next((number for number in range(start, len(lines))
                        if lines[number].lstrip().startswith("[")), len(lines))
            found = _assigned(lines, name, start, end)
            if found is not None:
                return found
    top = next((number for number, line in enumerate(lines) if line.lstrip().startswith("[")),
               len(lines))
    return _assigned(lines, section, 0, top)


def _assigned(lines: list[str], name: str, start: int, end: int) -> int | None:
    pattern = re.compile(rf"\s*[\"']?{re.escape(name)}[\"']?\s*=")
    return next((number + 1 for number in range(start, end) if pattern.match(lines[number])),
                None)


def _no_nul(table: Table, value: object, key: str) -> None:
    """No text of a recipe may hold a NUL: no command, path or value can carry one."""
    if isinstance(value, str) and "\0" in value:
        raise table.fail(key, "expected text without NUL characters")
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(
        value, list) else ()
    for name, item in items:
        inner = f"{key}[{name}]" if isinstance(name, int) else f"{key}.{name}" if key else name
        _no_nul(table, item, inner)


def parse(table: Table, file: Path, root: Path) -> Recipe:
    table.only(TOP_KEYS)
    table = _interpolated(table, root)
    external = table.get("external", (bool,), False)
    if external:
        _only_checked(table)
    command = table.command("command")
    skip = table.text("skip")  # parked by its recipe: why it cannot run here
    if command is None and skip is None and not external:
        raise table.fail("command", "missing; expected the command that starts the service")
    cwd = table.text("cwd", ".") or "."
    inside(table, "cwd", root, root / cwd)
    base = root / cwd
    _no_loop(table, "cwd", base)
    port = table.whole("port", None, low=1, high=65535)
    recipe = Recipe(
        name=file.stem, file=file, command=command or "", skip=skip,
        description=table.text("description", "") or "", cwd=cwd, after=table.strings("after"),
        port=port, oneshot=table.get("oneshot", (bool,), False),
        restart=table.choice("restart", RESTARTS, "on-failure"),
        max_restarts=table.whole("max_restarts", 5, low=0, high=1000) or 0,
        stop_grace=table.number("stop_grace", 10.0), user=table.text("user"),
        env=_env(table), env_file=_path(table, "env_file", root, base),
        needs=tuple(_need(item, root, base) for item in table.tables("needs")),
        paths=tuple(_path_spec(item, root, base) for item in table.tables("paths")),
        permissions=tuple(_permission(item, root, base) for item in table.tables("permissions")),
        verify=read_verify(table, port),
        logs=_paths(table, "logs", root, base), external=external,
    )
    if recipe.user is not None and os.geteuid() == 0 and not _user_exists(recipe.user):
        raise table.fail("user", f"no user named {recipe.user!r} on this machine")
    program = recipe.command_path()
    if program is not None:
        inside(table, "command", root, base / program)
    if recipe.name in recipe.after:
        raise table.fail("after", f"a service cannot come after itself ({recipe.name})")
    return recipe


def _only_checked(table: Table) -> None:
    """An external service is something bringup watches and never runs: its recipe holds its
    checks (and what they need), nothing about a process."""
    for key in PROCESS_KEYS:
        if key in table.data:
            raise table.fail(key, "not for an external service (external = true): bringup "
                                  "only checks it, never starts it; remove the key")
    verify = table.get("verify", (dict,), {})
    for key in ("log", "log_error", "connects"):
        if key in verify:
            raise table.fail(f"verify.{key}", "not for an external service: it has no "
                                              "process or log of bringup's to look at")
    if not any(key in verify for key in EXTERNAL_CHECKS):
        raise table.fail("verify", "an external service needs a check that reaches it: "
                                   "verify.http, verify.tcp (\"host:port\") or verify.exec")


INTERPOLATED = ("env", "command", "verify")  # the keys whose text `${VAR}` is interpolated in


def _interpolated(table: Table, root: Path) -> Table:
    """The recipe with compose's `${VAR}`, `${VAR:-default}`, `${VAR:?message}` (and the other
    forms) filled in its env, its command and its checks, from the workspace's .env, then the
    environment bringup runs in, then the service's env file; its command and checks also see
    its env. Bare `$VAR` is the shell's."""
    data = dict(table.data)
    if not any("${" in text for key in INTERPOLATED for text in _texts(data.get(key))):
        return table
    from bringup.discover.interpolation import InterpolationError, Interpolator
    from bringup.recipe.env import read_env_file, workspace_env

    values = {**workspace_env(root), **os.environ}
    env_file, cwd = table.text("env_file"), table.text("cwd", ".") or "."
    if env_file is not None:
        inside(table, "env_file", root, root / cwd / env_file)
        values.update(read_env_file(root / cwd / env_file))

    def fill(key: str, value: object, given: dict[str, str]) -> object:
        try:
            if isinstance(value, str):
                return Interpolator(given, braced_only=True)(value)
            if isinstance(value, list):
                return [fill(key, item, given) for item in value]
            if isinstance(value, dict):
                return {name: fill(f"{key}.{name}", item, given) for name, item in value.items()}
        except InterpolationError as error:
            raise table.fail(key, f"{error} (in {value!r})") from None
        return value

    env = fill("env", data.get("env"), values)
    if isinstance(env, dict):
        data["env"] = env
        values.update({key: value for key, value in env.items() if isinstance(value, str)})
    for key in ("command", "verify"):
        if key in data:
            data[key] = fill(key, data[key], values)
    return Table(table.file, table.prefix, data)


def _texts(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) \
        else ()
    return [text for item in items for text in _texts(item)]


def inside(table: Table, key: str, root: Path, path: Path) -> None:
    if "\0" in str(path):
        raise table.fail(key, "expected a path, got one with a NUL character")
    # Judged as written: `..` cannot climb out, while a link the user made inside the workspace
    # (a venv's python, a data folder on another disk) is the user's own layout.
    written = os.path.normpath(path.absolute())
    top = os.path.normpath(root.absolute())
    if written != top and not written.startswith(top.rstrip(os.sep) + os.sep):
        raise table.fail(key, f"expected a path inside the workspace, got one leading to "
                              f"{cut(written)}")


def _no_loop(table: Table, key: str, path: Path) -> None:
    try:
        path.stat()
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise table.fail(key, "expected a folder, got a symbolic link that leads round in "
                                  "a loop") from None


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


def _paths(table: Table, key: str, root: Path, base: Path) -> tuple[str, ...]:
    values = table.strings(key)
    for value in values:
        inside(table, key, root, base / value)
    return values


def _one_kind(table: Table, kinds: tuple[str, ...], what: str) -> str:
    present = [kind for kind in kinds if kind in table.data]
    if len(present) != 1:
        got = ", ".join(present) or "none"
        raise RecipeError(table.file, table.prefix.rstrip("."),
                          f"expected exactly one of {', '.join(kinds)} in each {what} entry, "
                          f"got {got}")
    return present[0]


def _need(table: Table, root: Path, base: Path) -> Need:
    kind = _one_kind(table, tuple(NEED_KINDS), "[[needs]]")
    names, extra = NEED_KINDS[kind]
    table.only((kind, *extra))
    value = table.text(kind) or ""
    if names == "path":
        inside(table, kind, root, base / value)
    if names == "variable" and not ENV_NAME.fullmatch(value):
        raise table.fail(kind, f"expected an environment variable name, got {value!r}")
    if names == "host" and not HOST_NAME.fullmatch(value):
        raise table.fail(kind, f"expected a host name, got {value!r}")
    venv = _path(table, "venv", root, base) or ".venv"
    install = table.mapping("install")
    for manager in install:
        if manager not in INSTALLERS:
            raise RecipeError(table.file, table.key(f"install.{manager}"),
                              f"expected a package manager bringup knows "
                              f"({', '.join(INSTALLERS)})")
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


def _user_exists(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _shown(file: Path, root: Path) -> str:
    try:
        return str(file.relative_to(root))
    except ValueError:
        return str(file)
