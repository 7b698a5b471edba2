"""What `bringup watch` costs while nothing goes wrong: 20 healthy services (bench_peers' flat
stack, each checked by a connect every second), watched in this process for a window after a
few seconds of warm-up; CPU-seconds of the whole process scaled to 60 s, and the share of it
spent by the loop's own thread and by the rounds of connects. Goal (issue 11): under 0.3.

Run from the repository root: python bench/bench_watch.py [--runs N] [--window SECONDS]"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import bench_peers as peers
from common import machine

from bringup.commands import watch as watching
from bringup.core.context import Context
from bringup.core.output import Silent
from bringup.core.prompting import Recommended
from bringup.recipe.workspace import Workspace


def measure(folder: Path, window: float) -> tuple[float, float, float]:
    """(whole process, the loop's thread, the connect rounds), CPU-s per 60 s."""
    ctx = Context(Workspace(folder), prompter=Recommended(), out=Silent())
    rounds = [0.0]
    plain = watching._connect_round

    def timed(states: list[watching.Watched], pool: watching.Workers) -> None:
        began = time.thread_time()
        try:
            plain(states, pool)
        finally:
            rounds[0] += time.thread_time() - began

    watching._connect_round = timed  # type: ignore[assignment]
    try:
        warm = time.monotonic() + 3
        watching.watch(ctx, until=lambda: time.monotonic() > warm)
        rounds[0] = 0.0
        process, loop = time.process_time(), time.thread_time()
        end = time.monotonic() + window
        watching.watch(ctx, until=lambda: time.monotonic() > end)
        scale = 60 / window
        return ((time.process_time() - process) * scale, (time.thread_time() - loop) * scale,
                rounds[0] * scale)
    finally:
        watching._connect_round = plain  # type: ignore[assignment]
        ctx.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--window", type=float, default=15.0)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-watch-")) / "stack"
    peers.write(peers.Stack("bringup", folder, peers.flat(20, 100)))
    bringup = [sys.executable, "-m", "bringup"]
    subprocess.run([*bringup, "up", "--workspace", str(folder)], check=True,
                   capture_output=True)
    try:
        runs = [measure(folder, args.window) for _ in range(args.runs)]
    finally:
        subprocess.run([*bringup, "down", "--workspace", str(folder)], check=False,
                       capture_output=True)
        shutil.rmtree(folder.parent, ignore_errors=True)
    whole, loop, rounds = (sorted(figure) for figure in zip(*runs, strict=True))
    print(f"watch, 20 healthy services checked every second, {args.runs} runs of "
          f"{args.window:g} s: CPU-s per 60 s median {statistics.median(whole):.3f} "
          f"(min {whole[0]:.3f}, max {whole[-1]:.3f}); the loop's thread "
          f"{statistics.median(loop):.3f}, the connect rounds {statistics.median(rounds):.3f}")
    print(f"machine: {machine()}")


if __name__ == "__main__":
    main()
