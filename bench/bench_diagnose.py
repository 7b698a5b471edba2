"""How long diagnose() takes on a 10,000-line log: mostly service chatter, a traceback last.

Run from the repository root: python bench/bench_diagnose.py
"""

from __future__ import annotations

import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

try:
    from bringup.diagnosis import diagnose
except ImportError:  # not installed: run against the source tree
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from bringup.diagnosis import diagnose

LINES = 10_000
RUNS = 7
BUDGET_MS = 100.0

_CHATTER = (
    '{ts} INFO  [http] 127.0.0.1 - "GET /api/items/{n} HTTP/1.1" 200 {size} {ms}ms',
    '{ts} INFO  [http] 127.0.0.1 - "POST /api/orders HTTP/1.1" 201 {size} {ms}ms',
    '{ts} INFO  [http] 127.0.0.1 - "GET /static/app.{n}.js HTTP/1.1" 404 Not Found',
    "{ts} DEBUG worker-{n} heartbeat ok queue=default depth={size}",
    "{ts} DEBUG sqlalchemy.engine: SELECT orders.id, orders.total FROM orders WHERE id = {n}",
    "{ts} WARNING cache miss for key=session:{n} (ttl expired)",
    "{ts} INFO  scheduler: job sync-{n} finished in {ms}ms",
    "(node:4242) [DEP0040] DeprecationWarning: The `punycode` module is deprecated.",
    "[nodemon] restarting due to changes...",
)
_TRACEBACK = """Traceback (most recent call last):
  File "/srv/app/.venv/lib/python3.11/site-packages/redis/connection.py", line 710, in _connect
    sock.connect(socket_address)
ConnectionRefusedError: [Errno 111] Connection refused

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "/srv/app/worker.py", line 22, in <module>
    queue.connection.ping()
redis.exceptions.ConnectionError: Error 111 connecting to 127.0.0.1:6379. Connection refused."""


def build_log(lines: int = LINES, *, seed: int = 7) -> str:
    rng = random.Random(seed)
    tail = _TRACEBACK.splitlines()
    body = [
        rng.choice(_CHATTER).format(
            ts=f"2025-11-21 12:{i // 600 % 60:02d}:{i // 10 % 60:02d},{i % 1000:03d}",
            n=rng.randrange(100_000),
            size=rng.randrange(90_000),
            ms=rng.randrange(1, 900),
        )
        for i in range(lines - len(tail))
    ]
    return "\n".join(body + tail) + "\n"


def main() -> int:
    log = build_log()
    findings = diagnose(log, exit_status=1)
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        diagnose(log, exit_status=1)
        timings.append((time.perf_counter() - start) * 1000)
    median = statistics.median(timings)
    print(f"diagnose: {LINES} lines, {RUNS} runs, median {median:.1f} ms (budget {BUDGET_MS:.0f})")
    print(f"first finding: {findings[0].kind} {findings[0].subject}")
    machine = platform.processor() or platform.machine()
    print(f"machine: {machine}, {os.cpu_count()} cpus, Python {platform.python_version()}")
    return 0 if median < BUDGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
