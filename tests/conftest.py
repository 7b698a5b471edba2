"""Shared seams: one helper each for the CLI, recipes and checks. Real processes, real ports."""

from __future__ import annotations

import socket
import sys
import textwrap
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import click.testing
import pytest

from bringup import ops
from bringup.cli import run
from bringup.context import Context
from bringup.output import Output
from bringup.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Invoked:
    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def invoke(*args: str, input: str | None = None) -> Invoked:
    """Run the bringup command line in this process, standard input not a terminal."""
    runner = click.testing.CliRunner()
    with runner.isolation(input=input) as (out, err, _):
        code = run(list(args))
        sys.stdout.flush()
    return Invoked(code, out.getvalue().decode(), err.getvalue().decode())


def write_recipe(root: Path, name: str, text: str) -> Path:
    path = root / "recipes" / f"{name}.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


READY_LOG = '[verify]\nlog = "ready"\nstable_for = 0.2\ninterval = 0.1\n'


def ready_recipe(root: Path, name: str, text: str) -> Path:
    """A recipe verified by a `ready` line in its log, with a short stability window."""
    return write_recipe(root, name, textwrap.dedent(text) + READY_LOG)


def write_file(root: Path, relative: str, text: str, *, mode: int = 0o644) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    path.chmod(mode)
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Scripted:
    """An injected prompter: answers are given in order; each question asked is recorded."""

    answers: list[int | str] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)

    def choose(self, question: str, options: Sequence[str]) -> int:
        self.asked.append(question)
        answer = self.answers.pop(0) if self.answers else 0
        assert isinstance(answer, int), f"expected a choice for {question!r}, got {answer!r}"
        return answer

    def text(self, question: str, *, default: str, secret: bool = False) -> str:
        self.asked.append(question)
        answer = self.answers.pop(0) if self.answers else default
        return str(answer)


def context(root: Path, prompter: Scripted | None = None) -> Context:
    from rich.console import Console

    console = Console(quiet=True, width=120)
    return Context(Workspace(root), prompter=prompter or Scripted(), out=Output(console))


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Path]:
    """An empty workspace; whatever bringup started in it is stopped afterwards."""
    root = tmp_path / "ws"
    (root / "recipes").mkdir(parents=True)
    yield root
    stop_everything(root)


def stop_everything(root: Path) -> None:
    try:
        ctx = context(root)
        ops.down(ctx, ())
    except Exception:  # noqa: BLE001  (clean-up must not hide the test's own failure)
        pass


PYTHON = sys.executable


def http_server_recipe(port: int, *, extra: str = "") -> str:
    """A recipe for a real Python web server that answers /health with ok."""
    return f"""
    command = ["{PYTHON}", "-u", "server.py", "{port}"]
    port = {port}
    {extra}
    [verify]
    http = "http://127.0.0.1:{port}/health"
    http_expect = "ok"
    stable_for = 0.3
    interval = 0.1
    startup_timeout = 10
    """


def web_service(root: Path, name: str = "web", *, extra: str = "") -> int:
    """A real Python web service in the workspace, on a free port; returns the port."""
    port = free_port()
    write_recipe(root, name, http_server_recipe(port, extra=extra))
    write_file(root, "server.py", SERVER)
    return port


SERVER = """
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"ok" if self.path == "/health" else b"hello"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass

print("listening", flush=True)
HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
"""
