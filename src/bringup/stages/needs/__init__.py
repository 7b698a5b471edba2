"""Stage needs: what the service needs installed or set before it can start. One module per
need kind, in one registry; the recipe reader knows each kind's keys (bringup.recipe.read)."""

from __future__ import annotations

from typing import Protocol

from bringup.core.problems import Problem
from bringup.core.service import Service
from bringup.recipe.model import Need
from bringup.stages.base import always, nothing_to_do, ok
from bringup.stages.needs import binary, env, host, npm, python
from bringup.state.model import StageName


class NeedKind(Protocol):
    """A need module: is the need met, and if not, what is wrong and how to fix it."""

    def check(self, service: Service, need: Need) -> Problem | None: ...


KINDS: dict[str, NeedKind] = {
    "binary": binary,
    "python": python,
    "npm": npm,
    "env": env,
    "host": host,
}

NAME: StageName = "needs"
STARTS = WATCHES = False
applies, passed, act = always, ok, nothing_to_do


def describe(service: Service) -> list[str]:
    return [need.label for need in service.recipe.needs]


def check(service: Service) -> list[Problem]:
    found = (KINDS[need.kind].check(service, need) for need in service.recipe.needs)
    return [problem for problem in found if problem is not None]
