"""What a stage's check finds wrong, and the fixes offered for it. A finding read from a log
becomes a problem of the same shape, so one module (bringup.proving.fixing) offers them all."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bringup.core.service import Service

# A fix returns None when it did its work, or one sentence saying why it could not.
Apply = Callable[["Service"], "str | None"]


@dataclass(frozen=True)
class Fix:
    label: str
    apply: Apply
    command: str | None = None  # the command it runs, shown before it is offered


@dataclass(frozen=True)
class Problem:
    """What is wrong; `fixes` are offered best first; `hint` is for what only the user can do."""

    subject: str
    message: str
    fixes: tuple[Fix, ...] = ()
    hint: str | None = None
    finding: str | None = None  # the kind of the finding it comes from, when a log said it
