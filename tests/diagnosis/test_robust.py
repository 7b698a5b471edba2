"""Any text at all: diagnosis never raises, whatever a log holds (odd bytes, half a traceback,
nothing), and gives its findings in the shape every caller relies on."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bringup.diagnosis import KIND_STAGE, announced_ports, diagnose

# Pieces of the lines rules look for, mixed with arbitrary text, so the search reaches the rules.
PIECES = st.sampled_from([
    "Traceback (most recent call last):\n", '  File "x.py", line 3, in <module>\n',
    "During handling of the above exception, another exception occurred:\n",
    "KeyError: 'A'\n", "Error\n", "\n", "   \n", "connection refused\n", "bind\n",
    "Permission denied\n", "\r\n", "\x1b[31m", ":::3000\n", "port 80\n",
    "No such file or directory\n", "field required\n", "npm ERR! code EBADENGINE\n",
    "SyntaxError: x\n", "    ^\n", "Listening on :\n", "\x00", "\ufffd"])
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=40)), max_size=30).map("".join)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(TEXT, st.one_of(st.none(), st.integers(-20, 300)))
def test_diagnosis_of_any_text_never_raises(text: str, exit_status: int | None) -> None:
    for finding in diagnose(text, exit_status=exit_status):
        assert finding.kind in KIND_STAGE and finding.subject and finding.fix
    assert all(0 < port <= 65535 for port in announced_ports(text))


def test_an_empty_log_has_no_findings() -> None:
    assert diagnose("") == [] and diagnose("\n\n") == []
