"""The engine's rules of ranking, fallback and shape, on short hand-made logs."""

from __future__ import annotations

from pathlib import Path

import pytest

from bringup.diagnosis import (
    KIND_STAGE,
    Finding,
    announced_ports,
    daemonized,
    diagnose,
    distribution_for,
    loopback_mismatch,
    wrong_port,
)
from bringup.diagnosis.rules import RULES

STAGES = {"needs", "paths", "permissions", "start", "verify"}
NO_SUCH_FILE = "No such file or directory"


def first(text: str, exit_status: int | None = None) -> tuple[str, str]:
    finding = diagnose(text, exit_status=exit_status)[0]
    return finding.kind, finding.subject


@pytest.mark.parametrize(
    ("module", "distribution"),
    [
        ("yaml", "PyYAML"),
        ("cv2", "opencv-python"),
        ("PIL", "Pillow"),
        ("sklearn", "scikit-learn"),
        ("bs4", "beautifulsoup4"),
        ("dotenv", "python-dotenv"),
        ("jwt", "PyJWT"),
        ("google.protobuf", "protobuf"),
        ("google.protobuf.message", "protobuf"),
        ("yaml.constructor", "PyYAML"),
        ("requests", "requests"),
        ("mypkg.sub", "mypkg"),
    ],
)
def test_distribution_for(module: str, distribution: str) -> None:
    assert distribution_for(module) == distribution


def test_missing_module_fix_names_the_distribution() -> None:
    finding = diagnose("ModuleNotFoundError: No module named 'yaml'")[0]
    assert finding.subject == "yaml"
    assert "pip install PyYAML" in finding.fix
    assert "venv" in finding.fix


def test_every_kind_has_a_stage() -> None:
    assert len(KIND_STAGE) == 20
    assert set(KIND_STAGE.values()) <= STAGES
    assert {rule.kind for rule in RULES} <= set(KIND_STAGE)


def test_needles_are_lower_case() -> None:
    for rule in RULES:
        assert all(needle == needle.lower() for needle in rule.needles), rule.pattern.pattern


CHAINED = """\
Traceback (most recent call last):
  File "/app/settings.py", line 2, in <module>
    import yaml
ModuleNotFoundError: No module named 'yaml'

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "/app/main.py", line 9, in <module>
    raise RuntimeError("SECRET_KEY is not set")
RuntimeError: SECRET_KEY is not set
"""


def test_chained_traceback_ranks_the_root_cause_first() -> None:
    findings = diagnose(CHAINED)
    assert [(f.kind, f.subject) for f in findings] == [
        ("missing-python-module", "yaml"),
        ("missing-env", "SECRET_KEY"),
    ]


def test_direct_cause_chain_ranks_the_root_first() -> None:
    text = CHAINED.replace(
        "During handling of the above exception, another exception occurred:",
        "The above exception was the direct cause of the following exception:",
    )
    assert first(text) == ("missing-python-module", "yaml")


def test_final_exception_beats_earlier_errors() -> None:
    text = "Error: connect ECONNREFUSED 127.0.0.1:6379\nretrying\n" + CHAINED
    assert first(text) == ("missing-python-module", "yaml")


def test_frames_are_not_evidence() -> None:
    text = """\
Traceback (most recent call last):
  File "/app/main.py", line 3, in <module>
    os.chdir("Connection refused")
ValueError: bad value
"""
    assert first(text, 1) == ("crashed", "1")


@pytest.mark.parametrize(
    "warning",
    [
        "npm WARN EBADENGINE Unsupported engine { required: { node: '>=22' } }",
        "(node:123) Warning: Closing file descriptor 3 on garbage collection",
        'WARN[0000] The "PORT" variable is not set. Defaulting to a blank string.',
        "/app/x.py:3: DeprecationWarning: SECRET_KEY is not set, using a random one",
        "WARNING overcommit_memory is set to 0! Background save may fail.",
    ],
)
def test_warnings_do_not_win(warning: str) -> None:
    text = f"{warning}\nError: Cannot find module 'express'\nNode.js v20.18.0\n"
    assert first(text) == ("missing-node-module", "express")


