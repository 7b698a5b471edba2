"""Which sockets are the service's own, read from the kernel's tables (/proc/net/tcp, tcp6) and
the descriptors of the service's processes, must say what psutil's table of every socket says:
a real service (a parent and its child) listening on IPv4 and IPv6 and holding a connection."""

from __future__ import annotations

import os
import socket
import sys
import time
from pathlib import Path

import psutil
import pytest

from bringup.processes import ports, sockets, supervisor

from helpers import free_port

pytestmark = pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="Linux's /proc")

# The parent listens on 127.0.0.3 and connects to the test's server; its child listens on ::1.
SERVICE = """
import socket, subprocess, sys, time
v4, v6, remote = (int(arg) for arg in sys.argv[1:4])
child = subprocess.Popen([sys.executable, "-c", "import socket, time; "
                          f"s = socket.create_server(('::1', {v6}), family=socket.AF_INET6); "
                          "print('child up', flush=True); time.sleep(60)"])
server = socket.create_server(("127.0.0.3", v4))
client = socket.create_connection(("127.0.0.1", remote))
print("up", flush=True)
time.sleep(60)
"""


@pytest.fixture
def service(tmp_path: Path):  # type: ignore[no-untyped-def]
    remote = socket.create_server(("127.0.0.1", 0))
    v4, v6 = free_port(), free_port()
    log = tmp_path / "service.log"
    running = supervisor.spawn(
        [sys.executable, "-c", SERVICE, str(v4), str(v6), str(remote.getsockname()[1])],
        cwd=tmp_path, env=dict(os.environ), log_path=log)
    try:
        deadline = time.monotonic() + 10
        while not {"up", "child up"} <= set(log.read_text().split("\n")):
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.02)
        yield running.handle, v4, v6, remote.getsockname()[1]
    finally:
        supervisor.stop(running.handle, grace=5)
        supervisor.reap(running)
        remote.close()


def _psutil_listening(handle: supervisor.Handle) -> set[int]:
    return {conn.laddr.port for conn in psutil.net_connections("tcp")
            if conn.status == psutil.CONN_LISTEN and conn.pid is not None
            and supervisor.belongs(handle, conn.pid)}


def test_the_ports_the_service_listens_on_are_psutils_and_the_childs_count(service) -> None:  # type: ignore[no-untyped-def]
    handle, v4, v6, _ = service
    assert ports.listening(handle) == {v4, v6} == _psutil_listening(handle)


def test_a_connection_to_its_address_reaches_its_own_socket(service) -> None:  # type: ignore[no-untyped-def]
    handle, v4, v6, _ = service
    assert ports.reached_by("127.0.0.3", v4, handle) == ports.Reached(own=True)
    assert ports.reached_by("::1", v6, handle) == ports.Reached(own=True)
    assert ports.reached_by("127.0.0.1", v4, handle) is None  # nothing listens there


def test_a_strangers_listener_is_named_not_counted_as_the_services(service) -> None:  # type: ignore[no-untyped-def]
    handle, *_ = service
    with socket.create_server(("127.0.0.1", 0)) as stranger:
        port = stranger.getsockname()[1]
        assert ports.reached_by("127.0.0.1", port, handle) == ports.Reached(
            own=False, others=(os.getpid(),))


def test_the_connection_it_holds_is_seen(service) -> None:  # type: ignore[no-untyped-def]
    handle, _, _, remote = service
    assert ("127.0.0.1", remote) in ports.connected_to(handle)


def test_in_use_sees_a_listener_on_any_loopback_address() -> None:
    with socket.create_server(("127.0.0.3", 0)) as server:
        port = server.getsockname()[1]
        assert ports.in_use(port)  # nothing answers on 127.0.0.1: the kernel's table says it
    assert not ports.in_use(port)


def test_the_kernels_table_lists_what_psutil_lists_by_netlink_and_by_proc() -> None:
    """The whole machine's listeners, read three ways; another program may open or close one
    between the reads, so they are read again (a few times) until they agree."""
    with socket.create_server(("::1", 0), family=socket.AF_INET6) as six, \
            socket.create_server(("127.0.0.2", 0)) as four:
        for _ in range(5):
            kernel = {(sock.ip, sock.port) for sock in sockets.table(sockets.LISTEN) or []}
            by_proc = {(sock.ip, sock.port) for sock in sockets._from_proc([sockets.LISTEN]) or []}
            theirs = {(sockets.plain(conn.laddr.ip), conn.laddr.port)
                      for conn in psutil.net_connections("tcp")
                      if conn.status == psutil.CONN_LISTEN}
            if kernel == theirs == by_proc:
                break
            time.sleep(0.1)
        assert ("::1", six.getsockname()[1]) in kernel
        assert ("127.0.0.2", four.getsockname()[1]) in kernel
        assert kernel == theirs == by_proc


def test_a_connection_is_in_both_tables_with_both_its_ends() -> None:
    with socket.create_server(("127.0.0.2", 0)) as server, \
            socket.create_connection(server.getsockname()) as client:
        accepted, _ = server.accept()
        with accepted:
            ends = (client.getsockname()[1], server.getsockname()[1])
            for found in (sockets.table(sockets.ESTABLISHED),
                          sockets._from_proc([sockets.ESTABLISHED])):
                mine = {(sock.port, sock.remote_port) for sock in found or []
                        if sock.ip == "127.0.0.2" or sock.remote_ip == "127.0.0.2"}
                assert ends in mine and ends[::-1] in mine


def test_a_stranger_on_the_port_the_service_held_is_named_not_remembered_as_its(
        service) -> None:  # type: ignore[no-untyped-def]
    """Its socket, once found its own, is remembered: a stranger's socket, listening on the
    same address after the service died, is not that socket."""
    handle, v4, _, _ = service
    assert ports.reached_by("127.0.0.3", v4, handle) == ports.Reached(own=True)  # remembered
    supervisor.stop(handle, grace=5)
    with socket.create_server(("127.0.0.3", v4)) as stranger:
        assert stranger.getsockname()[1] == v4
        assert ports.reached_by("127.0.0.3", v4, handle) == ports.Reached(
            own=False, others=(os.getpid(),))


def test_a_table_asked_for_one_port_is_the_whole_tables_sockets_on_that_port() -> None:
    """The kernel's own filter (and /proc's, read by hand) passes the sockets bound to the port
    and only them, IPv4 and IPv6 alike: a port is a number, not a prefix or a range."""
    with socket.create_server(("127.0.0.2", 0)) as four:
        port = four.getsockname()[1]
        with socket.create_server(("::1", port), family=socket.AF_INET6), \
                socket.create_server(("127.0.0.2", 0)):  # another port, listened on too
            for read in (_by_netlink, lambda *states, port: sockets._from_proc(states, _one(port))):
                whole = [sock for sock in read(sockets.LISTEN, port=None) or []
                         if sock.port == port]
                assert {(s.ip, s.port) for s in read(sockets.LISTEN, port=port) or []} == {
                    (s.ip, s.port) for s in whole} == {("127.0.0.2", port), ("::1", port)}


def _one(port: int | None) -> range | None:
    return None if port is None else range(port, port + 1)


def _by_netlink(*states: int, port: int | None) -> list[sockets.KernelSocket]:
    """sock_diag alone, with no fall back to /proc: a filter the kernel refuses fails here."""
    return [sock for family in (socket.AF_INET, socket.AF_INET6)
            for sock in sockets._dumped(family, states, _one(port))]
