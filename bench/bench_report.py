"""Report fan-out: `bringup report --json` over 100 services, half of them listening and half
down, live checks run concurrently. Budget: under 1.5 s for the whole command."""

from __future__ import annotations

import socket
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from common import command, machine, median_ms

RUNS = 5


class Health(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args: object) -> None:
        pass


def serve() -> tuple[ThreadingHTTPServer, int]:
    """A real HTTP service on a port of its own (it answers tcp and http checks alike)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, int(server.server_address[1])


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> None:
    servers = []
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "recipes").mkdir()
        for index in range(100):
            if index % 2:
                server, port = serve()
                servers.append(server)
            else:
                port = closed_port()
            check = "http" if index % 4 < 2 else "tcp"
            target = f'"http://127.0.0.1:{port}/health"' if check == "http" else str(port)
            (root / "recipes" / f"svc{index:03d}.toml").write_text(
                f'command = "sleep 60"\nport = {port}\n[verify]\n{check} = {target}\n')
        took = median_ms(command([sys.executable, "-m", "bringup", "report", "--json",
                                  "--workspace", str(root)]), RUNS)
    for server in servers:
        server.shutdown()
    print(f"machine: {machine()}; median of {RUNS} runs")
    print(f"bringup report --json, 100 services (50 down): {took:.0f} ms (budget 1500 ms)")


if __name__ == "__main__":
    main()
