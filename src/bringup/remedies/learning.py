"""A fix for a finding records what it learned in the recipe, so the stage it belongs to sees,
offers and applies it from then on. An edit that does not read back is undone."""

from __future__ import annotations

from collections.abc import Callable

from bringup import atomic
from bringup.core.service import Service
from bringup.errors import BringupError


def learn(service: Service, what: str, edit: Callable[[], None]) -> str | None:
    """Edit the recipe, read it back (restoring it if bringup cannot), note it in the journal."""
    before = service.recipe.file.read_text(encoding="utf-8")
    try:
        edit()
        service.reload()
    except (BringupError, ValueError) as error:
        atomic.write_text(service.recipe.file, before)
        service.ctx.workspace.reread()
        return f"left {service.recipe.file.name} as it was: the edit did not read back ({error})"
    service.ctx.out.detail(f"{service.recipe.file.name}: {what}")
    service.ctx.journal("recipe-edited", service.name, change=what)
    return None
