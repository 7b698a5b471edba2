"""Fixes for findings: each one records what it learned in the recipe (or the manifest) and
sends the service back to the stage whose check then sees, offers and applies the fix."""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Callable
from pathlib import Path

from bringup import recipe_edit, relocate
from bringup.diagnosis import Finding, distribution_for
from bringup.enrich import host_variable, looks_like_compose, port_owner
from bringup.env import env_file_path, save_value
from bringup.errors import BringupError
from bringup.service import Service
from bringup.stages.base import Fix

Remedy = Callable[[Service, Finding], "Fix | None"]
TEMPLATE_SUFFIXES = (".example", ".sample", ".dist", ".template", ".tmpl", ".default")
# Packages that provide a command under another name, per package manager.
BINARY_PACKAGES = {
    "redis-cli": {"apt": "redis-tools", "brew": "redis", "dnf": "redis"},
    "redis-server": {"apt": "redis-server", "brew": "redis", "dnf": "redis"},
    "psql": {"apt": "postgresql-client", "brew": "libpq", "dnf": "postgresql"},
    "pg_isready": {"apt": "postgresql-client", "brew": "libpq", "dnf": "postgresql"},
    "node": {"apt": "nodejs", "brew": "node", "dnf": "nodejs"},
    "npm": {"apt": "npm", "brew": "node", "dnf": "npm"},
    "python": {"apt": "python-is-python3", "brew": "python", "dnf": "python3"},
    "pip": {"apt": "python3-pip", "brew": "python", "dnf": "python3-pip"},
    "nc": {"apt": "netcat-openbsd", "brew": "netcat", "dnf": "nmap-ncat"},
}


def remedy(service: Service, finding: Finding) -> Fix | None:
    found = REMEDIES.get(finding.kind)
    return found(service, finding) if found else None


def _learn(service: Service, what: str, edit: Callable[[], None]) -> str | None:
    """Edit the recipe, read it back (restoring it if bringup cannot), note it in the journal."""
    before = service.recipe.file.read_text(encoding="utf-8")
    try:
        edit()
        service.reload()
    except (BringupError, ValueError) as error:
        service.recipe.file.write_text(before, encoding="utf-8")
        return f"left {service.recipe.file.name} as it was: the edit did not read back ({error})"
    service.ctx.out.detail(f"{service.recipe.file.name}: {what}")
    service.ctx.journal("recipe-edited", service.name, change=what)
    return None


def _python_module(service: Service, finding: Finding) -> Fix | None:
    dist = distribution_for(finding.subject)
    need = next((n for n in service.recipe.needs if n.kind == "python"), None)
    manifest = need.value if need else "requirements.txt"
    listed = service.path(manifest)
    text = listed.read_text(encoding="utf-8") if listed.is_file() else ""
    if re.search(rf"^{re.escape(dist)}\b", text, re.IGNORECASE | re.MULTILINE):
        return None

    def apply(service: Service) -> str | None:
        listed.write_text(text + ("" if text.endswith("\n") or not text else "\n") + dist + "\n",
                          encoding="utf-8")
        service.ctx.out.detail(f"{manifest}: + {dist}")
        if need is None:
            return _learn(service, f"needs python {manifest}", lambda: recipe_edit.append_entry(
                service.recipe.file, "needs", {"python": manifest}))
        return None

    return Fix(f"add {dist} to {manifest} and install it into the venv", apply)


def _node_module(service: Service, finding: Finding) -> Fix | None:
    if not service.path("package.json").is_file() or "/" in finding.subject.lstrip("@"):
        return None
    command = f"npm install --no-audit --no-fund {shlex.quote(finding.subject)}"

    def apply(service: Service) -> str | None:
        if not service.shell(command).ok:
            return f"`{command}` failed"
        if not any(n.kind == "npm" for n in service.recipe.needs):
            return _learn(service, "needs npm package.json", lambda: recipe_edit.append_entry(
                service.recipe.file, "needs", {"npm": "package.json"}))
        return None

    return Fix(f"npm install {finding.subject} (recorded in package.json)", apply, command)


