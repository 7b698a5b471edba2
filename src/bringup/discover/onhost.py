"""A container's command made to run on this machine.

In a container a server listens on all addresses at the port of the image, and compose publishes
it on another. Here the process is the host's: it must listen on loopback at the published port
(a privileged one becomes a high one unless bringup runs as root). Its command's address and
port flags are rewritten to that (`-b 0.0.0.0:80`, `--bind`, `--host`, `--port`, `-p`,
`runserver 0.0.0.0:8000`), and the variable its code reads for its port (`PORT` and friends) is
set; a code that listens on a port of its own whatever it is told decides the recipe's port.
Development forms become the plain ones: no `--reload`, `nodemon` is `node`, no `--inspect`."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from bringup.discover.candidate import port_in_source, read, source_files

Command = str | tuple[str, ...]

LOOPBACK = "127.0.0.1"
ANY_ADDRESS = ("0.0.0.0", "::", "[::]", "*", "", "localhost", "127.0.0.1")
PRIVILEGED = 1024
PORT_VARIABLES = ("PORT", "HTTP_PORT", "APP_PORT", "SERVER_PORT", "LISTEN_PORT", "WEB_PORT")
_ADDRESS_FLAGS = ("-b", "--bind", "--listen", "-l")  # ADDRESS:PORT
_HOST_FLAGS = ("--host", "-H", "--hostname", "--address", "--addr")
_PORT_FLAGS = ("--port", "-p", "--http-port")
_PORT_VARIABLE = re.compile(
    r"""process\.env\.(\w*PORT)\b|process\.env\[["'](\w*PORT)["']\]|environ(?:\.get)?\(?\[?\s*
        ["'](\w*PORT)["']|getenv\(\s*["'](\w*PORT)["']|ENV\[["'](\w*PORT)["']\]
        |Getenv\(\s*"(\w*PORT)"\)""", re.VERBOSE)
_DEV_FLAGS = ("--reload", "--debug", "--debugger", "--inspect", "--inspect-brk")
_NODEMON_OPTIONS = ("--watch", "-w", "--ext", "-e", "--ignore", "-i", "--delay", "-d",
                    "--signal", "-s", "--config")
_NODEMON_SWITCHES = ("-L", "--legacy-watch", "--verbose", "-V", "--quiet", "-q", "--no-colors")


@dataclass(frozen=True)
class OnHost:
    command: Command
    env: dict[str, str]
    port: int | None
    notes: tuple[str, ...]


PRIVILEGED_MOVE = 8000  # a privileged port, here where bringup is not root: this much higher


def port_here(published: int | None, own: int | None) -> tuple[int | None, str]:
    """The port the service gets here: the published one, a high one for a privileged port
    when bringup is not root; and what to say about it."""
    port = published or own
    if port is None or port >= PRIVILEGED or os.geteuid() == 0:
        return port, ""
    high = port + PRIVILEGED_MOVE
    return high, f"{port} is a privileged port: here it is {high}"


def on_host(command: Command, env: dict[str, str], folder: Path, dockerfile: str, *,
            published: int | None, own: int | None) -> OnHost:
    """`command` and `env` made to listen on loopback at the port the host sees."""
    command, notes = plain(command, env)
    port, said = port_here(published, own)
    notes = [*notes, *([said] if said else [])]
    if port is None:
        return OnHost(command, env, None, tuple(notes))
    command, flagged = _rewritten(command, port, own)
    own_values = {str(value) for value in (own, published) if value}
    told = [key for key, value in env.items()  # its own port, not a database's DB_PORT
            if key in PORT_VARIABLES or (key.endswith("PORT") and value in own_values)]
    if not told and not flagged:
        told = sorted(_read_vars(folder, dockerfile) & set(PORT_VARIABLES))[:1]
    env = {**env, **dict.fromkeys(told, str(port))}
    if flagged:
        notes.append(f"its command listens on {LOOPBACK}:{port} here ({', '.join(flagged)} "
                     "rewritten: a container's address and port are not this machine's)")
    if told:
        notes.append(f"{', '.join(told)}={port}: the port it listens on here")
    if not flagged and not told:
        fixed = _code_port(folder)
        if fixed is not None and fixed != port:
            notes.append(f"its code listens on {fixed} whatever it is told: the recipe checks "
                         f"{fixed}, not {port} which compose publishes")
            port = fixed
        elif fixed is None and published and own and published != own:
            notes.append(f"nothing in its command or code says where it listens: the recipe "
                         f"expects {port}; `bringup next` says so if it listens elsewhere")
    return OnHost(command, env, port, tuple(notes))


def _read_vars(folder: Path, dockerfile: str) -> set[str]:
    """The port variables the service's code (or its image) reads."""
    found = set(re.findall(r"(?im)^\s*ENV\s+(\w*PORT)[\s=]", dockerfile))
    for source in source_files(folder):
        for match in _PORT_VARIABLE.finditer(read(source)):
            found.add(next(group for group in match.groups() if group))
    return found


def _code_port(folder: Path) -> int | None:
    for source in source_files(folder):
        if (port := port_in_source(read(source))) is not None:
            return port
    return None


def _rewritten(command: Command, port: int, own: int | None) -> tuple[Command, list[str]]:
    """The command with its listening address and port flags set to loopback and `port`."""
    words = list(command) if isinstance(command, tuple) else command.split(" ")
    flagged: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        flag, equals, value = word.partition("=")
        joined = bool(equals) and flag.startswith("-")
        name = flag if joined else word
        target = index if joined else index + 1
        current = value if joined else (words[target] if target < len(words) else "")
        replaced = _replacement(name, current, port, own, words[index - 1] if index else "")
        if replaced is not None and replaced != current:
            if joined:
                words[index] = f"{flag}={replaced}"
            else:
                words[target] = replaced
            flagged.append(name)
        index += 1
    done = tuple(words) if isinstance(command, tuple) else " ".join(words)
    return done, list(dict.fromkeys(flagged))


def _replacement(name: str, value: str, port: int, own: int | None, before: str) -> str | None:
    """What the value after flag (or word) `name` becomes, None when it stays."""
    address = f"{LOOPBACK}:{port}"
    if name in _ADDRESS_FLAGS and ":" in value:
        return address if value.rpartition(":")[0] in ANY_ADDRESS else None
    if name in _HOST_FLAGS or (name in _ADDRESS_FLAGS and not value.isdigit()):
        return LOOPBACK if value in ANY_ADDRESS else None
    if value.isdigit() and (name in _PORT_FLAGS or (name == "http.server" and before == "-m")):
        return str(port)
    bound = (name == "runserver" and re.fullmatch(r"(?:[\w.\[\]:]*:)?\d+", value)) or (
        own and name.startswith("-") and re.fullmatch(rf"(?:0\.0\.0\.0|\[::\]|\*):{own}", value))
    return address if bound else None


def plain(command: Command, env: dict[str, str] | None = None) -> tuple[Command, list[str]]:
    """Development forms as plain ones: a reloader or debugger is left out, nodemon is node;
    `flask run` under FLASK_DEBUG gets --no-reload (its reloader runs the app in a child)."""
    words = list(command) if isinstance(command, tuple) else command.split(" ")
    kept: list[str] = []
    dropped: list[str] = []
    skip_next = False
    nodemon = False
    for index, word in enumerate(words):
        if skip_next:
            skip_next = False
            continue
        program = Path(word).name
        if program == "nodemon" and not any(Path(w).name == "node" for w in kept):
            kept.append("node")
            nodemon = True
            dropped.append("nodemon (node runs it)")
            continue
        if nodemon and word in _NODEMON_OPTIONS and index + 1 < len(words):
            skip_next = True
            continue
        if nodemon and word in _NODEMON_SWITCHES:
            continue
        if word.partition("=")[0] in _DEV_FLAGS:
            dropped.append(word)
            continue
        kept.append(word)
    if "runserver" in kept and "--noreload" not in kept:  # Django's reloader forks a child
        kept.append("--noreload")
        dropped.append("runserver's reloader (--noreload)")
    debug = (env or {}).get("FLASK_DEBUG", "").lower() in ("1", "true", "yes", "on")
    if debug and any(Path(w).name == "flask" for w in kept) and "run" in kept \
            and "--no-reload" not in kept:
        kept.append("--no-reload")
        dropped.append("FLASK_DEBUG's reloader (--no-reload)")
    if not dropped:
        return command, []
    done = tuple(kept) if isinstance(command, tuple) else " ".join(kept)
    return done, [f"the plain form of a development command: {', '.join(dropped)} left out "
                  "(a reloader or a debugger is not what proves it runs)"]
