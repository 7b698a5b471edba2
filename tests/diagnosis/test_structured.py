"""Records of structured loggers read as the lines they hold (bringup.diagnosis.structured);
the real ones are in the zoo (tests/zoo/structured/). These pin the reading itself."""

from __future__ import annotations

import json

from bringup.diagnosis import diagnose
from bringup.diagnosis.structured import LATEST, unpacked


def every(_: str) -> bool:
    return True


def test_a_json_record_gives_its_message_its_error_and_its_plain_fields() -> None:
    record = json.dumps({"level": 50, "time": 1, "pid": 7, "hostname": "web", "msg": "boot",
                         "err": {"type": "Error", "message": "listen EADDRINUSE",
                                 "stack": "Error: listen EADDRINUSE\n    at listen (net:1)",
                                 "code": "EADDRINUSE", "port": 4100}, "route": "/x"})
    lines, printed = unpacked([record], [f"web-1  | {record}"], every)
    assert lines == ["boot", "Error: listen EADDRINUSE", "    at listen (net:1)",
                     "code=EADDRINUSE port=4100", "route=/x"]
    assert printed == [f"web-1  | {record}"] * 5


def test_a_warning_says_so_and_a_message_that_holds_its_error_is_read_once() -> None:
    record = json.dumps({"level": "warn", "msg": "retrying: connection refused",
                         "error": "connection refused"})
    assert unpacked([record], [record], every)[0] == ["WARNING: retrying: connection refused"]


def test_a_logfmt_line_is_a_record_too() -> None:
    line = 'time="2026-12-07T10:00:00Z" level=fatal msg="cannot start" error="open \\"x.yml\\""'
    assert unpacked([line], [line], every)[0] == ["cannot start", 'open "x.yml"']


def test_lines_that_are_no_record_stay_and_nothing_new_is_made_when_none_is() -> None:
    lines = ["starting", "{not json}", "{", "level=only"]
    assert unpacked(lines, lines, every) == (lines, lines)
    unread = ['{"msg": "ready"}']
    assert unpacked(unread, unread, lambda _: False) == (unread, unread)


def test_only_the_latest_records_worth_reading_are_unpacked() -> None:
    records = [json.dumps({"msg": f"attempt {n}", "error": "refused"}) for n in range(LATEST + 5)]
    lines, _ = unpacked(records, records, every)
    assert lines[:5] == records[:5]
    assert lines[5:7] == ["attempt 5", "refused"]


def test_a_traceback_in_a_record_is_read_as_one_and_the_evidence_is_the_record() -> None:
    record = json.dumps({"event": "boot failed", "level": "error", "exception": (
        'Traceback (most recent call last):\n  File "/srv/main.py", line 3, in <module>\n'
        '    os.environ["PAYMENTS_TOKEN"]\n  File "<frozen os>", line 679, in __getitem__\n'
        "KeyError: 'PAYMENTS_TOKEN'")})
    finding = diagnose(f'{{"event": "starting", "level": "info"}}\n{record}\n')[0]
    assert (finding.kind, finding.subject) == ("missing-env", "PAYMENTS_TOKEN")
    assert finding.evidence == record
