"""The six stages, in one ordered registry. needs, paths and permissions check what the service
needs and offer fixes; start checks the port and starts the process; verify and stable watch it.

The registry is filled at its first use: `up` and `watch` import start and verify alone, and
leave the wizard's stages (and the remedies they offer) unread."""

from __future__ import annotations

import importlib
from functools import cache
from typing import TYPE_CHECKING, cast

from bringup.stages.base import Stage, Verdict
from bringup.state.model import STAGE_NAMES, StageName

if TYPE_CHECKING:  # each module is a Stage: the type checker still proves it
    from bringup.stages import needs, paths, permissions, stable, start, verify

    _TYPED: tuple[Stage, ...] = (needs, paths, permissions, start, verify, stable)


@cache
def registry() -> dict[StageName, Stage]:
    """Each stored stage's module, in the stored order."""
    return {name: cast(Stage, importlib.import_module(f"bringup.stages.{name}"))
            for name in STAGE_NAMES}


__all__ = ["Stage", "Verdict", "earliest", "from_stage", "named", "registry", "starting"]


def from_stage(name: StageName) -> list[Stage]:
    """The stages from `name` to the end, in order."""
    return list(registry().values())[STAGE_NAMES.index(name):]


def starting() -> StageName:
    """The stage that starts the process: where a stage whose process is gone goes back to."""
    return next(stage.NAME for stage in registry().values() if stage.STARTS)


def earliest(*names: StageName) -> StageName:
    return min(names, key=STAGE_NAMES.index)


def named(text: str) -> StageName:
    """The stage a finding names (diagnosis knows stages by name only)."""
    for name in STAGE_NAMES:
        if name == text:
            return name
    raise ValueError(f"no stage named {text!r}")
