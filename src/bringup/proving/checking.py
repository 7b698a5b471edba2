"""Live checks for many services at once: a report takes about as long as its slowest check.

A check of a service that answers takes well under a millisecond, and starting a thread costs
more than that, so the checks are not each given a thread up front. The services whose checks
are plain connects are checked first in one round: every connect, then one read of the
kernel's listeners to prove whose each was. The others, and any that failed in the round, are
taken in turn by one worker, and another joins whenever the workers wait (a check of a service
that does not answer uses no CPU while it waits, where a first check that imports its modules
uses it all), up to one per service that waits."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

from bringup.checks import Outcome, Probe, connects, healthy, process, run_all, tcp
from bringup.checks.tcp import TcpSpec
from bringup.core.context import Context
from bringup.core.service import Service

TIMEOUT = 1.0
STALLED = 0.005  # seconds without a finished check, the workers waiting, before another joins
WORKERS = 32

T = TypeVar("T")
R = TypeVar("R")


def check_all(ctx: Context, names: list[str]) -> dict[str, list[Outcome]]:
    """check_one of each. Those whose checks are plain connects are made first, in one round
    given QUICK each; any of them that fails that way is checked again by check_one with the
    whole timeout, with every other service, in turn."""
    recipes = ctx.workspace.recipes
    services = [Service(ctx, recipes[name]) for name in names]
    plain = [service for service in services if plain_connects(service)]
    found = dict(zip((service.name for service in plain), in_round(plain, timeout=QUICK),
                     strict=True))
    again = [service for service in services if not healthy(found.get(service.name, []))]
    found |= zip((service.name for service in again), in_turn(check_one, again), strict=True)
    return {name: found[name] for name in names}


def in_turn(work: Callable[[T], R], items: Sequence[T], *, stalled: float = STALLED,
            most: int = WORKERS) -> list[R]:
    """`work` of each item, in their order: taken in turn by one worker thread, joined by
    another each time `stalled` seconds pass with none finished and the process mostly idle
    (its workers wait), up to `most`. The caller looks at their progress only that often:
    told of each result, it would take the interpreter's lock from the worker fifty times for
    fifty checks."""
    results: dict[int, R] = {}
    failures: list[BaseException] = []
    taken = iter(range(len(items)))
    lock, over = threading.Lock(), threading.Event()

    def worker() -> None:
        while not failures:
            with lock:
                index = next(taken, None)
            if index is None:
                return
            try:
                results[index] = work(items[index])
            except BaseException as error:  # noqa: BLE001  (raised again in the caller)
                failures.append(error)
            if failures or len(results) == len(items):
                over.set()

    workers: list[threading.Thread] = []
    seen, used = 0, time.process_time()
    while len(results) < len(items) and not failures:
        waiting = len(results) == seen and time.process_time() - used < stalled / 2
        if not workers or (waiting and len(workers) < min(most, len(items) - seen)):
            workers.append(threading.Thread(target=worker, daemon=True))
            workers[-1].start()
        seen, used = len(results), time.process_time()
        over.wait(stalled)
    for thread in workers:
        thread.join()
    if failures:
        raise failures[0]
    return [results[index] for index in range(len(items))]


def check_one(service: Service, *, timeout: float = TIMEOUT) -> list[Outcome]:
    """What is true now: the recipe's checks, and the process when bringup knows one; for a
    running service that comes after others, whether it holds a connection to them (evidence,
    unless its recipe asks for it)."""
    if service.recipe.oneshot:
        return []
    probe = service.probe(timeout=timeout)
    return _with_connections(service, probe, run_all(service.recipe.verify, probe))


QUICK = 0.05  # how long a connect of a round may take (a local one takes microseconds)


def plain_connects(service: Service) -> bool:
    """Are its checks a plain connect each (beside its process)? Those are made in a round."""
    recipe = service.recipe
    return not recipe.oneshot and all(
        isinstance(spec, TcpSpec) and spec.send is None and spec.expect is None
        for spec in recipe.verify.checks.values())


def in_round(services: Sequence[Service], *, timeout: float) -> list[list[Outcome]]:
    """check_one of services whose checks are plain connects, made as one round: every
    connect first, one after another, then the listeners on the ports they reached read from
    the kernel once, after the last of them (ports.Listening), to prove whose each one was."""
    from bringup.processes.ports import Listening  # the socket table: checks only

    probes = [service.probe(timeout=timeout) for service in services]
    made = [[(spec, tcp.connect(spec, timeout)) for spec in service.recipe.verify.checks.values()
             if isinstance(spec, TcpSpec)] for service in services]
    listening = Listening({spec.address()[1] for connects in made
                           for spec, connected in connects if connected.ok})
    return [_with_connections(service, probe, [
        *([] if probe.external else [process.check(process.SPEC, probe)]),
        *(tcp.judged(spec, probe, connected, listening=listening) for spec, connected in connects),
    ]) for service, probe, connects in zip(services, probes, made, strict=True)]


def _with_connections(service: Service, probe: Probe, outcomes: list[Outcome]) -> list[Outcome]:
    """For a running service that comes after others, whether it holds a connection to them."""
    asked = "connects" in service.recipe.verify.checks
    if service.recipe.external or not service.recipe.after or asked or not outcomes[0].ok:
        return outcomes  # outcomes[0]: the process
    return outcomes + _connections(service.recipe.after, probe)


def _connections(after: tuple[str, ...], probe: Probe) -> list[Outcome]:
    """Which of the services it comes after it is seen connected to (none said: none seen)."""
    started = time.perf_counter()
    seen = connects.connected(after, probe)
    if not seen:
        return []
    detail = "; ".join(f"connected to {name}" for name in seen)
    return [Outcome("connects", ", ".join(seen), True, (time.perf_counter() - started) * 1000,
                    detail, advisory=True)]
