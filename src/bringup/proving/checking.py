"""Live checks for many services at once: a report takes about as long as its slowest check."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from bringup.checks import Outcome, Probe, connects, run_all
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


def check_one(service: Service, *, timeout: float = TIMEOUT) -> list[Outcome]:
    """What is true now: the recipe's checks, and the process when bringup knows one; for a
    running service that comes after others, whether it holds a connection to them (evidence,
    unless its recipe asks for it)."""
    if service.recipe.oneshot:
        return []
    probe = service.probe(timeout=timeout)
    outcomes = run_all(service.recipe.verify, probe)
    asked = "connects" in service.recipe.verify.checks
    if service.recipe.external or not service.recipe.after or asked:
        return outcomes
    if outcomes[0].ok:  # outcomes[0]: the process
        outcomes += _connections(service.recipe.after, probe)
    return outcomes


def _connections(after: tuple[str, ...], probe: Probe) -> list[Outcome]:
    """Which of the services it comes after it is seen connected to (none said: none seen)."""
    started = time.perf_counter()
    seen = connects.connected(after, probe)
    if not seen:
        return []
    detail = "; ".join(f"connected to {name}" for name in seen)
    return [Outcome("connects", ", ".join(seen), True, (time.perf_counter() - started) * 1000,
                    detail, advisory=True)]
