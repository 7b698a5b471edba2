"""kubernetes: a Deployment (a Job for a task) and a Service per recipe with a port, in one
manifest. The checks become startup, readiness and liveness probes (tcpSocket, httpGet, or one
exec command that runs them all), the start grace the startup probe's failure threshold; what
a service comes after is an init container waiting for that Service; 127.0.0.1 in env values
becomes the Service's name; env comes from a ConfigMap, secrets from a Secret by name only."""

from __future__ import annotations

import math
import re
from typing import Any
from urllib.parse import urlsplit

from bringup.checks.http import HttpSpec
from bringup.checks.tcp import TcpSpec
from bringup.export import compose, shell, yamltext
from bringup.export.stack import Member, Rendered, Stack

NAME = "kubernetes"
FILE = "stack.yaml"
WAITER = "busybox:1.36"
LOOPBACK = re.compile(r"\b(?:127\.0\.0\.1|localhost)(?=:(\d+)\b)")


def render(stack: Stack, *, system: bool) -> Rendered:
    """`system` is systemd's: Kubernetes has no such choice."""
    rendered = Rendered()
    documents: list[dict[str, Any]] = []
    for member in stack.members:
        if member.recipe.external:
            rendered.cannot.append(f"{member.name}: external (bringup only checks it): no "
                                   "workload; point what comes after it at its address")
            continue
        documents += _documents(stack, member, rendered.cannot)
    body = "".join("---\n" + yamltext.dump(document) for document in documents)
    rendered.files[FILE] = stack.seal(stack.header(NAME, rendered.cannot), body)
    return rendered


def _documents(stack: Stack, member: Member, cannot: list[str]) -> list[dict[str, Any]]:
    recipe, name = member.recipe, _name(member.name)
    labels = {"app.kubernetes.io/name": name, "app.kubernetes.io/part-of": stack.project}
    image = compose.image_of(member)
    container: dict[str, Any] = {"name": name, "image": image.name if image
                                 else f"{stack.project}-{name}:latest"}
    if image is None:
        container["imagePullPolicy"] = "IfNotPresent"
        container["command"] = list(recipe.command) if isinstance(recipe.command, tuple) else [
            "/bin/sh", "-c", recipe.command]
        cannot.append(f"{member.name}: image {container['image']} is assumed: build it from "
                      "its folder (`bringup export compose` writes its Dockerfile)")
    inside = image.port if image else recipe.port
    if inside is not None:
        container["ports"] = [{"containerPort": inside}]
    documents: list[dict[str, Any]] = []
    opened = image.env(member) if image else {}  # a password asked for is a Secret's
    env = {**{key: value for key, value in opened.items() if not value.startswith("${")},
           **_environment(stack, member)}
    if env:
        documents.append({"apiVersion": "v1", "kind": "ConfigMap",
                          "metadata": {"name": f"{name}-env", "labels": labels}, "data": env})
        container["envFrom"] = [{"configMapRef": {"name": f"{name}-env"}}]
    secrets = [*member.secret_env(), *(key for key, value in opened.items()
                                       if value.startswith("${")),
               *(need.value for need in recipe.needs if need.kind == "env"
                 and need.value not in recipe.env)]
    if secrets:
        container["env"] = [{"name": key, "valueFrom": {"secretKeyRef": {
            "name": f"{stack.project}-secrets", "key": key}}} for key in dict.fromkeys(secrets)]
        cannot.append(f"{member.name}: {', '.join(dict.fromkeys(secrets))} come from the Secret "
                      f"{stack.project}-secrets, which this file does not hold: create it")
    if not recipe.oneshot:
        container.update(_probes(member, inside, cannot))
    if recipe.user:
        cannot.append(f"{member.name}: user = {recipe.user!r}: a pod runs as a numeric uid "
                      "(securityContext.runAsUser), not a user name")
    pod: dict[str, Any] = {"containers": [container],
                           "terminationGracePeriodSeconds": math.ceil(recipe.stop_grace)}
    waits = _init_containers(stack, member, cannot)
    if waits:
        pod["initContainers"] = waits
    template = {"metadata": {"labels": labels}, "spec": pod}
    if recipe.oneshot:
        pod["restartPolicy"] = "OnFailure"
        # No deadline: a task's measured time is its time to finish here, not in a cluster
        # that first pulls its image and waits for what it comes after.
        documents.append({"apiVersion": "batch/v1", "kind": "Job",
                          "metadata": {"name": name, "labels": labels},
                          "spec": {"backoffLimit": recipe.max_restarts,
                                   "template": template}})
        return documents
    if recipe.restart != "always":
        cannot.append(f"{member.name}: restart = {recipe.restart!r}: a Deployment restarts "
                      "its pod whenever it ends")
    documents.append({"apiVersion": "apps/v1", "kind": "Deployment",
                      "metadata": {"name": name, "labels": labels},
                      "spec": {"replicas": 1,
                               "selector": {"matchLabels": {"app.kubernetes.io/name": name}},
                               "template": template}})
    if recipe.port is not None and inside is not None:
        documents.append({"apiVersion": "v1", "kind": "Service",
                          "metadata": {"name": name, "labels": labels},
                          "spec": {"selector": {"app.kubernetes.io/name": name},
                                   "ports": [{"port": recipe.port, "targetPort": inside}]}})
    return documents


