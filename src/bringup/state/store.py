"""`state/state.json`: versioned, written atomically, strict on write and lenient on read, and
never overwritten when it cannot be read. Several bringups may share a workspace (a `watch` and
a `down`): each read-modify-write of the file is done holding `state/.lock`, which the others
wait for."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bringup import atomic
from bringup.errors import LockedError, WorkspaceError
from bringup.state import journal
from bringup.state.journal import now_iso
from bringup.state.model import Change, State, read_entry
from bringup.tables import cut

SCHEMA = "bringup.state/1"
WAIT = 60.0  # the longest a bringup waits for another to finish with state/ before it says so


class Seen:
    """The write of state.json a bringup last read or made, held open so that its inode cannot
    be given to another file: each write replaces the file, so a file with another inode is
    another bringup's write."""

    def __init__(self, file: Path) -> None:
        self.file = file
        try:
            self._held: int | None = os.open(file, os.O_RDONLY | os.O_CLOEXEC)
        except (FileNotFoundError, NotADirectoryError):
            self._held = None  # none written yet (or no folder for it)

    def read(self) -> str | None:
        if self._held is None:
            return None
        with os.fdopen(os.dup(self._held), encoding="utf-8") as text:
            return text.read()

    def current(self) -> bool:
        """Is the file there still the one seen?"""
        try:
            there = self.file.stat()
        except (FileNotFoundError, NotADirectoryError):
            return self._held is None
        if self._held is None:
            return False
        held = os.fstat(self._held)
        return (held.st_dev, held.st_ino) == (there.st_dev, there.st_ino)

    def close(self) -> None:
        held, self._held = self._held, None  # forgotten first: never closed twice
        if held is not None:
            os.close(held)

    def __del__(self) -> None:  # a context a test made and never closed
        self.close()


