"""Each finding's fix, one by one: what it records in the recipe, and the failures it walks to
proven for real (a file from its template, a folder, a binary added to the needs)."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from bringup.commands.next import run_next
from bringup.core.service import Service
from bringup.diagnosis import Finding
from bringup.errors import WorkFailed
from bringup.remedies import REMEDIES, remedy

from helpers import (
    PYTHON,
    Scripted,
    context,
    free_port,
    invoke,
    ready_recipe,
    write_file,
    write_recipe,
)


def service(ws: Path, name: str) -> Service:
    ctx = context(ws)
    return Service(ctx, ctx.workspace.recipes[name])


def found(kind: str, subject: str, evidence: str = "") -> Finding:
    return Finding.build(kind, subject, fix="", evidence=evidence or subject)


def recipe_of(ws: Path, name: str) -> dict[str, object]:
    return tomllib.loads((ws / "recipes" / f"{name}.toml").read_text())


def ready_app(ws: Path, body: str) -> None:
    write_file(ws, "app.py", body + "print('ready', flush=True)\nimport time\ntime.sleep(60)\n")
    ready_recipe(ws, "app", f"""
        command = ["{PYTHON}", "app.py"]
        """)


def test_a_file_with_a_template_next_to_it_is_added_and_copied(ws: Path) -> None:
    write_file(ws, "config/app.example.json", "{}")
    ready_app(ws, "open('config/app.json').read()\n")
    result = invoke("next", "--yes", "--workspace", str(ws))
    assert result.code == 0, result.output
    assert recipe_of(ws, "app")["paths"] == [
        {"file": "config/app.json", "template": "config/app.example.json"}]
    assert (ws / "config/app.json").read_text() == "{}"


def test_a_missing_folder_is_added_and_created(ws: Path) -> None:
    ready_app(ws, "import os\nos.listdir('uploads')\n")
    assert invoke("next", "--yes", "--workspace", str(ws)).code == 0
    assert recipe_of(ws, "app")["paths"] == [{"dir": "uploads"}]


def test_a_missing_binary_is_added_to_the_needs_with_install_routes(ws: Path) -> None:
    write_recipe(ws, "app", 'command = "redis-cli-xyz ping"\n')
    with pytest.raises(WorkFailed):
        run_next(context(ws, Scripted([0, 1])), None)  # add the need; decline the install
    assert recipe_of(ws, "app")["needs"] == [
        {"binary": "redis-cli-xyz", "install": {"apt": "redis-cli-xyz", "brew": "redis-cli-xyz",
                                                "dnf": "redis-cli-xyz"}}]
    lines = (ws / "state/journal.jsonl").read_text().splitlines()
    assert [json.loads(line)["event"] for line in lines].count("declined") == 1


def test_a_known_binary_gets_its_package_names(ws: Path) -> None:
    write_recipe(ws, "app", 'command = "true"\n')
    fix = remedy(service(ws, "app"), found("missing-binary", "redis-cli"))
    assert fix is not None and fix.apply(service(ws, "app")) is None
    need = recipe_of(ws, "app")["needs"][0]  # type: ignore[index]
    assert need["install"]["apt"] == "redis-tools"  # type: ignore[index]


def test_a_node_module_is_installed_with_npm_and_recorded(ws: Path) -> None:
    write_file(ws, "package.json", '{"name": "app"}')
    write_recipe(ws, "app", 'command = "node server.js"\n')
    fix = remedy(service(ws, "app"), found("missing-node-module", "express"))
    assert fix is not None and fix.command == "npm install --no-audit --no-fund express"
    assert remedy(service(ws, "app"), found("missing-node-module", "./lib/x")) is None


@pytest.mark.parametrize("kind", ["port-in-use", "privileged-port"])
def test_a_port_finding_moves_the_service_above_1023(ws: Path, kind: str) -> None:
    write_recipe(ws, "app", 'command = "serve --port 80"\nport = 80\n')
    fix = remedy(service(ws, "app"), found(kind, "80"))
    assert fix is not None and fix.apply(service(ws, "app")) is None
    port = recipe_of(ws, "app")["port"]
    assert isinstance(port, int) and port > 1023
    assert f"--port {port}" in str(recipe_of(ws, "app")["command"])
    assert remedy(service(ws, "app"), found(kind, "9999")) is None


def test_a_moved_port_never_lands_on_one_another_recipe_declares(ws: Path) -> None:
    write_recipe(ws, "app", 'command = "serve --port 80"\nport = 80\n')
    for number, name in enumerate(("api", "cache", "queue"), start=1025):
        write_recipe(ws, name, f'command = "true"\nport = {number}\n')  # down: free right now
    fix = remedy(service(ws, "app"), found("port-in-use", "80"))
    assert fix is not None and fix.apply(service(ws, "app")) is None
    port = recipe_of(ws, "app")["port"]
    assert isinstance(port, int) and port > 1027


def test_a_writable_folder_for_a_file_that_could_not_be_opened(ws: Path) -> None:
    write_recipe(ws, "app", 'command = "true"\n')
    (ws / "logs").mkdir()
    evidence = "PermissionError: [Errno 13] Permission denied: 'logs/app.log' (open)"
    fix = remedy(service(ws, "app"), found("permission-denied", "logs/app.log", evidence))
    assert fix is not None and fix.apply(service(ws, "app")) is None
    assert recipe_of(ws, "app")["permissions"] == [{"writable": "logs"}]


def test_a_path_outside_the_workspace_gets_no_fix(ws: Path) -> None:
    write_recipe(ws, "app", 'command = "true"\n')
    for kind in ("missing-path", "permission-denied"):
        assert remedy(service(ws, "app"), found(kind, "/etc/app/settings.json")) is None


def test_connection_refused_without_an_owner_gets_no_fix(ws: Path) -> None:
    write_recipe(ws, "app", 'command = "true"\n')
    port = free_port()
    assert remedy(service(ws, "app"), found("connection-refused", f"127.0.0.1:{port}")) is None


def test_an_after_that_would_make_a_cycle_is_not_offered(ws: Path) -> None:
    port = free_port()
    write_recipe(ws, "db", f'command = "true"\nport = {port}\nafter = ["app"]\n')
    write_recipe(ws, "app", 'command = "true"\n')
    assert remedy(service(ws, "app"), found("connection-refused", f"127.0.0.1:{port}")) is None


def test_every_remedy_kind_is_a_finding_kind() -> None:
    from bringup.diagnosis import KIND_STAGE

    assert set(REMEDIES) <= set(KIND_STAGE)


def test_every_finding_kind_is_asked_about_in_a_plain_sentence() -> None:
    from bringup.diagnosis import KIND_STAGE
    from bringup.diagnosis.finding import SAYS

    assert set(SAYS) == set(KIND_STAGE)
    assert found("missing-env", "API_TOKEN").sentence() == "API_TOKEN is not set"


def test_the_question_for_a_finding_says_what_is_wrong_in_words(ws: Path) -> None:
    ready_app(ws, "import os\nos.listdir('uploads')\n")
    prompter = Scripted([1])  # "not now"
    with pytest.raises(WorkFailed):
        run_next(context(ws, prompter), None)
    assert prompter.asked == ["app: uploads does not exist. What now?"]


def test_a_template_copy_is_whole_or_not_at_all(ws: Path) -> None:
    write_file(ws, "settings.example.json", '{"a": 1}')
    (ws / "settings.example.json").chmod(0o640)
    ready_app(ws, "open('settings.json').read()\n")
    with (ws / "recipes/app.toml").open("a") as recipe:
        recipe.write('[[paths]]\nfile = "settings.json"\ntemplate = "settings.example.json"\n')
    assert invoke("next", "--yes", "--workspace", str(ws)).code == 0
    copied = ws / "settings.json"
    assert copied.read_text() == '{"a": 1}' and (copied.stat().st_mode & 0o777) == 0o640
    assert not list(ws.glob(".settings.json-*"))


def test_a_deno_permission_refusal_is_no_file_permission_to_add(ws: Path) -> None:
    from bringup.diagnosis import diagnose

    ready_app(ws, "")
    app = service(ws, "app")
    refused = diagnose('error: Uncaught (in promise) NotCapable: Requires env access to '
                       '"SESSION_KEY", run again with the --allow-env flag\n')[0]
    assert (refused.kind, refused.subject) == ("permission-denied", "SESSION_KEY")
    assert remedy(app, refused) is None
    assert remedy(app, found("permission-denied", "logs/app.log")) is not None