def _probes(member: Member, inside: int | None, cannot: list[str]) -> dict[str, Any]:
    handler = _handler(member, inside, cannot)
    if handler is None:
        return {}
    grace = member.grace()
    return {"startupProbe": {**handler, "periodSeconds": 1, "failureThreshold": grace,
                             "timeoutSeconds": 1},
            "readinessProbe": {**handler, "periodSeconds": 10, "failureThreshold": 3,
                               "timeoutSeconds": 5},
            "livenessProbe": {**handler, "periodSeconds": 10, "failureThreshold": 3,
                              "timeoutSeconds": 5}}


def _handler(member: Member, inside: int | None, cannot: list[str]) -> dict[str, Any] | None:
    """One probe handler: a plain connect or GET as Kubernetes' own, else a command running
    every check inside the container (at the port inside)."""
    verify, port = member.recipe.verify.checks, member.recipe.port
    checks = shell.runnable(member)
    cannot += shell.unrunnable(member)
    for kind in ("log", "connects"):
        if kind in verify:
            cannot.append(f"{member.name}: verify.{kind}: a Kubernetes probe cannot read the "
                          "log or the connections a process holds")
    if not checks:
        return None
    only = checks[0]
    here = inside if inside is not None else port
    if len(checks) == 1 and isinstance(only, TcpSpec) and only.send is None:
        return {"tcpSocket": {"port": _inside_port(only.target, port, here)}}
    if len(checks) == 1 and isinstance(only, HttpSpec) and shell.plain_get(only):
        parts = urlsplit(only.url)
        target = parts.port or (443 if parts.scheme == "https" else 80)
        return {"httpGet": {"path": parts.path or "/", "scheme": parts.scheme.upper(),
                            "port": here if target == port and here else target}}
    image = compose.image_of(member)
    commands = []
    for spec in checks:
        if isinstance(spec, TcpSpec) and image is not None:
            commands.append(image.ready.replace("PORT", str(image.port)))
        elif isinstance(spec, TcpSpec):
            commands.append(shell.tcp(spec, _inside_port(spec.target, port, here)))
        elif isinstance(spec, HttpSpec):
            commands.append(shell.curl(spec, compose.inside_url(spec.url, port, here)))
        else:
            commands.append(compose.inside_command(shell.check_command(spec), port, here,
                                                   cannot, member.name))
    return {"exec": {"command": ["/bin/sh", "-c", shell.all_of(commands)]}}


def _inside_port(target: str, port: int | None, inside: int | None) -> int:
    seen = int(target.rpartition(":")[2])
    return inside if inside is not None and seen == port else seen


def _init_containers(stack: Stack, member: Member, cannot: list[str]) -> list[dict[str, Any]]:
    waits = []
    for name in member.recipe.after:
        other = stack.member(name)
        if other is None or other.recipe.external:
            continue
        if other.recipe.port is None or other.recipe.oneshot:
            cannot.append(f"{member.name}: comes after {name}, which has no Service to wait "
                          "for: Kubernetes starts it without waiting")
            continue
        host, port = _name(name), other.recipe.port
        waits.append({"name": f"wait-for-{host}", "image": WAITER, "command": [
            "sh", "-c", f"until nc -z -w 2 {host} {port}; do echo waiting for {host}:{port}; "
                        "sleep 1; done"]})
    return waits


def _environment(stack: Stack, member: Member) -> dict[str, str]:
    """The plain env, 127.0.0.1:PORT of another service as that service's Service (at the
    same port), and X_HOST=127.0.0.1 beside X_PORT=PORT likewise."""
    def owner(port: str) -> str | None:
        found = next((m for m in stack.members if str(m.recipe.port) == port.strip()
                      and not m.recipe.external and m is not member), None)
        return _name(found.name) if found else None

    env = {key: LOOPBACK.sub(lambda match: owner(match.group(1)) or match.group(0), value)
           for key, value in member.plain_env().items()}
    for key, value in list(env.items()):
        named = owner(env.get(key.removesuffix("HOST") + "PORT", ""))
        if key.endswith("HOST") and value in ("127.0.0.1", "localhost") and named:
            env[key] = named
    return env


def _name(name: str) -> str:
    """A recipe's name as Kubernetes names things (DNS labels: no underscores)."""
    return name.replace("_", "-")
