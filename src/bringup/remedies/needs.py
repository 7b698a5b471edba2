"""Fixes for what a service needs: a Python module, a Node module, a command, a variable."""

from __future__ import annotations

import re
import shlex

from bringup import atomic
from bringup.core.problems import Fix
from bringup.core.service import Service
from bringup.diagnosis import Finding, distribution_for, packages_for
from bringup.recipe.edit import append_entry
from bringup.remedies.learning import learn


def python_module(service: Service, finding: Finding) -> Fix | None:
    dist = distribution_for(finding.subject)
    need = next((n for n in service.recipe.needs if n.kind == "python"), None)
    manifest = need.value if need else "requirements.txt"
    listed = service.path(manifest)
    text = listed.read_text(encoding="utf-8") if listed.is_file() else ""
    if re.search(rf"^{re.escape(dist)}\b", text, re.IGNORECASE | re.MULTILINE):
        return None

    def apply(service: Service) -> str | None:
        atomic.write_text(listed, text + ("" if text.endswith("\n") or not text else "\n")
                          + dist + "\n")
        service.ctx.out.detail(f"{manifest}: + {dist}")
        if need is None:
            return learn(service, f"needs python {manifest}", lambda: append_entry(
                service.recipe.file, "needs", {"python": manifest}))
        return None

    return Fix(f"add {dist} to {manifest} and install it into the venv", apply)


def node_module(service: Service, finding: Finding) -> Fix | None:
    if not service.path("package.json").is_file() or "/" in finding.subject.lstrip("@"):
        return None
    command = f"npm install --no-audit --no-fund {shlex.quote(finding.subject)}"

    def apply(service: Service) -> str | None:
        if not service.shell(command).ok:
            return f"`{command}` failed"
        if not any(n.kind == "npm" for n in service.recipe.needs):
            return learn(service, "needs npm package.json", lambda: append_entry(
                service.recipe.file, "needs", {"npm": "package.json"}))
        return None

    return Fix(f"npm install {finding.subject} (recorded in package.json)", apply, command)


def binary(service: Service, finding: Finding) -> Fix | None:
    name = finding.subject
    if any(n.kind == "binary" and n.value == name for n in service.recipe.needs):
        return None
    entry = {"binary": name, "install": packages_for(name)}
    return Fix(f"add {name} to the recipe's needs (then install it)", lambda s: learn(
        s, f"needs binary {name}", lambda: append_entry(s.recipe.file, "needs", entry)))


def env(service: Service, finding: Finding) -> Fix | None:
    name = finding.subject
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) or any(
            n.kind == "env" and n.value == name for n in service.recipe.needs):
        return None
    return Fix(f"add {name} to the recipe's needs (then ask for its value)", lambda s: learn(
        s, f"needs env {name}", lambda: append_entry(s.recipe.file, "needs", {"env": name})))
