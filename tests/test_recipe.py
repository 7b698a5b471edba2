"""Valid recipes: the defaults of the contract, the tcp default, and every key at once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bringup.recipe.model import Need, PathSpec, Permission, Recipe
from bringup.recipe.read import load

from helpers import invoke, write_file, write_recipe


def parse(root: Path, text: str, name: str = "api") -> Recipe:
    return load(write_recipe(root, name, text), root)


def with_command(command: str) -> str:
    return f"command = {command}\n"


def test_defaults(ws: Path) -> None:
    recipe = parse(ws, 'command = "./start.sh"')
    assert (recipe.name, recipe.cwd, recipe.after, recipe.oneshot) == ("api", ".", (), False)
    assert (recipe.restart, recipe.max_restarts, recipe.stop_grace) == ("on-failure", 5, 10.0)
    assert (recipe.port, recipe.user, recipe.env, recipe.env_file) == (None, None, {}, None)
    assert (recipe.needs, recipe.paths, recipe.permissions) == ((), (), ())


def test_verify_defaults(ws: Path) -> None:
    verify = parse(ws, 'command = "./start.sh"').verify
    assert (verify.startup_timeout, verify.stable_for, verify.interval) == (30.0, 10.0, 1.0)
    assert verify.checks == {}
    asked = parse(ws, 'command = "x"\n[verify]\nhttp = "http://127.0.0.1:1/"').verify
    assert asked.checks["http"].method == "GET"


def test_port_without_checks_verifies_by_tcp(ws: Path) -> None:
    verify = parse(ws, 'command = "x"\nport = 5050').verify
    assert verify.checks["tcp"].target == "127.0.0.1:5050"


def test_port_with_http_check_has_no_tcp_default(ws: Path) -> None:
    verify = parse(ws, 'command = "x"\nport = 5050\n[verify]\nhttp = "http://127.0.0.1:5050/"').verify
    assert "tcp" not in verify.checks
    assert verify.checks["http"].url == "http://127.0.0.1:5050/"


def test_port_with_only_an_error_pattern_still_verifies_by_tcp(ws: Path) -> None:
    verify = parse(ws, 'command = "x"\nport = 5050\n[verify]\nlog_error = "Traceback"').verify
    assert list(verify.checks) == ["tcp", "log"]


@pytest.mark.parametrize(("given", "target"), [
    ("6379", "127.0.0.1:6379"),
    ('"localhost:6379"', "localhost:6379"),
    ('"[::1]:6379"', "[::1]:6379"),
])
def test_tcp_target(ws: Path, given: str, target: str) -> None:
    verify = parse(ws, f'command = "x"\n[verify]\ntcp = {given}').verify
    assert verify.checks["tcp"].target == target


def test_command_array_stays_a_tuple(ws: Path) -> None:
    recipe = parse(ws, 'command = ["bin/run", "--port", "5050"]')
    assert recipe.command == ("bin/run", "--port", "5050")
    assert recipe.command_text() == "bin/run --port 5050"


@pytest.mark.parametrize(("command", "path"), [
    ('"./start.sh --x"', "./start.sh"),
    ('["bin/run"]', "bin/run"),
    ('"python app.py"', None),
    ('"/usr/bin/env x"', None),
])
def test_command_path(ws: Path, command: str, path: str | None) -> None:
    assert parse(ws, with_command(command)).command_path() == path


def test_http_method_is_upper_case(ws: Path) -> None:
    text = 'command = "x"\n[verify]\nhttp = "http://127.0.0.1:1/"\nhttp_method = "post"'
    assert parse(ws, text).verify.checks["http"].method == "POST"


FULL = """
description = "Core API"
cwd = "services/api"
command = "./start.sh"
after = ["cache"]
port = 5050
oneshot = false
restart = "always"
max_restarts = 3
stop_grace = 2.5
user = "postgres"
env = { PORT = "5050", REDIS_URL = "redis://127.0.0.1:6379/0" }
env_file = ".env"

[[needs]]
binary = "redis-cli"
install = { apt = "redis-tools", brew = "redis", dnf = "redis" }
[[needs]]
python = "requirements.txt"
venv = ".venv"
[[needs]]
npm = "package.json"
[[needs]]
env = "SECRET_KEY"

[[paths]]
dir = "var/data"
[[paths]]
file = "config/settings.json"
template = "config/settings.example.json"
[[paths]]
dir = "var/pgdata"
run = "initdb -D var/pgdata -U postgres --auth=trust"

[[permissions]]
executable = "start.sh"
[[permissions]]
writable = "var/log"

