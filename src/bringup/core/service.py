"""One service inside a run: its recipe, its folder, its environment, its stored progress."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from bringup.checks import Probe
from bringup.core import lifecycle
from bringup.core.context import Context
from bringup.processes import supervisor, tags
from bringup.processes.runner import Result, run_command
from bringup.processes.supervisor import Running
from bringup.recipe.env import read_env_file, secret_values, service_env
from bringup.recipe.model import Recipe
from bringup.state.logs import read_sources
from bringup.state.model import ServiceState


@dataclass
class Service:
    ctx: Context
    recipe: Recipe
    running: Running | None = None  # the process this very bringup started, if it did
    adopted: bool = False
    _layout: _Layout | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.ctx.remember(secret_values(self.cwd, self.recipe))

    @property
    def name(self) -> str:
        return self.recipe.name

    @property
    def entry(self) -> ServiceState:
        return self.ctx.state.of(self.name)

    @property
    def cwd(self) -> Path:
        return self.ctx.workspace.cwd(self.recipe)

    @property
    def user(self) -> str | None:
        """The user the service runs as: only when bringup is root and the recipe names one."""
        return self.recipe.user if self.recipe.user and os.geteuid() == 0 else None

    def path(self, relative: str) -> Path:
        return self.cwd / relative

    def env(self) -> dict[str, str]:
        env = service_env(self.cwd, self.recipe)
        if self.user:
            import pwd

            entry = pwd.getpwnam(self.user)
            env.update(HOME=entry.pw_dir, USER=self.user, LOGNAME=self.user)
        return env

    def env_values(self) -> list[str]:
        """The values of the service's own variables (recipe env and env_file), not the outer
        environment: where a host or a port of the stack would be written."""
        own = dict(self.recipe.env)
        if self.recipe.env_file:
            own.update(read_env_file(self.path(self.recipe.env_file)))
        return list(own.values())

    def origin(self) -> dict[str, str]:
        """What a process of this service would be started from now, as one hash per part
        (values are never kept): its command, folder, user, env, env file and manifests."""
        manifests = [self.path(need.value) for need in self.recipe.needs
                     if need.kind in ("python", "npm")]
        env_file = self.path(self.recipe.env_file) if self.recipe.env_file else None
        return {
            "command": _digest(self.recipe.command_text()),
            "folder": _digest(self.recipe.cwd),
            "user": _digest(self.recipe.user or ""),
            "env": _digest(json.dumps(sorted(self.recipe.env.items()))),
            "env file": _digest(_read_bytes(env_file) + _read_bytes(self.recipe.root / ".env")),
            "manifests": _digest(b"".join(_read_bytes(file) for file in manifests)),
        }

    def stale(self) -> list[str]:
        """The parts its running process was started from that have changed since. A start
        that recorded none (an older bringup's) cannot be judged: none is said to."""
        now, then = self.origin(), self.entry.started_from
        return [part for part, digest in now.items() if part in then and then[part] != digest]

    @property
    def tag(self) -> str:
        """What every process of this service carries in its environment, whatever its start."""
        return f"{self.ctx.workspace.tag}/{self.name}/"

    def find_again(self) -> None:
        """Adopt the process of the last start when bringup did not record it (it was killed
        right after the spawn): the eldest that carries that start's tag. A start whose end
        was recorded (`stopped_at`) is not looked for: reading every process's environment
        costs tens of milliseconds, paid by each service `up` starts."""
        start, handle = self.entry.start_id, self.entry.handle
        if start is None or self.entry.stopped_at is not None or (
                handle is not None and supervisor.alive(handle)):
            return
        eldest = next(iter(tags.tagged(self.tag + start)), None)
        found = supervisor.identify(eldest.pid) if eldest else None
        if found is not None:
            lifecycle.adopted(self.ctx, self.name, found, port=self.recipe.port,
                              why="found by its tag: bringup stopped before it recorded it")

    def reload(self) -> None:
        """Read the recipe again after bringup edited it."""
        self.ctx.workspace.reread()
        self.recipe = self.ctx.workspace.recipe(self.name)

    def probe(self, *, timeout: float = 1.0) -> Probe:
        """What its checks may look at now. The environment is built when a check asks for
        it (an exec check does; a connect, run every second by watch, does not)."""
        laid, entry = self._laid_out(), self.entry
        offsets = entry.log_files
        return Probe(cwd=laid.cwd, env=_Later(self.env), log_path=laid.log_path,
                     log_offset=entry.log_offset,
                     log_files=tuple((path, offsets.get(file, 0)) for file, path in laid.files),
                     handle=entry.handle, timeout=timeout, http_client=self.ctx.http_client,
                     peers=laid.peers, external=self.recipe.external)

    def _laid_out(self) -> _Layout:
        """Its paths and its peers' ports: the same until its recipe or the workspace's recipes
        are read again, so worked out once for the probes watch makes every second."""
        ports, laid = self.ctx.workspace.ports, self._layout
        if laid is None or laid.recipe is not self.recipe or laid.ports is not ports:
            own = self.name
            self._layout = laid = _Layout(
                self.recipe, ports, self.cwd, self.ctx.workspace.log_path(own),
                tuple((file, self.path(file)) for file in self.recipe.log_files()),
                {name: found for name, found in ports.items() if name != own})
        return laid

    def log_sources(self) -> list[tuple[Path, int]]:
        """Its output log, then each file it writes its log to, with where this start began."""
        laid, entry = self._laid_out(), self.entry
        return [(laid.log_path, entry.log_offset),
                *((path, entry.log_files.get(file, 0)) for file, path in laid.files)]

    def log_text(self) -> str:
        """All this start has logged so far, its output first."""
        return read_sources(self.log_sources())

    def shell(self, command: str, *, as_service: bool = False, timeout: float = 1800) -> Result:
        """Show a command, run it, journal it. Every fix that runs something goes through here."""
        user = self.user if as_service else None
        self.ctx.out.command(command, where=self.recipe.cwd, user=user)
        env = self.env() if as_service else None
        with self.ctx.out.progress(f"{self.name}: {command}") as shown:
            result = run_command(command, cwd=self.cwd, env=env, timeout=timeout, user=user,
                                 on_line=shown.say if shown.wanted else None)
        self.ctx.journal("command", self.name, command=command, code=result.code)
        if not result.ok:
            self.ctx.out.block(result.tail())
        return result

    def give_to_user(self, path: Path) -> None:
        """Paths bringup creates for a service that runs as another user belong to that user."""
        if not self.user:
            return
        import pwd
        import shutil

        entry = pwd.getpwnam(self.user)
        for item in [path, *(path.rglob("*") if path.is_dir() else [])]:
            shutil.chown(item, entry.pw_uid, entry.pw_gid)


@dataclass(frozen=True)
class _Layout:
    """What a service's probe holds that only its recipe and the workspace's ports decide."""

    recipe: Recipe
    ports: Mapping[str, frozenset[int]]  # the workspace's, by service: the peers come from it
    cwd: Path
    log_path: Path
    files: tuple[tuple[str, Path], ...]  # each file it logs to, as the recipe names it
    peers: Mapping[str, frozenset[int]]


class _Later(Mapping[str, str]):
    """A mapping built on its first read."""

    def __init__(self, build: Callable[[], Mapping[str, str]]) -> None:
        self._build = build

    @cached_property
    def _built(self) -> Mapping[str, str]:
        return self._build()

    def __getitem__(self, key: str) -> str:
        return self._built[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._built)

    def __len__(self) -> int:
        return len(self._built)


def _digest(data: str | bytes) -> str:
    import hashlib  # 3 ms of OpenSSL, for the commands that start a service

    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()[:16]


def _read_bytes(file: Path | None) -> bytes:
    try:
        return file.read_bytes() if file is not None else b""
    except OSError:
        return b""
