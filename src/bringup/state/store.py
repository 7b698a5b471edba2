"""`state/state.json`: versioned, written atomically, strict on write and lenient on read, and
never overwritten when it cannot be read; one writing bringup per workspace."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import time
from collections.abc import Callable, Iterator
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


class Store:
    """Reads and writes one workspace's state folder."""

    def __init__(self, state_dir: Path) -> None:
        self.dir = state_dir
        self.file = state_dir / "state.json"
        self.journal_file = state_dir / "journal.jsonl"

    def load(self) -> State:
        try:
            raw = self.file.read_text(encoding="utf-8")
        except (FileNotFoundError, NotADirectoryError):  # nothing kept yet (or no folder for it)
            return State()
        except (OSError, UnicodeDecodeError) as error:
            raise WorkspaceError(f"{self.file} cannot be read ({error})") from None
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
        data = {"schema": SCHEMA, "services": {name: _masked(asdict(entry), mask)
                                                for name, entry in state.services.items()},
                "changes": [asdict(change) for change in state.changes]}
        atomic.write_text(self.file, json.dumps(data, indent=2, sort_keys=True) + "\n")

    def journal(self, event: str, service: str | None = None, /, **details: Any) -> None:
        journal.append(self.journal_file, event, service, **details)

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the workspace for writing; a second bringup is refused with the holder's pid.
        The lock is the kernel's (flock on state/.lock): it goes with the process, however that
        ends, and never outlives it."""
        self.dir.mkdir(parents=True, exist_ok=True)
        pid_file = self.dir / "lock.pid"
        held = os.open(self.dir / ".lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            try:
                fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise LockedError(f"another bringup (pid {_holder(pid_file)}) is working in "
                                  f"{self.dir.parent}; wait for it to finish") from None
            try:
                pid_file.write_text(f"{os.getpid()}\n", encoding="utf-8")
                yield
            finally:
                pid_file.unlink(missing_ok=True)
                fcntl.flock(held, fcntl.LOCK_UN)
        finally:
            os.close(held)


OWN_VALUES = frozenset({"fingerprints", "started_from", "start_id"})  # digests and ids


def _masked(entry: dict[str, Any], mask: Callable[[Any], Any]) -> dict[str, Any]:
    return {key: value if key in OWN_VALUES else mask(value) for key, value in entry.items()}


def _holder(pid_file: Path) -> str:
    """The holder writes its pid right after it takes the lock: give it a moment to."""
    deadline = time.monotonic() + 2.0
    while (found := _read(pid_file)) is None and time.monotonic() < deadline:
        time.sleep(0.01)
    return found or "unknown"


def _read(file: Path) -> str | None:
    try:
        return file.read_text(encoding="utf-8").strip() or None
    except OSError:
        return None
