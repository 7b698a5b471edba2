"""The world a command works in, passed in rather than reached for: tests hand in their own."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from bringup.core.output import Masked, Output, Silent
from bringup.core.prompting import Prompter, Recommended
from bringup.errors import BringupError
from bringup.recipe.workspace import Workspace
from bringup.state.model import State
from bringup.state.store import Store

if TYPE_CHECKING:
    import httpx

T = TypeVar("T")
MASK = "******"


class _Saves:
    """Group commit: each save asks for a write that begins after it asked; while one write
    runs, the threads that ask meanwhile wait for the next, which one of them does for all."""

    def __init__(self) -> None:
        self._turn = threading.Condition()
        self._asked = self._done = 0
        self._writing = False

    def after_asking(self, write: Callable[[], None]) -> None:
        with self._turn:
            self._asked += 1
            ticket = self._asked
            while self._done < ticket:
                if self._writing:
                    self._turn.wait()
                    continue
                self._writing, covers = True, self._asked
                try:
                    self._turn.release()
                    try:
                        write()
                    finally:
                        self._turn.acquire()
                    self._done = covers
                finally:
                    self._writing = False
                    self._turn.notify_all()


@dataclass
class Context:
    workspace: Workspace
    prompter: Prompter = field(default_factory=Recommended)
    out: Output = field(default_factory=Silent)
    dry_run: bool = False
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    transport: httpx.BaseTransport | None = None
    hosts_file: Path = Path("/etc/hosts")
    _state: State | None = None
    _secrets: set[str] = field(default_factory=set)
    _client: httpx.Client | None = None
    _client_lock: threading.Lock = field(default_factory=threading.Lock)
    _write_lock: threading.RLock = field(default_factory=threading.RLock)
    _saves: _Saves = field(default_factory=_Saves)

    def __post_init__(self) -> None:
        self.out = Masked(self.out, self)

    def remember(self, secrets: set[str]) -> None:
        """Values never to show or store: masked in all bringup says and writes from now on."""
        self._secrets |= secrets

    def mask(self, value: T) -> T:
        """The value (text, or lists and tables of it) with every secret known masked."""
        if isinstance(value, str):
            for secret in sorted(self._secrets, key=len, reverse=True):
                value = value.replace(secret, MASK)  # type: ignore[assignment]
            return value
        if isinstance(value, list):
            return [self.mask(item) for item in value]  # type: ignore[return-value]
        if isinstance(value, dict):
            return {key: self.mask(item) for key, item in value.items()}  # type: ignore[return-value]
        return value

    @property
    def store(self) -> Store:
        return Store(self.workspace.state_dir)

    @property
    def state(self) -> State:
        if self._state is None:
            self._state = self.store.load()
        return self._state

    def save(self) -> None:
        """Write the state as it is now. `up` and `watch` save from several threads at once:
        one write then serves every thread that asked before it began."""
        if not self.dry_run:
            self._saves.after_asking(self._write_state)

    def _write_state(self) -> None:
        with self._write_lock:
            self._keep_damaged()
            self.store.save(self.state, mask=self.mask)

    def _keep_damaged(self) -> None:
        """A state file read with fields that fell back is kept as it was, and said, once."""
        damaged, self.state.damaged = self.state.damaged, []
        if damaged and self.store.file.is_file():
            kept = self.store.keep_damaged()
            more = f" and {len(damaged) - 1} more" if len(damaged) > 1 else ""
            self.out.line(f"{self.store.file}: {damaged[0]}{more} could not be read as written; "
                          f"the file as it was is kept as {kept.name}", "warning")

    def journal(self, event: str, service: str | None = None, /, **details: Any) -> None:
        if not self.dry_run:
            with self._write_lock:
                self.store.journal(event, service, **self.mask(details))

    @contextlib.contextmanager
    def working(self, *, write: bool = True) -> Iterator[None]:
        """Hold the workspace while working; whatever happens, what was done is saved."""
        lock = self.store.locked() if write and not self.dry_run else contextlib.nullcontext()
        with lock:
            try:
                yield
            except KeyboardInterrupt:
                self.journal("interrupted")
                raise
            except BringupError as error:  # its one line is said at the edge: masked too
                error.args = (self.mask(str(error)),)
                raise
            finally:
                if write:
                    self.save()
                self.close()

    def http_client(self) -> httpx.Client:
        """One client for every request of this run (connection setup is not free)."""
        with self._client_lock:
            if self._client is None:
                import httpx

                self._client = httpx.Client(transport=self.transport, trust_env=False)
            return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
