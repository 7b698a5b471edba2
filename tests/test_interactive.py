"""The wizard at a real terminal (a pseudo-terminal driven by pexpect): each fix is asked for,
a declined fix stops at its stage, Ctrl-C at a prompt saves progress and exits 130."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pexpect
import pytest

from bringup.commands.demo import write_demo

from helpers import stop_everything

DOWN, ENTER, CTRL_C = "\x1b[B", "\r", "\x03"


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    root = tmp_path / "demo"
    write_demo(root)
    yield root
    stop_everything(root)


def wizard(root: Path) -> pexpect.spawn:
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "120", "LINES": "40"}
    return pexpect.spawn(sys.executable, ["-m", "bringup", "next", "--workspace", str(root)],
                         env=env, dimensions=(40, 120), encoding="utf-8", timeout=30)


def answer(child: pexpect.spawn, question: str, keys: str) -> None:
    child.expect(question)
    child.expect("What now|value for")
    child.send(keys)


def finish(child: pexpect.spawn) -> int:
    child.expect(pexpect.EOF)
    child.close()
    return int(child.exitstatus if child.exitstatus is not None else -1)


def api_state(root: Path) -> dict[str, object]:
    data = json.loads((root / "state/state.json").read_text())
    return data["services"]["api"]  # type: ignore[no-any-return]


def test_each_fix_is_asked_a_declined_one_stops_and_ctrl_c_saves(demo: Path) -> None:
    api = demo / "services/api"
    child = wizard(demo)
    answer(child, "API_TOKEN is not set", ENTER)
    child.expect("value for API_TOKEN")
    child.sendline("typed-at-the-terminal")
    answer(child, "var/data does not exist", DOWN + ENTER)
    answer(child, "config/settings.json does not exist", ENTER)
    child.expect("to go on: fix it yourself, or run `bringup next api` to")  # after a "not now"
    assert finish(child) == 1
    assert not (api / "var/data").exists() and (api / "config/settings.json").is_file()
    assert "typed-at-the-terminal" in (api / ".env").read_text()
    assert api_state(demo)["stage"] == "paths"

    child = wizard(demo)
    answer(child, "var/data does not exist", CTRL_C)
    assert finish(child) == 130
    assert api_state(demo)["stage"] == "paths"
    assert '"event": "interrupted"' in (demo / "state/journal.jsonl").read_text()

    child = wizard(demo)
    answer(child, "var/data does not exist", ENTER)
    answer(child, "start.sh is not executable", ENTER)
    assert "runs:" not in child.before  # a fix's command is shown once, in its option
    child.expect("proven: api")
    assert finish(child) == 0
    assert api_state(demo)["status"] == "proven"


def test_sigterm_saves_progress_like_ctrl_c(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    (root / "recipes").mkdir(parents=True)
    (root / "recipes/slow.toml").write_text(
        'command = "sleep 60"\n[verify]\nstable_for = 30\ninterval = 0.1\n')
    journal, state = root / "state/journal.jsonl", root / "state/state.json"
    child = subprocess.Popen([sys.executable, "-m", "bringup", "next", "--yes", "--workspace",
                              str(root)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while '"stage": "stable"' not in (state.read_text() if state.exists() else ""):
            assert time.monotonic() < deadline and child.poll() is None  # inside its window
            time.sleep(0.05)
        child.send_signal(signal.SIGTERM)
        assert child.wait(timeout=10) == 130
        data = json.loads((root / "state/state.json").read_text())["services"]["slow"]
        assert data["stage"] == "stable" and data["pid"]
        assert '"event": "interrupted"' in journal.read_text()
    finally:
        stop_everything(root)


SLOW = """
command = ["{python}", "-u", "-c", "import time\\nprint('ready')\\nfor i in range(999): \
print('tick', i); time.sleep(0.3)"]
[[paths]]
dir = "data"
run = "for i in 1 2 3 4 5; do echo step $i; sleep 0.4; done; mkdir data"
[verify]
log = "ready"
stable_for = 2.5
interval = 0.2
"""


def test_long_steps_show_a_live_line_on_a_terminal_and_nothing_extra_elsewhere(
        tmp_path: Path) -> None:
    from helpers import PYTHON, invoke, write_recipe

    root = tmp_path / "ws"
    write_recipe(root, "slow", SLOW.format(python=PYTHON))
    env = {**os.environ, "TERM": "xterm"}
    try:
        child = pexpect.spawn(sys.executable, ["-m", "bringup", "next", "--yes", "--workspace",
                                               str(root)], env=env, dimensions=(30, 100),
                              encoding="utf-8", timeout=30)
        child.expect(pexpect.EOF)
        shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", child.before)
        assert finish(child) == 0, shown
        assert re.search(r"slow: for i in .* · \d\.\d s · step [2-4]\r", shown)  # its latest
        assert re.search(r"took [12]\.\d s", shown)
        assert re.search(r"slow: stable for 2\.5 s\? · \d\.\d s · tick \d+\r", shown)  # the log's
        assert "proven: slow" in shown
    finally:
        stop_everything(root)
    (root / "data").rmdir()
    (root / "state").joinpath("state.json").unlink()
    try:
        plain = invoke("next", "--yes", "--workspace", str(root))  # not a terminal
        assert plain.code == 0, plain.output
        assert re.search(r"took [12]\.\d s", plain.stdout) and "step 5" not in plain.stdout
        assert not re.search(r"[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]|\x1b\[", plain.output)  # no spinner, no escapes
    finally:
        stop_everything(root)
