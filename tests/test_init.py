"""bringup init: each detector finds its services, every recipe written loads, an existing recipe
is never overwritten without asking, and a recipe it wrote brings a real service up."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bringup.commands.init import run_init
from bringup.discover import DETECTORS
from bringup.recipe.model import Need, Recipe
from bringup.recipe.read import load

from helpers import PYTHON, SERVER, Scripted, context, free_port, invoke, write_file

COMPOSE = """
services:
  cache:
    image: redis:7-alpine
    ports: ["6380:6379"]
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: hunter2
  edge:
    image: nginx
  api:
    build: ./api
    command: ["python", "app.py"]
    ports: ["8080:5000"]
    depends_on: [cache, db, edge]
    environment:
      - REDIS_URL=redis://cache:6379/0
      - DB_HOST=db
      - API_TOKEN=s3cret-value
"""

# detector: (files, the recipe's name, its command, cwd, port)
FOUND = {
    "compose": ({"docker-compose.yml": COMPOSE, "api/app.py": "", "api/requirements.txt": ""},
                "api", ("python", "app.py"), "api", 8080),
    "procfile": ({"Procfile": "web: python -m http.server $PORT\nworker: python w.py\n"},
                 "web", "python -m http.server $PORT", ".", 5000),
    "package.json": ({"front/package.json": '{"scripts": {"start": "node server.js"}}',
                      "front/server.js": "app.listen(process.env.PORT || 3001)\n"},
                     "front", "npm start", "front", 3001),
    "python": ({"site/manage.py": "", "site/requirements.txt": "django\n"},
               "site", "python manage.py runserver 127.0.0.1:8000", "site", 8000),
    "script": ({"start.sh": "#!/bin/sh\nexec python -m http.server 9090\n"},
               "proj", "./start.sh", ".", 9090),
}


def init(root: Path, *args: str) -> dict[str, Recipe]:
    """`bringup init --yes` in root; every recipe it wrote, read as bringup reads it."""
    result = invoke("init", "--yes", "--workspace", str(root), *args)
    assert result.code == 0, result.output
    assert "next: bringup next" in result.stdout
    return {file.stem: load(file, root) for file in (root / "recipes").glob("*.toml")}


def make(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "proj"
    for relative, text in files.items():
        write_file(root, relative, text)
    return root


@pytest.mark.parametrize("kind", sorted(FOUND))
def test_each_detector_finds_its_service(kind: str, tmp_path: Path) -> None:
    files, name, command, cwd, port = FOUND[kind]
    recipe = init(make(tmp_path, files))[name]
    assert (recipe.command, recipe.cwd, recipe.port) == (command, cwd, port)
    text = recipe.file.read_text(encoding="utf-8")
    assert text.startswith(f"# recipes/{name}.toml, written by bringup init from ")


def test_every_detector_is_tested() -> None:
    assert set(DETECTORS) == set(FOUND)


def test_compose_images_use_the_catalog_on_the_published_port(tmp_path: Path) -> None:
    recipes = init(make(tmp_path, FOUND["compose"][0]))
    cache, db = recipes["cache"], recipes["db"]
    assert cache.port == 6380 and cache.verify.checks["tcp"].target == "127.0.0.1:6380"
    assert "redis-server" in recipes["cache"].command
    assert db.port == 5432 and "psql" in str(db.verify.checks["exec"].command)  # logs in
    assert "hunter2" not in recipes["db"].file.read_text(encoding="utf-8")
    kept = db.file.parents[1] / ".env.bringup"  # compose's password, for the role init makes
    assert "POSTGRES_PASSWORD='hunter2'" in kept.read_text() and kept.stat().st_mode & 0o077 == 0
    assert "runs the image nginx" in str(recipes["edge"].skip)  # parked, not left out


def test_compose_env_keeps_secrets_out_and_hosts_local(tmp_path: Path) -> None:
    api = init(make(tmp_path, FOUND["compose"][0]))["api"]
    assert api.env == {"REDIS_URL": "redis://127.0.0.1:6380/0", "DB_HOST": "127.0.0.1"}
    assert Need("env", "API_TOKEN") in api.needs and Need("python", "requirements.txt") in api.needs
    assert "s3cret" not in api.file.read_text(encoding="utf-8")
    assert api.after == ("cache", "db")  # edge runs an image bringup cannot run: parked


def test_python_entry_file_and_pyproject_scripts(tmp_path: Path) -> None:
    root = make(tmp_path, {
        "svc/app.py": "app.run(port=5050)\n", "svc/requirements.txt": "flask\n",
        "pyproject.toml": '[project]\nname = "x"\n[project.scripts]\nx-serve = "x.cli:main"\n'})
    recipes = init(root)
    assert (recipes["svc"].command, recipes["svc"].port) == ("python app.py", 5050)
    assert recipes["svc"].needs == (Need("python", "requirements.txt"),)
    assert "from x.cli import main" in str(recipes["x-serve"].command)


def test_yes_never_overwrites_a_recipe(tmp_path: Path) -> None:
    root = make(tmp_path, {"Procfile": "web: python -m http.server 8123\n",
                           "recipes/web.toml": "# mine\ncommand = 'true'\n"})
    before = (root / "recipes/web.toml").read_bytes()
    result = invoke("init", "--yes", "--workspace", str(root))
    assert result.code == 0 and (root / "recipes/web.toml").read_bytes() == before
    assert "kept the existing recipes/web.toml" in result.stdout


def test_overwrite_and_skip_only_when_answered(tmp_path: Path) -> None:
    root = make(tmp_path, {"Procfile": "web: python -m http.server 8123\njob: ./job.sh\n",
                           "recipes/web.toml": "command = 'true'\n"})
    prompter = Scripted([1, 1])  # overwrite web, skip job
    assert run_init(context(root, prompter)).written == ["web"]
    assert len(prompter.asked) == 2 and "already exists" in prompter.asked[0]
    assert load(root / "recipes/web.toml", root).port == 8123
    assert not (root / "recipes/job.toml").exists()


def test_without_a_terminal_init_stops_and_says_pass_yes(tmp_path: Path) -> None:
    root = make(tmp_path, {"Procfile": "web: python -m http.server 8123\n"})
    result = invoke("init", "--workspace", str(root))
    assert result.code == 2 and "pass --yes" in result.stderr
    assert not (root / "recipes").exists()


def test_nothing_found_says_so(tmp_path: Path) -> None:
    result = invoke("init", "--yes", "--workspace", str(tmp_path))
    assert result.code == 0 and "found no services in" in result.stdout
    assert not (tmp_path / "recipes").exists()


def test_a_written_recipe_brings_a_real_service_up(ws: Path) -> None:
    port = free_port()
    write_file(ws, "server.py", SERVER)
    write_file(ws, "Procfile", f"web: {PYTHON} -u server.py {port}\n")
    assert init(ws)["web"].port == port
    with (ws / "recipes/web.toml").open("a", encoding="utf-8") as file:
        file.write("\n[verify]\nstable_for = 0.3\ninterval = 0.1\n")  # the tcp check stays
    result = invoke("next", "--yes", "--workspace", str(ws))
    assert result.code == 0 and "proven: web" in result.stdout, result.output
    assert f"127.0.0.1:{port}" in invoke("report", "--json", "--workspace", str(ws)).stdout


def compose_api(healthcheck: str = "", dockerfile: str = "", code: str = "") -> dict[str, str]:
    files = {"docker-compose.yml": f"""
