"""Who holds a port on this machine, and a free one when a service must move."""

from __future__ import annotations

import socket
from dataclasses import dataclass

import psutil


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


def holder(port: int) -> Holder | None:
    for pid in sorted(listener_pids(port)):
        try:
            process = psutil.Process(pid)
            return Holder(pid, process.name(), " ".join(process.cmdline())[:200])
        except psutil.Error:
            continue
    return None


def in_use(port: int) -> bool:
    return bool(listener_pids(port)) or answers(port) or answers(port, "::1")


def free_port(near: int | None = None) -> int:
    """A port nothing listens on: the next few above `near` first, else one the kernel picks."""
    for candidate in range(near + 1, near + 50) if near else ():
        if candidate <= 65535 and not in_use(candidate) and _bindable(candidate):
            return candidate
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _bindable(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True