def test_a_warning_is_reported_when_nothing_better() -> None:
    text = "npm WARN EBADENGINE Unsupported engine {\n"
    text += "npm WARN EBADENGINE   required: { node: '>=22' }"
    assert first(text) == ("runtime-version", "node")


def test_crashed_fallback_takes_the_last_error_line() -> None:
    text = """\
server listening on 127.0.0.1:4000
TypeError: Cannot read properties of undefined (reading 'split')
    at tokenize (/app/src/indexer.js:48:29)

Node.js v20.18.0
[nodemon] app crashed - waiting for file changes before starting...
"""
    finding = diagnose(text, exit_status=1)[0]
    assert (finding.kind, finding.subject, finding.stage) == ("crashed", "1", "start")
    assert finding.evidence.startswith("TypeError: Cannot read properties")


def test_crashed_names_a_signal() -> None:
    finding = diagnose("batch 2/48 done\n", exit_status=-9)[0]
    assert (finding.subject, finding.evidence) == ("signal 9", "batch 2/48 done")
    assert "killed" in finding.fix


def test_crashed_without_status_is_unknown() -> None:
    assert first("ImportError: cannot import name 'x' from 'y'") == ("crashed", "unknown")


def test_flask_banner_is_not_evidence() -> None:
    text = "ValueError: bad config\n * Running on http://127.0.0.1:5000\n"
    assert diagnose(text, exit_status=1)[0].evidence == "ValueError: bad config"


def test_empty_log_and_success_give_nothing() -> None:
    assert diagnose("", exit_status=0) == []
    assert diagnose("\n  \n") == []


def test_empty_log_with_failure_crashed() -> None:
    finding = diagnose("", exit_status=127)[0]
    assert (finding.kind, finding.subject, finding.evidence) == ("crashed", "127", "")


def test_repeated_lines_give_one_finding() -> None:
    line = "[ioredis] Unhandled error event: Error: connect ECONNREFUSED 127.0.0.1:6379\n"
    findings = diagnose(line * 50)
    assert [(f.kind, f.subject) for f in findings] == [("connection-refused", "127.0.0.1:6379")]


def test_distinct_addresses_are_distinct_findings() -> None:
    text = "Error: connect ECONNREFUSED ::1:5432\nError: connect ECONNREFUSED 127.0.0.1:5432\n"
    subjects = [f.subject for f in diagnose(text)]
    assert subjects == ["127.0.0.1:5432", "[::1]:5432"]


def test_unknown_subject_gives_way_to_a_named_one() -> None:
    root = "ConnectionRefusedError: [Errno 111] Connection refused\n"
    final = "redis.exceptions.ConnectionError: Error 111 connecting to 127.0.0.1:6379. Connection"
    text = root + "retry\n" * 20 + final + " refused."
    finding = diagnose(text)[0]
    assert finding.subject == "127.0.0.1:6379"
    assert "127.0.0.1:6379" in finding.evidence


def test_port_is_read_from_elsewhere_in_the_log() -> None:
    error = "OSError: [Errno 98] Address already in use"
    text = "listening on 0.0.0.0:9100\n" + "tick\n" * 100 + error
    assert first(text) == ("port-in-use", "9100")


def test_evidence_is_the_stripped_line() -> None:
    finding = diagnose("   sh: 1: redis-cli: not found   \r\n")[0]
    assert finding.evidence == "sh: 1: redis-cli: not found"


def test_to_json_keys() -> None:
    data = diagnose("bash: ./start.sh: Permission denied")[0].to_json()
    assert list(data) == ["kind", "subject", "stage", "fix", "evidence"]
    assert data["fix"].startswith("chmod +x ./start.sh")


@pytest.mark.parametrize(
    ("linux", "macos"),
    [
        ("sh: 1: redis-cli: not found", "zsh: command not found: redis-cli"),
        ("/usr/bin/env: \u2018node\u2019: No such file or directory", f"env: node: {NO_SUCH_FILE}"),
        (
            "OSError: [Errno 98] Address already in use",
            "OSError: [Errno 48] Address already in use",
        ),
        (
            "socket.gaierror: [Errno -2] Name or service not known",
            "socket.gaierror: [Errno 8] nodename nor servname provided, or not known",
        ),
        (
            "ConnectionRefusedError: [Errno 111] Connection refused",
            "ConnectionRefusedError: [Errno 61] Connection refused",
        ),
        ("sh: 1: ./run.sh: Permission denied", "zsh: permission denied: ./run.sh"),
        ("sh: 1: cd: can't cd to var/data", "cd: no such file or directory: var/data"),
    ],
)
def test_linux_and_macos_wordings_agree(linux: str, macos: str) -> None:
    assert first(linux) == first(macos)


