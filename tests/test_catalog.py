"""The catalog in recipes/: each recipe parses, ships in the wheel and brings its service up."""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bringup.commands.demo import greeting_wheel
from bringup.processes import ports
from bringup.recipe.read import load

from helpers import ROOT, free_port, invoke, report_json, stop_everything, write_file

CATALOG = ROOT / "recipes"
DEFAULT_PORTS = {"redis": 6379, "postgres": 5432, "python-web": 8000, "node-web": 3000,
                 "nginx": 8080, "mariadb": 3306}

APP = """
import os
from http.server import BaseHTTPRequestHandler, HTTPServer

from demo_greeting import greet

class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = greet("health").encode()
        self.send_response(200 if self.path == "/health" else 404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

HTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler).serve_forever()
"""

SERVER_JS = """
const http = require("http");
const tiny = require("tiny");
http.createServer((req, res) => {
  res.writeHead(req.url === "/health" ? 200 : 404, {"Content-Type": "text/plain"});
  res.end(tiny());
}).listen(Number(process.env.PORT), "127.0.0.1", () => console.log("listening"));
"""


def _python_web(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_file(root, "app.py", APP)
    write_file(root, "requirements.txt", "--no-index\n--find-links wheels\ndemo-greeting==1.0\n")
    wheel = root / "wheels" / "demo_greeting-1.0-py3-none-any.whl"
    wheel.parent.mkdir()
    wheel.write_bytes(greeting_wheel())


def _node_web(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _need_binaries("node", "npm")
    write_file(root, "server.js", SERVER_JS)
    write_file(root, "package.json", json.dumps(
        {"name": "web", "version": "1.0.0", "private": True,
         "dependencies": {"tiny": "file:./vendor/tiny"}}))
    write_file(root, "vendor/tiny/package.json",
               json.dumps({"name": "tiny", "version": "1.0.0", "main": "index.js"}))
    write_file(root, "vendor/tiny/index.js", 'module.exports = () => "tiny ok";\n')
    monkeypatch.setenv("npm_config_offline", "true")


def _redis(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _need_binaries("redis-server")


def _postgres(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if shutil.which("initdb") is None:
        found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                       key=lambda path: int(path.parts[-3]) if path.parts[-3].isdigit() else 0)
        if not found:
            pytest.skip("no PostgreSQL binaries (initdb) on PATH or in /usr/lib/postgresql")
        monkeypatch.setenv("PATH", f"{found[-1].parent}{os.pathsep}{os.environ['PATH']}")
    _need_binaries("postgres", "pg_isready")


def _nginx(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _need_binaries("nginx")
    write_file(root, "var/nginx/nginx.conf", """
        daemon off;
        pid var/nginx/nginx.pid;
        error_log stderr;
        events {}
        http {
            access_log /dev/stdout;
            client_body_temp_path var/nginx/tmp/client_body;
            proxy_temp_path var/nginx/tmp/proxy;
            fastcgi_temp_path var/nginx/tmp/fastcgi;
            uwsgi_temp_path var/nginx/tmp/uwsgi;
            scgi_temp_path var/nginx/tmp/scgi;
            server {
                listen 127.0.0.1:8080;
                location / { return 200 "nginx ok"; }
            }
        }
        """)


SETUP: dict[str, Callable[[Path, pytest.MonkeyPatch], None]] = {
    "redis": _redis, "postgres": _postgres, "python-web": _python_web, "node-web": _node_web,
    "nginx": _nginx, "mariadb": lambda root, monkeypatch: _need_binaries(
        "mariadbd", "mariadb-install-db", "mariadb"),
}


def _need_binaries(*names: str) -> None:
    missing = [name for name in names if shutil.which(name) is None]
    if missing:  # bringup --yes would install them with apt: not a test's business
        pytest.skip(f"not installed here: {', '.join(missing)}")


@pytest.fixture
def open_ws() -> Iterator[Path]:
    """A workspace other users can traverse (postgres runs as its own user); removed afterwards."""
    root = Path(tempfile.mkdtemp(prefix="bringup-catalog-", dir="/tmp"))
    root.chmod(0o755)
    (root / "recipes").mkdir()
    yield root
    stop_everything(root)
    shutil.rmtree(root, ignore_errors=True)


def place(root: Path, name: str, port: int) -> None:
    """The catalog recipe on a free port, with a short stability window."""
    text = (CATALOG / f"{name}.toml").read_text(encoding="utf-8")
    text = text.replace(str(DEFAULT_PORTS[name]), str(port))
    text = re.sub(r"(?m)^stable_for = .*$", "stable_for = 0.5", text)
    (root / "recipes" / f"{name}.toml").write_text(text, encoding="utf-8")
    for config in (root / "var" / name).glob("*.conf"):  # a config its setup wrote
        config.write_text(config.read_text().replace(str(DEFAULT_PORTS[name]), str(port)))


def report(root: Path) -> dict[str, dict[str, object]]:
    code, data = report_json(root)
    assert code == 0, data
    return {entry["name"]: entry for entry in data["services"]}


def test_catalog_has_the_common_services() -> None:
    assert set(DEFAULT_PORTS) <= {path.stem for path in CATALOG.glob("*.toml")}


@pytest.mark.parametrize("file", sorted(CATALOG.glob("*.toml")), ids=lambda path: path.stem)
def test_catalog_recipe_parses_and_says_what_it_is(file: Path) -> None:
    recipe = load(file, ROOT)
    assert recipe.description
    assert file.read_text(encoding="utf-8").startswith("# ")
    assert "Adapt" in file.read_text(encoding="utf-8")


def test_catalog_ships_inside_the_package() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    force = pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert force["recipes"] == "bringup/catalog"


@pytest.mark.parametrize("name", sorted(SETUP))
def test_catalog_recipe_is_proven_here(name: str, open_ws: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    SETUP[name](open_ws, monkeypatch)
    port = free_port()
    place(open_ws, name, port)
    result = invoke("next", "--yes", "--workspace", str(open_ws))
    assert result.code == 0, result.output
    entry = report(open_ws)[name]
    assert entry["status"] == "proven", entry
    assert entry["checks"] and all(check["ok"] for check in entry["checks"]), entry["checks"]
    assert invoke("down", "--workspace", str(open_ws)).code == 0
    assert not ports.in_use(port)
