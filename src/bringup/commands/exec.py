"""`bringup exec SERVICE -- CMD...`: a command run as the service's own would be, with its env
(the workspace's .env, its env file and recipe env, its venv), in its folder, as its user."""

from __future__ import annotations

import shlex
from collections.abc import Callable, Sequence
from typing import NoReturn

from bringup.core.context import Context
from bringup.core.service import Service
from bringup.errors import CommandNotFound
from bringup.processes import runner


def run_exec(ctx: Context, name: str, argv: Sequence[str], say: Callable[[str], None]) -> NoReturn:
    """Say the command (standard output is the command's), then become it."""
    service = Service(ctx, ctx.workspace.recipe(name))
    as_user = f" as {service.user}" if service.user else ""
    say(ctx.mask(f"$ {shlex.join(argv)} (in {service.recipe.cwd}{as_user}, {name}'s env)"))
    try:
        runner.become(argv, cwd=service.cwd, env=service.env(), user=service.user)
    except FileNotFoundError:
        raise CommandNotFound(f"{argv[0]}: not found on {name}'s PATH (its venv's bin, then "
                              "the PATH bringup runs with)") from None
