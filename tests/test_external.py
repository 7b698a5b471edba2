"""Services bringup only watches (`external = true`): a teammate's API that the test runs itself
is checked like any other, proven, waited for by what comes after it, shown in the report,
never started, stopped or restarted; a host that does not resolve is a finding with its fix."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bringup.commands.watch import watch

from helpers import (
    PYTHON,
    SERVER,
    context,
    free_port,
    invoke,
    journal,
    next_ok,
    next_yes,
    report_json,
    web_service,
    write_file,
    write_recipe,
)

EXTERNAL = """
external = true
description = "the team's API, run by someone else"
[verify]
http = "http://127.0.0.1:{port}/health"
http_expect = "ok"
stable_for = 0.3
interval = 0.1
startup_timeout = {timeout}
"""


class Theirs:
    """A web server that someone else runs: started by the test, not by bringup."""

    def __init__(self, ws: Path, port: int) -> None:
        self.file = write_file(ws, "theirs/server.py", SERVER)
        self.port = port
        self.process = self.start()

    def start(self) -> subprocess.Popen[str]:
        process = subprocess.Popen([PYTHON, "-u", str(self.file), str(self.port)],
                                   stdout=subprocess.PIPE, text=True)
        assert process.stdout is not None and "listening" in process.stdout.readline()
        return process

    def stop(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)


@pytest.fixture
def theirs(ws: Path) -> Iterator[Theirs]:
    server = Theirs(ws, free_port())
    yield server
    server.stop()


def service_of(data: dict[str, object], name: str) -> dict[str, object]:
    return next(s for s in data["services"] if s["name"] == name)  # type: ignore[attr-defined]


def test_an_external_service_is_proven_by_its_checks_and_never_started_or_stopped(
        ws: Path, theirs: Theirs) -> None:
    write_recipe(ws, "team-api", EXTERNAL.format(port=theirs.port, timeout=5))
    web_service(ws, "web", extra='after = ["team-api"]')
    said = next_ok(ws)
    assert "team-api: the team's API" in said and "start" not in said.split("verify")[0]
    next_ok(ws)
    code, data = report_json(ws)
    team = service_of(data, "team-api")
    assert code == 0 and team["status"] == "proven" and team["external"] is True
    assert team["pid"] is None and team["started_at"] is None
    assert [c["kind"] for c in team["checks"]] == ["http"]  # no process check: it has none
    assert not (ws / "state/logs/team-api.log").exists()
    assert not [e for e in journal(ws, "start") if e["service"] == "team-api"]
    shown = invoke("report", "--workspace", str(ws), "--no-check")
    assert "external" in shown.stdout

    assert invoke("down", "--workspace", str(ws)).code == 0
    assert theirs.process.poll() is None  # down stops what bringup started, and only that
    named = invoke("down", "team-api", "--workspace", str(ws))
    assert named.code == 0 and "never stops it" in named.output
    refused = invoke("restart", "team-api", "--workspace", str(ws))
    assert refused.code == 2 and "team-api is external" in refused.output
    came = invoke("up", "--workspace", str(ws))
    assert came.code == 0 and "team-api: external" in came.output, came.output
    assert theirs.process.poll() is None

    theirs.stop()  # their server goes down: what comes after it is held, nothing restarted
    code, data = report_json(ws)
    assert code == 1 and service_of(data, "team-api")["status"] == "regressed"
    assert service_of(data, "web")["reason"] == "depends on team-api, which is regressed"


def test_watch_checks_an_external_service_and_never_restarts_it(
        ws: Path, theirs: Theirs) -> None:
    write_recipe(ws, "team-api", EXTERNAL.format(port=theirs.port, timeout=5))
    next_ok(ws)
    ctx = context(ws)
    seen: list[str] = []
    phase = {"killed": False, "back": False}

    def until() -> bool:
        status = ctx.state.of("team-api").status
        if not seen or seen[-1] != status:
            seen.append(status)
        if not phase["killed"]:
            theirs.stop()
            phase["killed"] = True
        elif status == "regressed" and not phase["back"]:
            theirs.process = theirs.start()
            phase["back"] = True
        return (phase["back"] and status == "proven") or time.monotonic() > deadline

    deadline = time.monotonic() + 15
    watch(ctx, until=until)
    assert seen == ["proven", "regressed", "proven"], seen
    assert not journal(ws, "restart")  # regressed while it did not answer, proven once it did


@pytest.mark.parametrize(("check", "host"), [
    ('http = "http://status.example.invalid:8080/health"', "status.example.invalid"),
    ('tcp = "db.example.invalid:5432"', "db.example.invalid")], ids=["http", "tcp"])
def test_an_external_host_that_does_not_resolve_is_a_finding_with_its_fix(
        ws: Path, check: str, host: str) -> None:
    write_recipe(ws, "prod", f"external = true\n[verify]\n{check}\nstartup_timeout = 0.5\n")
    hosts = Path("/etc/hosts").read_bytes()
    walked = next_yes(ws)
    assert walked.code == 1 and "unresolvable-host" in walked.output, walked.output
    found = invoke("diagnose", "prod", "--json", "--workspace", str(ws))
    first = json.loads(found.stdout)[0]
    assert first["kind"] == "unresolvable-host" and first["subject"] == host
    assert f"getent hosts {host}" in first["fix"] and "recipes/prod.toml" in first["fix"]
    assert Path("/etc/hosts").read_bytes() == hosts  # nothing aliased to this machine
    _, data = report_json(ws)
    assert data["machine_changes"] == []
    assert service_of(data, "prod")["status"] == "failed"


@pytest.mark.parametrize(("text", "key", "said"), [
    ('external = true\ncommand = "run.sh"\n[verify]\ntcp = 5000\n', "command",
     "only checks it, never starts it"),
    ('external = true\nport = 5000\n[verify]\ntcp = 5000\n', "port", "never starts it"),
    ('external = true\n', "verify", "needs a check that reaches it"),
    ('external = true\n[verify]\nlog = "ready"\n', "verify.log", "no process or log"),
    ('external = "yes"\n[verify]\ntcp = 5000\n', "external", "expected"),
], ids=["command", "port", "no-check", "log-check", "not-a-boolean"])
def test_an_external_recipe_holds_checks_only(ws: Path, text: str, key: str, said: str) -> None:
    write_recipe(ws, "prod", text)
    result = invoke("report", "--workspace", str(ws))
    assert result.code == 2 and "recipes/prod.toml" in result.output
    assert key in result.output and said in result.output, result.output
    assert "Traceback" not in result.output


def test_the_page_and_the_metrics_show_an_external_service_as_it_answers(
        ws: Path, theirs: Theirs) -> None:
    pytest.importorskip("starlette")
    from prometheus_client.parser import text_string_to_metric_families

    write_recipe(ws, "team-api", EXTERNAL.format(port=theirs.port, timeout=5))
    next_ok(ws)
    port = free_port()
    watcher = subprocess.Popen([PYTHON, "-m", "bringup", "watch", "--serve", str(port),
                                "--workspace", str(ws)], stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"

    def served(path: str) -> httpx.Response | None:
        try:
            return httpx.get(url + path)
        except httpx.TransportError:
            return None

    def metric(name: str) -> float | None:
        answer = served("/metrics")
        families = text_string_to_metric_families(answer.text) if answer else []
        return next((s.value for f in families for s in f.samples
                     if s.name == name and s.labels == {"service": "team-api"}), None)

    def soon(name: str, value: float) -> None:
        deadline = time.monotonic() + 15
        while metric(name) != value:
            assert watcher.poll() is None and time.monotonic() < deadline, (name, value)
            time.sleep(0.1)

    try:
        soon("bringup_service_up", 1.0)
        page = served("/")
        assert page is not None and 'id="service-team-api"' in page.text
        row = page.text.split('id="service-team-api"')[1].split("</tr>")[0]
        assert "<td>external</td>" in row and 'data-status="proven"' in row
        theirs.stop()
        soon("bringup_service_proven", 0.0)
        assert metric("bringup_service_up") == 0.0
    finally:
        watcher.terminate()
        watcher.wait(timeout=15)
