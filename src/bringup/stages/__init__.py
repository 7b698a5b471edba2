"""The six stages, in one ordered registry. needs, paths and permissions check what the service
needs and offer fixes; start checks the port and starts the process; verify and stable watch it."""

from __future__ import annotations

from bringup.stages import needs, paths, permissions, stable, start, verify
from bringup.stages.base import Stage, Verdict
from bringup.state.model import STAGE_NAMES, StageName

STAGES: dict[StageName, Stage] = {
    "needs": needs,
    "paths": paths,
    "permissions": permissions,
    "start": start,
    "verify": verify,
    "stable": stable,
}
assert tuple(STAGES) == STAGE_NAMES, "the registry implements the stored stages, in their order"

__all__ = ["STAGES", "Stage", "Verdict", "earliest", "from_stage", "named", "starting"]


def from_stage(name: StageName) -> list[Stage]:
    """The stages from `name` to the end, in order."""
    return list(STAGES.values())[STAGE_NAMES.index(name):]


def starting() -> StageName:
    """The stage that starts the process: where a stage whose process is gone goes back to."""
    return next(stage.NAME for stage in STAGES.values() if stage.STARTS)


def earliest(*names: StageName) -> StageName:
    return min(names, key=STAGE_NAMES.index)


def named(text: str) -> StageName:
    """The stage a finding names (diagnosis knows stages by name only)."""
    for name in STAGE_NAMES:
        if name == text:
            return name
    raise ValueError(f"no stage named {text!r}")
