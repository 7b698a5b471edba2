"""Live checks for many services at once: a report takes about as long as its slowest check."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from bringup.checks import Outcome, run_all
from bringup.core.context import Context
from bringup.core.service import Service

TIMEOUT = 1.0


def check_all(ctx: Context, names: list[str]) -> dict[str, list[Outcome]]:
    if not names:
        return {}
    recipes = ctx.workspace.recipes
    services = [Service(ctx, recipes[name]) for name in names]
    with ThreadPoolExecutor(max_workers=min(32, len(services))) as pool:
        results = pool.map(check_one, services)
        return dict(zip(names, results, strict=True))


def check_one(service: Service) -> list[Outcome]:
    """What is true now: the recipe's checks, and the process when bringup knows one."""
    if service.recipe.oneshot:
        return []
    return run_all(service.recipe.verify, service.probe(timeout=TIMEOUT))


def healthy(outcomes: list[Outcome]) -> bool:
    return bool(outcomes) and all(outcome.ok for outcome in outcomes)
