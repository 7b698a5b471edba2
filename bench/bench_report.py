"""Report fan-out: `bringup report --json` over 100 services, half of them listening and half
down, live checks run concurrently. Budget: under 1.5 s for the whole command."""

from __future__ import annotations

import socket
import sys
import tempfile
from pathlib import Path

from common import command, machine, median_ms

RUNS = 5


def main() -> None:
    listeners = []
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "recipes").mkdir()
        for index in range(100):
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
            if index % 2:
                sock.listen()
                listeners.append(sock)
            else:
                sock.close()
            check = "http" if index % 4 < 2 else "tcp"
            target = f'"http://127.0.0.1:{port}/health"' if check == "http" else str(port)
            (root / "recipes" / f"svc{index:03d}.toml").write_text(
                f'command = "sleep 60"\nport = {port}\n[verify]\n{check} = {target}\n')
        took = median_ms(command([sys.executable, "-m", "bringup", "report", "--json",
                                  "--workspace", str(root)]), RUNS)
    for sock in listeners:
        sock.close()
    print(f"machine: {machine()}; median of {RUNS} runs")
    print(f"bringup report --json, 100 services (50 down): {took:.0f} ms (budget 1500 ms)")


if __name__ == "__main__":
    main()
