"""Every check kind in CHECKS, passing and failing, against real sockets, servers and processes."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from bringup.checks import CHECKS, Outcome, Probe, process, tcp
from bringup.processes import ports, supervisor
from bringup.tables import Table

from helpers import free_port

LOG_BEFORE = "old: Ready to accept connections\nold: Traceback (most recent call last)\n"
LOG_MARK = "=== bringup start 2026-12-06T10:00:00.000000Z attempt 1: ./serve ===\n"
LOG_AFTER = "new: listening on 8000\nnew: Error: disk full\n"

# kind, [verify] keys ({placeholders}: the things the `world` fixture started), probe extras,
# whether it passes, and a text its detail holds.
CASES = [
    pytest.param("tcp", {"tcp": "127.0.0.1:{acceptor}"}, {}, True, "connected", id="tcp-listening"),
    pytest.param("tcp", {"tcp": "127.0.0.1:{closed}"}, {}, False, "refused", id="tcp-closed"),
    pytest.param("tcp", {"tcp": "127.0.0.1:{redis}", "tcp_send": "PING\r\n",
                         "tcp_expect": "+PONG"}, {}, True, "+PONG", id="tcp-redis-pong"),
    pytest.param("tcp", {"tcp": "127.0.0.1:{redis}", "tcp_send": "PING\r\n",
                         "tcp_expect": "+HELLO"}, {}, False, "replied '+PONG'",
                 id="tcp-redis-wrong-reply"),
    pytest.param("http", {"http": "{web}/health"}, {}, True, "status 200", id="http-ok"),
    pytest.param("http", {"http": "{web}/health", "http_expect": "ok"}, {}, True, "status 200",
                 id="http-body-has"),
    pytest.param("http", {"http": "{web}/health", "http_expect": "nope"}, {}, False,
                 "body lacks 'nope'", id="http-body-lacks"),
    pytest.param("http", {"http": "{web}/missing"}, {}, False, "status 404", id="http-404"),
    pytest.param("http", {"http": "{web}/missing", "http_status": 404}, {}, True, "status 404",
                 id="http-404-wanted"),
    pytest.param("http", {"http": "{web}/echo", "http_method": "POST", "http_data": "ping-body",
                          "http_expect": "echo: ping-body"}, {}, True, "status 200",
                 id="http-post-echoed"),
    pytest.param("http", {"http": "http://127.0.0.1:{closed}/health"}, {}, False, "refused",
                 id="http-refused"),
    pytest.param("http", {"http": "{web}/echo", "http_form": {"vote": "a b"},
                          "http_expect": "echo: vote=a+b type: application/x-www-form-urlencoded"},
                 {}, True, "status 200", id="http-form-posted"),
    pytest.param("http", {"http": "{web}/echo", "http_json": {"vote": "a"},
                          "http_expect": 'echo: {{"vote": "a"}} type: application/json'}, {},
                 True, "status 200", id="http-json-posted"),
    pytest.param("http", {"http": "{web}/token", "http_headers": {"X-Token": "s3"},
                          "http_expect": "token s3"}, {}, True, "status 200",
                 id="http-header-sent"),
    pytest.param("http", {"http": "{web}/visits", "http_expect": r"Number of visits is: \d+"},
                 {}, True, "status 200", id="http-expect-regex"),
    pytest.param("http", {"http": "{web}/visits", "http_expect": r"visits is: [a-z]+$"}, {},
                 False, "body lacks", id="http-expect-regex-no-match"),
    pytest.param("exec", {"exec": "echo accepting connections", "exec_expect": "accepting"}, {},
                 True, "accepting connections", id="exec-ok-expected"),
    pytest.param("exec", {"exec": "echo broken; exit 3"}, {}, False, "broken",
                 id="exec-nonzero"),
    pytest.param("exec", {"exec": ["no-such-command-bringup"]}, {}, False, "command not found",
                 id="exec-not-found"),
    pytest.param("exec", {"exec": "echo hello", "exec_expect": "accepting"}, {}, False,
                 "lacks 'accepting'", id="exec-expect-missing"),
    pytest.param("log", {"log": "listening"}, {"log": True}, True, "new: listening on 8000",
                 id="log-ready-after-offset"),
    pytest.param("log", {"log": "Ready to accept"}, {"log": True}, False, "no line with",
                 id="log-ready-only-before-offset"),
    pytest.param("log", {"log": "listening", "log_error": "Traceback"}, {"log": True}, True,
                 "listening", id="log-error-only-before-offset"),
    pytest.param("log", {"log": "listening", "log_error": "Error: .*"}, {"log": True}, False,
                 "error line: new: Error: disk full", id="log-error-after-offset"),
    pytest.param("log", {"log_error": "^new: Error"}, {"log": True}, False, "disk full",
                 id="log-error-anchored"),
    pytest.param("log", {"log_error": "^old: Traceback"}, {"log": True}, True, "no error line",
                 id="log-error-anchored-before-offset"),
    pytest.param("tcp", {"tcp": "127.0.0.1:{own}"}, {"handle": "listener"}, True, "connected",
                 id="tcp-answered-by-the-service"),
    pytest.param("tcp", {"tcp": "127.0.0.1:{acceptor}"}, {"handle": "alive"}, False,
                 f"answered by pid {os.getpid()}", id="tcp-answered-by-a-stranger"),
    pytest.param("http", {"http": "{web}/health"}, {"handle": "alive"}, False,
                 "not by the service's own processes", id="http-answered-by-a-stranger"),
    pytest.param("connects", {"connects": ["cache"]}, {"handle": "client", "peers": "own"}, True,
                 "connected to cache", id="connects-held"),
    pytest.param("connects", {"connects": ["cache"]}, {"handle": "alive", "peers": "own"}, False,
                 "no connection to cache (port", id="connects-none"),
    pytest.param("process", {}, {"handle": "alive"}, True, "running", id="process-alive"),
    pytest.param("process", {}, {"handle": "stopped"}, False, "not running",
                 id="process-stopped"),
]


def run_check(kind: str, verify_keys: dict[str, Any], **probe_kwargs: Any) -> Outcome:
    """One check of `kind`: its spec read from the [verify] keys given, as a recipe's would be,
    then run once against a probe made from the rest."""
    probe_kwargs.setdefault("cwd", Path.cwd())
    probe_kwargs.setdefault("env", dict(os.environ))
    probe_kwargs.setdefault("log_path", Path(os.devnull))
    probe_kwargs.setdefault("timeout", 0.5)
    spec = CHECKS[kind].read(Table("recipes/test.toml", "verify.", verify_keys))
    if kind == "process":
        assert spec is None  # no recipe asks for it: every service has it
        spec = process.SPEC
    return CHECKS[kind].check(spec, Probe(**probe_kwargs))


@pytest.mark.parametrize(("kind", "spec", "extras", "expected"),
                         [pytest.param(*case.values[:3], case.values[3:], id=case.id)
                          for case in CASES])
def test_check(kind: str, spec: dict[str, Any], extras: dict[str, Any],
               expected: tuple[bool, str], world: dict[str, Any]) -> None:
    if "{redis}" in str(spec) and world["at"]["redis"] is None:
        pytest.skip("redis-server is not installed")
    verify = {key: value.format(**world["at"]) if isinstance(value, str) else value
              for key, value in spec.items()}
    outcome = run_check(kind, verify, **_probe_extras(extras, world))
    assert (outcome.kind, outcome.ok) == (kind, expected[0]), outcome
    assert expected[1] in outcome.detail
    assert outcome.ms >= 0


@pytest.mark.parametrize("kind", sorted(CHECKS))
def test_every_kind_has_a_passing_and_a_failing_case_and_a_docstring(kind: str) -> None:
    covered = {(case.values[0], case.values[3]) for case in CASES}
    assert {(kind, True), (kind, False)} <= covered
    assert (CHECKS[kind].__doc__ or "").strip()


def test_exec_runs_in_the_probe_folder_with_its_env(tmp_path: Path) -> None:
    outcome = run_check("exec", {"exec": "pwd; echo $GREETING", "exec_expect": "hi there"},
                        cwd=tmp_path, env={**os.environ, "GREETING": "hi there"})
    assert outcome.ok, outcome
    assert str(tmp_path.resolve()) in run_check("exec", {"exec": "pwd"}, cwd=tmp_path).detail


def test_log_of_a_service_that_never_started_is_not_ready(tmp_path: Path) -> None:
    outcome = run_check("log", {"log": "ready"}, log_path=tmp_path / "none.log")
    assert not outcome.ok


@pytest.mark.skipif(not socket.has_ipv6, reason="needs IPv6")
def test_the_stranger_named_is_the_one_that_answered_not_the_service_on_another_address(
        tmp_path: Path) -> None:
    """The service listens on ::1, a later process (a higher pid) on 127.0.0.1 of the same
    port: a check of 127.0.0.1 names that process, never the service itself, whatever the pids'
    order (CI once saw the service named when pids wrapped)."""
    port = free_port()
    server = ("import socket, sys, time; s = socket.create_server(('{host}', {port}), "
              "family={family}); print('up', flush=True); time.sleep(60)")
    service = supervisor.spawn(
        [sys.executable, "-c", server.format(host="::1", port=port, family="socket.AF_INET6")],
        cwd=tmp_path, env=dict(os.environ), log_path=tmp_path / "service.log")
    try:
        while "up" not in (tmp_path / "service.log").read_text():
            time.sleep(0.02)
        with subprocess.Popen([sys.executable, "-c", server.format(
                host="127.0.0.1", port=port, family="socket.AF_INET")],
                stdout=subprocess.PIPE, text=True) as stranger:
            assert stranger.stdout and stranger.stdout.readline() == "up\n"
            outcome = run_check("tcp", {"tcp": f"127.0.0.1:{port}"}, handle=service.handle)
            stranger.kill()
        assert not outcome.ok
        assert f"answered by pid {stranger.pid} " in outcome.detail, outcome
        assert run_check("tcp", {"tcp": f"[::1]:{port}"}, handle=service.handle).ok
    finally:
        supervisor.stop(service.handle, grace=5)
        supervisor.reap(service)


@pytest.mark.skipif(not socket.has_ipv6, reason="needs IPv6")
def test_a_round_of_connects_judges_each_by_the_listeners_read_once_after_them_all(
        tmp_path: Path) -> None:
    """As watch and report check plain connects: every connect first, then one read of the
    listeners on their ports. Each is still judged by whose socket took it: the service's own
    on one port and on ::1 of another, a stranger (this test) on 127.0.0.1 of that other."""
    mine, shared = free_port(), free_port()
    server = ("import socket, time; a = socket.create_server(('127.0.0.1', {mine})); "
              "b = socket.create_server(('::1', {shared}), family=socket.AF_INET6); "
              "print('up', flush=True); time.sleep(60)")
    service = supervisor.spawn([sys.executable, "-c", server.format(mine=mine, shared=shared)],
                               cwd=tmp_path, env=dict(os.environ),
                               log_path=tmp_path / "service.log")
    try:
        while "up" not in (tmp_path / "service.log").read_text():
            time.sleep(0.02)
        with socket.create_server(("127.0.0.1", shared)):
            probe = Probe(cwd=tmp_path, env={}, log_path=Path(os.devnull),
                          handle=service.handle)
            specs = [tcp.TcpSpec(f"127.0.0.1:{mine}"), tcp.TcpSpec(f"127.0.0.1:{shared}"),
                     tcp.TcpSpec(f"[::1]:{shared}")]
            made = [tcp.connect(spec, 0.5) for spec in specs]
            listening = ports.Listening({mine, shared})
            judged = [tcp.judged(spec, probe, connected, listening=listening)
                      for spec, connected in zip(specs, made, strict=True)]
        assert [outcome.ok for outcome in judged] == [True, False, True], judged
        assert f"answered by pid {os.getpid()} " in judged[1].detail
    finally:
        supervisor.stop(service.handle, grace=5)
        supervisor.reap(service)


def _probe_extras(extras: dict[str, Any], world: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    if extras.get("log"):
        found.update(log_path=world["log"], log_offset=len((LOG_BEFORE + LOG_MARK).encode()))
    if "handle" in extras:
        found["handle"] = world["handles"][extras["handle"]]
    if "peers" in extras:
        found["peers"] = {"cache": frozenset({world["at"][extras["peers"]]})}
    return found


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The real things the cases run against, started once for the module."""
    folder = tmp_path_factory.mktemp("checks")
    log = folder / "service.log"
    log.write_text(LOG_BEFORE + LOG_MARK + LOG_AFTER, encoding="utf-8")
    own = free_port()
    with _acceptor() as acceptor, _web() as web, _redis(folder) as redis, \
            _processes(folder, own) as handles:
        ports = {"acceptor": acceptor, "closed": free_port(), "web": web, "redis": redis,
                 "own": own}
        yield {"at": ports, "log": log, "handles": handles}


