"""`bringup export`: the proven demo handed to compose and systemd, each file validated by the
engine's own tool (docker-compose v2's `config`, `systemd-analyze verify`), with the checks,
the order and the measured start times carried over; the same bytes when exported again, and
never a file written over once someone edited it."""

from __future__ import annotations

import json
import math
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bringup.commands.demo import write_demo

from helpers import invoke, next_ok, stop_everything, stored, write_file, write_recipe

COMPOSE = shutil.which("docker-compose")
ANALYZE = shutil.which("systemd-analyze")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The demo, every service proven once, then stopped (an export needs no running stack)."""
    root = tmp_path_factory.mktemp("export") / "demo"
    write_demo(root)
    next_ok(root, "--all")
    invoke("down", "--workspace", str(root))
    yield root
    stop_everything(root)


def grace(root: Path, name: str) -> int:
    """The start grace the export must give: from the slowest start measured, not a default."""
    return math.ceil(2 * stored(root, name)["ready_after"] + 5)


def export(root: Path, *args: str) -> tuple[int, str]:
    result = invoke("export", *args, "--workspace", str(root))
    return result.code, result.output


@pytest.mark.skipif(COMPOSE is None, reason="needs docker-compose v2 (the compose extra)")
def test_compose_carries_the_checks_order_and_measured_grace(demo: Path) -> None:
    code, said = export(demo, "compose")
    assert code == 0, said
    file = demo / "export/compose/compose.yaml"
    assert COMPOSE is not None
    checked = subprocess.run([COMPOSE, "-f", str(file), "config", "--format", "json"],
                             capture_output=True, text=True, check=False)
    assert checked.returncode == 0 and not checked.stderr.strip(), checked.stderr
    services = json.loads(checked.stdout)["services"]
    assert services["dashboard"]["depends_on"]["api"]["condition"] == "service_healthy"
    assert services["worker"]["depends_on"]["cache"]["condition"] == "service_healthy"
    assert "curl -fsS http://127.0.0.1:" in services["api"]["healthcheck"]["test"][1]
    assert "redis-cli" in services["cache"]["healthcheck"]["test"][1]
    assert services["dashboard"]["environment"]["API_URL"].startswith("http://api:")
    assert services["worker"]["environment"]["REDIS_HOST"] == "cache"
    assert services["api"]["healthcheck"]["start_period"] == f"{grace(demo, 'api')}s"
    text = file.read_text()
    assert "worker: verify.log" in text and "not expressed: worker: verify.log" in said
    assert "token" not in text.lower() or "API_TOKEN" not in text  # the secret is by reference


def test_export_twice_gives_the_same_bytes_and_never_overwrites_an_edit(demo: Path) -> None:
    export(demo, "systemd", "--out", str(demo / "units"))
    first = {path.name: path.read_bytes() for path in (demo / "units").iterdir()}
    code, said = export(demo, "systemd", "--out", str(demo / "units"))
    assert code == 0 and said.count("unchanged") == len(first)
    assert {path.name: path.read_bytes() for path in (demo / "units").iterdir()} == first
    edited = demo / "units/demo-api.service"
    edited.write_text(edited.read_text().replace("RestartSec=1", "RestartSec=3"))
    code, said = export(demo, "systemd", "--out", str(demo / "units"))
    assert code == 2 and "demo-api.service: not written by bringup export, or edited" in said
    assert "RestartSec=3" in edited.read_text()


def test_an_unproven_service_is_refused_by_name_or_included_with_a_comment(ws: Path) -> None:
    write_recipe(ws, "late", 'command = "sleep 30"\n')
    code, said = export(ws, "compose")
    assert code == 2 and "not proven: late" in said
    assert not (ws / "export").exists()
    code, said = export(ws, "compose", "--include-unproven")
    assert code == 0, said
    assert "NOT PROVEN (included with --include-unproven): late" in (
        ws / "export/compose/compose.yaml").read_text()


@pytest.mark.skipif(ANALYZE is None, reason="needs systemd-analyze (Debian's systemd)")
@pytest.mark.parametrize("system", [False, True], ids=["user", "system"])
def test_systemd_units_pass_systemd_analyze_verify(demo: Path, system: bool,
                                                   tmp_path: Path) -> None:
    out = tmp_path / "units"
    code, said = export(demo, "systemd", "--out", str(out), *(["--system"] if system else []))
    assert code == 0, said
    units = sorted(str(path) for path in out.iterdir())
    assert ANALYZE is not None
    env = {**os.environ, "XDG_RUNTIME_DIR": str(tmp_path)}
    checked = subprocess.run([ANALYZE, "verify", *([] if system else ["--user"]), *units],
                             capture_output=True, text=True, env=env, check=False)
    assert checked.returncode == 0, checked.stderr
    complaints = [line for line in checked.stderr.splitlines()  # a unit file the machine
                  if not _newer_systemd_only(line)       # has of its own is not ours to judge
                  and not (line.startswith("/") and not line.startswith(str(out)))]
    assert not complaints, checked.stderr
    api = (out / "demo-api.service").read_text()
    assert "Requires=" not in api and "ExecStartPost=" in api
    dashboard = (out / "demo-dashboard.service").read_text()
    assert "Requires=demo-api.service" in dashboard and "After=demo-api.service" in dashboard
    assert f"TimeoutStartSec={grace(demo, 'dashboard') + 5}" in dashboard
    assert "API_TOKEN" not in "".join(path.read_text() for path in out.iterdir())


def _newer_systemd_only(line: str) -> bool:
    """Keys systemd 254 added: an older systemd-analyze says it ignores them, and that is all."""
    return bool(re.search(r"Unknown key '(?:RestartSteps|RestartMaxDelaySec)'", line))


def _unit(text: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in text.splitlines():
        key, equals, value = line.partition("=")
        if equals and not line.startswith("#"):
            found.setdefault(key, []).append(value)
    return found


def test_a_units_readiness_hook_passes_once_the_service_answers(demo: Path,
                                                                tmp_path: Path) -> None:
    """What systemd would do with the worker's unit, done by hand: its ExecStart with the
    unit's folder, environment and log file, then its ExecStartPost, which must pass only once
    the worker has said it is ready, in this start's log."""
    invoke("up", "cache", "--workspace", str(demo))
    export(demo, "systemd", "--out", str(tmp_path))
    unit = _unit((tmp_path / "demo-worker.service").read_text())
    env = {**os.environ, **dict(item.partition("=")[::2] for item in unit["Environment"])}
    log = Path(unit["StandardOutput"][0].removeprefix("truncate:"))
    log.write_text("worker ready\n")  # a line of an earlier start: this start truncates it
    hook = shlex.split(unit["ExecStartPost"][0])
    with log.open("w") as out:
        worker = subprocess.Popen(shlex.split(unit["ExecStart"][0]), env=env, stdout=out,
                                  cwd=unit["WorkingDirectory"][0], stderr=subprocess.STDOUT)
        try:
            assert subprocess.run(hook, check=False, capture_output=True).returncode == 0
            assert "worker ready" in log.read_text()
        finally:
            worker.kill()
            worker.wait()
    log.write_text("")
    short = [*hook[:hook.index("--timeout") + 1], "0.5", *hook[hook.index("--timeout") + 2:]]
    assert subprocess.run(short, check=False, capture_output=True).returncode == 1


