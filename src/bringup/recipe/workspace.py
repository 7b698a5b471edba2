"""The workspace: a folder with `recipes/` and `state/`, and the services in dependency order."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from bringup.errors import RecipeError, WorkspaceError
from bringup.recipe.model import Recipe
from bringup.recipe.read import load


@dataclass(frozen=True)
class Workspace:
    root: Path

    @property
    def recipes_dir(self) -> Path:
        return self.root / "recipes"

    @cached_property
    def state_dir(self) -> Path:
        return self.root / "state"

    @cached_property
    def logs_dir(self) -> Path:
        return self.state_dir / "logs"

    @property
    def tag(self) -> str:
        """This workspace's part of the tag its services' processes carry."""
        import hashlib

        return hashlib.sha256(str(self.root).encode()).hexdigest()[:12]

    def log_path(self, name: str) -> Path:
        return self.logs_dir / f"{name}.log"

    def recipe_file(self, name: str) -> Path:
        return self.recipes_dir / f"{name}.toml"

    @cached_property
    def recipes(self) -> dict[str, Recipe]:
        """Every recipe, checked, in dependency order (ties keep alphabetical order)."""
        found = {file.stem: load(file, self.root)
                 for file in sorted(self.recipes_dir.glob("*.toml"))}
        for recipe in found.values():
            for key, names in _references(recipe):
                for other in (name for name in names if name not in found):
                    known = ", ".join(found) or "none"
                    raise RecipeError(f"recipes/{recipe.name}.toml", key,
                                      f"names unknown service {other!r}; known services: {known}")
        return {name: found[name] for name in _order(found)}

    @cached_property
    def ports(self) -> dict[str, frozenset[int]]:
        """The ports each recipe declares, by service."""
        return {name: frozenset(recipe.ports()) for name, recipe in self.recipes.items()}

    def settle(self) -> dict[str, str]:
        """Read the recipes one by one, for a command that serves the others when one is
        invalid (report, down, logs): the valid ones become the workspace's recipes; returned
        is the error of each other one, by name. A recipe that names an invalid or unknown
        service, or is part of a cycle, counts as invalid too."""
        found: dict[str, Recipe] = {}
        errors: dict[str, str] = {}
        for file in sorted(self.recipes_dir.glob("*.toml")):
            try:
                found[file.stem] = load(file, self.root)
            except RecipeError as error:
                errors[file.stem] = str(error)
        while True:
            broken = {recipe.name: _missing(recipe, found, errors) for recipe in found.values()}
            broken = {name: why for name, why in broken.items() if why}
            if not broken:
                try:
                    order = _order(found)
                except CycleError as cycle:
                    broken = dict.fromkeys(cycle.names, str(cycle))
                else:
                    break
            errors.update(broken)
            found = {name: recipe for name, recipe in found.items() if name not in broken}
        self.__dict__["recipes"] = {name: found[name] for name in order}
        self.__dict__.pop("ports", None)
        return errors

    def reread(self) -> None:
        """Forget the recipes read so far: bringup has just edited one."""
        self.__dict__.pop("recipes", None)
        self.__dict__.pop("ports", None)

    def recipe(self, name: str) -> Recipe:
        if name not in self.recipes:
            known = ", ".join(self.recipes) or "none"
            raise WorkspaceError(f"no service named {name!r} in {self.recipes_dir} "
                                 f"(known services: {known})")
        return self.recipes[name]

    def cwd(self, recipe: Recipe) -> Path:
        return self.root / recipe.cwd


def find(explicit: Path | None = None, *, start: Path | None = None) -> Workspace:
    """--workspace, else BRINGUP_WORKSPACE, else the nearest folder at or above holding recipes/."""
    chosen = explicit or (Path(os.environ["BRINGUP_WORKSPACE"])
                          if os.environ.get("BRINGUP_WORKSPACE") else None)
    if chosen is not None:
        if not (chosen / "recipes").is_dir():
            raise WorkspaceError(f"{chosen} is not a workspace: it has no recipes/ folder")
        return Workspace(chosen.resolve())
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "recipes").is_dir():
            return Workspace(folder)
    raise WorkspaceError(f"no workspace at or above {here}: no folder there holds recipes/ "
                         "(pass --workspace DIR, or try `bringup demo`)")


def _references(recipe: Recipe) -> list[tuple[str, tuple[str, ...]]]:
    """Every key of the recipe that names other services, with the names."""
    named = [spec.refers_to() for spec in recipe.verify.checks.values()]
    return [("after", recipe.after), *(item for refers in named for item in refers.items())]


def _missing(recipe: Recipe, found: dict[str, Recipe], errors: dict[str, str]) -> str:
    """Why the recipe cannot stand with the others: a service it names that is invalid or
    unknown ("" when there is none)."""
    for key, names in _references(recipe):
        for other in (name for name in names if name not in found):
            why = ("whose recipe is invalid" if other in errors else
                   f"an unknown service; known services: {', '.join(found) or 'none'}")
            return f"recipes/{recipe.name}.toml: {key}: names {other!r}, {why}"
    return ""


class CycleError(RecipeError):
    def __init__(self, names: list[str]) -> None:
        super().__init__(f"recipes/{names[0]}.toml", "after",
                         f"dependency cycle: {' -> '.join(names)}")
        self.names = names[:-1]


def _order(recipes: dict[str, Recipe]) -> list[str]:
    """Depth-first topological order; a cycle is an error that names it."""
    done: list[str] = []
    path: list[str] = []

    def visit(name: str) -> None:
        if name in done:
            return
        if name in path:
            raise CycleError([*path[path.index(name):], name])
        path.append(name)
        for other in recipes[name].after:
            visit(other)
        path.pop()
        done.append(name)

    for name in recipes:
        visit(name)
    return done
