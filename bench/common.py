"""Shared by the benchmark scripts: the machine they ran on and a median of runs."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    return (f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}")


def median_ms(action: Callable[[], object], runs: int) -> float:
    """The median of `runs` timed runs, after one that is not timed (it writes the bytecode
    caches and warms the file cache, as any earlier use of an installed bringup has)."""
    action()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


# Python as a user runs it: bytecode is cached (a shell that sets PYTHONDONTWRITEBYTECODE
# would time the compiling of every module at every start instead).
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def command(argv: Sequence[str], cwd: Path | None = None,
            env: dict[str, str] | None = None) -> Callable[[], object]:
    def run() -> object:
        return subprocess.run(argv, cwd=cwd, env=env or ENV, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, check=False)

    return run
