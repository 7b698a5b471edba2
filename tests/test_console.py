"""What the wizard says reaches a pipe as plain text, without loading rich, and a terminal (or
forced colour) through rich; either way the text shows as written, never read as markup."""

from __future__ import annotations

import os
import re
import subprocess
import sys

SAY = r"""
import sys
from bringup.face.console import ConsoleOutput

out = ConsoleOutput()
out.step("start", "web: [bold]x[/] :smile: \\[y]", True)
out.command("redis-server --port 1", where="svc", user="nobody")
out.block("one\ntwo")
out.verdict("[red]done", False)
print("rich" in sys.modules)
"""
SAID = ("  ✓ start       web: [bold]x[/] :smile: \\[y]\n"
        "      $ redis-server --port 1 (in svc as nobody)\n"
        "      │ one\n      │ two\n\n✗ [red]done\n")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def said(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items()
             if k not in {"FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "NO_COLOR"}}
    return subprocess.run([sys.executable, "-c", SAY], capture_output=True, text=True,
                          env=clean | env, check=True).stdout


def test_a_pipe_gets_the_lines_plain_and_as_written_without_rich() -> None:
    assert said() == SAID + "False\n"


def test_forced_colour_goes_through_rich_and_shows_the_same_words() -> None:
    coloured = said(FORCE_COLOR="1")
    assert "\x1b[" in coloured
    assert ANSI.sub("", coloured) == SAID + "True\n"
