"""`bringup logs`: one service's log, every service's interleaved by start with its name, the
lines of recent starts only, followed as they arrive across a rotation, and the cap that
rotates a log. Real services writing real logs; a real `bringup logs -f` process."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bringup.commands import logs as logs_command
from bringup.state import logs

from helpers import PYTHON, context, invoke, next_ok, ready_recipe, write_recipe

SAYS = """command = ["{python}", "-u", "-c", "print('{line}'); print('ready'); import time; \
time.sleep(60)"]
"""
COUNTS = """command = ["{python}", "-u", "-c", "import time\\nprint('ready')\\n\
for i in range(100000): print('line', i); time.sleep(0.02)"]
"""


def says(ws: Path, name: str, line: str) -> None:
    ready_recipe(ws, name, SAYS.format(python=PYTHON, line=line))


def test_every_log_interleaved_by_start_each_line_after_its_service(ws: Path) -> None:
    says(ws, "api", "api says hello")
    says(ws, "cache", "cache says hello")
    write_recipe(ws, "zzz", 'command = "true"\noneshot = true\n')  # never started: no log
    next_ok(ws, "api")
    next_ok(ws, "cache")
    assert invoke("restart", "api", "--workspace", str(ws)).code == 0
    shown = invoke("logs", "--workspace", str(ws))
    assert shown.code == 0, shown.output
    said = [line for line in shown.stdout.splitlines() if line.endswith("says hello")]
    assert said == ["api   | api says hello", "cache | cache says hello",
                    "api   | api says hello"]  # the restart of api began after cache's start
    one = invoke("logs", "cache", "--workspace", str(ws)).stdout
    assert "cache says hello" in one and "|" not in one  # one service alone: no names


def test_since_keeps_the_starts_still_writing_then(ws: Path) -> None:
    says(ws, "old", "old start")
    says(ws, "new", "new start")
    next_ok(ws, "old")
    time.sleep(1.5)
    next_ok(ws, "new")
    shown = invoke("logs", "--since", "1s", "--workspace", str(ws)).stdout
    assert "new start" in shown and "old start" not in shown
    assert "old start" in invoke("logs", "--since", "1h", "--workspace", str(ws)).stdout
    stamped = invoke("logs", "new", "--timestamps", "--workspace", str(ws)).stdout
    assert re.search(r"^~\d\d:\d\d:\d\d new start$", stamped, re.MULTILINE), stamped


def test_since_that_is_not_a_time_is_a_usage_error(ws: Path) -> None:
    says(ws, "api", "hello")
    result = invoke("logs", "--since", "yesterday", "--workspace", str(ws))
    assert result.code == 2 and "expected a duration such as 10m" in result.stderr


def test_an_invalid_recipe_does_not_hide_the_other_logs(ws: Path) -> None:
    says(ws, "api", "api says hello")
    next_ok(ws, "api")
    write_recipe(ws, "broken", 'command = "true"\nafterr = ["api"]\n')
    shown = invoke("logs", "--workspace", str(ws))
    assert shown.code == 0 and "api | api says hello" in shown.stdout, shown.output


def test_no_log_yet_is_said(ws: Path) -> None:
    says(ws, "api", "hello")
    result = invoke("logs", "--workspace", str(ws))
    assert result.code == 2 and "bringup has started no service here" in result.stderr


def test_follow_goes_on_across_a_rotation_and_ctrl_c_ends_it_quietly(ws: Path) -> None:
    ready_recipe(ws, "counter", COUNTS.format(python=PYTHON))
    next_ok(ws, "counter")
    log = ws / "state" / "logs" / "counter.log"
    follower = subprocess.Popen(
        [sys.executable, "-m", "bringup", "logs", "-f", "-n", "1", "--workspace", str(ws)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        time.sleep(1.0)
        assert logs.rotate(log, 0)  # bringup's own rotation: copied to counter.log.1, emptied
        time.sleep(1.0)
        follower.send_signal(signal.SIGINT)
        out, err = follower.communicate(timeout=10)
    finally:
        follower.kill()
    assert follower.returncode == 0 and "Traceback" not in err, err
    counted = [int(number) for number in re.findall(r"^counter \| line (\d+)$", out, re.MULTILINE)]
    assert len(counted) > 40, out
    assert counted == list(range(counted[0], counted[0] + len(counted))), counted  # none lost
    assert log.with_name("counter.log.1").is_file()


def test_a_line_written_between_the_history_and_the_follow_is_shown_once(ws: Path) -> None:
    says(ws, "api", "first")
    next_ok(ws, "api")
    log = ws / "state" / "logs" / "api.log"
    shown = logs_command.show(context(ws), ["api"], 1, follow=True)
    assert shown.follow is not None and [line.text for line in shown.lines] == ["ready"]

    def append(line: str) -> None:
        with log.open("a") as appended:
            appended.write(line + "\n")

    append("in between")  # after the history was read, before the follow is read
    later = threading.Timer(0.5, append, ["after"])  # once the follow reads
    later.start()
    try:
        assert next(shown.follow).text == "in between"
        assert next(shown.follow).text == "after"
    finally:
        later.join()


def test_a_followed_file_renamed_away_is_finished_then_read_anew(tmp_path: Path) -> None:
    path = tmp_path / "app.log"
    path.write_text("before\n")
    followed = logs.Followed(path)
    with path.open("a") as file:
        file.write("one\ntw")
    assert followed.lines() == ["one"]  # half a line waits for its end
    with path.open("a") as file:
        file.write("o\nthree\n")
    path.rename(tmp_path / "app.log.old")
    path.write_text("four\n")
    assert followed.lines() == ["two", "three", "four"]
    path.write_text("")  # truncated in place (and shorter than it was, as a poll can tell)
    with path.open("a") as file:
        file.write("5\n")
    assert followed.lines() == ["5"]
    followed.close()


def test_this_starts_output_is_read_across_a_rotation(tmp_path: Path) -> None:
    path = tmp_path / "svc.log"
    path.write_text("an earlier start\n")
    offset = logs.mark_start(path, "2026-12-06T10:00:00.000000Z attempt 2: sh -c 'a\nb'")
    with path.open("a") as file:
        file.write("ready\n")
    assert logs.read_start(path, offset) == "ready\n"
    assert logs.rotate(path, 10)
    assert path.stat().st_size == 0
    with path.open("a") as file:
        file.write("later\n")
    assert logs.read_start(path, offset) == "ready\nlater\n"
    assert not logs.rotate(path, 1024)  # under its cap: left alone




def test_complete_lines_are_read_once_each_and_again_from_the_start_after_a_rotation(
        tmp_path: Path) -> None:
    path = tmp_path / "svc.log"
    assert logs.complete_lines(path, 0) == ([], 0)  # not written yet
    path.write_text("one\ntw")
    assert logs.complete_lines(path, 0) == (["one"], 4)
    assert logs.complete_lines(path, 4) == ([], 4)  # half a line is not a line yet
    with path.open("a") as file:
        file.write("o\n")
    assert logs.complete_lines(path, 4) == (["two"], 8)
    assert logs.complete_lines(path, 8) == ([], 8)  # nothing new
    assert logs.rotate(path, 4)
    path.write_text("three\n")
    assert logs.complete_lines(path, 8) == (["three"], 6)
@pytest.mark.parametrize(("given", "limit"), [("", logs.CAP), ("2k", 2048), ("3M", 3 << 20),
                                              ("512", 512), ("lots", logs.CAP)])
def test_the_cap_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch, given: str,
                                            limit: int) -> None:
    monkeypatch.setenv("BRINGUP_LOG_MAX", given)
    assert logs.cap() == limit


def test_a_start_rotates_a_log_past_its_cap(ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    says(ws, "api", "x" * 300)
    monkeypatch.setenv("BRINGUP_LOG_MAX", "200")
    next_ok(ws, "api")
    assert invoke("restart", "api", "--workspace", str(ws)).code == 0
    log = ws / "state" / "logs" / "api.log"
    kept = log.with_name("api.log.1").read_text()
    assert kept.count("=== bringup start") == 1 and log.read_text().count("=== bringup start") == 1
    assert invoke("report", "--json", "--workspace", str(ws)).code == 0


def test_a_rotation_between_the_follow_and_the_history_shows_no_line_twice(
        tmp_path: Path) -> None:
    path = tmp_path / "svc.log"
    path.write_text("".join(f"line {number}\n" for number in range(10)))
    followed = logs.Followed(path)
    with path.open("a") as log:
        log.write("line 10\nline 11\n")
    assert logs.rotate(path, 0)  # after the follow began, before the history is read
    history = [line.text for line in logs.history(path, 5, followed)]
    after = followed.lines()
    assert history == [f"line {number}" for number in range(5, 10)]
    assert after == ["line 10", "line 11"]