[verify]
tcp = 5050
tcp_send = "PING\\r\\n"
tcp_expect = "+PONG"
http = "http://127.0.0.1:5050/health"
http_expect = "ok"
http_status = 204
http_method = "POST"
http_data = "{}"
exec = "pg_isready -h 127.0.0.1 -p 5433"
exec_expect = "accepting"
log = "Ready to accept connections"
log_error = "Waiting for db|Traceback"
startup_timeout = 20
stable_for = 5
interval = 0.5
"""


def full_workspace(root: Path) -> Recipe:
    for name in ("start.sh", "requirements.txt", "package.json", ".env",
                 "config/settings.example.json"):
        write_file(root, f"services/api/{name}", "")
    write_recipe(root, "cache", 'command = "redis-server"\nport = 6379')
    return parse(root, FULL)


def test_full_recipe_top_level(ws: Path) -> None:
    recipe = full_workspace(ws)
    assert (recipe.description, recipe.cwd) == ("Core API", "services/api")
    assert recipe.after == ("cache",)
    assert (recipe.port, recipe.oneshot, recipe.restart) == (5050, False, "always")
    assert (recipe.max_restarts, recipe.stop_grace, recipe.user) == (3, 2.5, "postgres")
    assert recipe.env == {"PORT": "5050", "REDIS_URL": "redis://127.0.0.1:6379/0"}
    assert recipe.env_file == ".env"


def test_full_recipe_stages(ws: Path) -> None:
    recipe = full_workspace(ws)
    assert recipe.needs == (
        Need("binary", "redis-cli", {"apt": "redis-tools", "brew": "redis", "dnf": "redis"}),
        Need("python", "requirements.txt", {}, ".venv"),
        Need("npm", "package.json"),
        Need("env", "SECRET_KEY"),
    )
    assert recipe.paths == (
        PathSpec("dir", "var/data"),
        PathSpec("file", "config/settings.json", "config/settings.example.json"),
        PathSpec("dir", "var/pgdata", run="initdb -D var/pgdata -U postgres --auth=trust"),
    )
    assert recipe.permissions == (Permission("executable", "start.sh"),
                                  Permission("writable", "var/log"))


def test_full_recipe_verify(ws: Path) -> None:
    verify = full_workspace(ws).verify
    tcp, http, exec_, log = (verify.checks[kind] for kind in ("tcp", "http", "exec", "log"))
    assert (tcp.target, tcp.send) == ("127.0.0.1:5050", "PING\r\n")
    assert tcp.expect == "+PONG"
    assert (http.url, http.expect, http.status) == ("http://127.0.0.1:5050/health", "ok", 204)
    assert (http.method, http.data) == ("POST", "{}")
    assert (exec_.command, exec_.expect) == ("pg_isready -h 127.0.0.1 -p 5433", "accepting")
    assert log.ready == "Ready to accept connections"
    assert log.error == "Waiting for db|Traceback"
    assert (verify.startup_timeout, verify.stable_for, verify.interval) == (20.0, 5.0, 0.5)


def test_full_recipe_in_the_workspace(ws: Path) -> None:
    full_workspace(ws)
    result = invoke("report", "--no-check", "--json", "--workspace", str(ws))
    assert result.code == 0, result.output
    services = json.loads(result.stdout)["services"]
    assert [(s["name"], s["port"], s["after"]) for s in services] == [
        ("cache", 6379, []), ("api", 5050, ["cache"])]


def test_a_venv_python_linking_outside_the_workspace_is_fine(ws: Path) -> None:
    import sys

    (ws / ".venv/bin").mkdir(parents=True)
    (ws / ".venv/bin/python").symlink_to(sys.executable)
    write_recipe(ws, "app", 'command = ".venv/bin/python app.py"\n')
    assert invoke("report", "--no-check", "--workspace", str(ws)).code == 0


@pytest.mark.parametrize(("command", "files"), [
    ('"celery -A app worker -l info --logfile=logs/celery.log"', ("logs/celery.log",)),
    ('["redis-server", "--logfile", "var/redis.log"]', ("var/redis.log",)),
    ('"gunicorn app:app --error-logfile - --log-file gunicorn.log"', ("gunicorn.log",)),
    ('"worker -f worker.log"', ("worker.log",)),
    ('"worker -f config.toml -l debug"', ()),
])
def test_log_files_named_by_the_command(ws: Path, command: str, files: tuple[str, ...]) -> None:
    assert parse(ws, with_command(command)).log_files() == files


def test_log_files_from_the_recipe_come_first_and_stay_inside(ws: Path) -> None:
    recipe = parse(ws, 'command = "w --logfile b.log"\nlogs = ["a.log", "b.log"]')
    assert recipe.log_files() == ("a.log", "b.log")
    result = invoke("report", "--no-check", "--workspace", str(ws))
    assert result.code == 0
    write_recipe(ws, "api", 'command = "w"\nlogs = ["../../x.log"]\n')
    result = invoke("report", "--no-check", "--workspace", str(ws))
    assert result.code == 2 and "logs: expected a path inside the workspace" in result.stderr
