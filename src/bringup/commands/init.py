"""`bringup init`: a recipe for each service the scan found and the user chooses, checked the way
bringup will read it before it is written. An existing recipe is kept unless the user says
otherwise, so `--yes` never overwrites one."""

from __future__ import annotations

import shlex
import tempfile
import textwrap
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from bringup import atomic
from bringup.commands import catalog
from bringup.core.context import Context
from bringup.discover import scan
from bringup.discover.candidate import Candidate
from bringup.discover.compose import SECRETS_FILE
from bringup.discover.compose_files import Project, projects
from bringup.errors import RecipeError
from bringup.processes import compose, installers
from bringup.recipe.edit import inline_table, new_table
from bringup.recipe.env import save_value
from bringup.recipe.read import load


@dataclass
class InitResult:
    found: int = 0
    written: list[str] = field(default_factory=list)


def run_init(ctx: Context) -> InitResult:
    root = ctx.workspace.root
    scanned = scan(root, _project(ctx, projects(root)), compose.read)
    for other, kept in scanned.also_found:
        ctx.out.step("found", f"also {other.name} in {other.source} "
                              f"(recipes/{kept.name}.toml is from {kept.source})")
    found = [_installable(candidate) for candidate in scanned.candidates]
    chosen = [candidate for candidate in found if _wanted(ctx, candidate)]
    names = {candidate.name for candidate in chosen if not candidate.skip}
    names |= {file.stem for file in ctx.workspace.recipes_dir.glob("*.toml")}
    done = InitResult(found=len(scanned.candidates) + len(scanned.also_found))
    for candidate in chosen:
        if _write(ctx, candidate, names):
            done.written.append(candidate.name)
    return done


def _installable(candidate: Candidate) -> Candidate:
    """A program not on this machine is a need the package manager here fills, or the reason
    the service is parked (a runtime with no install route, such as .NET without dotnet)."""
    program = candidate.missing
    if not program:
        return candidate
    route = installers.known(program)
    if route is None:
        here = [i.program for i in installers.INSTALLERS.values() if i.available()]
        said = f"{', '.join(here)} knows no package for it" if here else "no package manager"
        return replace(candidate, skip=f"its program {program} is not on this machine ({said}):"
                       " install it, then remove this line")
    installer, package = route
    need = {"binary": program, "install": inline_table({installer.key: package})}
    return replace(candidate, needs=(*candidate.needs, need))


def _project(ctx: Context, found: list[Project]) -> Project | None:
    """The compose project to read when there are several: the nearest one unless told."""
    if len(found) < 2:
        return found[0] if found else None
    root = ctx.workspace.root
    ctx.out.step("found", f"{len(found)} compose projects: "
                          f"{', '.join(project.shown(root) for project in found)}")
    index = ctx.prompter.choose("Which compose project should the recipes come from?",
                                [project.shown(root) for project in found])
    return found[index]


def _wanted(ctx: Context, candidate: Candidate) -> bool:
    shown = f"recipes/{candidate.name}.toml"
    ctx.out.heading(f"{candidate.name}: {candidate.source}")
    if candidate.problem:
        ctx.out.step("found", f"no recipe: {candidate.problem}", False)
        return False
    text, error = prepare(candidate, ctx.workspace.root)
    if error:
        ctx.out.step("found", f"no recipe: {error}", False)
        return False
    command = tomllib.loads(text).get("command")
    if command:
        ctx.out.command(command if isinstance(command, str) else shlex.join(command),
                        where=candidate.cwd)
    if candidate.skip:
        ctx.out.step("found", f"parked: {candidate.skip}", False)
    if ctx.workspace.recipe_file(candidate.name).exists():
        overwrite = ctx.prompter.choose(f"{shown} already exists. What now?",
                                        [f"keep the existing {shown}", "overwrite it"]) == 1
        if not overwrite:
            ctx.out.step("init", f"kept the existing {shown}")
        return overwrite
    return ctx.prompter.choose(f"{candidate.name}: write {shown}?", [f"write {shown}", "skip"]) == 0


def _write(ctx: Context, candidate: Candidate, names: set[str]) -> bool:
    """`after` keeps only the services that have a recipe that can run: one parked would block
    it for good (compose's start order is no need of its own)."""
    dropped = [name for name in candidate.after if name not in names]
    kept = tuple(name for name in candidate.after if name in names)
    text, error = prepare(replace(candidate, after=kept), ctx.workspace.root)
    target = ctx.workspace.recipe_file(candidate.name)
    if error:
        ctx.out.step("init", f"recipes/{target.name} not written: {error}", False)
        return False
    atomic.write_text(target, text)
    ctx.out.step("init", f"wrote recipes/{target.name}", True)
    for relative, content in candidate.files.items():  # bringup's own: written afresh
        atomic.write_text(ctx.workspace.root / relative, content)
        ctx.out.step("init", f"wrote {relative}", True)
    if candidate.secrets:  # compose gave them literally: kept beside the service, not shown
        secrets = ctx.workspace.root / candidate.cwd / SECRETS_FILE
        for key, value in candidate.secrets.items():
            save_value(secrets, key, value)
        ctx.remember(set(candidate.secrets.values()))
        ctx.out.detail(f"kept {', '.join(candidate.secrets)} in "
                       f"{secrets.relative_to(ctx.workspace.root)} (readable by you only)")
    if dropped:
        ctx.out.detail(f"left out of after: {', '.join(dropped)} (parked, or no recipe)")
    return True


def prepare(candidate: Candidate, root: Path) -> tuple[str, str | None]:
    """The recipe text and, when bringup would refuse it, why."""
    try:
        text = render(candidate)
    except OSError as error:
        return "", f"bringup's catalog recipe {candidate.catalog} cannot be read ({error})"
    return text, check(text, candidate.name, root)


def render(candidate: Candidate) -> str:
    import tomlkit

    header = [f"recipes/{candidate.name}.toml, written by bringup init from {candidate.source}.",
              *candidate.notes, "Check the command, the port and the checks; `bringup next` "
              "proves it."]
    comments = "".join(f"# {row}\n" for line in header for row in textwrap.wrap(line, 96))
    if candidate.catalog:
        return comments + catalog.adapted(candidate)
    document = tomlkit.document()
    document["description"] = f"from {candidate.source}"
    values: dict[str, Any] = {
        "skip": candidate.skip or None,
        "cwd": candidate.cwd if candidate.cwd != "." else None,
        "command": list(candidate.command) if isinstance(candidate.command, tuple)
        else candidate.command or None,
        "after": list(candidate.after) or None, "port": candidate.port,
        "oneshot": candidate.oneshot or None,
        "env": inline_table(candidate.env) if candidate.env else None,
        "env_file": candidate.env_file}
    for key, value in values.items():
        if value is not None:
            document[key] = value
    if candidate.needs:
        needs = tomlkit.aot()
        for entry in candidate.needs:
            needs.append(new_table(entry))
        document.add(tomlkit.nl())
        document.append("needs", needs)
    if candidate.verify:
        document.add(tomlkit.nl())
        document.append("verify", new_table(candidate.verify))
    return comments + tomlkit.dumps(document)


def check(text: str, name: str, root: Path) -> str | None:
    """Never write a recipe bringup itself would refuse: read it back as `bringup next` will."""
    with tempfile.TemporaryDirectory() as folder:
        file = Path(folder) / f"{name}.toml"
        file.write_text(text, encoding="utf-8")
        try:
            load(file, root)
        except RecipeError as error:
            return f"{error.key}: {error.expected}" if error.key else error.expected
    return None
