"""Cold start: `bringup --help` and `bringup report --no-check` on 50 services, against a bare
`python -c pass` in the same run. Budgets: --help at most 4x, report --no-check at most 10x."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from common import command, machine, median_ms

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
    python = sys.executable
    with tempfile.TemporaryDirectory() as folder:
        root = workspace(Path(folder), 50)
        bare = median_ms(command([python, "-c", "pass"]), RUNS)
        helped = median_ms(command([python, "-m", "bringup", "--help"]), RUNS)
        report = median_ms(command([python, "-m", "bringup", "report", "--no-check",
                                    "--workspace", str(root)]), RUNS)
    print(f"machine: {machine()}; median of {RUNS} runs")
    print(f"python -c pass:                      {bare:7.1f} ms")
    print(f"bringup --help:                      {helped:7.1f} ms  {helped / bare:4.1f}x "
          "(budget 4x)")
    print(f"bringup report --no-check (50 svcs): {report:7.1f} ms  {report / bare:4.1f}x "
          "(budget 10x)")


if __name__ == "__main__":
    main()
