"""Readiness must be the service's own: a port that answers counts only when the service's own
processes listen on it. Otherwise whoever answered is named (a second redis on the same port
is not this one becoming ready)."""

from __future__ import annotations

import ipaddress
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from bringup.checks.base import Address, Probe

if TYPE_CHECKING:
    from bringup.processes.ports import Listening


def stranger(probe: Probe, address: Address, *, reached: str | None = None,
             listening: Listening | None = None) -> str | None:
    """Who answered at `address` instead of the service; None when its own processes did, or
    when nothing can be said (no process of its own, a remote host). `reached`: the IP address
    the connection went to, when the check knows it (else the first one the host resolves to
    that anything listens on); `listening`: the listeners read once after a round of connects
    (else they are read now)."""
    from bringup.processes import ports  # psutil and the kernel's socket table: checks only

    host, port = address
    if probe.handle is None:
        return None
    for ip in [reached] if reached else _resolved(host, port):
        if not _here(ip):
            return None
        taken = ports.reached_by(ip, port, probe.handle, listening=listening)
        if taken is not None:
            return None if taken.own else _who(port, taken.others)
    return None


def _who(port: int, pids: tuple[int, ...]) -> str:
    """Name the process that took the connection: not any listener on the port, which may be
    the service itself on another address."""
    from bringup.processes import ports

    holder = ports.holder(port, pids)
    return holder.describe() if holder else "a process bringup cannot see (another user's?)"


def _resolved(host: str, port: int) -> list[str]:
    import socket

    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        return []
    return list(dict.fromkeys(str(entry[4][0]) for entry in found))


@lru_cache(maxsize=256)  # the few addresses the checks reach, asked each second by watch
def _here(ip: str) -> bool:
    """Whether `ip` is this machine: loopback, any-address, or one of its own addresses."""
    try:
        address = ipaddress.ip_address(ip.split("%", maxsplit=1)[0])
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified or ip in _own_addresses()


@cache
def _own_addresses() -> frozenset[str]:
    import socket

    import psutil

    return frozenset(entry.address.split("%")[0] for entries in psutil.net_if_addrs().values()
                     for entry in entries if entry.family in (socket.AF_INET, socket.AF_INET6))
