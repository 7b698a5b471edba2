"""The environment the compose way: the workspace's `.env` under everything else, `${VAR}`
and its forms filled in a recipe's env, command and checks, bare `$VAR` left to the shell, and
`bringup exec` running a command as the service would. Real recipes read by bringup's reader;
real processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bringup import __version__
from bringup.core.service import Service
from bringup.recipe.read import load

from helpers import (
    PYTHON,
    context,
    free_port,
    http_server_recipe,
    invoke,
    next_ok,
    write_file,
    write_recipe,
)


def read(ws: Path, name: str = "api") -> Service:
    return Service(context(ws), load(ws / "recipes" / f"{name}.toml", ws))


def test_forms_are_filled_in_env_command_and_checks(ws: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("API_PORT", "8123")
    monkeypatch.delenv("MODE", raising=False)
    write_file(ws, ".env", "HOST_NAME=from-dotenv\nAPI_PORT=1\n")
    write_recipe(ws, "api", """
        command = "serve --port ${API_PORT} --mode ${MODE:-dev} $HOME $$ $${LITERAL}"
        port = 8123
        env = {URL = "http://${HOST_NAME}:${API_PORT}/", EMPTY = "${UNSET_ONE}"}
        [verify]
        tcp = "127.0.0.1:${API_PORT}"
        """)
    service = read(ws)
    assert service.recipe.command == "serve --port 8123 --mode dev $HOME $$ ${LITERAL}"
    assert service.recipe.env == {"URL": "http://from-dotenv:8123/", "EMPTY": ""}
    assert "127.0.0.1:8123" in str(service.recipe.verify.checks["tcp"])
    assert service.env()["HOST_NAME"] == "from-dotenv"  # the .env reaches the service
    assert service.env()["API_PORT"] == "8123"  # ... below the environment bringup runs in


def test_the_command_sees_the_recipes_env(ws: Path) -> None:
    write_recipe(ws, "api", """
        command = ["server", "--listen", "${BIND:-0.0.0.0}:${PORT}"]
        env = {PORT = "9001", BIND = "127.0.0.1"}
        """)
    assert read(ws).recipe.command == ("server", "--listen", "127.0.0.1:9001")


def test_a_required_variable_unset_is_a_recipe_error(ws: Path) -> None:
    write_recipe(ws, "api", 'command = "serve --db ${DATABASE_URL:?set it in .env}"\n')
    result = invoke("report", "--workspace", str(ws))
    assert result.code == 2 and "Traceback" not in result.output
    assert result.stderr.strip().startswith("bringup: recipes/api.toml: command: required "
                                            "variable DATABASE_URL is missing a value: set it "
                                            "in .env"), result.stderr
    write_file(ws, ".env", "DATABASE_URL=postgres://127.0.0.1/app\n")
    assert read(ws).recipe.command == "serve --db postgres://127.0.0.1/app"


def test_a_malformed_form_names_the_key(ws: Path) -> None:
    write_recipe(ws, "api", 'command = "true"\nenv = {A = "${A"}\n')
    result = invoke("report", "--workspace", str(ws))
    assert result.code == 2 and "recipes/api.toml: env.A: invalid interpolation" in result.stderr


def test_the_dotenv_value_reaches_the_running_service(ws: Path) -> None:
    write_file(ws, ".env", "GREETING=hello from the workspace\n")
    write_recipe(ws, "api", f"""
        command = ["{PYTHON}", "-u", "-c", "import os, time; print(os.environ['GREETING']); \
print('ready'); time.sleep(60)"]
        [verify]
        log = "ready"
        stable_for = 0.2
        interval = 0.1
        """)
    next_ok(ws)
    assert "hello from the workspace" in invoke("logs", "api", "--workspace", str(ws)).stdout


def bringup(ws: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bringup", *args, "--workspace", str(ws)]
                          if args[0] != "exec" else
                          [sys.executable, "-m", "bringup", "--workspace", str(ws), *args],
                          check=False, capture_output=True, text=True, timeout=30,
                          env={**os.environ, "API_TOKEN": "s3cr3t-token-value"})


def test_exec_runs_with_the_services_env_venv_and_folder(ws: Path) -> None:
    venv = ws / "services" / "api" / ".venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    write_file(ws, ".env", "FROM_DOTENV=yes\n")
    write_recipe(ws, "api", """
        command = "true"
        cwd = "services/api"
        env = {FROM_RECIPE = "also"}
        [[needs]]
        python = "requirements.txt"
        """)
    ran = bringup(ws, "exec", "api", "--", "sh", "-c",
                  'echo "$FROM_DOTENV $FROM_RECIPE $VIRTUAL_ENV $(pwd)"; '
                  'command -v python; exit 7')
    assert ran.returncode == 7, ran.stderr  # the command's own status
    said, found = ran.stdout.splitlines()
    assert said == f"yes also {venv} {ws / 'services' / 'api'}"
    assert found == str(venv / "bin" / "python")
    assert ran.stderr.startswith("$ sh -c ") and "(in services/api, api's env)" in ran.stderr


def test_exec_of_a_program_not_there(ws: Path) -> None:
    write_recipe(ws, "api", 'command = "true"\n')
    ran = invoke("exec", "--workspace", str(ws), "api", "--", "no-such-program-here")
    assert ran.code == 127 and "no-such-program-here: not found on api's PATH" in ran.stderr
    assert "Traceback" not in ran.stderr
    assert invoke("exec", "--workspace", str(ws), "api", "--").code == 2  # no command named


def test_exec_shows_no_secret(ws: Path) -> None:
    write_recipe(ws, "api", 'command = "true"\n')
    ran = bringup(ws, "exec", "api", "--", "echo", "s3cr3t-token-value")
    assert ran.returncode == 0 and "s3cr3t-token-value" not in ran.stderr
    assert ran.stdout == "s3cr3t-token-value\n"  # the command's own output is its own


def test_a_generated_secret_the_service_echoes_is_shown_nowhere(ws: Path) -> None:
    write_recipe(ws, "api", f"""
        command = ["{PYTHON}", "-u", "-c", "import os, sys; print('token is', \
os.environ['API_TOKEN']); sys.exit('API_TOKEN ' + os.environ['API_TOKEN'] + ' was refused')"]
        [[needs]]
        env = "API_TOKEN"
        [verify]
        log = "ready"
        startup_timeout = 3
        """)
    walked = invoke("next", "--yes", "--workspace", str(ws))
    token = (ws / ".env").read_text().split("=", 1)[1].strip().strip("'")
    assert len(token) >= 20 and walked.code == 1
    shown = [walked.output,
             invoke("diagnose", "api", "--json", "--workspace", str(ws)).output,
             invoke("diagnose", "api", "--workspace", str(ws)).output,
             invoke("report", "--json", "--workspace", str(ws)).output,
             invoke("logs", "api", "--workspace", str(ws)).output,
             (ws / "state" / "state.json").read_text(),
             (ws / "state" / "journal.jsonl").read_text()]
    assert "token is" in shown[4]  # the service's line is there, its value masked
    for text in shown:
        assert token not in text, text


def test_probes_say_who_they_are(ws: Path) -> None:
    write_file(ws, "server.py", """
        import sys
        from http.server import BaseHTTPRequestHandler, HTTPServer

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                print("GET", self.path, self.headers["User-Agent"], flush=True)
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
        """)
    port = free_port()
    write_recipe(ws, "web", http_server_recipe(port))
    next_ok(ws)
    assert f"GET /health bringup-probe/{__version__}" in invoke(
        "logs", "web", "--workspace", str(ws)).stdout