def test_ten_thousand_lines() -> None:
    noise = [f'127.0.0.1 - "GET /api/items/{n} HTTP/1.1" 200 512' for n in range(9_990)]
    text = "\n".join(
        [
            *noise,
            "Traceback (most recent call last):",
            '  File "/app/main.py", line 1, in <module>',
            "    import yaml",
            "ModuleNotFoundError: No module named 'yaml'",
        ]
    )
    assert first(text, 1) == ("missing-python-module", "yaml")


def test_daemonized() -> None:
    finding = daemonized("redis-server redis.conf")
    assert (finding.kind, finding.subject, finding.stage) == (
        "daemonized",
        "redis-server redis.conf",
        "start",
    )
    assert "foreground" in finding.fix


def test_loopback_mismatch() -> None:
    finding = loopback_mismatch("localhost:5050", listens_on="127.0.0.1")
    assert (finding.kind, finding.subject, finding.stage) == (
        "loopback-mismatch",
        "localhost:5050",
        "verify",
    )
    assert "127.0.0.1:5050" in finding.fix


def test_findings_are_values() -> None:
    finding = Finding.build("missing-env", "PORT", fix="set PORT", evidence="  PORT is not set ")
    assert finding == Finding("missing-env", "PORT", "needs", "set PORT", "PORT is not set")


@pytest.mark.parametrize(("line", "ports"), [
    ("Listening on http://127.0.0.1:4000", [4000]),
    (" * Running on http://127.0.0.1:5000", [5000]),
    ("INFO:     Uvicorn running on http://127.0.0.1:8000 (Press CTRL+C to quit)", [8000]),
    ("[2024-01-01] [1] [INFO] Listening at: http://127.0.0.1:8000 (1)", [8000]),
    ('LOG:  listening on IPv4 address "127.0.0.1", port 5433', [5433]),
    ("Starting development server at http://127.0.0.1:8000/", [8000]),
    ("  ➜  Local:   http://localhost:5173/", [5173]),
    ("Tomcat started on port(s): 8080 (http) with context path ''", [8080]),
    ("Connecting to redis at 127.0.0.1:6379", []),
    ("Ready to accept connections tcp", []),
    ("Metrics server listening on http://0.0.0.0:9090/metrics", []),
    ("Prometheus exporter started on port 9100", []),
    ("pprof listening on localhost:6060", []),
    ("Admin interface listening on http://127.0.0.1:9901", []),
])
def test_the_ports_a_log_announces(line: str, ports: list[int]) -> None:
    assert list(announced_ports(f"booting\n{line}\n")) == ports


def test_wrong_port_names_where_it_listens_and_what_the_recipe_checks() -> None:
    finding = wrong_port(4000, 4100, evidence="Listening on http://127.0.0.1:4000")
    assert (finding.kind, finding.subject, finding.stage) == ("wrong-port", "4000", "start")
    assert "port to 4000" in finding.fix and "PORT" in finding.fix
    assert finding.observed == {"expected": "4100"}


def test_the_kinds_table_of_the_docs_lists_every_kind_with_its_stage() -> None:
    table = (Path(__file__).parents[2] / "docs/findings.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip(" `"): line.split("|")[-2].strip()
            for line in table.splitlines() if line.startswith("| `")}
    assert rows == KIND_STAGE


def test_an_import_that_fails_inside_the_projects_own_code_is_no_dependency_conflict() -> None:
    own = ("ImportError: cannot import name 'Order' from partially initialized module 'shop.models'"
           " (most likely due to a circular import) (/srv/shop/models.py)")
    assert diagnose(own, exit_status=1)[0].kind == "crashed"
    installed = ("ImportError: cannot import name 'Order' from 'shop.models' "
                 "(/srv/.venv/lib/python3.11/site-packages/shop/models.py)")
    assert first(installed, 1) == ("dependency-conflict", "shop")
