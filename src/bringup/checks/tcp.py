"""tcp: the port accepts a connection; optionally a request gets an expected reply."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bringup.checks.base import UNRESOLVED, Address, Outcome, Probe, Spec, alone
from bringup.checks.ownership import stranger
from bringup.tables import Table

if TYPE_CHECKING:
    import socket

    from bringup.processes.ports import Listening

KEYS: Mapping[str, tuple[type, ...]] = {"tcp": (int, str), "tcp_send": (str,), "tcp_expect": (str,)}
ADDRESS_KEYS: tuple[str, ...] = ("tcp",)


@dataclass(frozen=True)
class TcpSpec(Spec):
    target: str  # host:port
    send: str | None = None
    expect: str | None = None

    def address(self) -> Address:
        return split_target(self.target)


def at_port(port: int) -> TcpSpec:
    """The check a service with a port and no other check gets: a connect to it."""
    return TcpSpec(f"127.0.0.1:{port}")


def read(table: Table) -> TcpSpec | None:
    value = table.get("tcp", KEYS["tcp"])
    if value is None:
        alone(table, "tcp", ("tcp_send", "tcp_expect"))
        return None
    return TcpSpec(_target(table, value), table.nonempty("tcp_send"), table.nonempty("tcp_expect"))


def _target(table: Table, value: int | str) -> str:
    if isinstance(value, int):
        if not 1 <= value <= 65535:
            raise table.fail("tcp", f"expected a port from 1 to 65535, got {value}")
        return f"127.0.0.1:{value}"
    host, _, number = value.rpartition(":")
    if not host or not number.isdigit() or not 1 <= int(number) <= 65535:
        raise table.fail("tcp", f"expected a port or \"host:port\", got {value!r}")
    return value


def split_target(text: str) -> Address:
    host, _, port = text.rpartition(":")
    return host.strip("[]") or "127.0.0.1", int(port)


def describe(spec: TcpSpec) -> str:
    return f"tcp {spec.target}"


@dataclass(frozen=True)
class Connected:
    """What a connect (and the exchange asked for) found, before it is proven whose it was."""

    ok: bool
    detail: str
    reached: str | None  # the IP address the connection went to
    ms: float


def check(spec: TcpSpec, probe: Probe) -> Outcome:
    return judged(spec, probe, connect(spec, probe.timeout))


def connect(spec: TcpSpec, timeout: float) -> Connected:
    started = time.perf_counter()
    ok, detail, reached = _exchange(spec, timeout)
    return Connected(ok, detail, reached, (time.perf_counter() - started) * 1000)


def judged(spec: TcpSpec, probe: Probe, connected: Connected, *,
           listening: Listening | None = None) -> Outcome:
    """The outcome of a connect once it is known whose process took it (`listening`: the
    listeners read after it, in a round of connects; else they are read now)."""
    ok, detail = connected.ok, connected.detail
    who = stranger(probe, spec.address(), reached=connected.reached,
                   listening=listening) if ok else None
    if who is not None:
        ok, detail = False, f"answered by {who}, not by the service's own processes"
    return Outcome("tcp", spec.target, ok, connected.ms, detail, address=spec.address(),
                   unresolved=detail.startswith(UNRESOLVED))


def _exchange(spec: TcpSpec, timeout: float) -> tuple[bool, str, str | None]:
    """(ok, detail, the IP address the connection reached)."""
    import socket  # here, not above: a report that runs no check never needs it

    host, port = spec.address()
    try:
        # an ASCII name as bytes, which getaddrinfo takes as they are: a str it would first
        # encode with the idna codec, imported for it (milliseconds); typeshed admits only str
        address = (_ascii(host), port)
        with socket.create_connection(address, timeout=timeout) as sock:  # type: ignore[arg-type]
            reached = str(sock.getpeername()[0])
            if spec.send is None and spec.expect is None:
                return True, "connected", reached
            if spec.send:
                sock.sendall(spec.send.encode())
            reply = _read_until(sock, spec.expect)
    except OSError as error:
        return False, _why(error, host), None
    first_line = reply.strip().splitlines()[0] if reply.strip() else "(no reply)"
    if spec.expect is not None and spec.expect not in reply:
        return False, f"replied {first_line!r}, expected {spec.expect!r}", reached
    return True, first_line, reached


def _ascii(host: str) -> str | bytes:
    return host.encode("ascii") if host.isascii() else host


def _why(error: OSError, host: str) -> str:
    import socket

    if isinstance(error, ConnectionRefusedError):
        return "refused"
    if isinstance(error, socket.gaierror):
        return f"{UNRESOLVED} {host}"
    if isinstance(error, TimeoutError):
        return "timed out"
    return error.strerror or str(error)


def _read_until(sock: socket.socket, expect: str | None) -> str:
    received = b""
    while True:
        try:
            chunk = sock.recv(4096)
        except TimeoutError:
            break
        received += chunk
        text = received.decode(errors="replace")
        if not chunk or expect is None or expect in text or len(received) > 65536:
            return text
    return received.decode(errors="replace")