services:
  api:
    build: ./api
    command: ["python", "app.py"]
    ports: ["8080:5000"]
{healthcheck}
""", "api/app.py": code, "api/requirements.txt": ""}
    if dockerfile:
        files["api/Dockerfile"] = dockerfile
    return files


@pytest.mark.parametrize(("files", "key", "value"), [
    (compose_api(healthcheck='    healthcheck:\n      test: ["CMD", "curl", "-f", '
                             '"http://localhost:5000/health"]'),
     "http", "http://127.0.0.1:8080/health"),
    (compose_api(healthcheck='    healthcheck:\n      test: ["CMD-SHELL", "wget -qO- '
                             'http://localhost:5000/ready || exit 1"]'),
     "http", "http://127.0.0.1:8080/ready"),
    (compose_api(dockerfile="FROM python\nHEALTHCHECK --interval=5s CMD curl -f "
                            "http://localhost:5000/ping || exit 1\n"),
     "http", "http://127.0.0.1:8080/ping"),
    (compose_api(healthcheck='    healthcheck:\n      test: ["CMD", "python", "check.py"]'),
     "exec", ("python", "check.py")),
    (compose_api(code="@app.route('/healthz')\ndef health():\n    return 'ok'\n"),
     "http", "http://127.0.0.1:8080/healthz"),
    (compose_api(healthcheck='    healthcheck:\n      test: ["CMD", "sh", "-c", "curl -f '
                             'http://localhost:5000/up || exit 1"]'),
     "http", "http://127.0.0.1:8080/up"),
    (compose_api(healthcheck='    healthcheck:\n      test: ["CMD-SHELL", "python check.py '
                             '--name \\"a b\\" || exit 1"]'),
     "exec", 'python check.py --name "a b" || exit 1'),
    (compose_api(healthcheck='    healthcheck:\n      test: ["CMD-SHELL", "curl -f '
                             'http://localhost:${PORT:-5000}/health || exit 1"]'),
     "http", "http://127.0.0.1:8080/health"),
], ids=["compose-curl", "compose-shell-wget", "dockerfile", "compose-own-script", "code-route",
        "compose-sh-c-curl", "compose-shell-script-quoted", "compose-interpolated"])
def test_init_writes_a_functional_check_where_the_project_has_one(
        tmp_path: Path, files: dict[str, str], key: str, value: object) -> None:
    api = init(make(tmp_path, files))["api"]
    spec = api.verify.checks[key]
    assert (spec.url if key == "http" else spec.command) == value  # type: ignore[attr-defined]
    assert "only a TCP connect" not in api.file.read_text(encoding="utf-8")


def test_init_says_when_it_could_only_write_a_tcp_check(tmp_path: Path) -> None:
    api = init(make(tmp_path, compose_api()))["api"]
    assert list(api.verify.checks) == ["tcp"]
    assert "only a TCP connect checks it" in api.file.read_text(encoding="utf-8")


ROUTED = """
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

