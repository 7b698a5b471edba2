"""Real failures, each read from a real log, fixed inside `bringup next --yes` and walked to
proven: a missing module, a refused connection, an unresolvable .invalid host name, a missing
exec bit; a port held by a real process is named with its holder."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from bringup.commands.demo import greeting_wheel
from bringup.commands.next import run_next
from bringup.errors import WorkFailed
from bringup.processes.ports import answers, listener_pids

from helpers import (
    PYTHON,
    SERVER,
    Scripted,
    context,
    free_port,
    invoke,
    journal,
    next_yes,
    ready_recipe,
    stored,
    write_file,
    write_recipe,
)

needs_node = pytest.mark.skipif(shutil.which("node") is None, reason="needs node")


def fixes(ws: Path) -> list[str]:
    """The findings a fix was offered for, in order."""
    return [event["finding"] for event in journal(ws) if event.get("finding")]


def listener(ws: Path, name: str, host: str) -> int:
    """A real process that listens on `host` and a free port; writes NAME.py, returns the port."""
    family = "socket.AF_INET6" if ":" in host else "socket.AF_INET"
    write_file(ws, f"{name}.py", "import socket, sys, time\n"
                                 f"s = socket.create_server(('{host}', int(sys.argv[1])), "
                                 f"family={family})\ntime.sleep(120)\n")
    return free_port()


def cache(ws: Path) -> int:
    """A real TCP service the others connect to."""
    port = listener(ws, "cache", "127.0.0.1")
    write_recipe(ws, "cache", f"""
        command = ["{PYTHON}", "cache.py", "{port}"]
        port = {port}
        [verify]
        stable_for = 0.2
        interval = 0.1
        """)
    return port


def client(ws: Path, address: str) -> None:
    """A real Node client that is ready once it has connected to `address` (host:port)."""
    write_file(ws, "client.js", f"""
        const [host, port] = ({address}).split(':');
        require('net').connect(+port, host).on('connect', () => {{
          console.log('ready');
          setInterval(() => {{}}, 1000);
        }});
        """)


@pytest.fixture
def holder() -> Iterator[int]:
    """A real process, not started by bringup, holding a port."""
    port = free_port()
    code = f"import socket, time; s = socket.create_server(('127.0.0.1', {port})); " \
           "print('held', flush=True); time.sleep(120)"
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline().strip() == "held"
    yield port
    process.kill()
    process.wait()


def test_a_missing_python_module_is_added_installed_and_proven(ws: Path) -> None:
    write_file(ws, "wheels/.keep", "")
    (ws / "wheels/demo_greeting-1.0-py3-none-any.whl").write_bytes(greeting_wheel())
    write_file(ws, "requirements.txt", "--no-index\n--find-links wheels\n")
    write_file(ws, "app.py", "import time\nimport demo_greeting\nprint('ready', flush=True)\n"
                             "time.sleep(120)\n")
    ready_recipe(ws, "app", """
        command = "python app.py"
        [[needs]]
        python = "requirements.txt"
        """)
    result = next_yes(ws)
    assert result.code == 0, result.output
    assert "missing-python-module demo_greeting" in result.output
    assert "demo_greeting" in (ws / "requirements.txt").read_text()
    assert fixes(ws) == ["missing-python-module"]
    assert stored(ws, "app")["status"] == "proven"


@needs_node
def test_a_refused_connection_adds_the_owner_to_after(ws: Path) -> None:
    port = cache(ws)
    client(ws, f"'127.0.0.1:{port}'")
    ready_recipe(ws, "api", """
        command = ["node", "client.js"]
        """)
    result = next_yes(ws)
    assert result.code == 1 and f"connection-refused 127.0.0.1:{port}" in result.output
    assert "api now waits for cache" in result.output
    assert 'after = ["cache"]' in (ws / "recipes/api.toml").read_text()
    assert next_yes(ws).code == 0
    result = next_yes(ws)
    assert result.code == 0 and "proven: cache, api" in result.output


@needs_node
def test_an_unresolvable_invalid_host_in_a_variable_becomes_loopback(ws: Path) -> None:
    port = cache(ws)
    client(ws, "process.env.CACHE_ADDR")
    ready_recipe(ws, "api", f"""
        command = ["node", "client.js"]
        after = ["cache"]
        env = {{ CACHE_ADDR = "cache.invalid:{port}" }}
        """)
    assert next_yes(ws).code == 0
    result = next_yes(ws)
    assert result.code == 0, result.output
    assert "unresolvable-host cache.invalid" in result.output
    assert f'CACHE_ADDR = "127.0.0.1:{port}"' in (ws / "recipes/api.toml").read_text()


def test_a_missing_exec_bit_read_from_the_log_is_fixed(ws: Path) -> None:
    write_file(ws, "start.sh", "#!/bin/sh\n./helper.sh\n", mode=0o755)
    write_file(ws, "helper.sh", f"#!/bin/sh\nexec {PYTHON} -c \"print('ready', flush=True); "
                                "import time; time.sleep(120)\"\n", mode=0o644)
    ready_recipe(ws, "app", """
        command = "./start.sh"
        """)
    result = next_yes(ws)
    assert result.code == 0, result.output
    assert "permission-denied" in result.output
    assert (ws / "helper.sh").stat().st_mode & 0o100
    assert 'executable = "helper.sh"' in (ws / "recipes/app.toml").read_text()


def test_a_port_held_by_a_real_process_is_named_by_diagnose(ws: Path, holder: int) -> None:
    write_recipe(ws, "api", f"""
        command = ["{PYTHON}", "-c", "import socket; socket.create_server(('127.0.0.1', {holder}))"]
        """)
    assert next_yes(ws).code == 1
    result = invoke("diagnose", "api", "--json", "--workspace", str(ws))
    top = json.loads(result.stdout)[0]
    assert result.code == 1 and top["kind"] == "port-in-use" and top["subject"] == str(holder)
    assert "which bringup did not start" in top["evidence"] and "python" in top["evidence"]


def test_a_port_held_by_a_real_process_moves_the_service(ws: Path, holder: int) -> None:
    write_recipe(ws, "api", f"""
        command = "{PYTHON} -m http.server --bind 127.0.0.1 {holder}"
        port = {holder}
        [verify]
        stable_for = 0.2
        interval = 0.1
        """)
    result = next_yes(ws)
    assert result.code == 0 and f"port {holder} is held by pid" in result.output
    assert f"port = {holder}\n" not in (ws / "recipes/api.toml").read_text()


def test_three_failed_attempts_stop_with_the_findings(ws: Path) -> None:
    script = "import os\nfor key in 'ONE', 'TWO', 'THREE', 'FOUR':\n    os.environ[key]\n"
    write_file(ws, "app.py", script)
    write_recipe(ws, "app", 'command = "python3 app.py"\n')
    result = next_yes(ws)
    assert result.code == 1 and "not proven after 3 attempts" in result.output
    assert fixes(ws) == ["missing-env"] * 2
    assert "cause: missing-env THREE" in result.output


def test_a_declined_finding_fix_changes_nothing(ws: Path) -> None:
    write_file(ws, "app.py", "import os\nos.environ['TOKEN']\n")
    write_recipe(ws, "app", 'command = "python3 app.py"\n')
    before = (ws / "recipes/app.toml").read_text()
    with pytest.raises(WorkFailed, match="missing-env TOKEN"):
        run_next(context(ws, Scripted([1])), None)
    assert (ws / "recipes/app.toml").read_text() == before


def test_diagnose_reads_any_log_and_standard_input(tmp_path: Path) -> None:
    log = write_file(tmp_path, "x.log", "Traceback (most recent call last):\n"
                                        "ModuleNotFoundError: No module named 'yaml'\n")
    result = invoke("diagnose", "--log", str(log), "--json")
    assert result.code == 1
    assert json.loads(result.stdout)[0] == {
        "kind": "missing-python-module", "subject": "yaml", "stage": "needs",
        "fix": json.loads(result.stdout)[0]["fix"],
        "evidence": "ModuleNotFoundError: No module named 'yaml'"}
    assert "PyYAML" in json.loads(result.stdout)[0]["fix"]
    piped = invoke("diagnose", "--log", "-", input="sh: 1: redis-cli: not found\n")
    assert piped.code == 1 and "missing-binary redis-cli" in piped.stdout
    assert invoke("diagnose", "--log", "-", input="").code == 0
    assert invoke("diagnose", "--json").code == 2


def ipv6_loopback() -> bool:
    try:
        with socket.create_server(("::1", 0), family=socket.AF_INET6):
            return True
    except OSError:
        return False


def checked_on_the_other_loopback(ws: Path) -> int:
    """A service listening on ::1 only, whose recipe checks 127.0.0.1."""
    port = listener(ws, "six", "::1")
    write_recipe(ws, "six", f"""
        command = ["{PYTHON}", "six.py", "{port}"]
        [verify]
        tcp = "127.0.0.1:{port}"
        startup_timeout = 1
        stable_for = 0.2
        interval = 0.1
        """)
    return port


@pytest.mark.skipif(not ipv6_loopback(), reason="needs an IPv6 loopback")
def test_a_check_on_the_other_loopback_is_a_loopback_mismatch(ws: Path) -> None:
    port = checked_on_the_other_loopback(ws)
    result = next_yes(ws)
    assert result.code == 0, result.output
    assert f"loopback-mismatch 127.0.0.1:{port}" in result.output
    assert f'tcp = "[::1]:{port}"' in (ws / "recipes/six.toml").read_text()


@pytest.mark.skipif(not ipv6_loopback(), reason="needs an IPv6 loopback")
def test_a_stranger_answering_on_the_checked_address_proves_nothing(ws: Path) -> None:
    port = checked_on_the_other_loopback(ws)
    with socket.create_server(("127.0.0.1", port)):  # a stranger answers on 127.0.0.1
        result = next_yes(ws)
        assert result.code == 0, result.output
        assert f"answered by pid {os.getpid()}" in result.output
        assert f"loopback-mismatch 127.0.0.1:{port}" in result.output
    assert stored(ws, "six")["evidence"][1]["target"] == f"[::1]:{port}"


@pytest.mark.skipif(os.geteuid() != 0, reason="the alias is only added as root")
def test_a_name_written_into_the_code_gets_a_hosts_alias_recorded_for_undo(
        ws: Path, tmp_path: Path) -> None:
    write_file(ws, "app.py", "import socket, sys\ntry:\n    socket.getaddrinfo('cachebox', 1)\n"
                             "except OSError:\n    sys.exit('Error -2 connecting to cachebox:6379. "
                             "Name or service not known.')\n")
    write_recipe(ws, "app", f'command = ["{PYTHON}", "app.py"]\n')
    hosts = write_file(tmp_path, "hosts", "127.0.0.1 localhost\n")
    ctx = context(ws)
    ctx.hosts_file = hosts
    with pytest.raises(WorkFailed, match="unresolvable-host cachebox"):
        run_next(ctx, None)
    assert hosts.read_text().count("127.0.0.1 cachebox  # added by bringup") == 1
    assert [change.line for change in context(ws).state.changes] == [
        "127.0.0.1 cachebox  # added by bringup"]  # recorded, to be undone
    assert invoke("reset", "--all", "--workspace", str(ws)).code == 0
    assert hosts.read_text() == "127.0.0.1 localhost\n"


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server")
def test_a_daemonizing_server_is_stopped_and_kept_in_the_foreground(ws: Path) -> None:
    port = free_port()
    write_recipe(ws, "cache", f"""
        command = ["redis-server", "--port", "{port}", "--bind", "127.0.0.1", "--save", "",
                   "--daemonize", "yes"]
        port = {port}
        [verify]
        stable_for = 0.2
        interval = 0.1
        """)
    result = next_yes(ws)
    assert result.code == 0, result.output
    assert "daemonized redis-server" in result.output
    assert '"--daemonize", "no"' in (ws / "recipes/cache.toml").read_text()
    from bringup.processes.ports import listener_pids

    assert listener_pids(port) == {stored(ws, "cache")["pid"]}


def test_a_daemon_flag_in_a_shell_command_is_rewritten_and_the_rest_kept_as_written(
        ws: Path) -> None:
    port = free_port()
    write_recipe(ws, "cache", f"""
        command = "redis-server --port $CACHE_PORT --bind 127.0.0.1 --save '' --daemonize yes"
        env = {{ CACHE_PORT = "{port}" }}
        port = {port}
        [verify]
        stable_for = 0.2
        interval = 0.1
        """)
    result = next_yes(ws)
    assert result.code == 0, result.output
    recipe = (ws / "recipes/cache.toml").read_text()
    assert ('command = "redis-server --port $CACHE_PORT --bind 127.0.0.1 --save \'\' '
            '--daemonize no"') in recipe
    shell = psutil.Process(stored(ws, "cache")["pid"])  # the string runs through /bin/sh -c
    tree = {shell.pid, *(child.pid for child in shell.children(recursive=True))}
    assert listener_pids(port) and listener_pids(port) <= tree


MANAGER = """
import socket, subprocess, sys
control = socket.create_server(("127.0.0.1", int(sys.argv[1])))
open("manager.ready", "w").close()
while True:
    asked, _ = control.accept()
    asked.close()
    subprocess.Popen([sys.executable, "-u", "server.py", sys.argv[2]], start_new_session=True)
