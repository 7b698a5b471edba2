"""What every stage is: the Protocol a stage module follows, and the verdict of its act."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from bringup.checks import Outcome
from bringup.core.problems import Problem
from bringup.core.service import Service
from bringup.diagnosis import Finding
from bringup.recipe.model import Recipe
from bringup.state.model import StageName


@dataclass
class Verdict:
    """What a stage's act did: `reason` says it, whether it passed or not."""

    ok: bool
    reason: str = ""
    outcomes: list[Outcome] = field(default_factory=list)
    exit_status: int | None = None
    findings: list[Finding] = field(default_factory=list)  # what the stage saw for itself


PASSED = Verdict(True)


class Stage(Protocol):
    """A stage module. The walk checks it (offering the fixes for what is wrong), then lets it
    act; a stage passes only when its check passes again after the fixes."""

    NAME: StageName
    STARTS: bool  # it starts the process: where a stage whose process is gone goes back to
    WATCHES: bool  # it watches the running process: its failure is read from the service's log

    def applies(self, recipe: Recipe) -> bool: ...

    def describe(self, service: Service) -> list[str]: ...  # what it would check (--dry-run)

    def check(self, service: Service) -> list[Problem] | None: ...  # None: nothing to check

    def passed(self, service: Service) -> str: ...  # said when its check passes at once

    def act(self, service: Service) -> Verdict: ...


# What most stages say for the members they have nothing special to do in.
def always(recipe: Recipe) -> bool:
    return True


def nothing_to_check(service: Service) -> list[Problem] | None:
    return None


def ok(service: Service) -> str:
    return "ok"


def nothing_to_do(service: Service) -> Verdict:
    return PASSED
