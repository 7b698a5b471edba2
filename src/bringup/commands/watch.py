"""`bringup watch`: keep proven services healthy. Each is checked every `interval`, the
services in parallel (plain connects in one round, made in turn by one thread); one whose
process exits is seen at its exit, not at its next check. One
that fails is restarted per its `restart` policy with a growing pause between tries, without
holding up the others; more than `max_restarts` within ten minutes and it counts as regressed.
State is written when something changes (a healthy stack costs no writes), so
`bringup report --json` is a live picture. A service log grown past its cap is rotated."""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from bringup import atomic
from bringup.checks import Outcome, healthy
from bringup.core import lifecycle
from bringup.core.context import Context
from bringup.core.service import Service
from bringup.errors import LockedError
from bringup.processes import supervisor
from bringup.proving import checking, failure, findings
from bringup.stages import start, verify
from bringup.state import logs

WINDOW = 600.0
FIRST_PAUSE, LONGEST_PAUSE = 1.0, 60.0


LONGEST_SLEEP = 1.0  # the longest watch sleeps before it looks at `until` and beats again
ROTATE_EVERY = 30.0  # how often the logs of the services watched are looked at for their cap


@dataclass
class Watched:
    """What watch remembers of one service between checks."""

    service: Service
    due: float = 0.0
    pause: float = FIRST_PAUSE
    backing_off: bool = False  # a restart failed: the next try waits its pause, exit or not
    restarts: deque[float] = field(default_factory=deque)
    gave_up: bool = False
    busy: Future[None] | None = None  # the check or restart under way
    exit_pid: int | None = None  # the process whose exit watch is waiting for
    exit_fd: int | None = None  # ... through a pidfd, readable once it has exited
    restarted: int = 0  # restarts by this watch


@dataclass
class Pulse:
    """What a running watch shows to others (its page, its metrics, its health): when it
    began, when its loop last turned, and what it remembers of each service it watches."""

    began: float = field(default_factory=time.time)
    beat: float = field(default_factory=time.time)  # the loop's last turn (LONGEST_SLEEP)
    watched: dict[str, Watched] = field(default_factory=dict)

    def restarts(self) -> dict[str, int]:
        return {name: state.restarted for name, state in list(self.watched.items())}


def watch(ctx: Context, *, until: Callable[[], bool] = lambda: False,
          pulse: Pulse | None = None, ssot: Path | None = None) -> None:
    """Watch until `until` says stop; `pulse` is kept current for others to read, and `ssot`
    (a file) is given the JSON report whenever it changes, at most once an interval."""
    pulse = pulse or Pulse()
    watched = pulse.watched
    exits = selectors.DefaultSelector()
    pool = Workers(exits)
    look = 0.0  # when the services are next gone through: the first one due, or an exit
    rotate, limit = 0.0, logs.cap()
    kept = Kept(ctx, ssot) if ssot is not None else None
    try:
        while not until():
            now, pulse.beat = ctx.clock(), time.time()
            if now >= look:
                _go_through(ctx, watched, exits, pool, now)
                look = _next_look(watched, now)
            if kept is not None and now >= kept.due:
                kept.write(now, every=_shortest_interval(watched))
            if now >= rotate:
                for name in watched:
                    logs.rotate(ctx.workspace.log_path(name), limit)
                rotate = now + ROTATE_EVERY
            for key, _ in exits.select(max(0.0, min(look - now, LONGEST_SLEEP))):
                if key.data is None:  # a check or a restart finished: its service is due
                    pool.woken()
                    look = ctx.clock()
                    continue
                state = key.data
                _unfollow(exits, state)
                if not state.backing_off:
                    state.due = look = ctx.clock()  # it exited: tend it now, not at its check
    finally:
        pool.shutdown()
        for state in watched.values():
            _unfollow(exits, state)
        exits.close()


class Workers:
    """The threads checks and restarts run in; each piece of work that finishes wakes the loop
    (through a pipe it selects on with the exits), so the loop sleeps until there is something
    to do rather than looking every tick whether a check is done."""

    def __init__(self, selector: selectors.BaseSelector) -> None:
        self._pool = ThreadPoolExecutor(max_workers=64, thread_name_prefix="watch")
        self._read, self._write = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
        self._selector = selector
        selector.register(self._read, selectors.EVENT_READ, None)

    def submit(self, work: Callable[..., None], *args: object) -> Future[None]:
        future = self._pool.submit(work, *args)
        future.add_done_callback(self._wake)
        return future

    def _wake(self, _: Future[None]) -> None:
        with contextlib.suppress(BlockingIOError, OSError):  # a full pipe wakes it already
            os.write(self._write, b".")

    def woken(self) -> None:
        with contextlib.suppress(BlockingIOError):
            while os.read(self._read, 4096):
                pass

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._selector.unregister(self._read)
        os.close(self._read)
        os.close(self._write)