"""


def test_a_server_a_service_manager_starts_for_the_command_is_never_adopted(ws: Path) -> None:
    # `systemctl start x` in miniature: the command asks a manager bringup did not start, and
    # exits 0; the server that then answers was born after it, but is the manager's.
    control, port = free_port(), free_port()
    write_file(ws, "server.py", SERVER)
    write_file(ws, "manager.py", MANAGER)
    env = {key: value for key, value in os.environ.items() if key != "BRINGUP_TAG"}
    manager = subprocess.Popen([PYTHON, "manager.py", str(control), str(port)], cwd=ws, env=env)
    try:
        deadline = time.monotonic() + 10
        while not (ws / "manager.ready").exists() and time.monotonic() < deadline:
            time.sleep(0.05)  # (a connection to the manager would start the server already)
        write_recipe(ws, "web", f"""
            command = ["{PYTHON}", "-c", "import socket; socket.create_connection(('127.0.0.1', {control}))"]
            port = {port}
            [verify]
            stable_for = 0.2
            interval = 0.1
            """)  # noqa: E501
        result = next_yes(ws)
        assert "daemonized" in result.output, result.output
        assert stored(ws, "web")["pid"] is None  # not recorded as the service's own
        assert invoke("down", "--workspace", str(ws)).code == 0
        assert answers(port)  # never signalled: the manager's server answers on
    finally:
        for pid in listener_pids(port):
            os.kill(pid, signal.SIGTERM)
        manager.terminate()
        manager.wait()


def test_a_host_the_log_does_not_name_is_found_in_the_env_file(ws: Path) -> None:
    port = cache(ws)
    write_file(ws, "app/.env", f"NODE_ENV=production\nDATABASE_URL=postgres://u:s3cr3tpw@db:{port}/x\n")
    write_file(ws, "app/app.py", "import os, socket\nurl = os.environ['DATABASE_URL']\n"
                                 "host, port = url.split('@')[1].split('/')[0].split(':')\n"
                                 "socket.create_connection((host, int(port)))\n"
                                 "print('ready', flush=True)\nimport time\ntime.sleep(60)\n")
    ready_recipe(ws, "app", f"""
        cwd = "app"
        command = ["{PYTHON}", "app.py"]
        env_file = ".env"
        after = ["cache"]
        """)
    assert next_yes(ws).code == 0
    result = next_yes(ws)
    assert result.code == 0, result.output
    assert "unresolvable-host db" in result.output and "s3cr3tpw" not in result.output
    assert f"@127.0.0.1:{port}/" in (ws / "app/.env").read_text()


def test_a_held_port_the_log_does_not_name_is_found_in_the_command(
        ws: Path, holder: int) -> None:
    write_recipe(ws, "app", f'command = "{PYTHON} -m http.server --bind 127.0.0.1 {holder}"\n')
    assert next_yes(ws).code == 1
    top = json.loads(invoke("diagnose", "app", "--json", "--workspace", str(ws)).stdout)[0]
    assert top["kind"] == "port-in-use" and top["subject"] == str(holder)
    assert "which bringup did not start" in top["evidence"]


@pytest.mark.parametrize("announces", [True, False], ids=["said-in-its-log", "seen-on-its-sockets"])
def test_a_service_listening_elsewhere_is_a_wrong_port_and_the_recipe_follows(
        ws: Path, announces: bool) -> None:
    listens, recipe_port = free_port(), free_port()
    said = f"print('Listening on http://127.0.0.1:{listens}', flush=True)\n" if announces else ""
    write_file(ws, "app.py", f"import socket, time\ns = socket.create_server(('127.0.0.1', "
                             f"{listens}))\n{said}time.sleep(120)\n")
    write_recipe(ws, "app", f"""
        command = ["{PYTHON}", "app.py"]
        port = {recipe_port}
        [verify]
        stable_for = 0.2
        interval = 0.1
        """)
    result = next_yes(ws)
    assert result.code == 0, result.output
    assert f"wrong-port {listens}" in result.output
    assert f"port = {listens}" in (ws / "recipes/app.toml").read_text()
    assert stored(ws, "app")["status"] == "proven"


WORKER = """
import logging, os, sys, time
os.makedirs("logs", exist_ok=True)
logging.basicConfig(filename="logs/worker.log")
try:
    os.environ["QUEUE_URL"]
except KeyError:
    logging.exception("cannot start the worker")
    sys.exit(0)
print("ready", flush=True)
time.sleep(120)
"""


def test_a_worker_whose_error_is_in_its_log_file_is_diagnosed_from_that_file(ws: Path) -> None:
    write_file(ws, "worker.py", WORKER)
    ready_recipe(ws, "worker", f"""
        command = ["{PYTHON}", "worker.py"]
        logs = ["logs/worker.log"]
        """)
    result = next_yes(ws)
    assert "missing-env QUEUE_URL" in result.output  # read in the file, while it runs or after
    assert result.code == 1 and "bringup does not make one up" in result.output  # a setting
    (ws / ".env").write_text("QUEUE_URL=redis://127.0.0.1:6379/0\n")
    result = next_yes(ws)
    assert result.code == 0, result.output
    assert stored(ws, "worker")["status"] == "proven"
    shown = invoke("logs", "worker", "--workspace", str(ws)).stdout
    assert "=== worker.log ===" in shown and "KeyError: 'QUEUE_URL'" in shown
