"""Progress on disk: `state/state.json`, versioned, written atomically, strict on write and
lenient on read; `state/journal.jsonl`, append-only; one writing bringup at a time."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import types
import typing
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bringup.errors import LockedError, WorkspaceError
from bringup.supervisor import Handle

SCHEMA = "bringup.state/1"
STAGES = ("needs", "paths", "permissions", "start", "verify", "stable")
FINDING_KEYS = frozenset({"kind", "subject", "stage", "fix", "evidence"})
EVIDENCE_KEYS = frozenset({"kind", "target", "ok", "ms", "detail"})


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass
class ServiceState:
    stage: str = "needs"
    status: str = "pending"
    attempts: int = 0
    pid: int | None = None
    create_time: float | None = None
    start_ticks: int | None = None
    port: int | None = None
    started_at: str | None = None
    proven_at: str | None = None
    updated_at: str | None = None
    stopped_at: str | None = None
    log_offset: int = 0
    exit_status: int | None = None
    log_tail: list[str] = field(default_factory=list)
    reason: str | None = None
    findings: list[dict[str, Any]] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    fingerprints: dict[str, str] = field(default_factory=dict)
    skipped_reason: str | None = None

    @property
    def handle(self) -> Handle | None:
        if self.pid is None or self.create_time is None:
            return None
        return Handle(self.pid, self.create_time, self.start_ticks)

    def record(self, handle: Handle) -> None:
        self.pid, self.create_time, self.start_ticks = (handle.pid, handle.create_time,
                                                        handle.start_ticks)

    def forget_process(self) -> None:
        self.pid = self.create_time = self.start_ticks = None

    @classmethod
    def from_json(cls, data: object) -> ServiceState:
        """Lenient: unknown keys are ignored and a value of the wrong type falls back."""
        state = cls()
        if not isinstance(data, dict):
            return state
        hints = typing.get_type_hints(cls)
        for spec in fields(cls):
            value = data.get(spec.name)
            if value is not None and _accepts(hints[spec.name], value):
                setattr(state, spec.name, float(value) if hints[spec.name] in (
                    float, float | None) else value)
        if state.stage not in STAGES:
            state.stage = "needs"
        if state.pid is not None and state.pid <= 1:
            state.forget_process()  # never a pid that would signal init or a whole group
        state.log_offset = max(state.log_offset, 0)
        state.findings = [f for f in state.findings if _has(f, FINDING_KEYS)]
        state.evidence = [e for e in state.evidence if _has(e, EVIDENCE_KEYS)]
        state.log_tail = [line for line in state.log_tail if isinstance(line, str)]
        return state


def _has(item: object, keys: frozenset[str]) -> bool:
    return isinstance(item, dict) and keys <= item.keys()


def _accepts(hint: object, value: object) -> bool:
    """Does `value` (read from JSON) fit the declared type? bool is never taken for a number."""
    union = isinstance(hint, types.UnionType)
    kinds = {typing.get_origin(arg) or arg for arg in (typing.get_args(hint) if union else [hint])}
    if isinstance(value, bool):
        return bool in kinds
    if float in kinds and isinstance(value, int):
        return True
    return isinstance(value, tuple(kind for kind in kinds if isinstance(kind, type)))


@dataclass
class State:
    services: dict[str, ServiceState] = field(default_factory=dict)

    def of(self, name: str) -> ServiceState:
        return self.services.setdefault(name, ServiceState())


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
        self.dir.mkdir(parents=True, exist_ok=True)
        data = {"schema": SCHEMA, "services": {name: asdict(entry)
                                                for name, entry in state.services.items()}}
        text = json.dumps(data, indent=2, sort_keys=True) + "\n"
        handle, temporary = tempfile.mkstemp(dir=self.dir, prefix=".state-", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            Path(temporary).replace(self.file)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def journal(self, event: str, service: str | None = None, **details: Any) -> None:
        """Append one event; environment values must never be passed in here."""
        self.dir.mkdir(parents=True, exist_ok=True)
        line = {"ts": now_iso(), "event": event, **({"service": service} if service else {}),
                **details}
        with self.journal_file.open("a", encoding="utf-8") as out:
            out.write(json.dumps(line, sort_keys=False, default=str) + "\n")

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
