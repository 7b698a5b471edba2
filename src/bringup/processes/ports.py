"""Who holds a port on this machine, and a free one when a service must move."""

from __future__ import annotations

import socket
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

import psutil

from bringup.processes.supervisor import Handle, belongs, tree


@dataclass(frozen=True)
class Holder:
    pid: int
    name: str
    cmdline: str

    def describe(self) -> str:
        return f"pid {self.pid} ({self.name}: {self.cmdline})" if self.cmdline else \
            f"pid {self.pid} ({self.name})"


def answers(port: int, host: str = "127.0.0.1", timeout: float = 0.3) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def listener_pids(port: int) -> set[int]:
    try:
        connections = psutil.net_connections(kind="inet")
    except psutil.AccessDenied:
        return set()
    return {conn.pid for conn in connections
            if conn.status == psutil.CONN_LISTEN and conn.laddr and conn.laddr.port == port
            and conn.pid is not None}


def listening(handle: Handle) -> set[int]:
    """The TCP ports the service's processes listen on."""
    listeners = _listeners(_all_sockets(handle))
    mine = _own(handle, (pid for _, _, pid in listeners))
    return {port for _, port, pid in listeners if pid in mine}


def connected_to(handle: Handle) -> set[tuple[str, int]]:
    """The remote addresses the service's processes hold an established TCP connection to."""
    held = [(conn.raddr, pid) for conn, pid in _all_sockets(handle)
            if conn.status == psutil.CONN_ESTABLISHED and conn.raddr]
    mine = _own(handle, (pid for _, pid in held))
    return {(_plain(remote.ip), remote.port) for remote, pid in held if pid in mine}


@dataclass(frozen=True)
class Reached:
    """Who takes a connection to an address: the service's own processes, or these others."""

    own: bool
    others: tuple[int, ...] = ()


def reached_by(ip: str, port: int, handle: Handle) -> Reached | None:
    """Does a connection to `ip`:`port` reach a socket of the service's processes? The kernel
    hands it to the listener bound to that very address, else to one bound to the any-address.
    None: nothing bringup can see listens there, or only a socket it cannot attribute."""
    listeners = [(bound, pid) for bound, number, pid in _listeners(_all_sockets(handle))
                 if number == port]
    target = _plain(ip)
    exact = [pid for bound, pid in listeners if bound == target]
    chosen = exact or [pid for bound, pid in listeners if _covers(bound, target)]
    if not chosen:
        return None
    if _own(handle, chosen):
        return Reached(own=True)
    if None in chosen:
        return None  # another user's socket: it may be the service's
    return Reached(own=False, others=tuple(sorted({pid for pid in chosen if pid is not None})))


Socket = tuple[Any, int | None]  # psutil's socket, and the pid that holds it (None: unknown)


def _all_sockets(handle: Handle) -> list[Socket]:
    """The machine's TCP sockets, with their pids; where that table is closed to bringup
    (macOS without root), those of the service's own processes."""
    try:
        return [(conn, conn.pid) for conn in psutil.net_connections(kind="tcp")]
    except psutil.AccessDenied:
        found: list[Socket] = []
        for process in tree(handle):
            try:
                found += [(conn, process.pid) for conn in process.net_connections(kind="tcp")]
            except psutil.Error:
                continue
        return found


def _own(handle: Handle, pids: Iterable[int | None]) -> set[int]:
    """Those of `pids` that are the service's processes, each judged once."""
    return {pid for pid in set(pids) if pid is not None and belongs(handle, pid)}


def _listeners(sockets: list[Socket]) -> list[tuple[str, int, int | None]]:
    """(address, port, pid) of each listening socket."""
    return [(_plain(conn.laddr.ip), conn.laddr.port, pid) for conn, pid in sockets
            if conn.status == psutil.CONN_LISTEN and conn.laddr]


def _plain(ip: str) -> str:
    """An address as one spelling: IPv4-mapped IPv6 (::ffff:127.0.0.1) as IPv4, no zone."""
    ip = ip.split("%", maxsplit=1)[0]
    return ip.removeprefix("::ffff:") if ip.startswith("::ffff:") and "." in ip else ip


def _covers(bound: str, target: str) -> bool:
    """Does a socket bound to `bound` (an any-address) take connections to `target`?"""
    if bound == "0.0.0.0":
        return ":" not in target
    return bound == "::"  # dual-stack by default: IPv6 and IPv4 both


def holder(port: int, among: Iterable[int] | None = None) -> Holder | None:
    """The first process listening on `port` (or the first of `among` that still runs): the
    one to name when the port is taken."""
    for pid in sorted(listener_pids(port) if among is None else among):
        try:
            process = psutil.Process(pid)
            return Holder(pid, process.name(), " ".join(process.cmdline())[:200])
        except psutil.Error:
            continue
    return None


def in_use(port: int) -> bool:
    return bool(listener_pids(port)) or answers(port) or answers(port, "::1")


def free_port(near: int | None = None, *, avoid: Collection[int] = ()) -> int:
    """A port nothing listens on and not in `avoid` (the ports other recipes declare, free now
    only because their service is down): the next few above `near` first, else one the kernel
    picks."""
    for candidate in range(near + 1, near + 50) if near else ():
        if (candidate <= 65535 and candidate not in avoid and not in_use(candidate)
                and _bindable(candidate)):
            return candidate
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            picked = int(sock.getsockname()[1])
        if picked not in avoid:
            return picked


def _bindable(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True
