"""Cold start: `bringup --help` and `bringup report --no-check` on 50 services, against a bare
`python -c pass`, run by run in turn so that the machine's load falls on all alike. Budgets:
--help at most 4x, report --no-check at most 10x.

    python bench/bench_startup.py [--against OTHER_CHECKOUT/src]

`--against` times another bringup (an earlier commit's `src`, say) in the same rounds."""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from common import ENV, ROOT, command, machine

RUNS = 15


def workspace(root: Path, count: int) -> Path:
    (root / "recipes").mkdir(parents=True)
    for index in range(count):
        after = f'after = ["svc{index - 1:02d}"]\n' if index % 5 else ""
        (root / "recipes" / f"svc{index:02d}.toml").write_text(
            f'description = "service {index}"\ncommand = "sleep 60"\nport = {20000 + index}\n'
            f"{after}[verify]\nhttp = \"http://127.0.0.1:{20000 + index}/health\"\n")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", type=Path, help="the src folder of another bringup")
    against = parser.parse_args().against
    python = sys.executable
    sources = {"bringup": ROOT / "src", **({"against": against.resolve()} if against else {})}
    with tempfile.TemporaryDirectory() as folder:
        root = workspace(Path(folder), 50)
        runs: dict[str, Callable[[], object]] = {"python -c pass": command([python, "-c", "pass"])}
        for label, src in sources.items():
            env = {**ENV, "PYTHONPATH": str(src)}
            runs[f"{label} --help"] = command([python, "-m", "bringup", "--help"], env=env)
            runs[f"{label} report --no-check"] = command(
                [python, "-m", "bringup", "report", "--no-check", "--workspace", str(root)],
                env=env)
        times = rounds(runs, RUNS)
    bare = times["python -c pass"]
    print(f"machine: {machine()}; median of {RUNS} rounds, each command once a round")
    for label, took in times.items():
        budget = "" if label == "python -c pass" else (
            " (budget 4x)" if label.endswith("--help") else " (budget 10x)")
        ratio = "" if label == "python -c pass" else f"  {took / bare:4.1f}x{budget}"
        print(f"{label + ':':32s} {took:7.1f} ms{ratio}")


def rounds(runs: dict[str, Callable[[], object]], count: int) -> dict[str, float]:
    """The median milliseconds of each run, all run once a round (after one untimed round:
    it writes the bytecode caches and warms the file cache, as any earlier use has)."""
    for run in runs.values():
        run()
    times: dict[str, list[float]] = {label: [] for label in runs}
    for _ in range(count):
        for label, run in runs.items():
            started = time.perf_counter()
            run()
            times[label].append((time.perf_counter() - started) * 1000)
    return {label: statistics.median(taken) for label, taken in times.items()}


if __name__ == "__main__":
    main()
