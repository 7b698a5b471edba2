"""`bringup export` to systemd and process-compose, where a recipe's text meets the engine's
own syntax: paths with a space or `%` in the workspace's name, a newline in a command or a
value, `%` in a description; a log check beside other checks, a ready line that looks like a
regular expression, and HTTP checks process-compose's http_get would judge otherwise. Each unit
is read by `systemd-analyze verify`, each process-compose file by the documented schema."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bringup.export.stack import project_name
from test_export import ANALYZE, SCHEMA, _newer_systemd_only, _unit, export

from helpers import free_port, stop_everything, write_file, write_recipe

needs_analyze = pytest.mark.skipif(ANALYZE is None, reason="needs systemd-analyze")


@pytest.fixture
def odd(tmp_path: Path) -> Iterator[Path]:
    """A workspace whose folder's name has a space and a `%` that reads as a specifier."""
    root = tmp_path / "my %z ws"
    (root / "recipes").mkdir(parents=True)
    yield root
    stop_everything(root)


def units(root: Path) -> dict[str, str]:
    """`bringup export systemd` of the workspace's recipes, proven or not: file name -> text."""
    code, said = export(root, "systemd", "--include-unproven")
    assert code == 0, said
    return {path.name: path.read_text() for path in (root / "export/systemd").iterdir()}


def complaints(root: Path) -> list[str]:
    """What `systemd-analyze verify --user` says of the exported units, beyond keys only a
    newer systemd knows; its exit code must be 0 too."""
    assert ANALYZE is not None
    files = sorted(str(path) for path in (root / "export/systemd").iterdir())
    env = {**os.environ, "XDG_RUNTIME_DIR": str(root)}
    checked = subprocess.run([ANALYZE, "verify", "--user", *files], capture_output=True,
                             text=True, env=env, check=False)
    said = [line for line in checked.stderr.splitlines() if not _newer_systemd_only(line)]
    return said if checked.returncode == 0 else [f"exit {checked.returncode}", *said]


def unescaped(word: str) -> str:
    """A double-quoted word's C escapes undone, as systemd does (those the export writes)."""
    return word.encode().decode("unicode_escape")


@needs_analyze
def test_paths_are_written_unquoted_with_percent_doubled(odd: Path) -> None:
    """systemd does not unquote WorkingDirectory=, EnvironmentFile= or StandardOutput=
    truncate:, so a folder with a space is written as it is; its `%` is doubled."""
    write_file(odd, "api.env", "MODE=test\n")
    write_recipe(odd, "api", """
        command = "sleep 30"
        env_file = "api.env"
        [verify]
        log = "ready"
        """)
    unit = _unit(units(odd)[f"{project_name(odd)}-api.service"])
    assert complaints(odd) == []
    doubled = str(odd).replace("%", "%%")
    assert unit["WorkingDirectory"] == [doubled]
    assert unit["EnvironmentFile"] == [f"-{doubled}/.env", f"{doubled}/api.env"]
    assert unit["StandardOutput"] == [f"truncate:{doubled}/state/logs/api.systemd.log"]
    assert f"--log {doubled}/state/logs/api.systemd.log" in unit["ExecStartPost"][0].replace(
        '"', "")


@needs_analyze
def test_a_path_systemd_cannot_take_is_said_not_written(ws: Path) -> None:
    """A newline in the service's folder: no line can hold it, so the unit goes without it and
    the header says so."""
    (ws / "svc\nold").mkdir()
    write_file(ws, "svc\nold/api.env", "MODE=test\n")
    write_recipe(ws, "api", """
        command = "sleep 30"
        cwd = "svc\\nold"
        env_file = "api.env"
        """)
    text = units(ws)[f"{ws.name}-api.service"]
    assert complaints(ws) == []
    unit = _unit(text)
    assert "WorkingDirectory" not in unit and len(unit["EnvironmentFile"]) == 1
    assert "api: WorkingDirectory='" in text and "api: EnvironmentFile='" in text


@needs_analyze
def test_a_newline_in_a_command_or_a_value_is_a_c_escape(ws: Path) -> None:
    """One setting a line: the newline in a /bin/sh -c script and in an env value is written
    `\\n` inside quotes, which systemd turns back into a newline; the script still runs both
    of its lines."""
    write_recipe(ws, "api", """
        command = "echo one\\necho 'two\\tthree'"
        env = { GREETING = "hello\\nworld" }
        """)
    text = units(ws)[f"{ws.name}-api.service"]
    assert complaints(ws) == []
    unit = _unit(text)
    assert len(unit["ExecStart"]) == 1 and "\\n" in unit["ExecStart"][0]
    program, flag, script = shlex.split(unit["ExecStart"][0])
    assert (program, flag) == ("/bin/sh", "-c")
    assert unescaped(script) == "echo one\necho 'two\tthree'"
    ran = subprocess.run([program, flag, unescaped(script)], capture_output=True, text=True,
                         check=True)
    assert ran.stdout == "one\ntwo\tthree\n"
    greeting = [value for value in unit["Environment"] if "GREETING" in value]
    assert [unescaped(shlex.split(value)[0]) for value in greeting] == ["GREETING=hello\nworld"]


