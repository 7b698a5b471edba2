"""Moving a service to another port, and the services that reach it along with it."""

from __future__ import annotations

import re

from bringup.core.service import Service
from bringup.processes import ports
from bringup.recipe import edit
from bringup.recipe.env import read_env_file, save_value

LOOPBACK = r"(?:127\.0\.0\.1|localhost|\[::1\]|0\.0\.0\.0)"


def move(service: Service, *, above: int = 0, old: int | None = None,
         to: int | None = None) -> str | None:
    """Give the service a free port (or `to`), then point the env of the others at it. Each
    edit is shown; an env file's values are never printed (they may hold passwords)."""
    old = old or service.recipe.port
    if old is None:
        return "the recipe declares no port to move"
    ctx = service.ctx
    # A port another recipe declares is free only while that service is down: moving there
    # would move the conflict to it, and from it to the next.
    declared = {recipe.port for name, recipe in ctx.workspace.recipes.items()
                if name != service.name and recipe.port is not None}
    new = to or ports.free_port(max(old, above), avoid=declared)
    edit.change_port(service.recipe.file, old, new)
    service.reload()
    ctx.out.detail(f"{service.recipe.file.name}: port {old} → {new}")
    ctx.journal("port-changed", service.name, old=old, new=new)
    pattern = re.compile(rf"((?:{LOOPBACK}|{re.escape(service.name)}):){old}(?!\d)")
    moved = rf"\g<1>{new}"
    for name, recipe in ctx.workspace.recipes.items():
        if name == service.name:
            continue
        for key, value in recipe.env.items():
            if pattern.search(value):
                edit.set_env(recipe.file, key, pattern.sub(moved, value))
                ctx.out.detail(f"{recipe.file.name}: env {key}: port {old} → {new}")
        if recipe.env_file:
            env_file = ctx.workspace.cwd(recipe) / recipe.env_file
            for key, value in read_env_file(env_file).items():
                if pattern.search(value):
                    save_value(env_file, key, pattern.sub(moved, value))
                    ctx.out.detail(f"{recipe.env_file} of {name}: {key}: port {old} → {new}")
    ctx.workspace.reread()
    return None
