"""The kernel's table of TCP sockets, read as `ss` reads it: a sock_diag dump over netlink that
asks for the states wanted only (the listening sockets come from their own small hash table, in
a tenth of a millisecond) and, given a port, lets the kernel's own filter pass only the sockets
bound to it; else /proc/net/tcp and tcp6 (which walk every socket of the machine: milliseconds).
Neither says which process holds a socket; its inode does, matched against the descriptors of
the processes that matter (bringup.processes.ports)."""

from __future__ import annotations

import atexit
import socket
import struct
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ESTABLISHED, LISTEN = 1, 10  # the kernel's TCP states (include/net/tcp_states.h)

_SOCK_DIAG, _BY_FAMILY = 4, 20  # NETLINK_SOCK_DIAG, SOCK_DIAG_BY_FAMILY
_REQUEST, _DUMP = 0x1, 0x300  # NLM_F_REQUEST, NLM_F_DUMP
_ERROR, _DONE = 2, 3  # NLMSG_ERROR, NLMSG_DONE
_HEADER = struct.Struct("=IHHII")  # struct nlmsghdr
_ASK = struct.Struct("=BBBBI48x")  # struct inet_diag_req_v2, its socket id left empty
_BYTECODE = 1  # INET_DIAG_REQ_BYTECODE: a filter program the kernel runs on each socket
_ATTRIBUTE = struct.Struct("=HH")  # struct rtattr
_SOURCE_AT_LEAST, _SOURCE_AT_MOST = 2, 3  # INET_DIAG_BC_S_GE, INET_DIAG_BC_S_LE
_OP = struct.Struct("=BBH")  # struct inet_diag_bc_op: code, bytes on if yes, bytes on if no
_SOCKET = struct.Struct("=BB2x2s2s16s16s12x16xI")  # struct inet_diag_msg, up to its inode


@dataclass(frozen=True)
class KernelSocket:
    ip: str
    port: int
    remote_ip: str
    remote_port: int
    state: int
    inode: int
    family: int  # socket.AF_INET or AF_INET6: the table it was read from


BOTH = (socket.AF_INET, socket.AF_INET6)


def table(*states: int, port: int | range | None = None,
          families: tuple[int, ...] = BOTH) -> list[KernelSocket] | None:
    """The TCP sockets (of these families: IPv4 and IPv6 unless told) in these states, only
    those bound to `port` (or to a port in its range) when given; None where the kernel shows
    no table (not Linux). Where netlink is refused, /proc's table is read, which holds both
    families."""
    ports = range(port, port + 1) if isinstance(port, int) else port
    found: list[KernelSocket] = []
    for family in families:
        try:
            found += _dumped(family, states, ports)
        except OSError:  # no netlink here, a sandbox refuses it, IPv6 is off: /proc says which
            return _from_proc(states, ports)
    return found


class _Open:
    """A netlink socket, closed when the thread that holds it ends (its locals go with it)."""

    def __init__(self) -> None:
        self.socket = socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, _SOCK_DIAG)
        self.socket.settimeout(2.0)

    def __del__(self) -> None:
        made = getattr(self, "socket", None)  # None: the kernel refused to make one
        if made is not None:
            made.close()


class _Link(threading.local):
    """Each thread's own netlink socket, kept open between dumps (`watch` asks one a second
    for each service), and the number of its last request."""

    open: _Open | None = None
    sequence: int = 0


_LINK = _Link()
atexit.register(lambda: setattr(_LINK, "open", None))  # the main thread's, before shutdown


def _dumped(family: int, states: Iterable[int], ports: range | None) -> list[KernelSocket]:
    if not hasattr(socket, "AF_NETLINK"):
        raise OSError("no netlink")
    mask = sum(1 << state for state in set(states))
    ask = _ASK.pack(family, socket.IPPROTO_TCP, 0, 0, mask) + _only_ports(ports)
    if _LINK.open is None:
        _LINK.open = _Open()
    link = _LINK.open.socket
    _LINK.sequence = sequence = _LINK.sequence % 0xFFFFFFFF + 1
    try:
        link.sendto(_HEADER.pack(_HEADER.size + len(ask), _BY_FAMILY, _REQUEST | _DUMP,
                                 sequence, 0) + ask, (0, 0))
        return _answer(link, sequence)
    except OSError:  # what is left unread on it would answer the next dump: start afresh
        _LINK.open = None
        raise