class Store:
    """Reads and writes one workspace's state folder."""

    def __init__(self, state_dir: Path) -> None:
        self.dir = state_dir
        self.file = state_dir / "state.json"
        self.journal_file = state_dir / "journal.jsonl"

    def load(self) -> State:
        state, seen = self.read()
        seen.close()
        return state

    def read(self) -> tuple[State, Seen]:
        """The state, and which write of the file it was read from (to be closed)."""
        try:
            seen = Seen(self.file)
        except OSError as error:
            raise WorkspaceError(f"{self.file} cannot be read ({error})") from None
        try:
            try:
                raw = seen.read()
            except (OSError, UnicodeDecodeError) as error:
                raise WorkspaceError(f"{self.file} cannot be read ({error})") from None
            return (State() if raw is None else self._decoded(raw)), seen
        except BaseException:
            seen.close()
            raise

    def _decoded(self, raw: str) -> State:
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as error:
            raise self._refused(f"is not valid JSON ({error})") from None
        except RecursionError:
            raise self._refused("is not valid JSON (nested too deeply)") from None
        schema = data.get("schema") if isinstance(data, dict) else None
        if schema != SCHEMA:
            raise WorkspaceError(f"{self.file} has schema {cut(repr(schema))}, this bringup reads "
                                 f"{SCHEMA!r} (written by a newer bringup?); bringup will not "
                                 "overwrite it")
        state = self._services(data.get("services", {}))
        changes = data.get("changes", [])
        if not isinstance(changes, list) or None in (read := [Change.from_json(item)
                                                              for item in changes]):
            raise self._refused("has changes that are not a list of the changes bringup "
                                "made (each with its kind, file, line, service and time)")
        state.changes = [change for change in read if change is not None]
        return state

    def _services(self, services: object) -> State:
        """Each service's entry: a file whose shape is wrong is refused whole (its pids may be
        processes bringup must still be able to stop); a field of the wrong type falls back."""
        if not isinstance(services, dict):
            raise self._refused(f"has services as {type(services).__name__}, not a table of "
                                "services")
        state = State()
        for name, entry in services.items():
            if not isinstance(entry, dict):
                raise self._refused(f"has services.{cut(name)} as "
                                    f"{type(entry).__name__}, not a table")
            state.services[name], fell = read_entry(entry)
            state.damaged += [f"services.{name}.{field}" for field in fell]
        return state

    def _refused(self, why: str) -> WorkspaceError:
        return WorkspaceError(f"{self.file} {why}; bringup will not overwrite it: fix it, or "
                              "move it away to start afresh")

    def keep_damaged(self) -> Path:
        """Keep the file as it was read, beside it, before it is written over."""
        kept = self.dir / f"state.json.bad-{now_iso()[:19].replace(':', '')}"
        atomic.write_bytes(kept, self.file.read_bytes())
        return kept

    def save(self, state: State, *, mask: Callable[[Any], Any] = lambda value: value) -> None:
        """Write the state; `mask` hides the secrets known in every text it holds (not in the
        digests and ids bringup made: a secret's letters may happen to be in one)."""
        self.save_entries({name: entry.to_json() for name, entry in state.services.items()},
                          state.changes, mask=mask)

    def save_entries(self, entries: dict[str, dict[str, Any]], changes: list[Change], *,
                     mask: Callable[[Any], Any] = lambda value: value) -> None:
        """Write each service's entry, given as a table (`ServiceState.to_json`)."""
        services = {name: _masked(entry, mask) for name, entry in entries.items()}
        atomic.write_text(self.file, laid_out(services, [asdict(change) for change in changes]))

    def journal(self, event: str, service: str | None = None, /, **details: Any) -> None:
        journal.append(self.journal_file, event, service, **details)

    @contextlib.contextmanager
    def locked(self, *, wait: float = 0.0, waiting: Callable[[str], None] | None = None,
               name: str = "lock", doing: str = "") -> Iterator[None]:
        """Hold state/.NAME, waiting up to `wait` seconds for the bringup holding it (said to
        `waiting` once, after a second); then it is refused with the holder's pid and what it
        is doing. The lock is the kernel's (flock): it goes with the process, however that ends,
        and never outlives it."""
        self.dir.mkdir(parents=True, exist_ok=True)
        pid_file = self.dir / f"{name}.pid"
        held = os.open(self.dir / f".{name}", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            _take(held, pid_file, wait, waiting, self.dir.parent)
            try:
                pid_file.write_text(f"{os.getpid()} {doing}".rstrip() + "\n", encoding="utf-8")
                yield
            finally:
                pid_file.unlink(missing_ok=True)
                fcntl.flock(held, fcntl.LOCK_UN)
        finally:
            os.close(held)


    def holder(self, name: str) -> int | None:
        """The pid of the bringup holding state/.NAME now (0: it has not written it yet), None
        when none holds it."""
        try:
            held = os.open(self.dir / f".{name}", os.O_RDONLY | os.O_CLOEXEC)
        except OSError:
            return None
        try:
            fcntl.flock(held, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            found = _read(self.dir / f"{name}.pid") or ""
            return int(found.split()[0]) if found.split() and found.split()[0].isdigit() else 0
        finally:
            os.close(held)  # a shared lock taken here goes with it
        return None


def _take(held: int, pid_file: Path, wait: float, waiting: Callable[[str], None] | None,
          workspace: Path) -> None:
    deadline, said = time.monotonic() + wait, False
    while True:
        try:
            fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            left = deadline - time.monotonic()
            if left <= 0:
                raise LockedError(f"another bringup ({_holder(pid_file)}) is working in "
                                  f"{workspace}; wait for it to finish") from None
            if waiting is not None and not said and wait - left >= 1.0:
                waiting(f"waiting for another bringup ({_holder(pid_file)}) to finish with "
                        f"{workspace / 'state'}")
                said = True
            time.sleep(min(0.02, left))


def laid_out(services: dict[str, dict[str, Any]], changes: list[dict[str, Any]]) -> str:
    """The state as JSON to read and to diff: each service's entry, and each change, on a line
    of its own. (json's `indent` would do it with its encoder written in Python, five times
    slower than its C one on a state of forty services; the file is written at every change.)"""
    encode = json.JSONEncoder(sort_keys=True).encode
    entries = [f"{encode(name)}: {encode(services[name])}" for name in sorted(services)]
    return (f'{{\n  "changes": {_block("[]", map(encode, changes))},\n'
            f'  "schema": {encode(SCHEMA)},\n  "services": {_block("{}", entries)}\n}}\n')


def _block(brackets: str, items: Iterable[str]) -> str:
    """`items` between the brackets, one to a line."""
    inside = ",\n".join(f"    {item}" for item in items)
    return f"{brackets[0]}\n{inside}\n  {brackets[1]}" if inside else brackets


OWN_VALUES = frozenset({"fingerprints", "started_from", "start_id"})  # digests and ids


def _masked(entry: dict[str, Any], mask: Callable[[Any], Any]) -> dict[str, Any]:
    return {key: value if key in OWN_VALUES else mask(value) for key, value in entry.items()}


def _holder(pid_file: Path) -> str:
    """`pid N: what it is doing`. The holder writes it right after it takes the lock: give it
    a moment to."""
    deadline = time.monotonic() + 2.0
    while (found := _read(pid_file)) is None and time.monotonic() < deadline:
        time.sleep(0.01)
    pid, _, doing = (found or "unknown").partition(" ")
    return f"pid {pid}: {doing}" if doing else f"pid {pid}"


def _read(file: Path) -> str | None:
    try:
        return file.read_text(encoding="utf-8").strip() or None
    except OSError:
        return None
