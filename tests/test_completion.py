"""Shell completion: the script for each shell, the shell found by shellingham when none is
named, and the workspace's service names completed by the real completion protocol."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import invoke, write_recipe

BRINGUP = [sys.executable, "-m", "bringup"]


@pytest.mark.parametrize(("shell", "mark"), [("bash", "complete -o nosort -F"),
                                             ("zsh", "compdef"), ("fish", "complete --no-files")])
def test_a_script_is_printed_for_each_shell(shell: str, mark: str) -> None:
    result = invoke("completion", shell)
    assert result.code == 0 and mark in result.output and "_BRINGUP_COMPLETE" in result.output


def test_the_shell_it_runs_in_is_found() -> None:
    """Run from bash (the parent shellingham finds), no shell named: bash's script."""
    command = " ".join(BRINGUP) + " completion"
    done = subprocess.run(["bash", "-c", command], capture_output=True, text=True, check=False,
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    assert "complete -o nosort -F" in done.stdout


def test_service_names_are_completed(ws: Path) -> None:
    for name in ("api", "cache", "web"):
        write_recipe(ws, name, 'command = "true"')
    env = {**os.environ, "_BRINGUP_COMPLETE": "bash_complete", "COMP_WORDS": "bringup up ca",
           "COMP_CWORD": "2"}
    done = subprocess.run(BRINGUP, cwd=ws, env=env, capture_output=True, text=True, check=False)
    assert done.stdout.split() == ["plain,cache"], done.stderr
    env["COMP_WORDS"] = "bringup logs "
    done = subprocess.run(BRINGUP, cwd=ws, env=env, capture_output=True, text=True, check=False)
    assert done.stdout.split() == ["plain,api", "plain,cache", "plain,web"]
