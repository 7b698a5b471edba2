"""Who holds a port on this machine, and a free one when a service must move.

psutil's table of every socket with its pid reads every process's file descriptors (tens of
milliseconds, with the interpreter lock held): on Linux the kernel's socket table is read instead
(bringup.processes.sockets), and a socket is matched to the service by the descriptors of the
service's own processes. psutil's table stays for naming a stranger, and for the systems
without /proc."""

from __future__ import annotations

import socket
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from bringup.processes import sockets
from bringup.processes.sockets import plain
from bringup.processes.supervisor import Handle, alive, belongs, tree


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
    import psutil

    try:
        connections = psutil.net_connections(kind="inet")
    except psutil.AccessDenied:
        return set()
    return {conn.pid for conn in connections
            if conn.status == psutil.CONN_LISTEN and conn.laddr and conn.laddr.port == port
            and conn.pid is not None}


def listening(handle: Handle) -> set[int]:
    """The TCP ports the service's processes listen on."""
    kernel, held = sockets.table(sockets.LISTEN), _inodes(handle)
    if kernel is not None and held is not None:
        return {sock.port for sock in kernel if sock.inode in held}
    listeners = _listeners(_all_sockets(handle))
    mine = _own(handle, (pid for _, _, pid in listeners))
    return {port for _, port, pid in listeners if pid in mine}


def connected_to(handle: Handle) -> set[tuple[str, int]]:
    """The remote addresses the service's processes hold an established TCP connection to."""
    import psutil

    kernel, inodes = sockets.table(sockets.ESTABLISHED), _inodes(handle)
    if kernel is not None and inodes is not None:
        return {(sock.remote_ip, sock.remote_port) for sock in kernel if sock.inode in inodes}
    held = [(conn.raddr, pid) for conn, pid in _all_sockets(handle)
            if conn.status == psutil.CONN_ESTABLISHED and conn.raddr]
    mine = _own(handle, (pid for _, pid in held))
    return {(plain(remote.ip), remote.port) for remote, pid in held if pid in mine}


@dataclass(frozen=True)
class Reached:
    """Who takes a connection to an address: the service's own processes, or these others."""

    own: bool
    others: tuple[int, ...] = ()


class Listening:
    """The sockets listening on these ports, read from the kernel once, for a round of checks
    that each connected to one of them: one dump instead of one a check. Read after all their
    connects, never before one: the table must show who listened when the connection was made,
    or a listener swapped in between would pass for the one that answered."""

    def __init__(self, ports: Collection[int]) -> None:
        kernel = sockets.table(sockets.LISTEN, port=range(min(ports), max(ports) + 1)) \
            if ports else []
        self._found: dict[tuple[int, int], list[sockets.KernelSocket]] | None = None
        if kernel is not None:
            self._found = {}
            for sock in kernel:
                self._found.setdefault((sock.port, sock.family), []).append(sock)

    def on(self, port: int, family: int) -> list[sockets.KernelSocket] | None:
        """Those bound to `port` in that family's table; None: the table could not be read."""
        return None if self._found is None else self._found.get((port, family), [])


def reached_by(ip: str, port: int, handle: Handle, *,
               listening: Listening | None = None) -> Reached | None:
    """Does a connection to `ip`:`port` reach a socket of the service's processes? The kernel
    hands it to the listener bound to that very address, else to one bound to the any-address.
    None: nothing bringup can see listens there, or only a socket it cannot attribute.
    For an IPv4 address the IPv4 listeners are read first: one of them that takes the
    connection excludes any IPv6 one (Linux refuses to bind both), so the IPv6 table is read
    only when none does. `listening`: the listeners as read once after the connection (else
    they are read now)."""
    target = plain(ip)
    reaching: list[int] | None = None  # None: the kernel's table could not be read
    for family in (socket.AF_INET6,) if ":" in target else (socket.AF_INET, socket.AF_INET6):
        kernel = listening.on(port, family) if listening is not None else \
            sockets.table(sockets.LISTEN, port=port, families=(family,))
        if kernel is None:
            break
        reaching = _chosen([(sock.ip, sock.inode) for sock in kernel if sock.port == port],
                           target)
        if reaching:
            break
    if reaching is not None:
        if not reaching:
            return None
        if _holds(handle, reaching):
            return Reached(own=True)
    return _psutils_answer(ip, port, handle)  # not its own, it seems: psutil names whose it is