@needs_analyze
def test_percent_in_a_description_is_taken_literally(ws: Path) -> None:
    """Description= resolves specifiers: `%z` is none (systemd drops the whole setting), `%n`
    would become the unit's name; doubled, both stay text."""
    write_recipe(ws, "api", """
        description = "100% ready, %z and %n"
        command = "sleep 30"
        """)
    unit = _unit(units(ws)[f"{ws.name}-api.service"])
    assert complaints(ws) == []
    assert unit["Description"][0].startswith("100%% ready, %%z and %%n (")


def process_compose(root: Path) -> tuple[dict[str, Any], str]:
    """The exported process-compose.yaml, validated by the schema, and its text."""
    import jsonschema
    import yaml

    code, said = export(root, "process-compose", "--include-unproven")
    assert code == 0, said
    text = (root / "export/process-compose/process-compose.yaml").read_text()
    data = yaml.safe_load(text)
    jsonschema.validate(data, json.loads(SCHEMA.read_text()))
    return data["processes"], text


def test_a_log_check_beside_others_gives_way_to_the_probe_and_is_said(ws: Path) -> None:
    """process-compose takes a readiness probe or a ready log line: the probe that runs the
    other checks is written, the log line is listed as not expressed, and what comes after
    waits for health."""
    port = free_port()
    write_recipe(ws, "api", f"""
        command = "sleep 30"
        [verify]
        tcp = {port}
        log = "api ready"
        """)
    write_recipe(ws, "web", 'command = "sleep 30"\nafter = ["api"]\n')
    processes, text = process_compose(ws)
    assert "ready_log_line" not in processes["api"]
    assert f"/dev/tcp/127.0.0.1/{port}" in processes["api"]["readiness_probe"]["exec"]["command"]
    assert "api: verify.log 'api ready' with other checks" in text
    assert processes["web"]["depends_on"] == {"api": {"condition": "process_healthy"}}


def test_the_schema_refuses_a_ready_log_line_beside_a_readiness_probe() -> None:
    import jsonschema

    both = {"version": "0.5", "processes": {"api": {
        "command": "sleep 30", "ready_log_line": "ready",
        "readiness_probe": {"exec": {"command": "true"}}}}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(both, json.loads(SCHEMA.read_text()))


def test_a_ready_line_is_written_as_the_literal_text_it_is(ws: Path) -> None:
    """process-compose looks for ready_log_line as a substring of each line (strings.Contains),
    as bringup's log check does: brackets and parentheses are written as they are, not
    escaped as a regular expression would need."""
    write_recipe(ws, "api", """
        command = "sleep 30"
        [verify]
        log = "Ready (pid 1) [ok]"
        """)
    write_recipe(ws, "web", 'command = "sleep 30"\nafter = ["api"]\n')
    processes, _ = process_compose(ws)
    assert processes["api"]["ready_log_line"] == "Ready (pid 1) [ok]"
    assert processes["web"]["depends_on"] == {"api": {"condition": "process_log_ready"}}


STATUSES = """
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        status = {"/health?ready=1": 200, "/empty": 204, "/ok": 200}.get(self.path, 404)
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass

HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
"""


@pytest.fixture
def statuses(tmp_path: Path) -> Iterator[int]:
    """A server answering 200 on /ok and /health?ready=1 (404 without the query), 204 on
    /empty; its port."""
    port = free_port()
    script = tmp_path / "statuses.py"
    script.write_text(STATUSES)
    server = subprocess.Popen([sys.executable, str(script), str(port)])
    try:
        for _ in range(100):
            if subprocess.run(["bash", "-c", f"exec 3<>/dev/tcp/127.0.0.1/{port}"],
                              capture_output=True, check=False).returncode == 0:
                break
            time.sleep(0.05)
        yield port
    finally:
        server.kill()
        server.wait()


def test_http_get_only_where_process_compose_judges_as_bringup(ws: Path, statuses: int) -> None:
    """process-compose's http_get drops the query and passes on status 200 alone: it is written
    for a check that names status 200; a query, bringup's 200-399 or expected text is curl in
    an exec probe, which passes against the service where http_get would not."""
    base = f"http://127.0.0.1:{statuses}"
    checks = {"exact": f'http = "{base}/ok"\nhttp_status = 200',
              "query": f'http = "{base}/health?ready=1"',
              "empty": f'http = "{base}/empty"',
              "text": f'http = "{base}/ok"\nhttp_expect = "nothing"'}
    for name, check in checks.items():
        write_recipe(ws, name, f'command = "sleep 30"\n[verify]\n{check}\n')
    processes, _ = process_compose(ws)
    probes = {name: processes[name]["readiness_probe"] for name in checks}
    assert probes["exact"]["http_get"] == {"host": "127.0.0.1", "scheme": "http",
                                           "path": "/ok", "port": statuses}
    assert all("exec" in probes[name] for name in ("query", "empty", "text"))

    def passes(name: str) -> bool:
        command = probes[name]["exec"]["command"]
        return subprocess.run(["bash", "-c", command], capture_output=True, timeout=10,
                              check=False).returncode == 0

    assert passes("query") and passes("empty") and not passes("text")
    assert "health?ready=1" in probes["query"]["exec"]["command"]
