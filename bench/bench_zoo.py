"""How often diagnose() names the right cause first on the failure zoo (tests/zoo/): kind, and
kind + subject, on the captures the rules were tuned on and on the held-out fifth, which they
never were (also as pasted through the journal, kubectl, a quote and the like); and how the
misses fail (a wrong cause stated with confidence is the bad kind: an empty answer or a
`crashed` is honest).

Run from the repository root: python bench/bench_zoo.py [--misses]
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

from common import ROOT, machine

sys.path.insert(0, str(ROOT / "tests"))

from bringup.diagnosis import diagnose
from zoo.cases import PASTED, Case, cases

HONEST = {"crashed", "none"}  # what a miss may say: nothing, or that it crashed


@dataclass(frozen=True)
class Result:
    case: Case
    kind: str
    subject: str
    ms: float

    @property
    def kind_right(self) -> bool:
        return self.kind == self.case.kind

    @property
    def right(self) -> bool:
        return self.kind_right and self.subject == self.case.subject

    @property
    def confidently_wrong(self) -> bool:
        return not self.kind_right and self.kind not in HONEST


def run(case: Case, paste: Callable[[str], str] = str) -> Result:
    text = paste(case.text())
    started = time.perf_counter()
    findings = diagnose(text)
    ms = (time.perf_counter() - started) * 1000
    first = findings[0] if findings else None
    return Result(case, first.kind if first else "none", first.subject if first else "", ms)


def line(label: str, results: list[Result]) -> str:
    if not results:
        return f"{label:<10} no captures"
    count = len(results)
    kind = sum(result.kind_right for result in results)
    both = sum(result.right for result in results)
    wrong = sum(result.confidently_wrong for result in results)
    return (f"{label:<10} {count:>4} captures  kind {kind / count:6.1%} ({kind})  "
            f"kind+subject {both / count:6.1%} ({both})  confidently wrong {wrong}")


def main(argv: list[str]) -> int:
    results = [run(case) for case in cases()]
    tuned = [result for result in results if not result.case.held_out]
    held = [result for result in results if result.case.held_out]
    print(f"failure zoo: {len(results)} captures in "
          f"{len({result.case.log.parent for result in results})} folders")
    for label, part in (("all", results), ("tuned", tuned), ("held out", held)):
        print(line(label, part))
    # The held-out fifth again as pasted through the journal, kubectl, a quote...: the words
    # are the same, so any drop is the prefixes' doing.
    held_cases = [result.case for result in held]
    for name, paste in PASTED.items():
        print(line("held out", [run(case, paste) for case in held_cases]) + f"  pasted: {name}")
    per_log = statistics.median(result.ms for result in results) if results else 0.0
    print(f"diagnose per capture: median {per_log:.2f} ms, slowest "
          f"{max((result.ms for result in results), default=0.0):.1f} ms")
    misses = [result for result in results if not result.right]
    # Only the held-out misses' count is shown unless asked: reading them is how one tunes.
    shown = misses if "--misses" in argv else [r for r in misses if not r.case.held_out]
    for result in shown:
        mark = "held out " if result.case.held_out else ""
        print(f"  miss {mark}{result.case.name}: {result.kind} {result.subject!r}, "
              f"want {result.case.kind} {result.case.subject!r}")
    print(f"machine: {machine()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