def test_init_on_the_exported_compose_file_gives_back_the_order_ports_and_checks(
        demo: Path, tmp_path: Path) -> None:
    """The round trip: a new checkout holding the services and the exported compose file,
    read by `bringup init`, has recipes with the same order, ports and checks (but for the
    worker's log line, which compose cannot express and the export said so)."""
    export(demo, "compose")
    again = tmp_path / "checkout"
    shutil.copytree(demo / "services", again / "services")
    shutil.copytree(demo / "export", again / "export")
    (again / "recipes").mkdir()
    result = invoke("init", "--yes", "--workspace", str(again))
    assert result.code == 0, result.output

    def shape(root: Path) -> dict[str, tuple[object, ...]]:
        from bringup.recipe.workspace import Workspace

        recipes = Workspace(root).recipes
        return {name: (recipe.port, recipe.after, recipe.env.get("REDIS_PORT"),
                       {kind: spec for kind, spec in recipe.verify.checks.items()
                        if kind != "log"})
                for name, recipe in recipes.items()}

    assert list(shape(again)) == list(shape(demo))
    assert shape(again) == shape(demo)

    # Exported from there: an override beside the user's compose file, which stays as it was.
    users = again / "export/compose/compose.yaml"
    before = users.read_bytes()
    code, said = export(again, "compose", "--include-unproven")
    assert code == 0, said
    override = again / "export/compose/compose.bringup.yaml"
    assert users.read_bytes() == before and override.is_file()
    if COMPOSE is not None:
        merged = subprocess.run([COMPOSE, "-f", str(users), "-f", str(override), "config",
                                 "--format", "json"], capture_output=True, text=True,
                                check=False)
        assert merged.returncode == 0, merged.stderr
        services = json.loads(merged.stdout)["services"]
        assert services["dashboard"]["depends_on"]["api"]["condition"] == "service_healthy"
        assert "redis-cli -p 6379 ping" in services["cache"]["healthcheck"]["test"][1]
        assert "127.0.0.1:8" in services["api"]["healthcheck"]["test"][1]


