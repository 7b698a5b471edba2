"""Facts, not guesses: what the machine and the workspace can tell about a finding read from a
log (who holds a port, which recipe owns an address, which variable holds a host name), and the
findings those facts sharpen. Each fact is decided, and phrased, here once."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from bringup.checks import Outcome
from bringup.checks.tcp import split_target
from bringup.core.context import Context
from bringup.core.service import Service
from bringup.diagnosis import Finding, loopback_mismatch, unresolved
from bringup.processes import ports, supervisor, tags
from bringup.processes.ports import Holder

URL_HOST = re.compile(r"://(?:[^@/\s]*@)?([A-Za-z][\w.-]*?)(?=[:/?]|$)")
HOST_PORT = re.compile(r"^([A-Za-z][\w.-]*):\d+$")
LOOPBACKS = {"localhost": ("127.0.0.1", "::1"), "127.0.0.1": ("::1",), "::1": ("127.0.0.1",)}


def add_facts(service: Service, findings: list[Finding]) -> list[Finding]:
    """The findings with what the machine knows about them: a holder named, an owner, a fix."""
    found = [FACTS.get(finding.kind, _as_is)(service, finding) for finding in findings]
    return [replace(finding, fix=finding.fix.replace("SERVICE", service.name)) for finding in found]


def _as_is(service: Service, finding: Finding) -> Finding:
    return finding


def port_owner(ctx: Context, port: int, *, besides: str | None = None) -> str | None:
    """The recipe that declares `port`: as its own `port` first, else as a port its checks
    reach (a service may check another's URL; its own port says more)."""
    others = [(name, recipe) for name, recipe in ctx.workspace.recipes.items() if name != besides]
    owners = [name for name, recipe in others if recipe.port == port]
    owners += [name for name, recipe in others if port in recipe.ports()]
    return owners[0] if owners else None


def bringup_service_holding(ctx: Context, pid: int) -> str | None:
    """The service of this workspace whose process `pid` is (recorded, or carrying its tag)."""
    for name, entry in ctx.state.services.items():
        handle = entry.handle
        if handle and supervisor.belongs(handle, pid):
            return name
    workspace, _, rest = (tags.tag_of(pid) or "").partition("/")
    return (rest.partition("/")[0] or None) if workspace == ctx.workspace.tag else None


def port_held(ctx: Context, port: int, holder: Holder | None) -> str:
    """The one phrase for a port someone holds: who, and whether bringup started it."""
    if holder is None:
        return f"port {port} is held by a process bringup cannot see (another user's?)"
    owner = bringup_service_holding(ctx, holder.pid)
    whose = f"bringup's own {owner}" if owner else "which bringup did not start"
    return f"port {port} is held by {holder.describe()}, {whose}"


def _port_in_use(service: Service, finding: Finding) -> Finding:
    port = int(finding.subject) if finding.subject.isdigit() else (
        service.recipe.port or _held_port_named(service))
    holder = ports.holder(port) if port else None
    if port is None or holder is None:
        return finding
    return replace(finding, subject=str(port),
                   evidence=f"{finding.evidence} [{port_held(service.ctx, port, holder)}]")


def _held_port_named(service: Service) -> int | None:
    """When the log does not say which port: a port the command or the env names that is held."""
    text = " ".join([service.recipe.command_text(), *service.env_values()])
    numbers = dict.fromkeys(int(n) for n in re.findall(r"(?<![\d.])(\d{4,5})(?![\d.])", text))
    return next((n for n in numbers if 1024 <= n <= 65535 and ports.in_use(n)), None)


def _refused(service: Service, finding: Finding) -> Finding:
    if "host" in finding.observed:  # a wait for a host the line names, that does not resolve
        host = finding.subject.rpartition(":")[0] or finding.subject
        if host not in service.ctx.workspace.recipes and not resolves(host):
            return _unresolvable(service, Finding.build(
                "unresolvable-host", host, fix=finding.fix, evidence=finding.evidence))
    try:
        _, port = split_target(finding.subject)
    except ValueError:
        return _named(service, finding)
    owner = port_owner(service.ctx, port, besides=service.name)
    if owner is None:
        return finding
    fix = (f"start {owner} first: it owns {finding.subject} and is {_standing(service.ctx, owner)}"
           f"; add {owner} to `after` so it is proven before {service.name}")
    return replace(finding, fix=fix)


def _named(service: Service, finding: Finding) -> Finding:
    """A wait that names what it waits for without a port ("Waiting for db"): a recipe of that
    name is the address it means."""
    recipe = service.ctx.workspace.recipes.get(finding.subject)
    if recipe is None or recipe.port is None or recipe.name == service.name:
        return finding
    return _refused(service, replace(finding, subject=f"127.0.0.1:{recipe.port}"))


def resolves(host: str) -> bool:
    import socket

    try:
        socket.getaddrinfo(host, None)
    except (OSError, UnicodeError):
        return False
    return True


def _standing(ctx: Context, name: str) -> str:
    entry = ctx.state.of(name)
    if entry.status == "proven":
        alive = entry.handle is not None and supervisor.alive(entry.handle)
        return "proven and running" if alive else "proven but down"
    return "not started yet" if entry.attempts == 0 else f"{entry.status}, not running"


def host_variable(service: Service, host: str) -> str | None:
    """The variable of the service's own environment whose value names `host`."""
    env = service.env()
    own = [*service.recipe.env, *_env_file_keys(service)]
    pattern = re.compile(rf"(^|[/@:=,\s]){re.escape(host)}($|[:/,\s])")
    for key in own:
        if pattern.search(env.get(key, "")):
            return key
    return None


def _env_file_keys(service: Service) -> list[str]:
    from bringup.recipe.env import read_env_file

    if not service.recipe.env_file:
        return []
    return list(read_env_file(service.path(service.recipe.env_file)))


@dataclass(frozen=True)
class HostRoute:
    """How a stack host name that does not resolve here reaches loopback: through the variable
    that holds it, or (None: it is written into the code) through a hosts alias."""

    host: str
    variable: str | None


def host_route(service: Service, host: str) -> HostRoute | None:
    """The route for `host`, when it is a name of this stack (None: it is some other host)."""
    if not looks_like_compose(service, host):
        return None
    return HostRoute(host, host_variable(service, host))


def looks_like_compose(service: Service, host: str) -> bool:
    """A name that stands for a service of this stack: a single label (redis, db), the name of
    a recipe, or a name that a variable pairs with a port one of the recipes declares."""
    if host == "unknown":
        return False
    if "." not in host or host in service.ctx.workspace.recipes:
        return True
    variable = host_variable(service, host)
    value = service.env().get(variable or "", "")
    paired = re.search(rf"{re.escape(host)}:(\d+)", value)
    return bool(paired and port_owner(service.ctx, int(paired.group(1)), besides=service.name))


def _stack_hosts(service: Service) -> list[str]:
    """Host names in the service's own env that look like compose service names."""
    found: list[str] = []
    for value in service.env_values():
        for host in URL_HOST.findall(value) + HOST_PORT.findall(value):
            if host not in ("localhost", *found) and looks_like_compose(service, host):
                found.append(host)
    return found


def _unresolvable(service: Service, finding: Finding) -> Finding:
    if service.recipe.external:  # somewhere else, by design: not a name of this stack
        return replace(finding, fix=external_unresolvable(service, finding.subject))
    if finding.subject == "unknown":
        named = _stack_hosts(service)
        if len(named) == 1:
            finding = replace(finding, subject=named[0])
    route = host_route(service, finding.subject)
    if route is None:
        return finding
    if route.variable:
        fix = (f"use 127.0.0.1 in env {route.variable} instead of {route.host} "
               "(a compose service name)")
    else:
        fix = (f"no variable holds {route.host}: it is written into the code; add the alias "
               f"`127.0.0.1 {route.host}` to /etc/hosts (bringup adds it when it runs as root)")
    return replace(finding, fix=fix)


def external_unresolvable(service: Service, host: str) -> str:
    return (f"{host} does not resolve from this machine: check the name in "
            f"recipes/{service.recipe.file.name}, then the DNS or VPN that should know it "
            f"(`getent hosts {host}` asks what bringup asked); an external service is only "
            "checked, so bringup changes nothing for it")


def other_loopback(host: str, port: int) -> str | None:
    """The other loopback address that answers on `port` when `host` did not."""
    return next((other for other in LOOPBACKS.get(host, ()) if ports.answers(port, other)), None)


def loopback(outcomes: list[Outcome]) -> Finding | None:
    """A refused check on one loopback while the other one answers: `localhost` went astray."""
    for outcome in outcomes:
        if outcome.ok or outcome.address is None:
            continue
        host, port = outcome.address
        other = other_loopback(host, port)
        if other is not None:
            shown = f"[{host}]" if ":" in host else host
            return loopback_mismatch(f"{shown}:{port}", listens_on=other,
                                     evidence=f"{outcome.kind} {outcome.target}: "
                                              f"{outcome.detail}; {other}:{port} answers")
    return None


def unresolved_check(service: Service, outcomes: list[Outcome]) -> Finding | None:
    """A check whose own address names a host that does not resolve here."""
    for outcome in outcomes:
        if outcome.unresolved and outcome.address is not None:
            return _unresolvable(service, unresolved(
                outcome.address[0], evidence=f"{outcome.kind} {outcome.target}: "
                                             f"{outcome.detail}"))
    return None


FACTS: dict[str, Callable[[Service, Finding], Finding]] = {
    "port-in-use": _port_in_use,
    "connection-refused": _refused,
    "unresolvable-host": _unresolvable,
}
