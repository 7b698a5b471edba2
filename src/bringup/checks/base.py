"""What every check kind shares: the spec it reads from `[verify]`, the probe it is given, the
outcome it returns, and the Protocol a kind module follows."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from bringup.tables import Table

if TYPE_CHECKING:
    import httpx

    from bringup.processes.supervisor import Handle

Address = tuple[str, int]  # the host and port a check reaches
UNRESOLVED = "cannot resolve"  # how a check says its host name did not resolve: "… HOST"


@dataclass(frozen=True)
class Outcome:
    """One check, once: expected failure is a value, never an exception."""

    kind: str
    target: str
    ok: bool
    ms: float
    detail: str
    address: Address | None = None
    phrase: str = ""  # how a message says it, when the kind words it itself
    final: bool = False  # a failure that waiting cannot fix (an error line already logged)
    advisory: bool = False  # evidence only: it does not count towards being healthy
    unresolved: bool = False  # its address's host name did not resolve

    def describe(self) -> str:
        """One phrase for messages: `tcp 127.0.0.1:6379 refused`, `process not running`."""
        return self.phrase or f"{self.kind} {self.target} {self.detail}"

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "target": self.target, "ok": self.ok,
                "ms": round(self.ms, 1), "detail": self.detail}


def healthy(outcomes: list[Outcome]) -> bool:
    """Every outcome that counts passes (advisory ones are evidence only), and one does."""
    counted = [outcome for outcome in outcomes if not outcome.advisory]
    return bool(counted) and all(outcome.ok for outcome in counted)


@dataclass(frozen=True)
class Spec:
    """What a recipe asks of one check kind; each kind's spec adds its own keys."""

    @property
    def readiness(self) -> bool:
        """Does it tell when the service is ready (not only when it has failed)?"""
        return True

    @property
    def recheck(self) -> bool:
        """Run again at every poll even once passed: it can fail later (an error line)."""
        return False

    @property
    def every(self) -> float:
        """The seconds between its runs while verify waits (0: at every poll). A check that
        reads the machine's whole socket table runs less often than one connect."""
        return 0.0

    def address(self) -> Address | None:
        """The host and port it reaches, for the kinds that reach one."""
        return None

    def refers_to(self) -> Mapping[str, tuple[str, ...]]:
        """The other services it names, by the key naming them: the workspace holds them to
        exist, as it holds `after`."""
        return {}


@dataclass(frozen=True)
class Verify:
    """The recipe's `[verify]`: the checks asked for, by kind, and the stages' timings."""

    checks: Mapping[str, Spec] = field(default_factory=dict)
    startup_timeout: float = 30.0
    stable_for: float = 10.0
    interval: float = 1.0

    def addresses(self) -> list[Address]:
        return [found for spec in self.checks.values() if (found := spec.address())]


@dataclass(frozen=True)
class Probe:
    """Everything a check may look at for one service."""

    cwd: Path
    env: Mapping[str, str]
    log_path: Path
    log_offset: int = 0
    log_files: tuple[tuple[Path, int], ...] = ()  # files it logs to; where this start began
    handle: Handle | None = None
    timeout: float = 1.0
    http_client: Callable[[], httpx.Client] | None = None
    peers: Mapping[str, frozenset[int]] = field(default_factory=dict)  # others' ports, by name
    external: bool = False  # a service bringup only checks: it has no process of bringup's
    # log_path is bringup's service log, each start in it after its marker; else (an engine's
    # output, a file of its own) it is read from log_offset as it is.
    marked: bool = True

    def logs(self) -> list[tuple[Path, int]]:
        """Every log of this start: its output, then the files it writes its log to."""
        return [(self.log_path, self.log_offset), *self.log_files]


S_contra = TypeVar("S_contra", bound=Spec, contravariant=True)


class CheckKind(Protocol[S_contra]):
    """A check module: the [verify] keys it owns, how it reads them, and the check itself."""

    KEYS: Mapping[str, tuple[type, ...]]  # its keys and their TOML types, the asking key first
    ADDRESS_KEYS: tuple[str, ...]  # keys whose value names the address (a port may move)

    def read(self, table: Table) -> Spec | None: ...  # None: the recipe does not ask for it

    def describe(self, spec: S_contra) -> str: ...

    def check(self, spec: S_contra, probe: Probe) -> Outcome: ...


def alone(table: Table, owner: str, companions: tuple[str, ...]) -> None:
    """A companion key without the key it goes with is an error: it would be ignored."""
    for key in companions:
        if key in table.data:
            raise table.fail(key, f"goes with {owner}, which is not set")
