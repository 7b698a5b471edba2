"""`state/state.json`: versioned, written atomically, strict on write and lenient on read, and
never overwritten when it cannot be read; one writing bringup per workspace."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bringup import atomic
from bringup.errors import LockedError, WorkspaceError
from bringup.state import journal
from bringup.state.model import ServiceState, State

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
        except FileNotFoundError:
            return State()
        except (OSError, UnicodeDecodeError) as error:
            raise WorkspaceError(f"{self.file} cannot be read ({error})") from None
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as error:
            raise WorkspaceError(f"{self.file} is not valid JSON ({error}); bringup will not "
                                 "overwrite it: fix it, or move it away to start afresh") from None
        schema = data.get("schema") if isinstance(data, dict) else None
        if schema != SCHEMA:
            raise WorkspaceError(f"{self.file} has schema {schema!r}, this bringup reads {SCHEMA!r}"
                                 " (written by a newer bringup?); bringup will not overwrite it")
        services = data.get("services")
        return State({name: ServiceState.from_json(entry)
                      for name, entry in (services.items() if isinstance(services, dict) else [])})

    def save(self, state: State) -> None:
        data = {"schema": SCHEMA, "services": {name: asdict(entry)
                                                for name, entry in state.services.items()}}
        atomic.write_text(self.file, json.dumps(data, indent=2, sort_keys=True) + "\n")

    def journal(self, event: str, service: str | None = None, /, **details: Any) -> None:
        journal.append(self.journal_file, event, service, **details)

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the workspace for writing; a second bringup is refused with the holder's pid."""
        from filelock import FileLock, Timeout

        self.dir.mkdir(parents=True, exist_ok=True)
        pid_file = self.dir / "lock.pid"
        lock = FileLock(self.dir / ".lock")
        try:
            lock.acquire(timeout=0)
        except Timeout:
            holder = _read(pid_file) or "unknown"
            raise LockedError(f"another bringup (pid {holder}) is working in {self.dir.parent}; "
                              "wait for it to finish") from None
        try:
            pid_file.write_text(f"{os.getpid()}\n", encoding="utf-8")
            yield
        finally:
            pid_file.unlink(missing_ok=True)
            lock.release()


def _read(file: Path) -> str | None:
    try:
        return file.read_text(encoding="utf-8").strip()
    except OSError:
        return None
