"""A host name the service's code connects to (a compose service name written into it) resolves
to this machine; fix: a hosts alias, asked for, recorded, and undone by `bringup reset --all`."""

from __future__ import annotations

import ipaddress
import socket

from bringup.core.problems import Problem
from bringup.core.service import Service
from bringup.recipe.model import Need


def check(service: Service, need: Need) -> Problem | None:
    found = resolved(need.value)
    if found and all(ipaddress.ip_address(address).is_loopback for address in found):
        return None
    where = f"resolves to {', '.join(sorted(found))}" if found else "does not resolve here"
    message = (f"host name {need.value} {where}: its code connects to it, and the service it "
               "names runs on this machine")
    from bringup.remedies import machine  # the remedies and the diagnosis they read: on a miss

    fix = machine.hosts_alias(service, need.value)
    hint = None if fix else machine.by_hand(need.value, service.ctx.hosts_file)
    return Problem(need.value, message, fixes=(fix,) if fix else (), hint=hint)


def resolved(host: str) -> set[str]:
    try:
        return {str(info[4][0]).partition("%")[0] for info in socket.getaddrinfo(host, None)}
    except (OSError, UnicodeError):
        return set()
