"""`bringup next`: each stage's check, its fixes, and what is recorded, on real processes."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import stat
import subprocess
from pathlib import Path

import psutil
import pytest

from bringup.commands.next import run_next
from bringup.errors import WorkFailed
from bringup.state.store import Store

from helpers import (
    PYTHON,
    SERVER,
    Scripted,
    context,
    free_port,
    http_server_recipe,
    invoke,
    journal,
    next_ok,
    next_yes,
    report_json,
    stored,
    web_service,
    write_file,
    write_recipe,
)


def test_a_ready_service_is_proven_with_evidence(ws: Path) -> None:
    web_service(ws)
    output = next_ok(ws)
    assert "proven: web" in output
    saved = stored(ws, "web")
    assert saved["status"] == "proven" and saved["stage"] == "stable"
    assert {check["kind"] for check in saved["evidence"]} == {"process", "http", "diagnosis"}
    assert (ws / "state" / "logs" / "web.log").read_text().startswith("=== bringup start")


def test_fixes_for_paths_and_permissions_then_the_check_passes_again(ws: Path) -> None:
    port = free_port()
    write_recipe(ws, "api", f"""
        cwd = "api"
        command = "./start.sh"
        port = {port}
        [[paths]]
        dir = "var/data"
        [[paths]]
        file = "settings.json"
        template = "settings.example.json"
        [verify]
        stable_for = 0.2
        interval = 0.1
        """)
    write_file(ws, "api/server.py", SERVER)
    write_file(ws, "api/settings.example.json", "{}")
    write_file(ws, "api/start.sh", f"#!/bin/sh\ntest -d var/data && test -f settings.json "
                                    f"&& exec {PYTHON} server.py {port}\n", mode=0o644)
    next_ok(ws)
    assert (ws / "api/var/data").is_dir()
    assert (ws / "api/settings.json").read_text() == "{}"
    assert (ws / "api/start.sh").stat().st_mode & stat.S_IXUSR
    fixes = [line for line in journal(ws) if line["event"] == "fix"]
    assert [line["stage"] for line in fixes] == ["paths", "paths", "permissions"]


def test_an_existing_file_is_never_overwritten(ws: Path) -> None:
    web_service(ws, extra='[[paths]]\nfile = "settings.json"\ntemplate = "example.json"')
    write_file(ws, "settings.json", "mine")
    write_file(ws, "example.json", "template")
    next_ok(ws)
    assert (ws / "settings.json").read_text() == "mine"


def test_a_declined_fix_stops_at_that_stage_and_the_next_run_resumes_there(ws: Path) -> None:
    web_service(ws, extra='[[paths]]\ndir = "one"\n[[paths]]\ndir = "two"')
    prompter = Scripted([1, 0])  # decline "one", accept "two"
    with pytest.raises(WorkFailed, match="one does not exist"):
        run_next(context(ws, prompter), None)
    assert not (ws / "one").exists() and (ws / "two").is_dir()
    assert stored(ws, "web")["stage"] == "paths"
    assert stored(ws, "web")["status"] == "in-progress"
    before = len(journal(ws))
    next_ok(ws)
    stages = [line.get("stage") for line in journal(ws)[before:] if line["event"] == "check"]
    assert stages[0] == "paths" and "needs" not in stages


def test_a_missing_env_value_is_asked_saved_and_never_shown(ws: Path) -> None:
    web_service(ws, extra='[[needs]]\nenv = "API_TOKEN"')
    prompter = Scripted(["0", "typed-secret-value"])
    prompter.answers = [0, "typed-secret-value"]
    done = run_next(context(ws, prompter), None)
    assert done.service == "web"
    assert "API_TOKEN='typed-secret-value'" in (ws / ".env").read_text()
    assert 'env_file = ".env"' in (ws / "recipes/web.toml").read_text()
    assert "typed-secret-value" not in (ws / "state/journal.jsonl").read_text()
    assert "typed-secret-value" not in (ws / "state/state.json").read_text()


def test_yes_generates_a_value_for_a_missing_env_variable(ws: Path) -> None:
    web_service(ws, extra='env_file = "local.env"\n[[needs]]\nenv = "SECRET_KEY"')
    output = next_ok(ws)
    saved = (ws / "local.env").read_text()
    value = saved.split("=", 1)[1].strip().strip('"')
    assert len(value) >= 20 and value not in output
    assert stat.S_IMODE((ws / "local.env").stat().st_mode) == 0o600


def test_yes_makes_up_no_value_for_a_setting(ws: Path) -> None:
    web_service(ws, extra='[[needs]]\nenv = "DB_URL"\n[[needs]]\nenv = "CACHE_HOST"')
    result = next_yes(ws)
    assert result.code == 1
    assert ("no value given for DB_URL, and bringup does not make one up: it names a setting"
            in result.output), result.output
    assert "set DB_URL in .env or the recipe's env" in result.output
    assert "DB_URL" not in ((ws / ".env").read_text() if (ws / ".env").exists() else "")
    (ws / ".env").write_text("DB_URL=postgres://127.0.0.1/app\nCACHE_HOST=127.0.0.1\n")
    next_ok(ws)


def test_a_binary_with_no_install_route_stops_with_a_hint(ws: Path) -> None:
    web_service(ws, extra='[[needs]]\nbinary = "no-such-tool-xyz"\n'
                          'install = { dnf = "no-such-tool" }')
    result = invoke("next", "--yes", "--workspace", str(ws))
    assert result.code == 1
    assert "no-such-tool-xyz: not found on PATH" in result.output
    assert "install no-such-tool-xyz yourself" in result.output
    if shutil.which("apt-get"):  # asked, it knows none: not "no package manager here"
        assert "apt-get knows no package for it" in result.output


@pytest.mark.skipif(shutil.which("apt-get") is None or os.geteuid() != 0
                    or shutil.which("sl", path="/usr/games:/usr/bin") is not None,
                    reason="needs apt as root, and the package sl not installed")
def test_a_package_bringup_installs_is_listed_and_reset_all_removes_it(ws: Path) -> None:
    write_recipe(ws, "toy", """
        command = "sl -h >/dev/null 2>&1; test -x /usr/games/sl"
        oneshot = true
        [[needs]]
        binary = "/usr/games/sl"
        install = { apt = "sl" }
        """)
    try:
        next_ok(ws)
        _, report = report_json(ws, "--no-check")
        assert [(c["kind"], c["file"], c["line"]) for c in report["machine_changes"]] == [
            ("package", "apt", "sl")]
        undone = invoke("reset", "--all", "--workspace", str(ws))
        assert undone.code == 0 and "removed the package sl (apt-get)" in undone.output
        assert "apt-get remove -y sl" in undone.output  # shown before it ran
        assert not Path("/usr/games/sl").exists()
    finally:
        subprocess.run(["apt-get", "remove", "-y", "-qq", "sl"], capture_output=True,
                       check=False)


def test_a_package_already_installed_is_never_recorded_for_removal(ws: Path) -> None:
    from bringup.processes.installers import INSTALLERS

    apt = INSTALLERS["apt"]
    if not apt.available():
        pytest.skip("needs apt")
    assert apt.has("python3") and not apt.has("no-such-package-xyz")


@pytest.mark.skipif(shutil.which("apt-cache") is None or shutil.which("cowsay") is not None,
                    reason="needs apt, and cowsay not installed yet")
def test_a_binary_the_system_package_manager_has_is_installed_with_it(ws: Path) -> None:
    web_service(ws, extra='[[needs]]\nbinary = "cowsay"\ninstall = { brew = "cowsay" }')
    result = invoke("next", "--yes", "--dry-run", "--workspace", str(ws))
    assert "would offer: install cowsay with apt-get" in result.output, result.output


def test_python_requirements_go_into_the_venv_and_a_changed_manifest_installs_again(
        ws: Path) -> None:
    from bringup.commands.demo import greeting_wheel

    write_file(ws, "wheels/.keep", "")
    (ws / "wheels/demo_greeting-1.0-py3-none-any.whl").write_bytes(greeting_wheel())
    write_file(ws, "requirements.txt", "--no-index\n--find-links wheels\ndemo-greeting==1.0\n")
    write_recipe(ws, "job", """
        command = "python -c 'import demo_greeting, os; print(os.environ[\\"VIRTUAL_ENV\\"])'"
        oneshot = true
        [[needs]]
        python = "requirements.txt"
        """)
    next_ok(ws)
    assert (ws / ".venv/bin/python").exists()
    assert str(ws / ".venv") in (ws / "state/logs/job.log").read_text()
    assert invoke("next", "--yes", "--workspace", str(ws)).code == 0
    write_file(ws, "requirements.txt", "--no-index\n--find-links wheels\ndemo-greeting\n")
    output = next_ok(ws)
    assert "requirements.txt changed since it was installed" in output


def test_npm_packages_are_installed_from_package_json(ws: Path) -> None:
    write_file(ws, "vendor/tiny/package.json", '{"name": "tiny", "version": "1.0.0"}')
    write_file(ws, "vendor/tiny/index.js", "module.exports = () => 'tiny ok';")
    write_file(ws, "package.json", '{"name": "app", "version": "1.0.0", '
                                   '"dependencies": {"tiny": "file:./vendor/tiny"}}')
    write_recipe(ws, "app", """
        command = ["node", "-e", "console.log(require('tiny')())"]
        oneshot = true
        [[needs]]
        npm = "package.json"
        """)
    next_ok(ws)
    assert (ws / "node_modules/tiny").exists()
    assert "tiny ok" in (ws / "state/logs/app.log").read_text()


def test_services_that_share_a_requirements_file_share_one_install(ws: Path) -> None:
    from bringup.commands.demo import greeting_wheel

    (ws / "app/wheels").mkdir(parents=True)
    (ws / "app/wheels/demo_greeting-1.0-py3-none-any.whl").write_bytes(greeting_wheel())
    write_file(ws, "app/requirements.txt", "--no-index\n--find-links wheels\ndemo-greeting\n")
    for name in ("web", "worker"):
        write_recipe(ws, name, """
            cwd = "app"
            command = "python -c 'import demo_greeting'"
            oneshot = true
            [[needs]]
            python = "requirements.txt"
            """)
    next_ok(ws, "web")
    next_ok(ws, "worker")
    installs = [line for line in journal(ws, "command") if "pip install" in line["command"]]
    assert len(installs) == 1 and installs[0]["service"] == "web"


def test_npm_ci_never_deletes_node_modules_under_a_running_service(ws: Path) -> None:
    write_file(ws, "front/vendor/tiny/package.json", '{"name": "tiny", "version": "1.0.0"}')
    write_file(ws, "front/vendor/tiny/index.js", "module.exports = () => 'tiny ok';")
    write_file(ws, "front/package.json", '{"name": "front", "version": "1.0.0", '
                                         '"dependencies": {"tiny": "file:./vendor/tiny"}}')
    locked = subprocess.run(["npm", "install", "--package-lock-only", "--no-audit", "--no-fund"],
                            cwd=ws / "front", capture_output=True, text=True, check=False)
    assert locked.returncode == 0, locked.stderr
    for name, tail in (("web", "setInterval(() => {}, 1000)"), ("admin", "")):
        write_recipe(ws, name, f"""
            cwd = "front"
            command = ["node", "-e", "console.log(require('tiny')()); {tail}"]
            oneshot = {"false" if tail else "true"}
            [[needs]]
            npm = "package.json"
            [verify]
            stable_for = 0.3
            """)
    next_ok(ws, "web")
    assert journal(ws, "command")[-1]["command"].startswith("npm ci")
    (ws / "front/package.json").write_text(  # a changed manifest: installed again, but
        '{"name": "front", "version": "1.0.1", "dependencies": {"tiny": "file:./vendor/tiny"}}')
    next_ok(ws, "admin")
    again = journal(ws, "command")[-1]
    assert again["service"] == "admin" and again["command"].startswith("npm install")
    assert psutil.pid_exists(stored(ws, "web")["pid"]) and (ws / "front/node_modules").is_dir()


def test_a_port_held_by_a_stranger_is_named_and_yes_moves_the_service(ws: Path) -> None:
    port = web_service(ws)
    recipe = ws / "recipes/web.toml"
    recipe.write_text("# keep this comment\n" + recipe.read_text())
    user = write_recipe(ws, "user", f'command = "sleep 30"\nafter = ["web"]\n'
                                    f'env = {{ URL = "http://127.0.0.1:{port}/", N = "{port}" }}\n')
    with socket.socket() as stranger:
        stranger.bind(("127.0.0.1", port))
        stranger.listen()
        output = next_ok(ws)
        assert f"port {port} is held by pid {os.getpid()}" in output
        assert "which bringup did not start" in output
    text = recipe.read_text()
    assert text.startswith("# keep this comment") and f"port = {port}\n" not in text
    assert stored(ws, "web")["status"] == "proven"
    moved = stored(ws, "web")["port"]
    assert f'URL = "http://127.0.0.1:{moved}/"' in user.read_text()
    assert f'N = "{port}"' in user.read_text()  # a bare number may mean anything: left alone


def test_bringups_own_earlier_instance_is_adopted(ws: Path) -> None:
    web_service(ws)
    next_ok(ws)
    pid = stored(ws, "web")["pid"]
    ctx = context(ws)
    ctx.state.of("web").status, ctx.state.of("web").stage = "in-progress", "start"
    ctx.save()
    output = next_ok(ws)
    assert "bringup's own earlier instance of web is running" in output
    assert stored(ws, "web")["pid"] == pid


def test_a_service_that_never_answers_fails_with_its_log_tail_and_is_stopped(ws: Path) -> None:
    port = free_port()
    write_recipe(ws, "mute", f"""
        command = ["{PYTHON}", "-u", "-c", "print('booting'); import time; time.sleep(60)"]
        port = {port}
        [verify]
        startup_timeout = 0.5
        """)
    result = invoke("next", "--yes", "--workspace", str(ws))
    assert result.code == 1
    assert f"tcp 127.0.0.1:{port} refused for" in result.output
    saved = stored(ws, "mute")
    assert saved["status"] == "failed" and saved["stage"] == "start"
    assert "booting" in saved["log_tail"]  # type: ignore[operator]
    assert saved["pid"] is None


def test_a_crash_keeps_the_exit_status(ws: Path) -> None:
    write_recipe(ws, "crash", f"""
        command = ["{PYTHON}", "-c", "import sys; print('boom'); sys.exit(3)"]
        """)
    result = invoke("next", "--yes", "--workspace", str(ws))
    assert result.code == 1 and "exited with status 3" in result.output, result.output
    assert stored(ws, "crash")["exit_status"] == 3


@pytest.mark.parametrize(("code", "status"), [(0, "proven"), (4, "failed")])
def test_a_oneshot_is_proven_when_it_exits_0(ws: Path, code: int, status: str) -> None:
    write_recipe(ws, "task", f'command = "exit {code}"\noneshot = true\n')
    invoke("next", "--yes", "--workspace", str(ws))
    assert stored(ws, "task")["status"] == status


def test_a_flap_in_the_stability_window_fails_the_stage(ws: Path) -> None:
    write_recipe(ws, "flaky", f"""
        command = ["{PYTHON}", "-c", "import time; time.sleep(0.4)"]
        [verify]
        stable_for = 3
        interval = 0.1
        """)
    result = invoke("next", "--yes", "--workspace", str(ws))
    assert result.code == 1 and "into the 3 s stability window" in result.output


def test_a_log_error_line_fails_verify(ws: Path) -> None:
    write_recipe(ws, "worker", f"""
        command = ["{PYTHON}", "-u", "-c", "print('Traceback: db'); import signal; signal.pause()"]
        [verify]
        log = "ready"
        log_error = "Traceback"
        startup_timeout = 5
        """)
    result = invoke("next", "--yes", "--workspace", str(ws))
    assert result.code == 1 and "log line matches log_error: Traceback: db" in result.output


def test_a_service_with_only_an_error_pattern_is_not_ready_at_its_first_breath(
        ws: Path) -> None:
    # Nothing tells when it is ready: it must live its first moments, long enough to say
    # the error its recipe looks for, before verify calls it ready.
    write_recipe(ws, "worker", f"""
        command = ["{PYTHON}", "-u", "-c", "import time; time.sleep(0.1); print('FATAL: no db'); time.sleep(30)"]
        [verify]
        log_error = "FATAL"
        stable_for = 0.5
        interval = 0.1
        """)  # noqa: E501
    result = invoke("next", "--yes", "--workspace", str(ws))
    assert result.code == 1
    assert "✗ verify" in result.output and "FATAL: no db" in result.output, result.output


def test_a_daemonizing_command_is_named(ws: Path) -> None:
    port = web_service(ws)
    write_recipe(ws, "web", http_server_recipe(port).replace(
        f'command = ["{PYTHON}", "-u", "server.py", "{port}"]',
        f'command = "setsid {PYTHON} server.py {port} >/dev/null 2>&1 &"'))
    try:
        result = invoke("next", "--yes", "--workspace", str(ws))
        assert result.code == 1 and "daemonized" in result.output
        assert stored(ws, "web")["findings"][0]["kind"] == "daemonized"  # type: ignore[index]
        assert "stopped what was left of it" in result.output  # the daemon it left behind
    finally:
        _kill_listener(port)


def _kill_listener(port: int) -> None:
    from bringup.processes.ports import listener_pids

    for pid in listener_pids(port):
        os.kill(pid, signal.SIGKILL)


def test_dry_run_changes_nothing(ws: Path) -> None:
    web_service(ws, extra='[[paths]]\ndir = "var"')
    result = invoke("next", "--dry-run", "--workspace", str(ws))
    assert result.code == 0, result.output
    assert "would offer: create var" in result.output
    assert not (ws / "var").exists() and not (ws / "state").exists()


def test_without_a_terminal_a_question_stops_with_exit_2(ws: Path) -> None:
    web_service(ws, extra='[[paths]]\ndir = "var"')
    result = invoke("next", "--workspace", str(ws))
    assert result.code == 2 and "pass --yes" in result.stderr


def test_without_a_terminal_nothing_to_ask_still_works(ws: Path) -> None:
    web_service(ws)
    assert invoke("next", "--workspace", str(ws)).code == 0


def test_dependency_order_and_a_blocked_service(ws: Path) -> None:
    web_service(ws, "api")
    write_recipe(ws, "dash", 'command = "sleep 30"\nafter = ["api"]\n'
                             "[verify]\nstable_for = 0.2\ninterval = 0.1\n")
    result = invoke("next", "dash", "--yes", "--workspace", str(ws))
    assert result.code == 1 and "waits for api" in result.output
    assert "next: dash" in next_ok(ws)
    assert "proven: api, dash" in next_ok(ws)
    assert "every service is proven" in next_ok(ws)


def test_a_regressed_service_is_fixed_first(ws: Path) -> None:
    web_service(ws, "api")
    write_recipe(ws, "other", 'command = "sleep 30"\n[verify]\nstable_for = 0.2\n')
    next_ok(ws)
    pid = stored(ws, "api")["pid"]
    assert isinstance(pid, int)
    os.killpg(pid, signal.SIGKILL)
    output = next_ok(ws)
    assert "api has regressed" in output
    assert stored(ws, "api")["status"] == "proven" and stored(ws, "api")["pid"] != pid


def test_skip_parks_a_service_and_blocks_what_comes_after(ws: Path) -> None:
    web_service(ws, "api")
    write_recipe(ws, "dash", 'command = "sleep 30"\nafter = ["api"]\n')
    assert invoke("skip", "api", "--reason", "no runtime here", "--workspace", str(ws)).code == 0
    result = invoke("next", "--yes", "--workspace", str(ws))
    assert result.code == 1
    assert "dash waits for api, parked (skipped: no runtime here)" in result.output
    assert invoke("reset", "api", "--workspace", str(ws)).code == 0
    assert "proven: api" in next_ok(ws)


def test_next_is_done_when_only_parked_services_are_left(ws: Path) -> None:
    web_service(ws, "api")
    write_recipe(ws, "legacy", 'command = "true"\n')
    invoke("skip", "legacy", "--reason", "needs Windows", "--workspace", str(ws))
    next_ok(ws)
    assert "every service is proven but the parked ones (legacy)" in next_ok(ws)


def test_a_recipe_parked_by_its_skip_key_needs_no_command_and_reset_keeps_it_parked(
        ws: Path) -> None:
    web_service(ws, "api")
    write_recipe(ws, "legacy", 'skip = "runs only in its image"\nafter = ["api"]\n')
    next_ok(ws)
    assert "every service is proven but the parked ones (legacy)" in next_ok(ws)
    assert invoke("reset", "--all", "--workspace", str(ws)).code == 0
    next_ok(ws)
    _, report = report_json(ws, "--no-check")
    legacy = next(s for s in report["services"] if s["name"] == "legacy")
    assert legacy["status"] == "skipped" and "runs only in its image" in legacy["reason"]
    named = invoke("next", "legacy", "--yes", "--workspace", str(ws))
    assert named.code == 1 and "runs only in its image (legacy.toml)" in named.output


def test_down_stops_what_bringup_started(ws: Path) -> None:
    port = web_service(ws)
    next_ok(ws)
    result = invoke("down", "--workspace", str(ws))
    assert result.code == 0 and "web" in result.output
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=0.5)
    assert any(line["event"] == "stop" for line in journal(ws))


def test_state_is_saved_atomically_and_read_back(ws: Path) -> None:
    web_service(ws)
    next_ok(ws)
    assert Store(ws / "state").load().of("web").status == "proven"
    assert not list((ws / "state").glob(".state-*"))


def test_a_port_held_by_another_of_bringups_services_says_which(ws: Path) -> None:
    port = web_service(ws, "first")
    write_recipe(ws, "second", http_server_recipe(port))
    assert "proven: first" in next_ok(ws)
    output = next_ok(ws)
    assert f"port {port} is held by pid" in output and "bringup's own first" in output
    assert stored(ws, "second")["status"] == "proven"


def test_next_all_walks_each_service_in_turn_and_stops_at_the_first_that_cannot_be_proven(
        ws: Path) -> None:
    web_service(ws, "api")
    web_service(ws, "web", extra='after = ["api"]')
    port = free_port()
    write_recipe(ws, "mute", f"""
        command = ["{PYTHON}", "-u", "-c", "import time; time.sleep(60)"]
        port = {port}
        after = ["web"]
        [verify]
        startup_timeout = 0.5
        """)
    web_service(ws, "zed", extra='after = ["mute"]')
    result = invoke("next", "--all", "--yes", "--workspace", str(ws))
    assert result.code == 1, result.output
    assert "api is proven; next: web" in result.output
    assert [stored(ws, name)["status"] for name in ("api", "web", "mute")] == [
        "proven", "proven", "failed"]
    assert "zed" not in json.loads((ws / "state/state.json").read_text())["services"] or \
        stored(ws, "zed")["status"] == "pending"  # never walked: mute before it failed
    both = invoke("next", "api", "--all", "--workspace", str(ws))
    assert both.code == 2 and "not both" in both.stderr
