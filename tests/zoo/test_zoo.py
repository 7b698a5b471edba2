"""Every capture of the failure zoo (tests/zoo/*/) outside the held-out fifth diagnoses, first,
to the kind and subject its folder's expected.toml names, with a fix that says what it must.
The held-out fifth is measured by bench/bench_zoo.py and never tuned on."""

from __future__ import annotations

import tomllib

import pytest

from bringup.diagnosis import KIND_STAGE, diagnose
from zoo.cases import ZOO, Case, cases, drawn, held_out, printed_lines

CASES = cases()
# What the rules do not get right yet, as measured: each one a strict xfail.
MISSES = {line.partition(":")[0] for line in (ZOO / "misses.txt").read_text().splitlines()
          if line and not line.startswith("#")}
TUNED = [pytest.param(case, id=case.name, marks=[pytest.mark.xfail(strict=True)]
                      if case.name in MISSES else [])
         for case in CASES if not case.held_out]


@pytest.mark.parametrize("case", TUNED)
def test_a_capture_diagnoses_to_its_cause(case: Case) -> None:
    text = case.text()
    first = diagnose(text)[0]
    assert (first.kind, first.subject) == (case.kind, case.subject)
    assert first.evidence in printed_lines(text)  # evidence comes without colour codes
    assert case.fix in first.fix


def test_every_capture_has_its_expectation_and_its_script() -> None:
    for folder in {case.log.parent for case in CASES}:
        table = tomllib.loads((folder / "expected.toml").read_text(encoding="utf-8"))
        assert set(table) == {log.stem for log in folder.glob("*.log")}, folder.name
        assert (folder / "capture.sh").is_file()
    for case in CASES:
        assert case.kind in KIND_STAGE, case.name
        assert case.subject, case.name


def test_the_held_out_fifth_is_the_drawn_one_and_exists() -> None:
    names = {case.name for case in CASES}
    assert held_out() <= names
    assert all(drawn(name) for name in held_out())
    assert 0.15 <= len(held_out()) / len(CASES) <= 0.25
    assert (ZOO / "held-out.txt").read_text().startswith("#")
    assert {case.name for case in CASES if not case.held_out} >= MISSES  # no stale entry