def _answer(link: socket.socket, sequence: int) -> list[KernelSocket]:
    found: list[KernelSocket] = []
    while True:
        data, at = link.recv(1 << 16), 0
        while at + _HEADER.size <= len(data):
            length, kind, _, answering = _HEADER.unpack_from(data, at)[:4]
            if length < _HEADER.size:
                raise OSError("sock_diag sent a message shorter than its header")
            if answering == sequence:  # an answer to an earlier dump is passed over
                if kind == _DONE:
                    return found
                if kind == _ERROR:
                    raise OSError(f"sock_diag refused the dump (message {kind})")
                found.append(_diagnosed(data, at + _HEADER.size))
            at += (length + 3) & ~3


def _only_ports(ports: range | None) -> bytes:
    """The filter `ss 'sport >= :LOW and sport <= :HIGH'` hands the kernel: source port at
    least the range's first, then at most its last; a failed test jumps past the program's end
    (4 bytes beyond it), which drops the socket. Each comparison is an op followed by one that
    carries the port."""
    if ports is None:
        return b""
    if not ports:
        raise ValueError("an empty range of ports")
    program = (_OP.pack(_SOURCE_AT_LEAST, 8, 20) + _OP.pack(0, 0, ports[0])
               + _OP.pack(_SOURCE_AT_MOST, 8, 12) + _OP.pack(0, 0, ports[-1]))
    return _ATTRIBUTE.pack(_ATTRIBUTE.size + len(program), _BYTECODE) + program


def _diagnosed(data: bytes, at: int) -> KernelSocket:
    family, state, sport, dport, src, dst, inode = _SOCKET.unpack_from(data, at)
    size = 4 if family == socket.AF_INET else 16
    return KernelSocket(plain(socket.inet_ntop(family, src[:size])), int.from_bytes(sport, "big"),
                        plain(socket.inet_ntop(family, dst[:size])), int.from_bytes(dport, "big"),
                        state, inode, family)


def _from_proc(states: Iterable[int], ports: range | None = None) -> list[KernelSocket] | None:
    wanted = set(states)
    found: list[KernelSocket] = []
    for path in (Path("/proc/net/tcp"), Path("/proc/net/tcp6")):
        try:
            with path.open(encoding="ascii") as lines:
                next(lines, None)  # the heading
                found += (sock for sock in map(_proc_line, lines)
                          if sock.state in wanted and (ports is None or sock.port in ports))
        except FileNotFoundError:
            if path.name == "tcp6":
                continue  # IPv6 is off
            return None
        except (OSError, ValueError, IndexError):
            return None
    return found


def _proc_line(line: str) -> KernelSocket:
    fields = line.split()
    local, remote = fields[1].split(":"), fields[2].split(":")
    family = socket.AF_INET if len(local[0]) == 8 else socket.AF_INET6
    return KernelSocket(_proc_ip(local[0]), int(local[1], 16), _proc_ip(remote[0]),
                        int(remote[1], 16), int(fields[3], 16), int(fields[9]), family)


def _proc_ip(hexed: str) -> str:
    """An address as /proc writes it: each 32-bit word in the machine's byte order."""
    raw = bytes.fromhex(hexed)
    if sys.byteorder == "little":
        raw = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
    return plain(socket.inet_ntop(socket.AF_INET if len(raw) == 4 else socket.AF_INET6, raw))


def plain(ip: str) -> str:
    """An address as one spelling: IPv4-mapped IPv6 (::ffff:127.0.0.1) as IPv4, no zone."""
    ip = ip.split("%", maxsplit=1)[0]
    return ip.removeprefix("::ffff:") if ip.startswith("::ffff:") and "." in ip else ip


def held_by(pids: Iterable[int]) -> set[int] | None:
    """The socket inodes these processes hold; None when one's descriptors cannot be read
    (another user's process, or no /proc)."""
    held: set[int] = set()
    for pid in pids:
        try:
            descriptors = list(Path(f"/proc/{pid}/fd").iterdir())
        except FileNotFoundError:
            continue  # it ended meanwhile
        except OSError:
            return None
        for descriptor in descriptors:
            try:
                link = str(descriptor.readlink())
            except OSError:
                continue
            if link.startswith("socket:["):
                held.add(int(link[8:-1]))
    return held