def _binary(service: Service, finding: Finding) -> Fix | None:
    name = finding.subject
    if any(n.kind == "binary" and n.value == name for n in service.recipe.needs):
        return None
    routes = BINARY_PACKAGES.get(name, {"apt": name, "brew": name, "dnf": name})
    entry = {"binary": name, "install": routes}
    return Fix(f"add {name} to the recipe's needs (then install it)", lambda s: _learn(
        s, f"needs binary {name}", lambda: recipe_edit.append_entry(s.recipe.file, "needs", entry)))


def _env(service: Service, finding: Finding) -> Fix | None:
    name = finding.subject
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) or any(
            n.kind == "env" and n.value == name for n in service.recipe.needs):
        return None
    return Fix(f"add {name} to the recipe's needs (then ask for its value)", lambda s: _learn(
        s, f"needs env {name}", lambda: recipe_edit.append_entry(
            s.recipe.file, "needs", {"env": name})))


def _inside(service: Service, subject: str) -> str | None:
    """The subject as a path relative to the service's folder, when it is inside the workspace."""
    path = Path(os.path.normpath(service.cwd / subject))
    root = Path(os.path.normpath(service.ctx.workspace.root))
    if root != path and root not in path.parents:
        return None
    return os.path.relpath(path, os.path.normpath(service.cwd))


def _missing_path(service: Service, finding: Finding) -> Fix | None:
    relative = _inside(service, finding.subject)
    if relative is None or relative.startswith("..") or service.path(relative).exists():
        return None
    if not Path(relative).suffix:
        entry: dict[str, str] = {"dir": relative}
    else:
        template = _template_for(service, relative)
        if template is None:
            return None
        entry = {"file": relative, "template": template}
    what = " from ".join(entry.values())
    return Fix(f"add {what} to the recipe's paths (then create it)", lambda s: _learn(
        s, f"paths {what}", lambda: recipe_edit.append_entry(s.recipe.file, "paths", entry)))


def _template_for(service: Service, relative: str) -> str | None:
    path = Path(relative)
    candidates = [f"{relative}{suffix}" for suffix in TEMPLATE_SUFFIXES]
    candidates += [str(path.with_name(f"{path.stem}{suffix}{path.suffix}"))
                   for suffix in TEMPLATE_SUFFIXES]
    return next((c for c in candidates if service.path(c).is_file()), None)


def _permission(service: Service, finding: Finding) -> Fix | None:
    relative = _inside(service, finding.subject)
    if relative is None or relative.startswith(".."):
        return None
    path = service.path(relative)
    kind = "executable" if path.is_file() and _runnable(path, finding) else "writable"
    if kind == "writable" and not path.is_dir():
        relative = os.path.relpath(path.parent, service.cwd) if path.parent != service.cwd else "."
    entry = {kind: relative}
    if any(p.kind == kind and service.path(p.path) == service.path(relative)
           for p in service.recipe.permissions):
        return None
    return Fix(f"add {kind} {relative} to the recipe's permissions (then fix it)", lambda s: _learn(
        s, f"permissions {kind} {relative}", lambda: recipe_edit.append_entry(
            s.recipe.file, "permissions", entry)))


def _runnable(path: Path, finding: Finding) -> bool:
    with path.open("rb") as head:
        shebang = head.read(2) == b"#!"
    return shebang or path.suffix in (".sh", ".bash") or "open" not in finding.evidence.lower()


def _move_port(service: Service, finding: Finding) -> Fix | None:
    old = service.recipe.port
    if old is None or finding.subject not in (str(old), "unknown"):
        return None

    return Fix(f"move {service.name} to a free port (updates its recipe and the env of the "
               "services that reach it)", lambda s: relocate.move(s, above=1024))


def _after(service: Service, finding: Finding) -> Fix | None:
    port = finding.subject.rpartition(":")[2]
    owner = port_owner(service.ctx, int(port), besides=service.name) if port.isdigit() else None
    if owner is None or owner in service.recipe.after or _comes_after(service, owner):
        return None
    return Fix(f"add {owner} to `after`: it owns {finding.subject}", lambda s: _learn(
        s, f"after {owner}", lambda: recipe_edit.add_after(s.recipe.file, owner)))


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


