"""Each service's progress as stored: closed types for its stage and status, its process."""

from __future__ import annotations

import functools
import math
import types
import typing
from dataclasses import dataclass, field, fields
from typing import Any, Literal, get_args

from bringup.processes.supervisor import Handle

# The stored statuses; `blocked` is never stored, it is judged from the services' order.
Status = Literal["pending", "in-progress", "failed", "proven", "regressed", "stopped", "skipped"]
# The stages in their order; the stage registry (bringup.stages) implements exactly these.
StageName = Literal["needs", "paths", "permissions", "start", "verify", "stable"]
STATUSES: tuple[Status, ...] = get_args(Status)
STAGE_NAMES: tuple[StageName, ...] = get_args(StageName)
FINDING_KEYS = frozenset({"kind", "subject", "stage", "fix", "evidence"})
EVIDENCE_KEYS = frozenset({"kind", "target", "ok", "ms", "detail"})


@dataclass
class ServiceState:
    stage: StageName = "needs"
    status: Status = "pending"
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
    log_files: dict[str, int] = field(default_factory=dict)  # its log files: where this start began
    exit_status: int | None = None
    log_tail: list[str] = field(default_factory=list)
    reason: str | None = None
    findings: list[dict[str, Any]] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    fingerprints: dict[str, str] = field(default_factory=dict)
    started_from: dict[str, str] = field(default_factory=dict)  # hashes of what it ran from
    start_id: str | None = None  # the last start, recorded before its process was spawned
    skipped_reason: str | None = None
    ready_after: float | None = None  # seconds: the slowest start to ready bringup has seen

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

    def to_json(self) -> dict[str, Any]:
        """The entry as stored: `dataclasses.asdict` of it, made directly (its values are
        JSON's own types), at a fifth of the cost for a state read or saved many times."""
        return {name: _copied(getattr(self, name)) for name in _field_names()}

    @classmethod
    def from_json(cls, data: object) -> ServiceState:
        """Lenient: unknown keys are ignored and a value of the wrong type falls back."""
        return read_entry(data)[0]


def read_entry(data: object) -> tuple[ServiceState, list[str]]:
    """The entry, read leniently, and the fields of it that could not be read as written (they
    fell back to their defaults)."""
    state = ServiceState()
    if not isinstance(data, dict):
        return state, ["the entry"]
    hints = _hints()
    data = _migrated(data)  # an unknown stage or status keeps its default: the road's start
    fell: list[str] = []
    for spec in fields(ServiceState):
        value = data.get(spec.name)
        if value is None:
            continue
        if not _accepts(hints[spec.name], value) or (isinstance(value, float)
                                                     and not math.isfinite(value)):
            fell.append(spec.name)
            continue
        setattr(state, spec.name, float(value) if hints[spec.name] in (
            float, float | None) else value)
    if state.pid is not None and state.pid <= 1:
        state.forget_process()  # never a pid that would signal init or a whole group
        fell.append("pid")
    before = (len(state.findings), len(state.evidence), len(state.log_tail), state.log_offset)
    state.log_offset = max(state.log_offset, 0)
    state.findings = [f for f in state.findings if _has(f, FINDING_KEYS)]
    state.evidence = [e for e in state.evidence if _has(e, EVIDENCE_KEYS)]
    state.log_tail = [line for line in state.log_tail if isinstance(line, str)]
    after = (len(state.findings), len(state.evidence), len(state.log_tail), state.log_offset)
    fell += [name for name, was, now in zip(("findings", "evidence", "log_tail", "log_offset"),
                                            before, after, strict=True) if was != now]
    return state, fell


def _copied(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _copied(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_copied(item) for item in value)
    return value


@functools.cache
def _field_names() -> tuple[str, ...]:
    return tuple(spec.name for spec in fields(ServiceState))


@functools.cache
def _hints() -> dict[str, Any]:
    """The declared type of each field, resolved once (not once per service read)."""
    return typing.get_type_hints(ServiceState)


def _migrated(data: dict[str, Any]) -> dict[str, Any]:
    """bringup 0.1 kept a service stopped by `down` as proven, with a sentence for a reason."""
    if (data.get("status") in ("proven", "regressed") and data.get("pid") is None
            and str(data.get("reason")).startswith("stopped by `bringup down`")):
        return {**data, "status": "stopped"}
    return data


def _has(item: object, keys: frozenset[str]) -> bool:
    return isinstance(item, dict) and keys <= item.keys()


def _accepts(hint: object, value: object) -> bool:
    """Does `value` (read from JSON) fit the declared type? bool is never taken for a number."""
    literals, kinds = _plan(hint)
    if literals is not None:
        return value in literals
    if isinstance(value, bool):
        return bool in kinds
    if float in kinds and isinstance(value, int):
        return True
    return isinstance(value, kinds)


@functools.cache
def _plan(hint: object) -> tuple[tuple[object, ...] | None, tuple[type, ...]]:
    """What a declared type accepts: its literal values, else the classes it names (worked out
    once per type, not once per field of every service read)."""
    if typing.get_origin(hint) is Literal:
        return typing.get_args(hint), ()
    union = isinstance(hint, types.UnionType)
    kinds = {typing.get_origin(arg) or arg for arg in (typing.get_args(hint) if union else [hint])}
    return None, tuple(kind for kind in kinds if isinstance(kind, type))


ChangeKind = Literal["hosts-line", "mode", "package"]


@dataclass(frozen=True)
class Change:
    """A change bringup made to this machine, outside the workspace, with what undoes it."""

    kind: ChangeKind
    file: str
    # hosts-line: the line added, exactly as written (its undo removes that line only);
    # mode: the folder's mode before bringup let the service's user enter it (octal);
    # package: the package bringup installed, `file` naming the package manager (apt, dnf, brew)
    line: str
    service: str
    at: str

    def describe(self) -> str:
        if self.kind == "mode":
            return f"{self.file}: others may enter it (mode was {self.line}) for {self.service}"
        if self.kind == "package":
            return f"installed the package {self.line} with {self.file} for {self.service}"
        return f"{self.file}: added `{self.line}` for {self.service}"

    @classmethod
    def from_json(cls, data: object) -> Change | None:
        keys = ("kind", "file", "line", "service", "at")
        if not isinstance(data, dict) or data.get("kind") not in get_args(ChangeKind) or not all(
                isinstance(data.get(key), str) for key in keys):
            return None
        return cls(data["kind"], data["file"], data["line"], data["service"], data["at"])


@dataclass
class State:
    services: dict[str, ServiceState] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)  # to this machine, until undone
    # What could not be read as written (never saved): the file is kept before it is replaced.
    damaged: list[str] = field(default_factory=list, compare=False)

    def of(self, name: str) -> ServiceState:
        found = self.services.get(name)
        if found is None:  # not setdefault: that builds an entry at every call
            found = self.services[name] = ServiceState()
        return found
