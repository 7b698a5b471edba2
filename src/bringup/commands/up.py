"""`bringup up`: start proven services in dependency order, the independent ones at the same
time, each verified; no questions. A service that fails keeps the ones after it down."""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass, field
from graphlib import TopologicalSorter

from bringup.checks import healthy
from bringup.core import lifecycle
from bringup.core.context import Context
from bringup.core.service import Service
from bringup.processes import ports, supervisor
from bringup.proving import checking
from bringup.stages import start, verify

STARTABLE = ("proven", "regressed", "stopped")  # what `up` starts: services proven before


@dataclass
class UpResult:
    up: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    left: dict[str, str] = field(default_factory=dict)


def wanted(ctx: Context, names: tuple[str, ...]) -> list[str]:
    """The named services and everything they come after, in dependency order (all if none)."""
    recipes = ctx.workspace.recipes
    chosen = set(names or recipes)
    todo = list(chosen)
    while todo:
        for other in ctx.workspace.recipe(todo.pop()).after:
            if other not in chosen:
                chosen.add(other)
                todo.append(other)
    return [name for name in recipes if name in chosen]


def up(ctx: Context, names: tuple[str, ...]) -> UpResult:
    """Each service starts the moment the services it comes `after` are verified, not when a
    whole level above it is: a service waits for its own dependencies and nothing else."""
    result = UpResult()
    order = wanted(ctx, names)
    recipes = ctx.workspace.recipes
    for name in order:
        if ctx.state.of(name).status not in STARTABLE:
            result.left[name] = "not proven yet: bring it up with `bringup next` first"
    graph = TopologicalSorter({name: recipes[name].after for name in order})
    graph.prepare()
    with _Starting(ctx) as starting:
        while graph.is_active():
            for name in graph.get_ready():
                if name in result.left:
                    graph.done(name)
                elif any(dep in result.failed or dep in result.left
                         for dep in recipes[name].after):
                    result.left[name] = "an earlier service did not come up"
                    graph.done(name)
                else:
                    starting.start(name)
            if not starting.pending:
                continue  # what was skipped may have made others ready
            name, problem = starting.next_done()
            if problem is None:
                result.up.append(name)
            else:
                result.failed[name] = problem
            graph.done(name)
    rank = {name: i for i, name in enumerate(order)}
    result.up.sort(key=rank.__getitem__)  # in dependency order, whichever answered first
    return result


class _Starting:
    """Each service brought up in a thread of its own, none waiting for a free worker; the
    results in the order they finish. Leaving waits for every thread."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self._finished: queue.SimpleQueue[tuple[str, str | None, BaseException | None]] = \
            queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self.pending = 0

    def start(self, name: str) -> None:
        thread = threading.Thread(target=self._bring_up, args=(name,), name=f"up {name}")
        self._threads.append(thread)
        thread.start()
        self.pending += 1

    def _bring_up(self, name: str) -> None:
        try:
            self._finished.put((name, bring_up(self._ctx, name), None))
        except BaseException as error:  # noqa: BLE001 - raised again in the thread that waits
            self._finished.put((name, None, error))

    def next_done(self) -> tuple[str, str | None]:
        """The next service to finish and its problem (None: it is up)."""
        name, problem, error = self._finished.get()
        self.pending -= 1
        if error is not None:
            raise error
        return name, problem

    def __enter__(self) -> _Starting:
        return self

    def __exit__(self, *_: object) -> None:
        for thread in self._threads:
            thread.join()


def bring_up(ctx: Context, name: str) -> str | None:
    """Start one proven service (unless it already runs and answers) and verify it."""
    service = Service(ctx, ctx.workspace.recipes[name])
    if service.recipe.external:
        return _answers(service)
    service.find_again()
    handle = service.entry.handle
    if handle is not None and supervisor.alive(handle):
        changed = service.stale()
        outcomes = [] if changed else checking.check_one(service)
        if not changed and healthy(outcomes):
            if service.entry.status != "proven":  # regressed, or just found again: it answers
                lifecycle.proven(ctx, name, evidence=[o.to_json() for o in outcomes],
                                 why="up: already running", again=True)
            ctx.out.step("up", f"{name}: already running (pid {handle.pid})", True)
            return None
        why = f"its {', '.join(changed)} changed" if changed else "not answering"
        ctx.out.step("up", f"{name}: restarting (pid {handle.pid}): {why}", None)
        supervisor.stop(handle, grace=service.recipe.stop_grace, tag=service.tag)
        lifecycle.replaced(ctx, name, why=f"up: {why}", pid=handle.pid)
    port = service.recipe.port
    if port is not None and ports.in_use(port):
        from bringup.remedies.facts import port_held  # what failing needs is imported on failure

        return port_held(ctx, port, ports.holder(port))
    problem = start.launch(service)
    if problem is not None:
        return problem
    verdict = verify.act(service)
    if not verdict.ok:
        from bringup.proving import failure  # the diagnosis with it: 15 ms a healthy up saves

        failure.record(service, verify.NAME, verdict)
        return verdict.reason
    lifecycle.proven(ctx, name, evidence=[o.to_json() for o in verdict.outcomes], why="up",
                     again=True)
    ctx.out.step("up", f"{name}: pid {service.entry.pid}, {verdict.reason}", True)
    return None


def _answers(service: Service) -> str | None:
    """An external service is not started: it is checked, and what comes after it waits for
    it to answer (up to its startup_timeout, as a start would)."""
    verdict = verify.act(service)
    ctx, name = service.ctx, service.name
    if not verdict.ok:
        from bringup.proving import findings

        found = findings.of_checks(service, verdict.outcomes)
        lifecycle.regressed(ctx, name, f"external: {verdict.reason}",
                            findings=[finding.to_json() for finding in found])
        return verdict.reason
    lifecycle.proven(ctx, name, evidence=[o.to_json() for o in verdict.outcomes],
                     why="up: external, answering", again=True)
    ctx.out.step("up", f"{name}: external, {verdict.reason}", True)
    return None
