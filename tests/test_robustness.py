"""What goes wrong around the wizard is a clear message, never a traceback or a stray signal:
hand-edited state, recipes edited by bringup, folders and commands that do not exist."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import psutil

from bringup.processes.runner import run_command
from bringup.recipe.edit import append_entry, change_port

from helpers import PYTHON, context, invoke, ready_recipe, web_service, write_file, write_recipe


def test_an_entry_is_added_to_an_inline_array_and_the_recipe_still_reads(ws: Path) -> None:
    recipe = write_recipe(ws, "app", 'command = "true"\nneeds = [{ env = "HOME" }]\n')
    append_entry(recipe, "needs", {"binary": "sh"})
    assert invoke("report", "--no-check", "--workspace", str(ws)).code == 0
    assert "binary" in recipe.read_text()


def test_moving_a_port_leaves_other_numbers_alone(ws: Path) -> None:
    recipe = write_recipe(ws, "app", 'command = "serve --port 30"\nport = 30\n'
                                     "[verify]\ntcp = 30\nstartup_timeout = 30\n")
    change_port(recipe, 30, 1030)
    text = recipe.read_text()
    assert "--port 1030" in text and "tcp = 1030" in text and "startup_timeout = 30" in text


def test_a_hand_edited_pid_of_0_signals_nothing(ws: Path) -> None:
    write_recipe(ws, "app", 'command = "true"\n')
    write_file(ws, "state/state.json", json.dumps({"schema": "bringup.state/1", "services": {
        "app": {"pid": 0, "create_time": 0, "findings": [{"kind": "x"}], "log_offset": -4}}}))
    assert invoke("down", "--workspace", str(ws)).code == 0
    assert invoke("report", "--json", "--workspace", str(ws)).code == 0
    assert invoke("diagnose", "app", "--workspace", str(ws)).code in (0, 1)


def test_down_stops_a_service_whose_recipe_is_gone(ws: Path) -> None:
    web_service(ws, "api")
    assert invoke("next", "--yes", "--workspace", str(ws)).code == 0
    pid = json.loads((ws / "state/state.json").read_text())["services"]["api"]["pid"]
    (ws / "recipes/api.toml").rename(ws / "api.toml.away")
    write_recipe(ws, "other", "command = 3\n")
    assert invoke("down", "--workspace", str(ws)).code == 0
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE


def test_a_missing_service_folder_is_a_paths_problem(ws: Path) -> None:
    write_recipe(ws, "app", 'cwd = "services/app"\ncommand = "./run.sh"\n')
    result = invoke("next", "--yes", "--workspace", str(ws))
    assert result.code == 1 and "services/app does not exist" in result.output
    assert "Traceback" not in result.output


def test_a_command_that_does_not_exist_is_named(ws: Path) -> None:
    write_recipe(ws, "app", 'command = ["no-such-program-xyz", "--serve"]\n')
    result = invoke("next", "--yes", "--workspace", str(ws))
    assert result.code == 1 and "cannot run no-such-program-xyz --serve" in result.output


def test_a_fix_the_file_system_refuses_is_a_reason(ws: Path) -> None:
    (ws / "envdir").mkdir()
    web_service(ws, "app", extra='env_file = "envdir"\n[[needs]]\nenv = "TOKEN"')
    result = invoke("next", "--yes", "--workspace", str(ws))
    assert result.code == 1 and "Traceback" not in result.output
    assert "environment variable TOKEN is not set" in result.output


def test_a_host_from_the_env_file_is_fixed_in_the_env_file(ws: Path) -> None:
    port = web_service(ws, "db")
    write_file(ws, "app/.env", f"DB_URL=postgres://app:s3cret@db:{port}/app\n")
    write_file(ws, "app/app.py", "import os, socket, sys\n"
               "host = os.environ['DB_URL'].split('@')[1].split(':')[0]\n"
               "try:\n    socket.getaddrinfo(host, 1)\nexcept OSError:\n"
               "    sys.exit(f'could not translate host name \"{host}\" to address: "
               "Name or service not known')\n"
               "print('ready', flush=True)\nimport time\ntime.sleep(60)\n")
    ready_recipe(ws, "app", f"""
        cwd = "app"
        command = ["{PYTHON}", "app.py"]
        env_file = ".env"
        after = ["db"]
        """)
    assert invoke("next", "--yes", "--workspace", str(ws)).code == 0
    result = invoke("next", "--yes", "--workspace", str(ws))
    assert result.code == 0, result.output
    assert "s3cret" not in (ws / "recipes/app.toml").read_text()
    assert "s3cret" not in result.output
    assert f"@127.0.0.1:{port}/" in (ws / "app/.env").read_text()


def test_an_npm_package_without_dependencies_is_satisfied(ws: Path) -> None:
    write_file(ws, "package.json", '{"name": "bare", "version": "1.0.0"}')
    write_recipe(ws, "job", 'command = "true"\noneshot = true\n[[needs]]\nnpm = "package.json"\n')
    assert invoke("next", "--yes", "--workspace", str(ws)).code == 0


def test_a_regressed_service_that_answers_again_is_proven_again(ws: Path) -> None:
    write_file(ws, "ok", "")
    write_recipe(ws, "app", 'command = "sleep 60"\n[verify]\nexec = "test -f ok"\n'
                            "stable_for = 0.2\ninterval = 0.1\n")
    write_recipe(ws, "later", 'command = "sleep 60"\nafter = ["app"]\n[verify]\nstable_for = 0.2\n')
    assert invoke("next", "--yes", "--workspace", str(ws)).code == 0
    (ws / "ok").unlink()
    ctx = context(ws)
    ctx.state.of("app").status = "regressed"
    ctx.save()
    write_file(ws, "ok", "")
    assert invoke("next", "--yes", "--workspace", str(ws)).code == 0
    assert invoke("report", "--no-check", "--workspace", str(ws)).code == 0


def test_a_timed_out_command_takes_its_children_with_it(tmp_path: Path) -> None:
    result = run_command("sleep 31.7 & echo started; wait", cwd=tmp_path, timeout=0.5)
    assert result.code == 124
    time.sleep(0.2)
    sleepers = [p for p in psutil.process_iter(["name", "cmdline"])
                if p.info["cmdline"] == ["sleep", "31.7"] and p.ppid() in (1, os.getpid())]
    assert not sleepers


def test_logs_wants_a_positive_count(ws: Path) -> None:
    write_recipe(ws, "app", 'command = "true"\n')
    assert invoke("logs", "app", "-n", "0", "--workspace", str(ws)).code == 2