@contextlib.contextmanager
def _acceptor() -> Iterator[int]:
    """A real listening socket whose thread accepts and closes every connection."""
    server = socket.create_server(("127.0.0.1", 0))
    thread = threading.Thread(target=_accept_all, args=(server,), daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        server.close()


def _accept_all(server: socket.socket) -> None:
    while True:
        try:
            connection, _ = server.accept()
        except OSError:
            return
        connection.close()


PAGES = {"/health": "ok", "/visits": "Number of visits is: 42"}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/token":
            self._answer(200, f"token {self.headers.get('X-Token')}".encode())
        else:
            page = PAGES.get(self.path)
            self._answer(404 if page is None else 200, (page or "missing").encode())

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        kind = self.headers.get("Content-Type", "none")
        self._answer(200, b"echo: " + body + f" type: {kind}".encode())

    def _answer(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def _web() -> Iterator[str]:
    """A real http.server in a thread: /health says ok, POST echoes its body, the rest is 404."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def _redis(folder: Path) -> Iterator[int | None]:
    """A real redis-server on a free port, without persistence; None when it is not installed."""
    if shutil.which("redis-server") is None:
        yield None
        return
    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(folder)], stdout=subprocess.DEVNULL)
    try:
        _wait_for(port)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_for(port: int, limit: float = 10.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.02)
    raise AssertionError(f"nothing listens on port {port} after {limit:g} s")


@contextlib.contextmanager
def _processes(folder: Path, own: int) -> Iterator[dict[str, supervisor.Handle]]:
    """Processes spawned by the supervisor: one alive, one stopped, one listening on `own`."""
    sleep = [sys.executable, "-c", "import time; time.sleep(60)"]
    listen = [sys.executable, "-c", "import socket, sys, time; s = socket.create_server("
              f"('127.0.0.1', {own})); time.sleep(60)"]
    hold = [sys.executable, "-c", "import socket, time; c = socket.create_connection("
            f"('127.0.0.1', {own})); print('held', flush=True); time.sleep(60)"]
    spawned = {name: supervisor.spawn(command, cwd=folder, env=dict(os.environ),
                                      log_path=folder / f"{name}.log")
               for name, command in (("alive", sleep), ("stopped", sleep), ("listener", listen))}
    supervisor.stop(spawned["stopped"].handle, grace=5)
    supervisor.reap(spawned["stopped"])
    _wait_for(own)
    spawned["client"] = supervisor.spawn(hold, cwd=folder, env=dict(os.environ),
                                         log_path=folder / "client.log")
    deadline = time.monotonic() + 10
    while "held" not in (folder / "client.log").read_text() and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield {name: running.handle for name, running in spawned.items()}
    finally:
        for name in ("alive", "listener", "client"):
            supervisor.stop(spawned[name].handle, grace=5)
            supervisor.reap(spawned[name])