def _shortest_interval(watched: dict[str, Watched]) -> float:
    return min((state.service.recipe.verify.interval for state in watched.values()),
               default=1.0)


class Kept:
    """The JSON report kept in a file for a dashboard that reads one: replaced whole (a
    reader never sees half of it) when anything in it but its time changed."""

    def __init__(self, ctx: Context, file: Path) -> None:
        self.ctx, self.file, self.due, self._last = ctx, file, 0.0, ""

    def write(self, now: float, *, every: float) -> None:
        from bringup.commands.report import build

        self.due = now + every
        data = build(self.ctx, check=False)
        same = json.dumps({**data, "generated_at": None})
        if same == self._last:
            return
        atomic.write_text(self.file, json.dumps(data, indent=2) + "\n", mode=0o644)  # for readers
        self._last = same


def _go_through(ctx: Context, watched: dict[str, Watched], exits: selectors.BaseSelector,
                pool: Workers, now: float) -> None:
    """Start the check of each service that is due. Those due together stay in step (each is
    next due an interval after this round, not after its own check ran), so a healthy stack
    wakes watch once an interval, not once a service. The connects of a round are made one
    after another by one thread (twenty threads at once cost more in switching than in
    checking); every other check, and every restart, has a thread of its own."""
    ctx.refresh()  # what other bringups did since: a service `down` stopped is not watched
    names, connects = _proven(ctx), []
    for name in names:
        state = watched.get(name) or watched.setdefault(
            name, Watched(Service(ctx, ctx.workspace.recipes[name])))
        if state.gave_up and state.service.entry.status == "proven":  # started again since
            state.gave_up, state.restarts = False, deque()
        _follow_exit(exits, state)
        if state.busy is not None and state.busy.done():
            finished: Future[None] = state.busy
            state.busy = None
            finished.result()  # a bug in a check ends watch, as it would in the loop
        if state.busy is None and not state.gave_up and now >= state.due:
            state.due = now + state.service.recipe.verify.interval
            if checking.plain_connects(state.service):
                connects.append(state)
            else:
                state.busy = pool.submit(tend, state.service, state)
    if connects:
        batch = pool.submit(_connect_round, connects, pool)
        for state in connects:
            state.busy = batch
    for name in watched.keys() - set(names):  # stopped, or no longer proven: forgotten
        _unfollow(exits, watched.pop(name))


def _connect_round(states: list[Watched], pool: Workers) -> None:
    """The services' connects as one round (checking.in_round), each given QUICK to answer.
    One that fails or is slow is handed to a thread of its own, to be checked again with the
    whole timeout and restarted there, so that it holds up no other."""
    rounds = checking.in_round([state.service for state in states], timeout=checking.QUICK)
    for state, outcomes in zip(states, rounds, strict=True):
        if healthy(outcomes) and state.service.entry.status == "proven":
            _healthy(state.service, state, outcomes)
        else:  # set before the round's future is done: watch never sees this one idle
            state.busy = pool.submit(tend, state.service, state)


def _next_look(watched: dict[str, Watched], now: float) -> float:
    """The first time a service is due that is not being checked: one being checked is looked
    at when its check is done (its work wakes the loop)."""
    times = (state.due for state in watched.values()
             if not state.gave_up and state.busy is None)
    return min(times, default=now + LONGEST_SLEEP)


def _follow_exit(exits: selectors.BaseSelector, state: Watched) -> None:
    """Wait for the exit of the service's process (its pid and start time as recorded)
    through a pidfd. Where the system has none, the checks alone notice an exit."""
    entry = state.service.entry
    if entry.pid == state.exit_pid and (entry.pid is None or entry.create_time is not None):
        return
    handle = entry.handle
    _unfollow(exits, state)
    if handle is None or not hasattr(os, "pidfd_open"):
        return
    try:
        fd = os.pidfd_open(handle.pid)
    except OSError:  # gone already: the next check finds it so
        return
    if not supervisor.alive(handle):  # the pid names another process now: not ours to watch
        os.close(fd)
        return
    state.exit_pid, state.exit_fd = handle.pid, fd
    exits.register(fd, selectors.EVENT_READ, state)