def _holds(handle: Handle, inodes: list[int]) -> bool:
    """Do the service's processes hold one of these sockets? Its own process is asked first: it
    is the one that listens, mostly, and the whole tree costs a look at every process."""
    if _OWN_SOCKETS.get(handle, frozenset()).intersection(inodes):
        return True  # still listening, and found the service's before: sockets are not reused
    held = sockets.held_by([handle.pid]) if alive(handle) else None
    if not (held and held.intersection(inodes)):
        held = _inodes(handle)
    found = frozenset((held or set()).intersection(inodes))
    if found:
        if len(_OWN_SOCKETS) > 1024:
            _OWN_SOCKETS.clear()
        _OWN_SOCKETS[handle] = found
    return bool(found)


# The listening sockets each service's processes were seen to hold, by the handle of the process
# bringup started: a socket's inode names it until it is closed, so a later check of the same
# port finds it listening and needs no look at any process's descriptors.
_OWN_SOCKETS: dict[Handle, frozenset[int]] = {}


def _psutils_answer(ip: str, port: int, handle: Handle) -> Reached | None:
    listeners = [(bound, number, pid) for bound, number, pid in
                 _listeners(_all_sockets(handle)) if number == port]
    chosen = _chosen([(bound, pid) for bound, _, pid in listeners], plain(ip))
    if not chosen:
        return None
    if _own(handle, chosen):
        return Reached(own=True)
    if None in chosen:
        return None  # another user's socket: it may be the service's
    return Reached(own=False, others=tuple(sorted({pid for pid in chosen if pid is not None})))


T = TypeVar("T")


def _chosen(listeners: list[tuple[str, T]], target: str) -> list[T]:
    """Of the (address, holder) listeners on a port, those a connection to `target` reaches."""
    exact = [who for bound, who in listeners if bound == target]
    return exact or [who for bound, who in listeners if _covers(bound, target)]


def _inodes(handle: Handle) -> set[int] | None:
    """The socket inodes the service's processes hold (None: not all can be read)."""
    return sockets.held_by(process.pid for process in tree(handle))


Socket = tuple[Any, int | None]  # psutil's socket, and the pid that holds it (None: unknown)


def _all_sockets(handle: Handle) -> list[Socket]:
    """The machine's TCP sockets, with their pids; where that table is closed to bringup
    (macOS without root), those of the service's own processes."""
    import psutil

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
    import psutil

    return [(plain(conn.laddr.ip), conn.laddr.port, pid) for conn, pid in sockets
            if conn.status == psutil.CONN_LISTEN and conn.laddr]


def _covers(bound: str, target: str) -> bool:
    """Does a socket bound to `bound` (an any-address) take connections to `target`?"""
    if bound == "0.0.0.0":
        return ":" not in target
    return bound == "::"  # dual-stack by default: IPv6 and IPv4 both


def holder(port: int, among: Iterable[int] | None = None) -> Holder | None:
    """The first process listening on `port` (or the first of `among` that still runs): the
    one to name when the port is taken."""
    pids = sorted(listener_pids(port) if among is None else among)
    if not pids:
        return None
    import psutil

    for pid in pids:
        try:
            process = psutil.Process(pid)
            return Holder(pid, process.name(), " ".join(process.cmdline())[:200])
        except psutil.Error:
            continue
    return None


def in_use(port: int) -> bool:
    kernel = sockets.table(sockets.LISTEN, port=port)
    listened = (any(sock.port == port for sock in kernel) if kernel is not None
                else bool(listener_pids(port)))
    return listened or answers(port) or answers(port, "::1")


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
