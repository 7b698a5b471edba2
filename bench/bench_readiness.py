"""Readiness lag: a service opens its port D ms after it starts (D = 200, 1000); the lag is the
moment bringup's verify reports ready minus the moment the port opened (the service writes
that down). Budget: median under 50 ms."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import machine

from bringup.core.context import Context
from bringup.core.service import Service
from bringup.processes import supervisor
from bringup.recipe.workspace import Workspace
from bringup.stages import start, verify

RUNS = 7
SERVICE = """
import socket, sys, time
time.sleep(int(sys.argv[2]) / 1000)
server = socket.socket()
server.bind(("127.0.0.1", int(sys.argv[1])))
server.listen()
open("opened", "w").write(repr(time.time()))
while True:
    server.accept()[0].close()
"""


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def once(root: Path, delay_ms: int) -> float:
    port = free_port()
    (root / "recipes" / "svc.toml").write_text(
        f'command = ["{sys.executable}", "service.py", "{port}", "{delay_ms}"]\nport = {port}\n')
    (root / "opened").unlink(missing_ok=True)
    ctx = Context(Workspace(root))
    service = Service(ctx, ctx.workspace.recipes["svc"])
    start.launch(service)
    verdict = verify.wait(service)
    ready = time.time()
    supervisor.stop(service.running.handle, grace=2)  # type: ignore[union-attr]
    assert verdict.ok, verdict.reason
    return (ready - float((root / "opened").read_text())) * 1000


def main() -> None:
    print(f"machine: {machine()}; median of {RUNS} runs each")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "recipes").mkdir()
        (root / "service.py").write_text(SERVICE)
        for delay in (200, 1000):
            lags = [once(root, delay) for _ in range(RUNS)]
            print(f"D = {delay:4d} ms: readiness lag median {statistics.median(lags):5.1f} ms "
                  f"(min {min(lags):.1f}, max {max(lags):.1f}; budget 50 ms)")


if __name__ == "__main__":
    main()
