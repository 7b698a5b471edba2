"""A recipe as bringup holds it once read: one service, and what each stage needs of it."""

from __future__ import annotations

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

    def ports(self) -> set[int]:
        """Every port the recipe declares: its own, and those its checks reach."""
        declared = {port for _, port in self.verify.addresses()}
        return declared | ({self.port} if self.port is not None else set())
