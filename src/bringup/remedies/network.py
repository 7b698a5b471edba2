"""Fixes for reaching other services: a port in use or below 1024, a refused connection, a host
name that does not resolve here, a check on the wrong loopback."""

from __future__ import annotations

import re

from bringup.core.problems import Fix
from bringup.core.service import Service
from bringup.diagnosis import Finding
from bringup.recipe.edit import add_after, replace_in_verify, set_env
from bringup.recipe.env import env_file_path, save_value
from bringup.remedies import machine, moving
from bringup.remedies.facts import HostRoute, host_route, port_owner
from bringup.remedies.learning import learn


def move_port(service: Service, finding: Finding) -> Fix | None:
    old = service.recipe.port
    if old is None or finding.subject not in (str(old), "unknown"):
        return None
    return Fix(f"move {service.name} to a free port (updates its recipe and the env of the "
               "services that reach it)", lambda s: moving.move(s, above=1024))


def wrong_port(service: Service, finding: Finding) -> Fix | None:
    """It listens elsewhere: the recipe (and the services that reach it) follow where it does."""
    expected = finding.observed.get("expected") or str(service.recipe.port or "")
    if not finding.subject.isdigit() or not expected.isdigit():
        return None
    listens, old = int(finding.subject), int(expected)
    return Fix(f"use port {listens} in the recipe, where {service.name} listens (and in the env "
               "of the services that reach it)", lambda s: moving.move(s, old=old, to=listens))


def after(service: Service, finding: Finding) -> Fix | None:
    port = finding.subject.rpartition(":")[2]
    owner = port_owner(service.ctx, int(port), besides=service.name) if port.isdigit() else None
    if owner is None or owner in service.recipe.after or _comes_after(service, owner):
        return None
    return Fix(f"add {owner} to `after`: it owns {finding.subject}", lambda s: learn(
        s, f"after {owner}", lambda: add_after(s.recipe.file, owner)))


def _comes_after(service: Service, other: str) -> bool:
    """Would `after = [other]` make a cycle (does `other` already wait for this service)?"""
    recipes = service.ctx.workspace.recipes
    seen, todo = set(), [other]
    while todo:
        name = todo.pop()
        if name == service.name:
            return True
        if name not in seen and name in recipes:
            seen.add(name)
            todo.extend(recipes[name].after)
    return False


def unresolvable(service: Service, finding: Finding) -> Fix | None:
    if service.recipe.external:
        return None  # its name is someone else's to fix: the finding says where to look
    route = host_route(service, finding.subject)
    if route is None:
        return None
    if route.variable is None:
        return machine.hosts_alias(service, route.host)
    return _to_loopback(service, route, route.variable)


def _to_loopback(service: Service, route: HostRoute, variable: str) -> Fix:
    host = route.host
    value = service.env()[variable]
    pattern = re.compile(rf"(?<=[/@:=,\s]){re.escape(host)}(?=$|[:/,\s])|^{re.escape(host)}"
                         rf"(?=$|[:/,\s])")
    in_recipe = variable in service.recipe.env
    where = "the recipe" if in_recipe else service.recipe.env_file or ".env"

    def apply(service: Service) -> str | None:
        changed = pattern.sub("127.0.0.1", value)
        if in_recipe:
            return learn(service, f"env {variable}: {host} → 127.0.0.1",
                         lambda: set_env(service.recipe.file, variable, changed))
        # A value from the env file stays there: it may hold a password.
        save_value(env_file_path(service.cwd, service.recipe), variable, changed)
        service.ctx.out.detail(f"{where}: {variable}: {host} → 127.0.0.1")
        service.ctx.journal("env-edited", service.name, variable=variable, host=host)
        return None

    return Fix(f"use 127.0.0.1 instead of {host} in env {variable} (in {where})", apply)


def loopback(service: Service, finding: Finding) -> Fix | None:
    """Check the loopback the service was seen listening on when the check failed."""
    host = finding.subject.rpartition(":")[0].strip("[]")
    better = finding.observed.get("listens_on")
    if not host or better is None:
        return None
    shown = f"[{better}]" if ":" in better else better
    written = f"[{host}]" if ":" in host else host

    def apply(service: Service) -> str | None:
        return learn(service, f"verify: {written} → {shown}", lambda: replace_in_verify(
            service.recipe.file, written, shown))

    return Fix(f"check {shown} instead of {written} (in the recipe's verify)", apply)
