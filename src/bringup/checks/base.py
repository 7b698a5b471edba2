"""What every check kind shares: the probe it is given and the outcome it returns."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import httpx

    from bringup.recipe import Verify
    from bringup.supervisor import Handle


@dataclass(frozen=True)
class Outcome:
    """One check, once: expected failure is a value, never an exception."""

    kind: str
    target: str
    ok: bool
    ms: float
    detail: str

    def describe(self) -> str:
        """One phrase for messages: `tcp 127.0.0.1:6379 refused`, `process not running`."""
        if self.kind == "process":
            return f"process {self.detail}"
        return f"{self.kind} {self.target} {self.detail}"

    def host(self) -> str:
        """The host a tcp or http check reached ("" for the other kinds)."""
        from urllib.parse import urlsplit

        if self.kind == "tcp":
            return self.target.rpartition(":")[0].strip("[]") or "127.0.0.1"
        if self.kind == "http":
            try:
                return urlsplit(self.target).hostname or ""
            except ValueError:
                return ""
        return ""

    def port(self) -> int | None:
        """The port a tcp or http check reached."""
        from urllib.parse import urlsplit

        if self.kind == "tcp":
            number = self.target.rpartition(":")[2]
            return int(number) if number.isdigit() else None
        if self.kind == "http":
            try:
                parts = urlsplit(self.target)
                return parts.port or (443 if parts.scheme == "https" else 80)
            except ValueError:
                return None
        return None

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "target": self.target, "ok": self.ok,
                "ms": round(self.ms, 1), "detail": self.detail}


@dataclass(frozen=True)
class Probe:
    """Everything a check may look at for one service."""

    verify: Verify
    cwd: Path
    env: Mapping[str, str]
    log_path: Path
    log_offset: int = 0
    handle: Handle | None = None
    timeout: float = 1.0
    http_client: Callable[[], httpx.Client] | None = None


class CheckKind(Protocol):
    """A check module: the [verify] keys it owns, whether a recipe asks for it, and the probe."""

    KEYS: Mapping[str, tuple[type, ...]]

    def wanted(self, probe: Probe) -> bool: ...

    def target(self, probe: Probe) -> str: ...

    def run(self, probe: Probe) -> Outcome: ...
