"""`bringup export TARGET`: the proven services (all, or those named and what they come
after) written for a real engine, with their checks, order and measured timings. A file
edited since export wrote it is never written over."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bringup import atomic
from bringup.commands.up import wanted
from bringup.core.context import Context
from bringup.errors import UsageError
from bringup.export import TARGETS
from bringup.export.stack import Member, Stack, edited, project_name
from bringup.recipe.env import secrets


@dataclass
class Exported:
    out: Path
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    cannot: list[str] = field(default_factory=list)
    unproven: list[str] = field(default_factory=list)


def export(ctx: Context, target: str, names: tuple[str, ...], *, out: Path | None = None,
           include_unproven: bool = False, system: bool = False) -> Exported:
    where = out or ctx.workspace.root / "export" / target
    stack = _stack(ctx, names, where.resolve())
    unproven = [member.name for member in stack.members if not member.proven]
    if unproven and not include_unproven:
        raise UsageError(f"not proven: {', '.join(unproven)} (prove them with `bringup next`, "
                         "or pass --include-unproven)")
    rendered = TARGETS[target].render(stack, system=system)
    where = out or rendered.home or where
    result = Exported(where, cannot=[stack.hidden(line) for line in rendered.cannot],
                      unproven=unproven)
    refused = [name for name, text in rendered.files.items()
               if (where / name).is_file() and (old := (where / name).read_text(
                   encoding="utf-8", errors="replace")) != text and edited(old)]
    if refused:
        raise UsageError(f"{where / refused[0]}: not written by bringup export, or edited "
                         "since: move it away to export again")
    for name, text in rendered.files.items():
        file = where / name
        if file.is_file() and file.read_text(encoding="utf-8", errors="replace") == text:
            result.unchanged.append(name)
            continue
        file.parent.mkdir(parents=True, exist_ok=True)
        atomic.write_text(file, text)
        result.written.append(name)
    return result


def _stack(ctx: Context, names: tuple[str, ...], out: Path) -> Stack:
    recipes = ctx.workspace.recipes
    members = []
    for name in wanted(ctx, names):
        entry = ctx.state.of(name)
        members.append(Member(recipes[name], entry.status, entry.ready_after, entry.proven_at))
    hidden = {value: ref for member in members
              for value, ref in secrets(member.cwd, member.recipe).items()}
    return Stack(project_name(ctx.workspace.root), ctx.workspace.root, tuple(members), out,
                 hidden)
