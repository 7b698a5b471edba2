"""`bringup export` to systemd, where a recipe's text meets the engine's own syntax: paths with
a space or `%` in the workspace's name, a newline in a command or a value, `%` in a
description. Each unit is read by `systemd-analyze verify`."""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from bringup.export.stack import project_name
from test_export import ANALYZE, _newer_systemd_only, _unit, export

from helpers import stop_everything, write_file, write_recipe

needs_analyze = pytest.mark.skipif(ANALYZE is None, reason="needs systemd-analyze")


@pytest.fixture
def odd(tmp_path: Path) -> Iterator[Path]:
    """A workspace whose folder's name has a space and a `%` that reads as a specifier."""
    root = tmp_path / "my %z ws"
    (root / "recipes").mkdir(parents=True)
    yield root
    stop_everything(root)


def units(root: Path) -> dict[str, str]:
    """`bringup export systemd` of the workspace's recipes, proven or not: file name -> text."""
    code, said = export(root, "systemd", "--include-unproven")
    assert code == 0, said
    return {path.name: path.read_text() for path in (root / "export/systemd").iterdir()}


def complaints(root: Path) -> list[str]:
    """What `systemd-analyze verify --user` says of the exported units, beyond keys only a
    newer systemd knows; its exit code must be 0 too."""
    assert ANALYZE is not None
    files = sorted(str(path) for path in (root / "export/systemd").iterdir())
    env = {**os.environ, "XDG_RUNTIME_DIR": str(root)}
    checked = subprocess.run([ANALYZE, "verify", "--user", *files], capture_output=True,
                             text=True, env=env, check=False)
    said = [line for line in checked.stderr.splitlines() if not _newer_systemd_only(line)]
    return said if checked.returncode == 0 else [f"exit {checked.returncode}", *said]


def unescaped(word: str) -> str:
    """A double-quoted word's C escapes undone, as systemd does (those the export writes)."""
    return word.encode().decode("unicode_escape")


@needs_analyze
def test_paths_are_written_unquoted_with_percent_doubled(odd: Path) -> None:
    """systemd does not unquote WorkingDirectory=, EnvironmentFile= or StandardOutput=
    truncate:, so a folder with a space is written as it is; its `%` is doubled."""
    write_file(odd, "api.env", "MODE=test\n")
    write_recipe(odd, "api", """
        command = "sleep 30"
        env_file = "api.env"
        [verify]
        log = "ready"
        """)
    unit = _unit(units(odd)[f"{project_name(odd)}-api.service"])
    assert complaints(odd) == []
    doubled = str(odd).replace("%", "%%")
    assert unit["WorkingDirectory"] == [doubled]
    assert unit["EnvironmentFile"] == [f"-{doubled}/.env", f"{doubled}/api.env"]
    assert unit["StandardOutput"] == [f"truncate:{doubled}/state/logs/api.systemd.log"]
    assert f"--log {doubled}/state/logs/api.systemd.log" in unit["ExecStartPost"][0].replace(
        '"', "")


@needs_analyze
def test_a_path_systemd_cannot_take_is_said_not_written(ws: Path) -> None:
    """A newline in the service's folder: no line can hold it, so the unit goes without it and
    the header says so."""
    (ws / "svc\nold").mkdir()
    write_file(ws, "svc\nold/api.env", "MODE=test\n")
    write_recipe(ws, "api", """
        command = "sleep 30"
        cwd = "svc\\nold"
        env_file = "api.env"
        """)
    text = units(ws)[f"{ws.name}-api.service"]
    assert complaints(ws) == []
    unit = _unit(text)
    assert "WorkingDirectory" not in unit and len(unit["EnvironmentFile"]) == 1
    assert "api: WorkingDirectory='" in text and "api: EnvironmentFile='" in text


@needs_analyze
def test_a_newline_in_a_command_or_a_value_is_a_c_escape(ws: Path) -> None:
    """One setting a line: the newline in a /bin/sh -c script and in an env value is written
    `\\n` inside quotes, which systemd turns back into a newline; the script still runs both
    of its lines."""
    write_recipe(ws, "api", """
        command = "echo one\\necho 'two\\tthree'"
        env = { GREETING = "hello\\nworld" }
        """)
    text = units(ws)[f"{ws.name}-api.service"]
    assert complaints(ws) == []
    unit = _unit(text)
    assert len(unit["ExecStart"]) == 1 and "\\n" in unit["ExecStart"][0]
    program, flag, script = shlex.split(unit["ExecStart"][0])
    assert (program, flag) == ("/bin/sh", "-c")
    assert unescaped(script) == "echo one\necho 'two\tthree'"
    ran = subprocess.run([program, flag, unescaped(script)], capture_output=True, text=True,
                         check=True)
    assert ran.stdout == "one\ntwo\tthree\n"
    greeting = [value for value in unit["Environment"] if "GREETING" in value]
    assert [unescaped(shlex.split(value)[0]) for value in greeting] == ["GREETING=hello\nworld"]


@needs_analyze
def test_percent_in_a_description_is_taken_literally(ws: Path) -> None:
    """Description= resolves specifiers: `%z` is none (systemd drops the whole setting), `%n`
    would become the unit's name; doubled, both stay text."""
    write_recipe(ws, "api", """
        description = "100% ready, %z and %n"
        command = "sleep 30"
        """)
    unit = _unit(units(ws)[f"{ws.name}-api.service"])
    assert complaints(ws) == []
    assert unit["Description"][0].startswith("100%% ready, %%z and %%n (")
