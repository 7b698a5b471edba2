"""Every capture of the failure zoo (tests/zoo/*/) diagnoses, first, to the kind and subject its
folder's expected.toml names, with a fix that says what it must."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from bringup.diagnosis import diagnose

ZOO = Path(__file__).parent
CASES = sorted(ZOO.glob("*/*.log"))


def expected(log: Path) -> dict[str, str]:
    table = tomllib.loads((log.parent / "expected.toml").read_text(encoding="utf-8"))
    return table[log.stem]  # type: ignore[no-any-return]


@pytest.mark.parametrize("log", CASES, ids=lambda log: f"{log.parent.name}/{log.stem}")
def test_a_capture_diagnoses_to_its_cause(log: Path) -> None:
    want = expected(log)
    text = log.read_bytes().decode("utf-8")  # as bringup reads a log: a lone CR kept
    first = diagnose(text)[0]
    assert (first.kind, first.subject) == (want["kind"], want["subject"])
    assert first.evidence in {line.strip() for line in text.replace("\r\n", "\n").split("\n")}
    assert want.get("fix", "") in first.fix


def test_every_capture_has_its_expectation_and_its_script() -> None:
    for folder in {log.parent for log in CASES}:
        table = tomllib.loads((folder / "expected.toml").read_text(encoding="utf-8"))
        assert set(table) == {log.stem for log in folder.glob("*.log")}
        assert (folder / "capture.sh").is_file()
