"""Bad input gets exit 2, one short line naming the file, and nothing written; never a
traceback or an 'unexpected error'. Cases a fault campaign found, and generated ones."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import tomlkit
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bringup.processes import tags
from bringup.recipe.workspace import Workspace

from helpers import invoke, write_file, write_recipe

OK = 'command = "sleep 30"\n'


def refused(ws: Path, *args: str) -> str:
    """The command must refuse with exit 2 and one line; the workspace gets no state."""
    result = invoke(*args, "--workspace", str(ws))
    assert result.code == 2, result.output
    assert "unexpected" not in result.output and "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and len(lines[0]) < 400, result.stderr
    return lines[0]


@pytest.mark.parametrize(("text", "said"), [
    (OK.replace("sleep 30", "sleep\\u0000 30"), "command: expected text without NUL"),
    (OK + 'env = { A = "x\\u0000y" }', "env.A: expected text without NUL"),
    (OK + '[verify]\nexec = "test\\u0000"', "verify.exec: expected text without NUL"),
    (OK + '[[paths]]\ndir = "a\\u0000b"', "paths[0].dir: expected text without NUL"),
    (OK + '[verify]\nhttp = "http://127.0.0.1:1/"\nhttp_method = "GÉT"', "http_method"),
    (OK + '[verify]\nhttp = "http://a b/"', "verify.http: expected an http"),
    ('command = [""]\n', "command: expected a non-empty array of strings, the program first"),
    (OK + '[verify]\nexec = ""', "verify.exec: expected a non-empty string"),
    (OK + '[verify]\nlog_error = ""', "verify.log_error: expected a non-empty string"),
    (OK + '[[needs]]\nbinary = "x"\ninstall = { zypper = "x" }', "install.zypper: expected a "
     "package manager bringup knows"),
    (OK + "[verify]\ninterval = 5e-324", "verify.interval: expected at least 0.01"),
    (OK + "[verify]\nstartup_timeout = 1e-9", "verify.startup_timeout: expected at least"),
    ('command = "' + "x" * 100_000 + '"\nport = "80"', "port: expected an integer"),
    (OK + 'restart = "' + "y" * 100_000 + '"', "characters)"),
], ids=["nul-command", "nul-env", "nul-exec", "nul-path", "method-non-ascii", "url-space",
        "command-empty-word", "exec-empty", "log-error-empty", "install-unknown",
        "interval-tiny", "timeout-tiny", "huge-value-elsewhere", "huge-value-cut"])
def test_a_bad_recipe_is_one_line_exit_2_and_nothing_written(ws: Path, text: str,
                                                             said: str) -> None:
    write_recipe(ws, "api", text)
    line = refused(ws, "next", "--yes")
    assert line.startswith("bringup: recipes/api.toml: ") and said in line
    assert not (ws / "state").exists()


def test_nesting_thousands_deep_names_the_file(ws: Path) -> None:
    write_recipe(ws, "api", OK + "env = " + "{a = " * 3000 + '"1"' + "}" * 3000 + "\n")
    assert "recipes/api.toml: not valid TOML (nested too deeply)" in refused(ws, "next")


@pytest.mark.parametrize("name", ["a\n", "\x1b[31mx"], ids=["newline", "escape"])
def test_a_file_name_is_checked_whole_and_never_printed_raw(ws: Path, name: str) -> None:
    (ws / "recipes" / f"{name}.toml").write_text(OK)
    line = refused(ws, "report", "--no-check")
    assert "\x1b" not in line and "the file name must be" in line
    assert repr(name)[1:-1] in line  # shown escaped


def test_a_recipe_that_is_a_fifo_is_refused_not_waited_on(ws: Path) -> None:
    os.mkfifo(ws / "recipes/api.toml")
    run = subprocess.run([sys.executable, "-m", "bringup", "report", "--no-check", "--workspace",
                          str(ws)], capture_output=True, text=True, timeout=30, check=False)
    assert run.returncode == 2 and "recipes/api.toml: expected a regular file" in run.stderr


def test_a_megabyte_command_is_read_in_linear_time(ws: Path) -> None:
    write_recipe(ws, "api", 'command = "' + "./x" * 250_000 + '"\n')
    run = subprocess.run([sys.executable, "-m", "bringup", "report", "--no-check", "--json",
                          "--workspace", str(ws)], capture_output=True, text=True, timeout=20,
                         check=False)  # quadratic, it took 25 s here
    assert run.returncode == 0, run.stderr


def test_a_cwd_that_loops_is_a_recipe_error_and_a_dry_run_writes_nothing(ws: Path) -> None:
    (ws / "loop").symlink_to("loop")
    write_recipe(ws, "api", OK + 'cwd = "loop"\n')
    assert "cwd: expected a folder, got a symbolic link that leads round in a loop" in refused(
        ws, "next", "--dry-run")
    assert not (ws / "state").exists()


# Generated recipes: any value of any type under the keys bringup reads (and some it does not).
KEYS = ["command", "cwd", "after", "port", "oneshot", "restart", "max_restarts", "stop_grace",
        "user", "env", "env_file", "logs", "colour"]
VERIFY_KEYS = ["tcp", "http", "http_method", "http_expect", "http_form", "exec", "log",
               "log_error", "connects", "interval", "startup_timeout", "stable_for"]
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
SCALAR = st.one_of(TEXT, st.integers(-2**63, 2**63 - 1), st.booleans(),
                   st.floats(allow_nan=True, allow_infinity=True))
VALUE = st.recursive(SCALAR, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(TEXT, inner, max_size=3)), max_leaves=8)
RECIPE = st.fixed_dictionaries({"command": st.one_of(TEXT, VALUE)}, optional={
    **{key: VALUE for key in KEYS[1:]},
    "verify": st.dictionaries(st.sampled_from(VERIFY_KEYS), VALUE, max_size=4),
    "needs": st.lists(st.dictionaries(st.sampled_from(["binary", "python", "npm", "env",
                                                       "install", "venv"]), VALUE,
                                      max_size=2), max_size=2)})


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(RECIPE)
def test_any_recipe_is_read_or_refused_in_one_line(ws: Path, data: dict[str, object]) -> None:
    try:
        text = tomlkit.dumps(data)
    except Exception:  # noqa: BLE001  (a value TOML cannot hold: nothing to test)
        return
    (ws / "recipes/api.toml").write_text(text, encoding="utf-8")
    result = invoke("report", "--no-check", "--json", "--workspace", str(ws))
    assert result.code in (0, 2), result.output
    if result.code == 2:
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("bringup: recipes/api.toml"), lines
    assert not (ws / "state").exists()


# State files.
@pytest.mark.parametrize(("content", "said"), [
    ('{"schema": "bringup.state/1", "services": ' + "[" * 100_000 + "]" * 100_000 + "}",
     "nested too deeply"),
    ('{"schema": "bringup.state/1", "services": []}', "services as list"),
    ('{"schema": "bringup.state/1", "services": "x"}', "services as str"),
    ('{"schema": "bringup.state/1", "services": {"slow": "proven"}}', "services.slow as str"),
    ('{"schema": "bringup.state/1", "services": {}, "changes": [{"kind": "hosts-line"}]}',
     "has changes that are not a list of the changes bringup made"),
], ids=["deep", "services-list", "services-text", "entry-text", "changes-unreadable"])
def test_a_state_file_of_the_wrong_shape_is_refused_and_kept(ws: Path, content: str,
                                                            said: str) -> None:
    write_recipe(ws, "slow", OK)
    file = write_file(ws, "state/state.json", content)
    line = refused(ws, "next", "--yes")
    assert str(file) in line and said in line and "will not overwrite it" in line
    assert file.read_text() == content


def test_fields_that_cannot_be_read_are_kept_aside_before_the_file_is_written(ws: Path) -> None:
    write_recipe(ws, "job", 'command = "true"\noneshot = true\n')
    entry = {"pid": "1234", "status": 7, "stage": "launch", "started_at": 5, "attempts": "x"}
    original = json.dumps({"schema": "bringup.state/1", "services": {"job": entry}})
    write_file(ws, "state/state.json", original)
    result = invoke("next", "--yes", "--workspace", str(ws))
    assert result.code == 0, result.output
    kept = list((ws / "state").glob("state.json.bad-*"))
    assert len(kept) == 1 and kept[0].read_text() == original
    assert "could not be read as written" in result.output and kept[0].name in result.output
    assert invoke("next", "--yes", "--workspace", str(ws)).code == 0
    assert len(list((ws / "state").glob("state.json.bad-*"))) == 1  # once


JSONS = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), TEXT),
                     lambda inner: st.one_of(st.lists(inner, max_size=3),
                                             st.dictionaries(TEXT, inner, max_size=3)),
                     max_leaves=10)


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.one_of(JSONS, st.fixed_dictionaries({"schema": st.just("bringup.state/1"),
                                                "services": JSONS})))
def test_any_state_file_is_read_or_refused_and_never_lost(ws: Path, data: object) -> None:
    write_recipe(ws, "slow", 'command = "true"\noneshot = true\n')
    file = write_file(ws, "state/state.json", json.dumps(data))
    before = file.read_text()
    result = invoke("report", "--no-check", "--workspace", str(ws))
    assert result.code in (0, 2), result.output
    if result.code == 2:
        assert len(result.stderr.strip().splitlines()) == 1
    assert file.read_text() == before


# A state folder bringup cannot write.
@pytest.mark.parametrize("damage", ["state-is-a-file", "journal-is-a-folder", "lock-is-a-folder",
                                    "dangling-link", "logs-is-a-file"])
def test_a_state_folder_bringup_cannot_write_is_one_line_exit_2(ws: Path, damage: str) -> None:
    write_recipe(ws, "api", 'command = "sleep 30"\n[verify]\nstable_for = 0.1\n')
    state = ws / "state"
    if damage == "state-is-a-file":
        state.write_text("")
    elif damage == "dangling-link":
        state.symlink_to(ws / "nowhere" / "state")
    else:
        state.mkdir()
        target = {"journal-is-a-folder": "journal.jsonl", "lock-is-a-folder": ".lock",
                  "logs-is-a-file": "logs"}[damage]
        (state / target).mkdir() if damage != "logs-is-a-file" else (state / target).write_text("")
    line = refused(ws, "next", "--yes")
    assert f"{state}/ cannot be written" in line
    assert invoke("report", "--no-check", "--workspace", str(ws)).code == 0


def test_a_disk_that_takes_nothing_more_is_one_line_exit_2_and_starts_nothing(ws: Path) -> None:
    # /dev/full fails every write with ENOSPC, as a full disk does: at write time, naming no file
    write_recipe(ws, "api", 'command = "sleep 30"\n[verify]\nstable_for = 0.1\n')
    (ws / "state").mkdir()
    (ws / "state/journal.jsonl").symlink_to("/dev/full")
    line = refused(ws, "next", "--yes")
    assert line.endswith(f"{ws / 'state'} cannot be written (No space left on device); make room "
                         "or make it writable, then run the command again")
    assert not tags.tagged(f"{Workspace(ws.resolve()).tag}/")  # nothing started, unrecorded


@pytest.fixture()
def mounted(ws: Path) -> Iterator[Path]:
    """The state folder as a filesystem of its own (a small tmpfs), where mounting is allowed."""
    state = ws / "state"
    state.mkdir()
    mount = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", str(state)],
                           capture_output=True, check=False)
    if mount.returncode != 0:
        pytest.skip(f"this machine cannot mount a tmpfs: {mount.stderr.decode().strip()}")
    try:
        yield state
    finally:
        subprocess.run(["umount", "-l", str(state)], check=False)


@pytest.mark.parametrize("how", ["full", "read-only"])
def test_a_full_or_read_only_state_filesystem_is_one_line_exit_2(ws: Path, mounted: Path,
                                                                 how: str) -> None:
    write_recipe(ws, "api", 'command = "sleep 30"\n[verify]\nstable_for = 0.1\n')
    if how == "full":
        with (mounted / "filler").open("wb") as filler, contextlib.suppress(OSError):
            filler.write(b"\0" * 32 * 1024)
    else:
        subprocess.run(["mount", "-o", "remount,ro", str(mounted)], check=True)
    line = refused(ws, "next", "--yes")
    assert ("No space left on device" if how == "full" else "Read-only file system") in line
    assert invoke("report", "--no-check", "--workspace", str(ws)).code == 0
