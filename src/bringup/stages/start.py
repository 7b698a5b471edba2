"""Stage start: the port is free (or held by bringup's own earlier instance), then the service
starts detached, in its own process group, with its output in state/logs/NAME.log."""

from __future__ import annotations

import time

from bringup.core import lifecycle
from bringup.core.problems import Fix, Problem
from bringup.core.service import Service
from bringup.processes import ports, supervisor, tags
from bringup.recipe.model import Recipe
from bringup.stages.base import Verdict
from bringup.state.journal import now_iso
from bringup.state.logs import cap, mark_start, rotate, size
from bringup.state.model import StageName

NAME: StageName = "start"
STARTS, WATCHES = True, False


def applies(recipe: Recipe) -> bool:
    """An external service is never started: it is only checked."""
    return not recipe.external


def describe(service: Service) -> list[str]:
    port = f" on port {service.recipe.port}" if service.recipe.port else ""
    return [f"run `{service.recipe.command_text()}`{port}"]


def check(service: Service) -> list[Problem]:
    service.find_again()
    handle = service.entry.handle
    if handle is not None and supervisor.alive(handle):
        return [] if service.adopted else [_own(service, f"pid {handle.pid}")]
    port = service.recipe.port
    if port is None or not ports.in_use(port):
        return []
    holder = ports.holder(port)
    ours = holder is not None and (
        (handle is not None and supervisor.belongs(handle, holder.pid))
        or (tags.tag_of(holder.pid) or "").startswith(service.tag))
    if holder is not None and ours:
        return [] if service.adopted else [_own(service, holder.describe())]
    from bringup.remedies import facts  # the remedies load when a port is taken

    return [Problem(str(port), facts.port_held(service.ctx, port, holder),
                    fixes=(Fix(f"use another free port (updates {service.recipe.file.name} and "
                               "the env of the services that reach it)", _move_port),
                           Fix(f"wait for port {port} to be free", _wait_free)),
                    hint="bringup never stops a process it did not start")]


def passed(service: Service) -> str:
    port = service.recipe.port
    return f"port {port} is free" if port else "nothing in the way"


def act(service: Service) -> Verdict:
    """Start it, unless the walk adopted bringup's own earlier instance."""
    if service.adopted:
        return Verdict(True, f"adopted: pid {service.entry.pid}")
    failure = launch(service)
    if failure is not None:
        return Verdict(False, failure)
    return Verdict(True, f"started: pid {service.entry.pid}")


def _own(service: Service, who: str) -> Problem:
    """Adopting it is recommended only when it runs what the recipe says now and was well."""
    adopt = Fix("adopt it: keep it running and verify it", _adopt)
    restart = Fix("restart it", _restart)
    changed = service.stale()
    broken = service.entry.status in ("regressed", "failed")
    fixes = (restart, adopt) if broken or changed else (adopt, restart)
    since = f"; started before its {', '.join(changed)} changed" if changed else ""
    return Problem(service.name, f"bringup's own earlier instance of {service.name} is running "
                                 f"({who}{since})", fixes=fixes)


def _adopt(service: Service) -> str | None:
    service.adopted = True
    return None


def _restart(service: Service) -> str | None:
    handle = service.entry.handle
    supervisor.stop(handle, grace=service.recipe.stop_grace, tag=service.tag)
    lifecycle.replaced(service.ctx, service.name, why="restart",
                       pid=handle.pid if handle else None)
    return None


def _move_port(service: Service) -> str | None:
    from bringup.remedies import moving

    return moving.move(service)


def _wait_free(service: Service) -> str | None:
    port = service.recipe.port
    assert port is not None
    limit = max(service.recipe.verify.startup_timeout, 5.0)
    deadline = time.monotonic() + limit
    service.ctx.out.detail(f"waiting up to {limit:g} s for port {port} to be free …")
    with service.ctx.out.progress(f"{service.name}: waiting for port {port} to be free"):
        while time.monotonic() < deadline:
            if not ports.in_use(port):
                return None
            time.sleep(0.2)
    return f"port {port} is still held after {limit:g} s"


def launch(service: Service) -> str | None:
    """Start the service and record who it is before anything else can go wrong."""
    ctx, entry, recipe = service.ctx, service.entry, service.recipe
    log_path = ctx.workspace.log_path(service.name)
    rotate(log_path, cap())
    entry.log_offset = mark_start(log_path, f"{now_iso()} attempt {entry.attempts + 1}: "
                                            f"{recipe.command_text()}")
    entry.log_files = {file: size(service.path(file)) for file in recipe.log_files()}
    ctx.out.command(recipe.command_text(), where=recipe.cwd, user=service.user)
    start = tags.new_start()
    lifecycle.launching(ctx, service.name, start)
    try:
        service.running = supervisor.spawn(recipe.command, cwd=service.cwd, env=service.env(),
                                           log_path=log_path, user=service.user,
                                           tag=service.tag + start)
    except OSError as error:
        ctx.journal("start-failed", service.name, error=str(error))
        return f"cannot run {recipe.command_text()}: {error.strerror or error}"
    lifecycle.started(ctx, service.name, service.running.handle, port=recipe.port,
                      command=recipe.command_text(), origin=service.origin())
    return None
