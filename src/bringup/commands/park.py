"""`bringup skip` and `bringup reset`: park a service that cannot run here, and forget progress
(which also un-parks)."""

from __future__ import annotations

from bringup.core import lifecycle
from bringup.core.context import Context
from bringup.errors import UsageError


def skip(ctx: Context, name: str, reason: str) -> str:
    ctx.workspace.recipe(name)
    if not reason.strip():
        raise UsageError("--reason must say why the service cannot run here")
    lifecycle.skipped(ctx, name, reason)
    return reason


def reset(ctx: Context, names: tuple[str, ...]) -> list[str]:
    """Forget progress (fixes already applied stay applied); all services when none is named."""
    for name in names:
        ctx.workspace.recipe(name)
    chosen = [name for name in ctx.workspace.recipes if not names or name in names]
    for name in chosen:
        lifecycle.reset(ctx, name)
    return chosen