def _unresolvable(service: Service, finding: Finding) -> Fix | None:
    host = finding.subject
    if not looks_like_compose(service, host):
        return None
    variable = host_variable(service, host)
    if variable is None:
        return _hosts_alias(service, host)
    value = service.env()[variable]
    pattern = re.compile(rf"(?<=[/@:=,\s]){re.escape(host)}(?=$|[:/,\s])|^{re.escape(host)}"
                         rf"(?=$|[:/,\s])")

    in_recipe = variable in service.recipe.env
    where = "the recipe" if in_recipe else service.recipe.env_file or ".env"

    def apply(service: Service) -> str | None:
        changed = pattern.sub("127.0.0.1", value)
        if in_recipe:
            return _learn(service, f"env {variable}: {host} → 127.0.0.1",
                          lambda: recipe_edit.set_env(service.recipe.file, variable, changed))
        # A value from the env file stays there: it may hold a password.
        save_value(env_file_path(service.cwd, service.recipe), variable, changed)
        service.ctx.out.detail(f"{where}: {variable}: {host} → 127.0.0.1")
        service.ctx.journal("env-edited", service.name, variable=variable, host=host)
        return None

    return Fix(f"use 127.0.0.1 instead of {host} in env {variable} (in {where})", apply)


def _hosts_alias(service: Service, host: str) -> Fix | None:
    """Only as root, and only once: the alias is the one edit outside the workspace."""
    hosts_file = service.ctx.hosts_file
    line = f"127.0.0.1 {host}  # added by bringup"
    if os.geteuid() != 0 or (hosts_file.is_file() and line in hosts_file.read_text()):
        return None

    def apply(service: Service) -> str | None:
        with hosts_file.open("a", encoding="utf-8") as hosts:
            hosts.write(f"\n{line}\n")
        service.ctx.out.detail(f"{hosts_file}: added `{line}`")
        service.ctx.journal("hosts-alias", service.name, host=host, line=line,
                            file=str(hosts_file), undo=f"remove `{line}` from {hosts_file}")
        return None

    return Fix(f"add the alias `127.0.0.1 {host}` to {hosts_file}", apply)


def _loopback(service: Service, finding: Finding) -> Fix | None:
    match = re.search(r"use (\S+) instead of (\S+)", finding.fix)
    host = finding.subject.rpartition(":")[0]
    if match is None or not host:
        return None
    better = match.group(1).rpartition(":")[0].strip("[]")
    shown = f"[{better}]" if ":" in better else better

    def apply(service: Service) -> str | None:
        return _learn(service, f"verify: {host} → {shown}", lambda: recipe_edit.replace_in_verify(
            service.recipe.file, host, shown))

    return Fix(f"check {shown} instead of {host} (in the recipe's verify)", apply)


# Flags that send a server to the background; the foreground is the default without them.
BACKGROUND_FLAGS = ("--daemon", "--detach")
YES = ("yes", "true")


def _daemonized(service: Service, finding: Finding) -> Fix | None:
    command = service.recipe.command
    argv = shlex.split(command) if isinstance(command, str) else list(command)
    kept = _foreground(argv)
    if kept == argv:
        return None
    value: str | list[str] = shlex.join(kept) if isinstance(command, str) else kept

    def apply(service: Service) -> str | None:
        return _learn(service, "command stays in the foreground",
                      lambda: recipe_edit.set_value(service.recipe.file, "command", value))

    return Fix("keep it in the foreground (rewrite its daemon flag in the recipe)", apply)


def _foreground(argv: list[str]) -> list[str]:
    kept: list[str] = []
    for part in argv:
        if part in BACKGROUND_FLAGS:
            continue
        if kept and kept[-1] == "--daemonize" and part.lower() in YES:
            kept.append("no")
        elif part.startswith("--daemonize=") and part.split("=", 1)[1].lower() in YES:
            kept.append("--daemonize=no")
        else:
            kept.append(part)
    return kept


REMEDIES: dict[str, Remedy] = {
    "daemonized": _daemonized,
    "missing-python-module": _python_module,
    "missing-node-module": _node_module,
    "missing-binary": _binary,
    "missing-env": _env,
    "missing-path": _missing_path,
    "permission-denied": _permission,
    "port-in-use": _move_port,
    "privileged-port": _move_port,
    "connection-refused": _after,
    "unresolvable-host": _unresolvable,
    "loopback-mismatch": _loopback,
}
