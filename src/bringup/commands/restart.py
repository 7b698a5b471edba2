"""`bringup restart`: stop services and start them again, each verified, and tell the services
that come after them. A dependent whose `restart` policy is "always" is restarted with them
(after them); any other is checked once they are back, and restarted only when it fails then
and its policy restarts failures ("on-failure"); one with `restart = "no"` is only reported."""

from __future__ import annotations

from dataclasses import dataclass, field

from bringup.checks import healthy
from bringup.commands.down import down
from bringup.commands.up import STARTABLE, UpResult, up
from bringup.core.context import Context
from bringup.core.service import Service
from bringup.errors import UsageError
from bringup.proving import checking


@dataclass(frozen=True)
class Told:
    """What became of a service that comes after a restarted one."""

    what: str
    ok: bool = True


@dataclass
class RestartResult:
    restarted: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # did not come back, with why
    told: dict[str, Told] = field(default_factory=dict)  # the services after them

    @property
    def ok(self) -> bool:
        return not self.failed and all(told.ok for told in self.told.values())


def restart(ctx: Context, names: tuple[str, ...]) -> RestartResult:
    recipes = ctx.workspace.recipes
    unknown = [name for name in names if name not in recipes]
    if unknown:
        raise UsageError(f"no service named {unknown[0]!r} (known: {', '.join(recipes)})")
    external = [name for name in names if recipes[name].external]
    if external:
        raise UsageError(f"{external[0]} is external: bringup only checks it, and never starts "
                         "or stops it")
    chosen = [name for name in recipes if (name in names if names else
                                           ctx.state.of(name).status in STARTABLE
                                           and not recipes[name].external)]
    unproven = [name for name in chosen if ctx.state.of(name).status not in STARTABLE]
    if unproven:
        raise UsageError(f"{unproven[0]} is not proven yet ({ctx.state.of(unproven[0]).status}):"
                         f" bring it up with `bringup next {unproven[0]}` first")
    dependents = _after(ctx, chosen)
    along = [name for name in dependents if recipes[name].restart == "always"]
    together = [name for name in recipes if name in chosen or name in along]
    down(ctx, tuple(together))
    came = up(ctx, tuple(together))
    result = RestartResult(restarted=[n for n in came.up if n in together], failed=came.failed)
    result.told.update({name: Told("restarted with them (restart = \"always\")")
                        for name in along if name in came.up})
    _left(result, came, together)
    for name in dependents:
        if name not in along:
            result.told[name] = _checked(ctx, name)
    return result


def _after(ctx: Context, chosen: list[str]) -> list[str]:
    """The running services that come after the chosen ones, directly or not, in order."""
    recipes, found = ctx.workspace.recipes, set(chosen)
    for name in recipes:  # dependency order: a service's `after` come before it
        if name not in found and found & set(recipes[name].after):
            found.add(name)
    return [name for name in recipes if name in found and name not in chosen
            and ctx.state.of(name).status in ("proven", "regressed")
            and ctx.state.of(name).handle is not None]


def _left(result: RestartResult, came: UpResult, together: list[str]) -> None:
    for name, why in came.left.items():
        if name in together:
            result.failed[name] = why


def _checked(ctx: Context, name: str) -> Told:
    """A dependent, once what it comes after is back: left alone when it answers."""
    service = Service(ctx, ctx.workspace.recipes[name])
    if healthy(checking.check_one(service)):
        return Told("still answering")
    if service.recipe.restart == "no":
        return Told("not answering since (restart = \"no\": left as it is)", ok=False)
    came = up(ctx, (name,))  # it runs and does not answer: up stops it and starts it again
    if name in came.up:
        return Told("restarted: it did not answer once they were back")
    why = came.failed.get(name) or came.left.get(name, "unknown")
    return Told(f"did not come back: {why}", ok=False)
