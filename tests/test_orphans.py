"""Nothing orphaned, on real processes and real signals: a service bringup was killed before it
recorded is found by the tag its processes carry, and a helper that left the group with setsid
is stopped by `down` all the same."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from bringup.processes import ports, tags
from bringup.recipe.workspace import Workspace

from helpers import PYTHON, SERVER, free_port, invoke, stored, write_file, write_recipe


def bringup(ws: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bringup", *args, "--workspace", str(ws)],
                          capture_output=True, text=True, timeout=120, check=False)


def ours(ws: Path, name: str) -> list[int]:
    """The live processes that carry the service's tag."""
    return [process.pid for process in tags.tagged(f"{Workspace(ws.resolve()).tag}/{name}/")]


def test_a_bringup_killed_right_after_the_spawn_leaves_no_stranger(ws: Path) -> None:
    port = free_port()
    write_file(ws, "server.py", SERVER)
    # The service kills the bringup that started it, once: before or after it was recorded.
    write_recipe(ws, "web", f"""
        command = "test -f killed || {{ touch killed; kill -9 $PPID; }}; exec {PYTHON} -u server.py {port}"
        port = {port}
        [verify]
        stable_for = 0.2
        interval = 0.1
        """)  # noqa: E501
    killed = bringup(ws, "next", "--yes")
    assert killed.returncode == -9
    deadline = time.monotonic() + 10
    while not ports.answers(port) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert ports.answers(port) and ours(ws, "web")  # it runs on, and carries its tag
    result = bringup(ws, "next", "--yes")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "which bringup did not start" not in result.stdout
    assert stored(ws, "web")["port"] == port  # not moved away from its own process
    assert ours(ws, "web") == [stored(ws, "web")["pid"]]
    assert invoke("down", "--workspace", str(ws)).code == 0
    assert not ours(ws, "web") and not ports.answers(port)


def test_down_stops_a_helper_that_left_the_group(ws: Path) -> None:
    port = free_port()
    write_file(ws, "server.py", SERVER)
    write_recipe(ws, "web", f"""
        command = "(setsid sleep 313 &); exec {PYTHON} -u server.py {port}"
        port = {port}
        [verify]
        stable_for = 0.2
        interval = 0.1
        """)
    assert invoke("next", "--yes", "--workspace", str(ws)).code == 0
    deadline = time.monotonic() + 5
    while len(ours(ws, "web")) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(ours(ws, "web")) == 2  # the server, and the helper in a session of its own
    assert invoke("down", "--workspace", str(ws)).code == 0
    assert not ours(ws, "web")


def test_a_process_not_recorded_is_found_again_by_the_start_it_was_spawned_for(
        ws: Path) -> None:
    port = free_port()
    write_file(ws, "server.py", SERVER)
    write_recipe(ws, "web", f"""
        command = ["{PYTHON}", "-u", "server.py", "{port}"]
        port = {port}
        [verify]
        stable_for = 0.2
        interval = 0.1
        """)
    assert invoke("next", "--yes", "--workspace", str(ws)).code == 0
    pid = stored(ws, "web")["pid"]
    from helpers import context

    ctx = context(ws)
    entry = ctx.state.of("web")
    entry.forget_process()  # as if bringup had been killed before recording it
    entry.port = None
    ctx.save()
    assert stored(ws, "web")["pid"] is None
    output = invoke("next", "web", "--yes", "--workspace", str(ws)).output
    assert stored(ws, "web")["pid"] == pid  # recognised, not a stranger on its port
    assert stored(ws, "web")["port"] == port
    assert "which bringup did not start" not in output


def test_down_looks_at_the_machine_once_for_every_service_and_stops_each_ones_helper(
        ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each look reads every process's environment: once for the stack, not once a service
    (20 services were 20 looks, with the interpreter lock held), and each tagged process's
    environment is read once, in that look."""
    names = ("api", "web")
    write_file(ws, "server.py", SERVER)
    for name in names:
        write_recipe(ws, name, f"""
            command = "(setsid sleep 317 &); exec {PYTHON} -u server.py {free_port()}"
            [verify]
            stable_for = 0.2
            interval = 0.1
            """)
        assert invoke("next", name, "--yes", "--workspace", str(ws)).code == 0
    deadline = time.monotonic() + 5
    while any(len(ours(ws, name)) < 2 for name in names) and time.monotonic() < deadline:
        time.sleep(0.05)
    looks: list[str] = []
    look, read = tags.tagged_with, tags.tag_of
    monkeypatch.setattr(tags, "tagged_with", lambda prefix: looks.append(prefix) or look(prefix))
    monkeypatch.setattr(tags, "tag_of", lambda pid: looks.append(str(pid)) or read(pid))
    assert invoke("down", "--workspace", str(ws)).code == 0
    assert len(looks) == 1  # and no process's environment read again for its tag
    assert not any(ours(ws, name) for name in names)
