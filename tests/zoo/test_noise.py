"""The zoo's captures as people paste them from elsewhere: through the journal, kubectl, a
coloured compose, `docker logs -t`, Docker's json-file records, a Windows clipboard, a quote or
an indented block. Each wrapping of a real capture must diagnose to what the capture does bare,
with its evidence as printed (the wrappings are the tools' documented formats; the words inside
stay real)."""

from __future__ import annotations

import pytest

from bringup.diagnosis import diagnose
from zoo.cases import PASTED, cases, printed_lines

TUNED = [case for case in cases() if not case.held_out]


@pytest.mark.parametrize("wrapping", PASTED)
def test_a_pasted_capture_diagnoses_as_the_bare_one(wrapping: str) -> None:
    wrap = PASTED[wrapping]
    changed = []
    for case in TUNED:
        text = wrap(case.text())
        bare, pasted = diagnose(case.text()), diagnose(text)
        want = (bare[0].kind, bare[0].subject) if bare else None
        got = (pasted[0].kind, pasted[0].subject) if pasted else None
        if got != want or (pasted and pasted[0].evidence not in printed_lines(text)):
            changed.append(f"{case.name}: {want} -> {got}")
    assert not changed, "\n".join(changed)