class App:
    routes = {}

    def get(self, path):
        def add(view):
            self.routes[path] = view
            return view
        return add

app = App()

@app.get("/healthz")
def health():
    return "ok"

class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        view = app.routes.get(self.path)
        body = (view() if view else "missing").encode()
        self.send_response(200 if view else 404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
"""


def test_a_health_route_init_found_proves_the_service(ws: Path) -> None:
    port = free_port()
    write_file(ws, "server.py", ROUTED)
    write_file(ws, "Procfile", f"web: {PYTHON} -u server.py {port}\n")
    recipe = init(ws)["web"]
    assert recipe.verify.checks["http"].url == f"http://127.0.0.1:{port}/healthz"  # type: ignore[attr-defined]
    text = (ws / "recipes/web.toml").read_text(encoding="utf-8")
    (ws / "recipes/web.toml").write_text(text.replace("[verify]\n", "[verify]\nstable_for = 0.3\n"
                                                                    "interval = 0.1\n"))
    result = invoke("next", "--yes", "--workspace", str(ws))
    assert result.code == 0 and "http status 200" in result.output, result.output


@pytest.mark.parametrize("files", [
    compose_api(code="import os\nmode = os.environ.get('status')\n# app.get('/health')\n"),
], ids=["not-a-route"])
def test_what_init_cannot_read_as_a_check_is_left_to_the_tcp_one(
        tmp_path: Path, files: dict[str, str]) -> None:
    api = init(make(tmp_path, files))["api"]
    assert list(api.verify.checks) == ["tcp"]


@pytest.mark.skipif(shutil.which("apt-cache") is None or shutil.which("cowsay") is not None
                    or shutil.which("dotnet") is not None,
                    reason="needs apt, with cowsay and dotnet not installed")
def test_a_program_not_here_is_a_need_apt_fills_or_the_reason_it_is_parked(
        tmp_path: Path) -> None:
    root = make(tmp_path, {"compose.yaml": """
services:
  moo:
    build: ./moo
    command: cowsay hello
  api:
    build: ./api
    command: dotnet run --project Api.csproj
""", "moo/.keep": "", "api/Api.csproj": ""})
    recipes = init(root)
    assert Need("binary", "cowsay", {"apt": "cowsay"}) in recipes["moo"].needs
    assert recipes["moo"].skip is None
    assert "its program dotnet is not on this machine (apt-get knows no package for it)" in str(
        recipes["api"].skip)
