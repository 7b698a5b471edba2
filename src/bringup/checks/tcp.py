"""tcp: the port accepts a connection; optionally a request gets an expected reply."""

from __future__ import annotations

import socket
import time
from collections.abc import Mapping

from bringup.checks.base import Outcome, Probe

KEYS: Mapping[str, tuple[type, ...]] = {"tcp": (int, str), "tcp_send": (str,), "tcp_expect": (str,)}


def wanted(probe: Probe) -> bool:
    return probe.verify.tcp is not None


def target(probe: Probe) -> str:
    return probe.verify.tcp or ""


def split_target(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    return host.strip("[]") or "127.0.0.1", int(port)


def run(probe: Probe) -> Outcome:
    started = time.perf_counter()
    ok, detail = _exchange(probe)
    return Outcome("tcp", target(probe), ok, (time.perf_counter() - started) * 1000, detail)


def _exchange(probe: Probe) -> tuple[bool, str]:
    verify = probe.verify
    host, port = split_target(target(probe))
    try:
        with socket.create_connection((host, port), timeout=probe.timeout) as sock:
            if verify.tcp_send is None and verify.tcp_expect is None:
                return True, "connected"
            if verify.tcp_send:
                sock.sendall(verify.tcp_send.encode())
            reply = _read_until(sock, verify.tcp_expect)
    except OSError as error:
        return False, _why(error, host)
    first_line = reply.strip().splitlines()[0] if reply.strip() else "(no reply)"
    if verify.tcp_expect is not None and verify.tcp_expect not in reply:
        return False, f"replied {first_line!r}, expected {verify.tcp_expect!r}"
    return True, first_line


def _why(error: OSError, host: str) -> str:
    if isinstance(error, ConnectionRefusedError):
        return "refused"
    if isinstance(error, socket.gaierror):
        return f"cannot resolve {host}"
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
