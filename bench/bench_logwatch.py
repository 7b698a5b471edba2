"""Watching the log during verify and stable: how many lines a second the watcher keeps up with
while a service writes them, read in chunks as the stages poll. Three logs: access-log chatter
(nothing worth reading), chatter with a line that could name a cause every 100 lines, and a log
where every line could (the worst case: each look runs the rules). Budget: 50,000 lines/s."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from common import machine

from bringup.core.context import Context
from bringup.core.service import Service
from bringup.recipe.workspace import Workspace
from bringup.stages.logwatch import LogWatch

RUNS, LINES, CHUNK = 5, 100_000, 2_000  # a chunk is what one look finds new
ACCESS = '127.0.0.1 - - [01/Dec/2026:12:00:{s:02d}] "GET /api/items/{n} HTTP/1.1" 200 512\n'
READABLE = "2026-12-01 12:00:00 INFO connecting to cache at 127.0.0.1:6379 (attempt {n})\n"


def log_of(kind: str) -> list[str]:
    lines = []
    for n in range(LINES):
        readable = kind == "every" or (kind == "some" and n % 100 == 0)
        lines.append((READABLE if readable else ACCESS).format(n=n, s=n % 60))
    return lines


def lines_per_second(root: Path, lines: list[str]) -> float:
    log = root / "state/logs/app.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text("")
    ctx = Context(Workspace(root))
    watch = LogWatch(Service(ctx, ctx.workspace.recipes["app"]))
    took = 0.0
    with log.open("a") as out:
        for start in range(0, len(lines), CHUNK):
            out.write("".join(lines[start:start + CHUNK]))
            out.flush()
            began = time.perf_counter()
            outcome = watch.look()
            took += time.perf_counter() - began
    assert outcome.ok, outcome
    return len(lines) / took


def main() -> None:
    print(f"machine: {machine()}; median of {RUNS} runs, {LINES} lines in chunks of {CHUNK}")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "recipes").mkdir()
        (root / "recipes/app.toml").write_text('command = "app"\n')
        logs = {kind: log_of(kind) for kind in ("none", "some", "every")}
        rates: dict[str, list[float]] = {kind: [] for kind in logs}
        for _ in range(RUNS):  # interleaved, so a busy moment of the machine spreads over all
            for kind, lines in logs.items():
                rates[kind].append(lines_per_second(root, lines))
    names = {"none": "access log, nothing to read", "some": "1 line in 100 worth reading",
             "every": "every line worth reading"}
    for kind, found in rates.items():
        print(f"{names[kind]:30s} {statistics.median(found):>10,.0f} lines/s "
              f"(min {min(found):,.0f}, max {max(found):,.0f}; budget 50,000)")


if __name__ == "__main__":
    main()
