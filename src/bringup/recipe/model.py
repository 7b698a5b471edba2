"""A recipe as bringup holds it once read: one service, and what each stage needs of it."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, get_args

from bringup.checks import Verify

Restart = Literal["on-failure", "always", "no"]
RESTARTS: tuple[Restart, ...] = get_args(Restart)


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
class Recipe:
    name: str
    file: Path
    command: str | tuple[str, ...]
    description: str = ""
    cwd: str = "."
    after: tuple[str, ...] = ()
    port: int | None = None
    oneshot: bool = False
    restart: Restart = "on-failure"
    max_restarts: int = 5
    stop_grace: float = 10.0
    user: str | None = None
    env: dict[str, str] = field(default_factory=dict)
    env_file: str | None = None
    needs: tuple[Need, ...] = ()
    paths: tuple[PathSpec, ...] = ()
    permissions: tuple[Permission, ...] = ()
    verify: Verify = field(default_factory=Verify)
    logs: tuple[str, ...] = ()  # files it writes its log to, read like its output
    skip: str | None = None  # parked by its recipe: why it cannot run here (a command may lack)
    external: bool = False  # only checked: something bringup never starts or stops

    @property
    def root(self) -> Path:
        """The workspace it belongs to: recipes live in its recipes/ folder."""
        return self.file.parent.parent

    def command_text(self) -> str:
        return self.command if isinstance(self.command, str) else shlex.join(self.command)

    def command_path(self) -> str | None:
        """The command's program when it is a relative path (./start.sh): it must exist and run."""
        words = self.words()
        program = words[0] if words else ""
        return program if "/" in program and not program.startswith("/") else None

    def log_files(self) -> tuple[str, ...]:
        """The files its log goes to: the recipe's `logs`, and those its command names
        (`--logfile F`, `--log-file=F`, `-l F`/`-f F` when F looks like a file)."""
        return tuple(dict.fromkeys([*self.logs, *_logfiles_named(self.words())]))

    def words(self) -> list[str]:
        """The command's words, quotes taken off."""
        if isinstance(self.command, tuple):
            return list(self.command)
        return words_of(self.command)

    def ports(self) -> set[int]:
        """Every port the recipe declares: its own, and those its checks reach."""
        declared = {port for _, port in self.verify.addresses()}
        return declared | ({self.port} if self.port is not None else set())


LOGFILE_FLAGS = ("--logfile", "--log-file", "--error-logfile", "--error-log", "--log")
SHORT_FLAGS = ("-l", "-f")  # a log level or a config file as often: only when it looks like a log


def _logfiles_named(words: list[str]) -> list[str]:
    found = []
    for index, word in enumerate(words):
        flag, equals, value = word.partition("=")
        if equals and flag in LOGFILE_FLAGS:
            found.append(value)
        elif word in LOGFILE_FLAGS + SHORT_FLAGS and index + 1 < len(words):
            value = words[index + 1]
            if word in LOGFILE_FLAGS or value.endswith((".log", ".out", ".err")):
                found.append(value)
        elif word.startswith("logfile="):  # supervisord and the like
            found.append(word.partition("=")[2])
    return [value for value in found if value and value != "-" and not value.startswith("-")]


_WORD = re.compile(r"""'([^']*)'|"((?:\\.|[^"\\])*)"|(\S+)""")


def words_of(command: str) -> list[str]:
    """The words of a shell command, quotes taken off: what the program and its flags are.
    Linear in the command's length (shlex is not, on one long word)."""
    return [next(group for group in match.groups() if group is not None)
            for match in _WORD.finditer(command)]
