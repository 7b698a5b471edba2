"""The world a command works in, passed in rather than reached for: tests hand in their own."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from bringup.core.output import Masked, Output, Silent
from bringup.core.prompting import Prompter, Recommended
from bringup.errors import BringupError
from bringup.recipe.workspace import Workspace
from bringup.state import store
from bringup.state.model import Change, ServiceState, State
from bringup.state.store import Seen, Store

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


class _Holds:
    """The state lock, shared by the threads of one run: the first to ask takes it, the last to
    be done lets it go. (Two opens of the lock file in one process would shut each other out.)"""

    def __init__(self) -> None:
        self._turn = threading.Lock()
        self._count = 0
        self._release = contextlib.ExitStack()

    @contextlib.contextmanager
    def held(self, take: Callable[[], AbstractContextManager[None]]) -> Iterator[None]:
        with self._turn:
            if self._count == 0:
                self._release = contextlib.ExitStack()
                self._release.enter_context(take())
            self._count += 1
        try:
            yield
        finally:
            with self._turn:
                self._count -= 1
                if self._count == 0:
                    self._release.close()


# What a check saw last: a newer look, never a decision (where decisions differ, they are merged).
OBSERVED = frozenset({"evidence", "updated_at"})


def _masked(value: T, secrets: tuple[str, ...]) -> T:
    if isinstance(value, str):
        for secret in secrets:
            value = value.replace(secret, MASK)  # type: ignore[assignment]
        return value
    if isinstance(value, list):
        return [_masked(item, secrets) for item in value]  # type: ignore[return-value]
    if isinstance(value, dict):
        return {key: _masked(item, secrets) for key, item in value.items()}  # type: ignore[return-value]
    return value


@dataclass
class Context:
    workspace: Workspace
    prompter: Prompter = field(default_factory=Recommended)
    out: Output = field(default_factory=Silent)
    dry_run: bool = False
    command: str = ""  # what this run is doing, as other bringups waiting for it are told
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    transport: httpx.BaseTransport | None = None
    hosts_file: Path = Path("/etc/hosts")
    _state: State | None = None
    _secrets: tuple[str, ...] = ()  # the longest first: one inside another is masked whole
    _secrets_lock: threading.Lock = field(default_factory=threading.Lock)
    _client: httpx.Client | None = None
    _client_lock: threading.Lock = field(default_factory=threading.Lock)
    _write_lock: threading.RLock = field(default_factory=threading.RLock)
    _read_lock: threading.Lock = field(default_factory=threading.Lock)
    _saves: _Saves = field(default_factory=_Saves)
    _holds: _Holds = field(default_factory=_Holds)
    _seen: Seen | None = None  # the write of state.json the state in memory was read from
    _loaded: dict[str, dict[str, Any]] = field(default_factory=dict)  # each entry as then
    _loaded_changes: list[Change] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.out = Masked(self.out, self)

    def remember(self, secrets: set[str]) -> None:
        """Values never to show or store: masked in all bringup says and writes from now on."""
        with self._secrets_lock:  # the services of an `up` are read in threads of their own
            if not secrets <= set(self._secrets):
                self._secrets = tuple(sorted({*self._secrets, *secrets}, key=len, reverse=True))

    def mask(self, value: T) -> T:
        """The value (text, or lists and tables of it) with every secret known masked. With no
        secret known it is the value itself: a save of the state masks all of it, each time."""
        return _masked(value, secrets) if (secrets := self._secrets) else value

    @property
    def store(self) -> Store:
        return Store(self.workspace.state_dir)

    @property
    def state(self) -> State:
        if self._state is None:
            with self._read_lock:  # a report's checks all ask at once, each from its thread
                if self._state is None:  # read once: a second read closed the first's file
                    state, seen = self.store.read()
                    self._state = self._took(state, seen)
        return self._state

    def _took(self, state: State, seen: Seen,
              entries: dict[str, dict[str, Any]] | None = None) -> State:
        """Remember which write of the file this state is, and each entry as it was then."""
        if self._seen is not None:
            self._seen.close()
        self._seen = seen
        self._loaded = entries if entries is not None else {
            name: entry.to_json() for name, entry in state.services.items()}
        self._loaded_changes = list(state.changes)
        return state

    def save(self) -> None:
        """Write the state as it is now. `up` and `watch` save from several threads at once:
        one write then serves every thread that asked before it began."""
        if not self.dry_run:
            self._saves.after_asking(self._write_state)

    def _write_state(self) -> None:
        with self.holding(), self._write_lock:
            self._keep_damaged()
            entries = {name: entry.to_json() for name, entry in self.state.services.items()}
            self.store.save_entries(entries, self.state.changes, mask=self.mask)
            self._took(self.state, Seen(self.store.file), entries)

    @contextlib.contextmanager
    def holding(self) -> Iterator[None]:
        """Hold state/ for a read-modify-write, with what other bringups saved taken in first:
        they wait meanwhile (up to store.WAIT seconds; then the one asking is refused). The
        threads of this run share one hold."""
        def take() -> AbstractContextManager[None]:
            return self.store.locked(wait=store.WAIT, doing=self.command,
                                     waiting=lambda said: self.out.line(said, "warning"))

        with self._holds.held(take):
            self.refresh()
            yield

    def alone(self) -> AbstractContextManager[None]:
        """The one wizard of this workspace: a second `next` is refused while one runs (it
        would ask about the same service), whatever else runs."""
        if self.dry_run:
            return contextlib.nullcontext()
        return self.store.locked(name="wizard", doing=self.command)

    def refresh(self) -> None:
        """Take in what other bringups saved since this one last read or wrote state.json. Per
        service: an entry this run has decided something in since stays this run's; else the
        other's stands where it changed it (a newer look of this run's own is dropped then)."""
        with self._write_lock:
            if self._state is None or (self._seen.current() if self._seen is not None
                                       else not self.store.file.exists()):
                return  # nothing new (or still no state.json at all)
            fresh, seen = self.store.read()
            ours = self._state
            for name in fresh.services.keys() | ours.services.keys() | self._loaded.keys():
                mine, was = ours.services.get(name), self._loaded.get(name)
                if was is None and mine is not None:  # only looked at here: as new as can be
                    was = ServiceState().to_json()
                if _decided(mine.to_json() if mine else None) != _decided(was):
                    continue  # decided here since: it stands
                theirs = fresh.services.get(name)
                if theirs is None:
                    ours.services.pop(name, None)
                elif mine is None or theirs.to_json() != was:
                    ours.services[name] = theirs
            dropped = [c for c in self._loaded_changes if c not in ours.changes]
            added = [c for c in ours.changes if c not in self._loaded_changes]
            ours.changes = [c for c in fresh.changes if c not in dropped] + [
                c for c in added if c not in fresh.changes]
            self._took(fresh, seen)

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
    def working(self, *, write: bool = True, hold: bool = True) -> Iterator[None]:
        """Work in the workspace; whatever happens, what was done is saved. `hold`: hold state/
        all along (a command that reads the state, acts and writes it); `watch` and the wizard
        hold it only while they write, so that others may act meanwhile."""
        held = self.holding() if write and hold and not self.dry_run else contextlib.nullcontext()
        with held:
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

                from bringup import __version__

                self._client = httpx.Client(  # the agent says who asks: an access log can drop it
                    transport=self.transport, trust_env=False,
                    headers={"User-Agent": f"bringup-probe/{__version__}"})
            return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
        if self._seen is not None:
            self._seen.close()
            self._seen = None


def _decided(entry: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if entry is None else {k: v for k, v in entry.items() if k not in OBSERVED}
