"""The seams every test drives, one helper each: the command line, recipes and files, an
injected prompter and context, and reading back what bringup stored. Real processes, real ports."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import sys
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click.testing
import psutil

from bringup.commands.down import down
from bringup.core.context import Context
from bringup.face.console import ConsoleOutput
from bringup.face.edge import main
from bringup.recipe.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
READY_LOG = '[verify]\nlog = "ready"\nstable_for = 0.2\ninterval = 0.1\n'


@dataclass(frozen=True)
class Invoked:
    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def invoke(*args: str, input: str | None = None, group: click.Group | None = None) -> Invoked:
    """Run the bringup command line in this process, standard input not a terminal."""
    runner = click.testing.CliRunner()
    with runner.isolation(input=input) as (out, err, _):
        code = main(list(args)) if group is None else main(list(args), group=group)
        sys.stdout.flush()
    return Invoked(code, out.getvalue().decode(), err.getvalue().decode())


def next_yes(ws: Path, *args: str) -> Invoked:
    return invoke("next", "--yes", "--workspace", str(ws), *args)


def next_ok(ws: Path, *args: str) -> str:
    """`bringup next --yes`, which must succeed; its output."""
    result = next_yes(ws, *args)
    assert result.code == 0, result.output
    return result.output


def report_json(ws: Path, *args: str) -> tuple[int, dict[str, Any]]:
    result = invoke("report", "--json", "--workspace", str(ws), *args)
    assert result.stdout.strip(), f"report --json printed nothing (exit {result.code}): " \
                                  f"{result.stderr}"
    return result.code, json.loads(result.stdout)


def statuses(ws: Path, *args: str) -> dict[str, str]:
    _, data = report_json(ws, *args)
    return {service["name"]: service["status"] for service in data["services"]}


def stored(ws: Path, name: str) -> dict[str, Any]:
    """A service's entry in state/state.json, as written."""
    return json.loads((ws / "state/state.json").read_text())["services"][name]  # type: ignore[no-any-return]


def journal(ws: Path, event: str | None = None) -> list[dict[str, Any]]:
    lines = (ws / "state/journal.jsonl").read_text().splitlines()
    return [line for line in map(json.loads, lines) if event is None or line["event"] == event]


def write_recipe(root: Path, name: str, text: str) -> Path:
    path = root / "recipes" / f"{name}.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


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


def kill(pid: object) -> None:
    """SIGKILL a service's whole group, as a crash would, and wait until it is gone."""
    assert isinstance(pid, int)
    process = psutil.Process(pid)
    os.killpg(pid, signal.SIGKILL)
    process.wait(timeout=5)


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
    return Context(Workspace(root), prompter=prompter or Scripted(), out=ConsoleOutput(console))


def stop_everything(root: Path) -> None:
    with contextlib.suppress(Exception):  # clean-up must not hide the test's own failure
        down(context(root), ())


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


def quicker(root: Path) -> None:
    """Shorter stability windows in the recipes init wrote, for a test's time only: nothing
    else is touched."""
    for file in (root / "recipes").glob("*.toml"):
        text = re.sub(r"(?m)^stable_for = .*\n", "", file.read_text())
        text = (text.replace("\n[verify]\n", "\n[verify]\nstable_for = 0.5\n")
                if "\n[verify]\n" in text else text + "\n[verify]\nstable_for = 0.5\n")
        file.write_text(text)


def walk_all(root: Path, most: int = 8) -> None:
    """`bringup next --yes` until every service that can run is proven; each must succeed."""
    for _ in range(most):
        walked = next_yes(root)
        assert walked.code == 0, walked.output
        if "every service is proven" in walked.output:
            return
    raise AssertionError(f"not every service proven after {most} runs of next")


ANSWERING = """
class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        status, text = answer(self.path)
        body = text.encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

HTTPServer(("127.0.0.1", int(os.environ.get("PORT", 5000))), Handler).serve_forever()
"""


def answering(code: str) -> str:
    """A stdlib web server on $PORT (else 5000) whose answers come from `code`, which defines
    answer(path) -> (status, text): a test's own service, for a functional probe of it."""
    return ("import os\nfrom http.server import BaseHTTPRequestHandler, HTTPServer\n"
            + textwrap.dedent(code) + ANSWERING)


# A replica of one build: it says which port it listens on.
REPLICA = answering("""
    def answer(path):
        return 200, "replica on %s" % os.environ.get("PORT", 5000)
    """)


def written(root: Path) -> dict[str, tuple[Any, ...]]:
    """What init wrote, read as bringup reads it: each recipe's command, cwd, port, env, after
    and whether it is parked."""
    from bringup.recipe.read import load

    recipes = {file.stem: load(file, root) for file in (root / "recipes").glob("*.toml")}
    return {name: (r.command, r.cwd, r.port, r.env, r.after, r.skip is not None)
            for name, r in recipes.items()}