SCHEMA = Path(__file__).parent / "schemas" / "process-compose.schema.json"


def test_process_compose_file_fits_its_documented_schema_and_its_probes_work(
        demo: Path, tmp_path: Path) -> None:
    """Validated by a schema written from process-compose's documentation; each readiness
    probe, run here as process-compose would run it, passes while the service answers and
    fails once it is down."""
    import jsonschema
    import yaml

    code, said = export(demo, "process-compose", "--out", str(tmp_path))
    assert code == 0, said
    data = yaml.safe_load((tmp_path / "process-compose.yaml").read_text())
    jsonschema.validate(data, json.loads(SCHEMA.read_text()))
    processes = data["processes"]
    assert list(processes) == ["api", "cache", "dashboard", "worker"]
    assert processes["dashboard"]["depends_on"] == {"api": {"condition": "process_healthy"}}
    assert processes["worker"]["depends_on"] == {"cache": {"condition": "process_healthy"}}
    assert processes["worker"]["ready_log_line"] == "worker ready"
    assert processes["api"]["readiness_probe"]["failure_threshold"] * 2 >= grace(demo, "api")
    probes = {name: process["readiness_probe"]["exec"]["command"]
              for name, process in processes.items() if "readiness_probe" in process}
    assert set(probes) == {"api", "cache", "dashboard"}

    def passes(name: str) -> bool:
        return subprocess.run(["bash", "-c", probes[name]], capture_output=True, timeout=10,
                              cwd=processes[name]["working_dir"], check=False).returncode == 0

    assert invoke("up", "--workspace", str(demo)).code == 0
    assert all(passes(name) for name in probes)
    invoke("down", "--workspace", str(demo))
    assert not any(passes(name) for name in probes)


KUBERNETES_VALIDATE = shutil.which("kubernetes-validate")


def _documents(text: str) -> list[dict[str, object]]:
    import yaml

    return [document for document in yaml.safe_load_all(text) if document]


