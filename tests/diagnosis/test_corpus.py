"""Every log in corpus/ must diagnose to the kind and subject expected.toml names for it."""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path

import pytest

from bringup.diagnosis import KIND_STAGE, diagnose

CORPUS = Path(__file__).parent / "corpus"
EXPECTED = tomllib.loads((CORPUS / "expected.toml").read_text(encoding="utf-8"))
LOGS = sorted(CORPUS.glob("*.log"))
# None can be read from a log alone; test_rules covers their constructors.
FACT_KINDS = {"daemonized", "loopback-mismatch", "wrong-port"}


@pytest.mark.parametrize("log", LOGS, ids=lambda log: log.stem)
def test_first_finding(log: Path) -> None:
    expected = EXPECTED[log.stem]
    text = log.read_text(encoding="utf-8")
    findings = diagnose(text, exit_status=expected.get("exit_status"))
    first = findings[0]
    assert (first.kind, first.subject) == (expected["kind"], expected["subject"])
    assert first.stage == KIND_STAGE[first.kind]
    assert first.evidence
    assert first.evidence in {line.strip() for line in text.splitlines()}
    assert first.fix


def test_every_log_has_an_expectation() -> None:
    assert {log.stem for log in LOGS} == set(EXPECTED)


def test_kind_is_named_in_the_file_name() -> None:
    for stem, expected in EXPECTED.items():
        assert stem.split("--")[0] == expected["kind"], stem


def test_corpus_covers_every_kind_twice() -> None:
    counts = Counter(expected["kind"] for expected in EXPECTED.values())
    for kind in set(KIND_STAGE) - FACT_KINDS:
        assert counts[kind] >= 2, kind
    assert len(LOGS) >= 50
