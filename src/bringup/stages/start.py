"""Stage start: the port is free (or held by bringup's own earlier instance), then the service
starts detached, in its own process group, with its output in state/logs/NAME.log."""

from __future__ import annotations

import time

from bringup import ports, relocate, supervisor
from bringup.enrich import bringup_service_holding
from bringup.service import Service
from bringup.stages.base import Fix, Problem
from bringup.state import now_iso

NAME = "start"


def check(service: Service) -> list[Problem]:
    handle = service.entry.handle
    if handle is not None and supervisor.alive(handle):
        return [] if service.adopted else [_own(service, f"pid {handle.pid}")]
    port = service.recipe.port
    if port is None or not ports.in_use(port):
        return []
    holder = ports.holder(port)
    if holder and handle and any(p.pid == holder.pid for p in supervisor.group_members(handle)):
        return [] if service.adopted else [_own(service, holder.describe())]
    who = holder.describe() if holder else "a process bringup cannot see (another user's?)"
    other = bringup_service_holding(service.ctx, holder.pid) if holder else None
    whose = f"bringup's own {other}" if other else "which bringup did not start"
    return [Problem(str(port), f"port {port} is held by {who}, {whose}",
                    fixes=(Fix(f"use another free port (updates {service.recipe.file.name} and "
                               "the env of the services that reach it)",
                               _move_port),
                           Fix(f"wait for port {port} to be free", _wait_free)),
                    hint="bringup never stops a process it did not start")]


def describe(service: Service) -> list[str]:
    port = f" on port {service.recipe.port}" if service.recipe.port else ""
    return [f"run `{service.recipe.command_text()}`{port}"]


def _own(service: Service, who: str) -> Problem:
    adopt = Fix("adopt it: keep it running and verify it", _adopt)
    restart = Fix("restart it", _restart)
    broken = service.entry.status in ("regressed", "failed")
    fixes = (restart, adopt) if broken else (adopt, restart)
    return Problem(service.name, f"bringup's own earlier instance of {service.name} is running "
                                 f"({who})", fixes=fixes)


def _adopt(service: Service) -> str | None:
    service.adopted = True
    return None


def _restart(service: Service) -> str | None:
    handle = service.entry.handle
    if handle is not None:
        supervisor.stop(handle, grace=service.recipe.stop_grace)
        service.ctx.journal("stop", service.name, pid=handle.pid, why="restart")
    service.entry.forget_process()
    return None


def _move_port(service: Service) -> str | None:
    return relocate.move(service)


def _wait_free(service: Service) -> str | None:
    port = service.recipe.port
    assert port is not None
    limit = max(service.recipe.verify.startup_timeout, 5.0)
    deadline = time.monotonic() + limit
    service.ctx.out.detail(f"waiting up to {limit:g} s for port {port} to be free …")
    while time.monotonic() < deadline:
        if not ports.in_use(port):
            return None
        time.sleep(0.2)
    return f"port {port} is still held after {limit:g} s"


def launch(service: Service) -> str | None:
    """Start the service and record who it is before anything else can go wrong."""
    ctx, entry, recipe = service.ctx, service.entry, service.recipe
    log_path = ctx.workspace.log_path(service.name)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("ab") as log:
        log.write(f"=== bringup start {now_iso()} attempt {entry.attempts + 1}: "
                  f"{recipe.command_text()} ===\n".encode())
    entry.log_offset = log_path.stat().st_size
    ctx.out.command(recipe.command_text(), where=recipe.cwd, user=service.user)
    try:
        service.running = supervisor.spawn(recipe.command, cwd=service.cwd, env=service.env(),
                                           log_path=log_path, user=service.user)
    except OSError as error:
        ctx.journal("start-failed", service.name, error=str(error))
        return f"cannot run {recipe.command_text()}: {error.strerror or error}"
    handle = service.running.handle
    entry.record(handle)
    entry.attempts += 1
    entry.port, entry.started_at, entry.exit_status = recipe.port, now_iso(), None
    entry.stopped_at = None
    ctx.save()
    ctx.journal("start", service.name, pid=handle.pid, attempt=entry.attempts,
                command=recipe.command_text())
    return None