@pytest.mark.skipif(KUBERNETES_VALIDATE is None, reason="needs kubernetes-validate (test extra)")
def test_kubernetes_manifest_passes_kubernetes_validate_with_probes_and_waits(
        demo: Path, tmp_path: Path) -> None:
    code, said = export(demo, "kubernetes", "--out", str(tmp_path))
    assert code == 0, said
    file = tmp_path / "stack.yaml"
    assert KUBERNETES_VALIDATE is not None
    checked = subprocess.run([KUBERNETES_VALIDATE, "--strict", "--quiet", str(file)],
                             capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    found = {(d["kind"], d["metadata"]["name"]): d for d in _documents(file.read_text())}  # type: ignore[index]
    assert set(found) >= {("Deployment", "api"), ("Service", "api"), ("Deployment", "cache"),
                          ("Service", "cache"), ("Deployment", "worker"),
                          ("ConfigMap", "worker-env")}
    assert ("Service", "worker") not in found  # no port, no Service
    pod = found["Deployment", "dashboard"]["spec"]["template"]["spec"]  # type: ignore[index]
    assert "nc -z -w 2 api " in pod["initContainers"][0]["command"][2]
    container = pod["containers"][0]
    startup = container["startupProbe"]
    assert startup["periodSeconds"] * startup["failureThreshold"] == grace(demo, "dashboard")
    assert container["readinessProbe"]["exec"] == startup["exec"]
    assert found["ConfigMap", "dashboard-env"]["data"]["API_URL"].startswith("http://api:")  # type: ignore[index]
    assert found["ConfigMap", "worker-env"]["data"]["REDIS_HOST"] == "cache"  # type: ignore[index]
    cache = found["Service", "cache"]["spec"]["ports"][0]  # type: ignore[index]
    assert cache["targetPort"] == 6379
    api = found["Deployment", "api"]["spec"]["template"]["spec"]["containers"][0]  # type: ignore[index]
    assert api["env"][0]["valueFrom"]["secretKeyRef"]["key"] == "API_TOKEN"
    assert "&id" not in file.read_text()  # written out, no YAML anchors


CATALOG = Path(__file__).resolve().parents[1] / "recipes"


@pytest.mark.parametrize("target", ["compose", "process-compose", "systemd", "kubernetes"])
def test_the_catalog_recipes_export_to_every_target_and_validate(ws: Path, target: str) -> None:
    """Every catalog recipe, not proven here (`--include-unproven`), in each target's files,
    which its own tool accepts."""
    for recipe in CATALOG.glob("*.toml"):
        shutil.copy(recipe, ws / "recipes" / recipe.name)
    code, said = export(ws, target, "--include-unproven")
    assert code == 0, said
    out = ws / "export" / target
    files = sorted(out.iterdir())
    assert all("NOT PROVEN" in file.read_text() for file in files)
    tool = {"compose": COMPOSE, "systemd": ANALYZE, "kubernetes": KUBERNETES_VALIDATE}.get(target)
    if target == "process-compose":
        import jsonschema
        import yaml

        jsonschema.validate(yaml.safe_load(files[0].read_text()), json.loads(SCHEMA.read_text()))
        return
    if tool is None:
        pytest.skip(f"no validator for {target} here")
    command = {"compose": [tool, "-f", str(files[0]), "config", "--quiet"],
               "systemd": [tool, "verify", "--user", *map(str, files)],
               "kubernetes": [tool, "--strict", "--quiet", *map(str, files)]}[target]
    env = {**os.environ, "XDG_RUNTIME_DIR": str(ws)}
    checked = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    complaints = [line for line in checked.stderr.splitlines() if not _newer_systemd_only(line)]
    assert checked.returncode == 0 and not complaints, checked.stdout + checked.stderr


def test_no_secret_value_is_written_anywhere(ws: Path) -> None:
    """A recipe's command and checks filled in from .env (`${API_SECRET}`) hold the value once
    read: every target writes a reference in its place, and export never prints it."""
    (ws / ".env").write_text("API_SECRET=s3cr3t-value-42\nREDIS_PASSWORD=hunter2hunter\n")
    write_recipe(ws, "api", """
        command = "echo ${API_SECRET} && sleep 30"
        port = 47990
        [verify]
        http = "http://127.0.0.1:47990/health"
        http_headers = { Authorization = "Bearer ${API_SECRET}" }
        exec = "redis-cli -a ${REDIS_PASSWORD} ping"
        """)
    for target in ("compose", "process-compose", "systemd", "kubernetes"):
        code, said = export(ws, target, "--include-unproven")
        assert code == 0, said
        written = "".join(path.read_text() for path in (ws / "export" / target).iterdir())
        for value in ("s3cr3t-value-42", "hunter2hunter"):
            assert value not in written and value not in said, target
        assert "${API_SECRET}" in written, target
    unit = (ws / "export/systemd" / f"{ws.name}-api.service").read_text()
    assert 'echo ${API_SECRET} && sleep 30' in unit  # systemd expands it from the env file


def test_a_joined_healthcheck_fails_when_any_one_check_fails(ws: Path) -> None:
    """Every check must pass, as in the recipe: an exec check with its own `;` cannot make the
    whole command pass while the port is closed, nor pass on its text when it exits 3."""
    write_recipe(ws, "api", """
        command = "sleep 30"
        port = 47991
        [verify]
        tcp = 47991
        exec = "echo ok; exit 3"
        exec_expect = "ok"
        """)
    write_recipe(ws, "web", """
        command = "sleep 30"
        port = 47992
        [verify]
        tcp = 47992
        exec = "true; true"
        """)
    export(ws, "process-compose", "--include-unproven")
    import yaml

    processes = yaml.safe_load((ws / "export/process-compose/process-compose.yaml").read_text())[
        "processes"]
    for name in ("api", "web"):
        probe = processes[name]["readiness_probe"]["exec"]["command"]
        assert subprocess.run(["bash", "-c", probe], capture_output=True, check=False).returncode
    probe = processes["api"]["readiness_probe"]["exec"]["command"]
    alone = probe.split(" && ", 1)[1].removeprefix("{ ").removesuffix("; }")
    assert subprocess.run(["bash", "-c", alone], capture_output=True, check=False).returncode


SHELLS = [shell for shell in (["sh"], ["bash"], ["busybox", "sh"]) if shutil.which(shell[0])]
ANSWERS = """
from http.server import BaseHTTPRequestHandler, HTTPServer

class Answer(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(201 if self.path == "/made" else 200)
        self.end_headers()
        self.wfile.write(b'{"status": "ok",\\n "jobs": 12}')

HTTPServer(("127.0.0.1", PORT), Answer).serve_forever()
"""


@pytest.mark.parametrize(("check", "passes"), [
    ('http_expect = \'"jobs": [0-9]+\'', True),
    ('http_expect = \'"jobs": [a-z]+\'', False),
    ('http_status = 201\nhttp_expect = "ok"', True),
    ('http_status = 201\nhttp_expect = "nope"', False),
    ('http_status = 200\nhttp_expect = "ok"', False),
], ids=["expression", "expression-unmatched", "status-and-text", "text-missing", "status-other"])
def test_an_exported_http_probe_asks_what_the_recipe_asks(ws: Path, tmp_path: Path, check: str,
                                                          passes: bool) -> None:
    """A status together with a text, and a text that is a regular expression (as bringup's
    own check reads it), decide the probe in every shell an image may have: none dropped,
    none taken literally."""
    from helpers import free_port

    port = free_port()
    path = "/made" if "http_status" in check else "/"  # answers 201
    server = subprocess.Popen([sys.executable, "-c", ANSWERS.replace("PORT", str(port))])
    try:
        write_recipe(ws, "api", f'command = "sleep 30"\nport = {port}\n[verify]\n'
                                f'http = "http://127.0.0.1:{port}{path}"\n{check}\n')
        code, said = export(ws, "kubernetes", "--include-unproven")
        assert code == 0, said
        probe = _readiness_command(ws)
        for _ in range(100):
            if socket.socket().connect_ex(("127.0.0.1", port)) == 0:
                break
            time.sleep(0.05)
        for shell in SHELLS:
            ran = subprocess.run([*shell, "-c", probe], capture_output=True, check=False)
            assert (ran.returncode == 0) == passes, (shell, probe, ran.stderr)
    finally:
        server.kill()
        server.wait()


def _readiness_command(ws: Path) -> str:
    """The shell command of the one Deployment's exec readiness probe, as exported."""
    (deployment,) = [document for document in _documents(
        (ws / "export/kubernetes/stack.yaml").read_text()) if document["kind"] == "Deployment"]
    command = deployment["spec"]["template"]["spec"]["containers"][0][  # type: ignore[index]
        "readinessProbe"]["exec"]["command"]
    assert command[:2] == ["/bin/sh", "-c"]
    return str(command[2])


def _compose_services(ws: Path, *names: str) -> dict[str, Any]:
    import yaml

    code, said = export(ws, "compose", "--include-unproven", *names)
    assert code == 0, said
    return yaml.safe_load((ws / "export/compose/compose.yaml").read_text())[  # type: ignore[no-any-return]
        "services"]


def test_an_official_image_starts_as_the_recipe_lets_clients_in(ws: Path) -> None:
    """postgres initialised with trust and mariadb with an empty root password start their
    images likewise; postgres without trust needs its password set, and compose says so
    before anything runs; nginx serves the recipe's config, built on the nginx image."""
    for name in ("postgres", "mariadb", "nginx"):
        shutil.copy(CATALOG / f"{name}.toml", ws / "recipes" / f"{name}.toml")
    services = _compose_services(ws)
    assert services["postgres"]["environment"]["POSTGRES_HOST_AUTH_METHOD"] == "trust"
    assert services["mariadb"]["environment"]["MARIADB_ALLOW_EMPTY_ROOT_PASSWORD"] == "1"
    nginx = services["nginx"]
    assert "image" not in nginx and nginx["build"]["dockerfile_inline"].startswith(
        "FROM nginx:1.25\n")
    assert "var/nginx/nginx.conf" in " ".join(nginx["command"])
    assert nginx["ports"] == ["127.0.0.1:8080:8080"]

    recipe = ws / "recipes/postgres.toml"
    recipe.write_text(recipe.read_text().replace("--auth=trust", "--auth=scram-sha-256"))
    services = _compose_services(ws, "postgres")
    assert "POSTGRES_PASSWORD:?" in services["postgres"]["environment"]["POSTGRES_PASSWORD"]
    if COMPOSE is not None:
        env = {key: value for key, value in os.environ.items() if key != "POSTGRES_PASSWORD"}
        checked = subprocess.run([COMPOSE, "-f", str(ws / "export/compose/compose.yaml"),
                                  "config", "--quiet"], capture_output=True, text=True,
                                 env=env, check=False)
        # (this compose build says so and exits 0 all the same)
        assert "required variable POSTGRES_PASSWORD is missing a value" in checked.stderr


def test_an_exec_check_inside_a_container_reaches_the_port_there(ws: Path) -> None:
    """redis run here on 6390 is the image's 6379 inside: its exec check is rewritten so."""
    write_recipe(ws, "cache", """
        command = "redis-server --port 6390"
        port = 6390
        [verify]
        tcp = 6390
        exec = "redis-cli -p 6390 ping"
        exec_expect = "PONG"
        """)
    test = _compose_services(ws)["cache"]["healthcheck"]["test"][1]
    assert "redis-cli -p 6379 ping" in test and "6390" not in test
    export(ws, "kubernetes", "--include-unproven")
    manifest = (ws / "export/kubernetes/stack.yaml").read_text()
    assert "-p 6379 ping" in manifest and "-p 6390" not in manifest


def test_a_script_is_built_on_the_image_of_the_interpreter_its_first_line_names(
        ws: Path) -> None:
    (ws / "svc").mkdir()
    write_file(ws, "svc/start.sh", "#!/usr/bin/env -S python3 -u\nprint('hi')\n", mode=0o755)
    write_recipe(ws, "svc", 'cwd = "svc"\ncommand = "./start.sh"\nuser = "nobody"\n')
    built = _compose_services(ws)["svc"]["build"]["dockerfile_inline"]
    assert built.startswith("FROM python:")
    assert "useradd --system nobody" in built


def test_an_override_finds_the_port_inside_for_a_port_init_moved() -> None:
    from bringup.export.compose import _target

    published = {"ports": [{"published": "80", "target": 8080}, {"published": "9000",
                                                                 "target": 9001}]}
    assert _target(published, 80) == 8080  # as published
    assert _target(published, 8080) == 8080  # here at its port inside
    assert _target({"ports": [{"published": "80", "target": 3000}]}, 8080) == 3000  # 80 + 8000
    assert _target(published, 7000) == 7000  # nothing says: as it is


def test_a_variable_the_needs_ask_for_is_asked_of_compose_unless_an_env_file_has_it(
        ws: Path) -> None:
    write_recipe(ws, "api", """
        command = "sleep 30"
        [[needs]]
        env = "OPENAI_API_KEY"
        [[needs]]
        env = "MODEL_NAME"
        """)
    (ws / ".env").write_text("MODEL_NAME=small\n")
    api = _compose_services(ws)["api"]
    assert api["environment"] == {
        "OPENAI_API_KEY": "${OPENAI_API_KEY:?api needs it: set it in the environment}"}
    assert api["env_file"] == ["../../.env"]
    assert "small" not in (ws / "export/compose/compose.yaml").read_text()


@pytest.mark.parametrize(("expect", "passes"), [
    ("hello\\nok world", True), ("not served\\n", False), ("hello\\nbye", False)])
def test_an_expected_text_of_several_lines_is_matched_whole(ws: Path, expect: str,
                                                            passes: bool) -> None:
    """grep -F would take each line of it as a pattern of its own, and an empty one (a text
    ending in a newline) matches anything."""
    write_recipe(ws, "api", f"""
        command = "sleep 30"
        [verify]
        exec = "printf 'hello\\\\nok world\\\\nbye\\\\n'"
        exec_expect = "{expect}"
        """)
    export(ws, "kubernetes", "--include-unproven")
    probe = _readiness_command(ws)
    for shell in SHELLS:
        ran = subprocess.run([*shell, "-c", probe], capture_output=True, check=False)
        assert (ran.returncode == 0) == passes, (shell, probe)


def test_an_expression_grep_would_read_otherwise_is_said_not_written(ws: Path) -> None:
    write_recipe(ws, "api", """
        command = "sleep 30"
        port = 47993
        [verify]
        tcp = 47993
        http = "http://127.0.0.1:47993/"
        http_expect = "^ok$"
        """)
    code, said = export(ws, "compose", "--include-unproven")
    assert code == 0 and "verify.http: the expected text '^ok$' is a regular expression" in said
    test = _compose_services(ws)["api"]["healthcheck"]["test"][1]
    assert "curl" not in test and "/dev/tcp" in test


def test_the_ports_of_an_exec_check_are_rewritten_only_where_they_are_the_port() -> None:
    from bringup.export.compose import inside_command

    said: list[str] = []
    assert inside_command("mysql -uroot -p6380pw -h127.0.0.1 -P6380 -e 'select 1'", 6380,
                          3306, said, "db") == (
        "mysql -uroot -p6380pw -h127.0.0.1 -P3306 -e 'select 1'")
    assert said and "names 6380" in said[0]  # the password still holds the number: said
    said.clear()
    assert inside_command("bash -c 'exec 3<>/dev/tcp/127.0.0.1/6380' && redis-cli -u "
                          "redis://0.0.0.0:6380 GET counter-p6380", 6380, 6379, said, "c") == (
        "bash -c 'exec 3<>/dev/tcp/127.0.0.1/6379' && redis-cli -u redis://0.0.0.0:6379 GET "
        "counter-p6380")
    said.clear()
    assert inside_command("nc -z 127.0.0.1 6380", 6380, 6379, said, "c") == (
        "nc -z 127.0.0.1 6380")
    assert said  # not rewritten, and said so


def test_a_built_image_installs_the_program_its_command_runs(ws: Path) -> None:
    write_recipe(ws, "cache", """
        command = "memcached -p 11211"
        port = 11211
        [[needs]]
        binary = "memcached"
        install = { apt = "memcached" }
        """)
    built = _compose_services(ws)["cache"]["build"]["dockerfile_inline"]
    assert "install -y --no-install-recommends curl memcached" in built


@pytest.mark.parametrize(("initdb", "env"), [
    ("initdb -D var/pg", {"POSTGRES_HOST_AUTH_METHOD": "trust"}),  # initdb's default: trust
    ("initdb -D var/pg --auth-local=trust --auth-host=scram-sha-256", {"POSTGRES_PASSWORD":
     "${POSTGRES_PASSWORD:?the postgres:15 image starts only with it: set it in the "
     "environment}"}),
    ("initdb -D var/pg -A trust", {"POSTGRES_HOST_AUTH_METHOD": "trust"}),
])
def test_postgres_lets_clients_in_as_its_initdb_said(ws: Path, initdb: str,
                                                     env: dict[str, str]) -> None:
    write_recipe(ws, "db", f"""
        command = "postgres -D var/pg -p 5432"
        port = 5432
        [[paths]]
        dir = "var/pg"
        run = "{initdb}"
        """)
    assert _compose_services(ws)["db"]["environment"] == env


def test_a_unit_ready_by_its_own_log_file_marks_it_before_the_start(ws: Path,
                                                                     tmp_path: Path) -> None:
    write_recipe(ws, "worker", 'command = "sleep 30"\nlogs = ["var/app.log"]\n'
                               '[verify]\nlog = "worker ready"\n')
    code, said = export(ws, "systemd", "--include-unproven")
    assert code == 0, said
    unit = (ws / "export/systemd" / f"{ws.name}-worker.service").read_text()
    pre = next(line for line in unit.splitlines() if line.startswith("ExecStartPre="))
    assert "wait --engine --mark" in pre and pre.endswith(" worker")
    assert unit.index("ExecStartPre=") < unit.index("ExecStartPost=")
    if ANALYZE is not None:
        checked = subprocess.run([ANALYZE, "verify", "--user", *map(str, (
            ws / "export/systemd").iterdir())], capture_output=True, text=True, check=False,
            env={**os.environ, "XDG_RUNTIME_DIR": str(tmp_path)})
        complaints = [line for line in checked.stderr.splitlines()
                      if not _newer_systemd_only(line)]
        assert checked.returncode == 0 and not complaints, checked.stderr
