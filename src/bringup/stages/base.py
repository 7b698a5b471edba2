"""What the check stages share: a problem found, and the fixes offered for it."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bringup.service import Service

# A fix returns None when it did its work, or one sentence saying why it could not.
Apply = Callable[[Service], "str | None"]


@dataclass(frozen=True)
class Fix:
    label: str
    apply: Apply
    command: str | None = None


@dataclass(frozen=True)
class Problem:
    """What is wrong; `fixes` are offered best first; `hint` is for what only the user can do."""

    subject: str
    message: str
    fixes: tuple[Fix, ...] = ()
    hint: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


def fingerprint(*files: Path) -> str:
    digest = hashlib.sha256()
    for file in files:
        if file.is_file():
            digest.update(file.name.encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def shell_fix(label: str, command: str, *, as_service: bool = False) -> Fix:
    """A fix that is one shown command in the service's folder."""

    def apply(service: Service) -> str | None:
        result = service.shell(command, as_service=as_service)
        return None if result.ok else f"`{command}` exited with status {result.code}"

    return Fix(label, apply, command)
