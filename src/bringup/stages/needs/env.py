"""An environment variable set and non-empty (recipe env, env_file or the outer environment);
fix: ask for its value, never echoed, saved to the env file. A generated random value is
offered for a secret, never for a setting (a host, port, URL, path or name): under --yes
such a variable is left unset, with what to do."""

from __future__ import annotations

from collections.abc import Callable

from bringup.core.problems import Fix, Problem
from bringup.core.service import Service
from bringup.recipe.edit import set_value
from bringup.recipe.env import SHORTEST, env_file_path, save_value
from bringup.recipe.model import Need
from bringup.secrecy import is_setting


def check(service: Service, need: Need) -> Problem | None:
    if service.env().get(need.value, "").strip():
        return None
    target = env_file_path(service.cwd, service.recipe)
    shown = str(target.relative_to(service.ctx.workspace.root))
    return Problem(need.value, f"environment variable {need.value} is not set",
                   fixes=(Fix(f"enter a value for {need.value} (saved to {shown})",
                              _ask(need.value)),))


def _ask(key: str) -> Callable[[Service], str | None]:
    def apply(service: Service) -> str | None:
        import secrets  # OpenSSL's 3 ms, for the one who is asked

        generated = "" if is_setting(key) else secrets.token_urlsafe(24)
        value = service.ctx.prompter.text(f"value for {key}", default=generated, secret=True)
        if not value.strip() and not generated:
            shown = env_file_path(service.cwd, service.recipe).relative_to(
                service.ctx.workspace.root)
            return (f"no value given for {key}, and bringup does not make one up: it names a "
                    f"setting (a host, port, address, path or name), not a secret; set {key} "
                    f"in {shown} or the recipe's env, then run `bringup next` again")
        if not value.strip():
            return f"no value given for {key}"
        service.ctx.remember({value} if len(value) >= SHORTEST else set())
        if service.recipe.env_file is None:
            set_value(service.recipe.file, "env_file", ".env")
            service.reload()
        target = env_file_path(service.cwd, service.recipe)
        save_value(target, key, value)
        if value == generated:
            note = (f"saved a generated random value for {key} to {target.name} (not shown); "
                    "replace it there if the service needs a real key")
        else:
            note = f"saved the value given for {key} to {target.name} (not shown)"
        service.ctx.out.detail(note)
        service.ctx.journal("env-saved", service.name, variable=key, file=target.name)
        return None

    return apply
