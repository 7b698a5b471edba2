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


def test_an_error_object_is_read_as_its_runtime_would_print_it() -> None:
    def held(error: object) -> list[str]:
        record = json.dumps({"level": "error", "msg": "failed", "error": error})
        return unpacked([record], [record], every)[0]

    # Node's system error kept without its message (bunyan with no serializers)
    assert held({"errno": -2, "code": "ENOENT", "syscall": "open", "path": "/srv/a.yml"})[1] == (
        "ENOENT: no such file or directory, open '/srv/a.yml'")
    assert held({"errno": -111, "code": "ECONNREFUSED", "syscall": "connect",
                 "address": "10.1.2.3", "port": 5672})[1] == "connect ECONNREFUSED 10.1.2.3:5672"
    # Ruby's, with its backtrace: `where: message (Class)`
    assert held({"class": "Errno::ENOENT", "message": "No such file or directory @ rb_sysopen",
                 "backtrace": ["app.rb:3:in `read'", "app.rb:3:in `<main>'"]})[1:3] == [
        "app.rb:3:in `read': No such file or directory @ rb_sysopen (Errno::ENOENT)",
        "\tfrom app.rb:3:in `<main>'"]
    # structlog's dict tracebacks: the chain as Python prints it, the cause first
    chain = [{"exc_type": "RuntimeError", "exc_value": "boot failed", "frames": []},
             {"exc_type": "SyntaxError", "exc_value": "invalid syntax (jobs.py, line 9)",
              "syntax_error": {"filename": "/srv/jobs.py", "lineno": 9, "line": "  def (\n",
                               "msg": "invalid syntax"},
              "frames": [{"filename": "/srv/run.py", "lineno": 2, "name": "<module>"}]}]
    assert held(chain)[1:6] == ["Traceback (most recent call last):",
                                '  File "/srv/run.py", line 2, in <module>',
                                '  File "/srv/jobs.py", line 9', "    def (",
                                "SyntaxError: invalid syntax"]


def test_a_key_value_line_with_python_reprs_is_a_record() -> None:
    line = ("timestamp='2026-12-07T10:00:00Z' level='error' event='bad config' "
            "exception='Traceback (most recent call last):\\nKeyError: \\'API_TOKEN\\''")
    assert unpacked([line], [line], every)[0][:3] == [
        "bad config", "Traceback (most recent call last):", "KeyError: 'API_TOKEN'"]