def _unfollow(exits: selectors.BaseSelector, state: Watched) -> None:
    fd, state.exit_pid, state.exit_fd = state.exit_fd, None, None  # never closed twice
    if fd is not None:
        with contextlib.suppress(KeyError, ValueError):
            exits.unregister(fd)
        os.close(fd)


WATCHED = ("proven", "regressed")


def _proven(ctx: Context) -> list[str]:
    return [name for name in ctx.workspace.recipes if ctx.state.of(name).status in WATCHED]


def tend(service: Service, state: Watched) -> None:
    """Check once; restart what failed when its policy says so. What it decides, it decides
    holding state/, and only when no other bringup has acted on the service since the check
    (a `down` that stopped it, a `restart`): another bringup busy with state/ for long means
    this check's verdict waits for the next one."""
    checked = service.entry.handle
    outcomes = checking.check_one(service)
    if (healthy(outcomes) or service.recipe.oneshot) and service.entry.status == "proven":
        _healthy(service, state, outcomes)
        return
    try:
        with service.ctx.holding():
            if service.entry.handle == checked and service.entry.status in WATCHED:
                _decide(service, state, outcomes)
    except LockedError:
        return


def _decide(service: Service, state: Watched, outcomes: list[Outcome]) -> None:
    ctx, recipe = service.ctx, service.recipe
    if healthy(outcomes) or recipe.oneshot:
        _healthy(service, state, outcomes)
        return
    failing = "; ".join(o.describe() for o in outcomes if not o.ok and not o.advisory)
    exited = service.running.exit_status() if service.running else None
    if recipe.restart == "on-failure" and exited == 0:
        lifecycle.stopped(ctx, service.name, why="exited 0", reason=(
            f"exited with status 0 (restart = \"on-failure\" restarts failures only); "
            f"`bringup up {service.name}` starts it again"))
        ctx.out.step("watch", f"{service.name}: exited with status 0; not restarted", True)
        return
    if recipe.external:  # only checked: proven again once it answers again
        lifecycle.regressed(ctx, service.name, f"watch: {failing}", findings=[
            finding.to_json() for finding in findings.of_checks(service, outcomes)])
        return
    lifecycle.regressed(ctx, service.name, f"watch: {failing}")
    if recipe.restart == "no" or not _restart_allowed(service, state):
        return
    _restart(service, state, failing)


def _healthy(service: Service, state: Watched, outcomes: list[Outcome]) -> None:
    ctx = service.ctx
    if service.entry.status != "proven":
        lifecycle.proven(ctx, service.name, evidence=[o.to_json() for o in outcomes],
                         why="watch: healthy again", again=True)
    lifecycle.observed(ctx, service.name, [o.to_json() for o in outcomes])  # in memory
    state.pause, state.backing_off = FIRST_PAUSE, False


def _restart_allowed(service: Service, state: Watched) -> bool:
    now = service.ctx.clock()
    while state.restarts and now - state.restarts[0] > WINDOW:
        state.restarts.popleft()
    if len(state.restarts) < service.recipe.max_restarts:
        return True
    state.gave_up = True
    reason = (f"restarted {len(state.restarts)} times within 10 minutes "
              f"(max_restarts {service.recipe.max_restarts}); watch gave up")
    lifecycle.regressed(service.ctx, service.name, reason)
    service.ctx.out.step("watch", f"{service.name}: {reason}", False)
    return False


def _restart(service: Service, state: Watched, failing: str) -> None:
    ctx = service.ctx
    ctx.out.step("watch", f"{service.name}: {failing}; restarting", False)
    handle = service.entry.handle
    if handle is not None:
        supervisor.stop(handle, grace=service.recipe.stop_grace, tag=service.tag)
        lifecycle.replaced(ctx, service.name, why="watch: restart", pid=handle.pid)
    state.restarts.append(ctx.clock())
    state.restarted += 1
    ctx.journal("restart", service.name, why=failing, within_window=len(state.restarts))
    problem = start.launch(service)
    verdict = verify.act(service) if problem is None else None
    if verdict is not None and verdict.ok:
        lifecycle.proven(ctx, service.name, evidence=[o.to_json() for o in verdict.outcomes],
                         why="watch: restarted", again=True)
        ctx.out.step("watch", f"{service.name}: back up (pid {service.entry.pid})", True)
        state.backing_off = False
        return
    if verdict is not None:
        failure.record(service, verify.NAME, verdict)
    state.due, state.backing_off = ctx.clock() + state.pause, True
    state.pause = min(state.pause * 2, LONGEST_PAUSE)
