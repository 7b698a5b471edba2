"""`bringup watch` on real processes: a proven service that dies is restarted per its policy,
and one that keeps dying is given up on after `max_restarts`."""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bringup.commands.watch import watch

from helpers import context, invoke, journal, kill, stored, web_service, write_recipe


def watch_until(ws: Path, done: Callable[[], bool], limit: float = 15) -> None:
    deadline = time.monotonic() + limit
    watch(context(ws), until=lambda: done() or time.monotonic() > deadline)


def test_a_dead_service_is_restarted_and_proven_again(ws: Path) -> None:
    web_service(ws, "api", extra="restart = \"on-failure\"")
    assert invoke("next", "--yes", "--workspace", str(ws)).code == 0
    first = stored(ws, "api")["pid"]
    kill(first)
    watch_until(ws, lambda: bool(journal(ws, "restart"))
                and stored(ws, "api")["status"] == "proven")
    assert stored(ws, "api")["pid"] not in (None, first)
    assert stored(ws, "api")["status"] == "proven"
    assert invoke("report", "--workspace", str(ws)).code == 0


def test_restart_no_leaves_it_regressed(ws: Path) -> None:
    web_service(ws, "api", extra='restart = "no"')
    invoke("next", "--yes", "--workspace", str(ws))
    kill(stored(ws, "api")["pid"])
    watch_until(ws, lambda: stored(ws, "api")["status"] == "regressed")
    assert stored(ws, "api")["status"] == "regressed" and not journal(ws, "restart")


def test_a_service_that_keeps_dying_is_given_up_on(ws: Path) -> None:
    write_recipe(ws, "flaky", """
        command = "test -f once && exit 1; touch once; sleep 60"
        max_restarts = 2
        [verify]
        stable_for = 0.2
        interval = 0.1
        startup_timeout = 2
        """)
    assert invoke("next", "--yes", "--workspace", str(ws)).code == 0
    kill(stored(ws, "flaky")["pid"])
    watch_until(ws, lambda: "gave up" in str(stored(ws, "flaky")["reason"]), limit=20)
    assert len(journal(ws, "restart")) == 2
    assert "restarted 2 times within 10 minutes" in str(stored(ws, "flaky")["reason"])


def test_the_watch_command_runs_until_stopped(ws: Path) -> None:
    import subprocess
    import sys

    write_recipe(ws, "idle", 'command = "true"\n')
    child = subprocess.Popen([sys.executable, "-m", "bringup", "watch", "--workspace", str(ws)],
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None and "watching" in child.stdout.readline()
    child.send_signal(signal.SIGTERM)
    assert child.wait(timeout=10) == 130


def test_a_healthy_stack_costs_no_state_writes(ws: Path) -> None:
    for name in ("api", "dash"):
        web_service(ws, name)
    for _ in range(2):
        assert invoke("next", "--yes", "--workspace", str(ws)).code == 0
    state_file, journal_file = ws / "state/state.json", ws / "state/journal.jsonl"
    before = [(f.stat().st_mtime_ns, f.stat().st_size) for f in (state_file, journal_file)]
    ctx = context(ws)
    checked_at = ctx.state.of("api").updated_at
    deadline = time.monotonic() + 2.0
    watch(ctx, until=lambda: time.monotonic() > deadline)  # about 20 checks of each
    assert ctx.state.of("api").updated_at != checked_at  # it did check, and keeps that in mind
    after = [(f.stat().st_mtime_ns, f.stat().st_size) for f in (state_file, journal_file)]
    assert after == before


def test_an_exit_is_noticed_when_it_happens_not_at_the_next_check(ws: Path) -> None:
    web_service(ws, "api")
    recipe = ws / "recipes/api.toml"
    recipe.write_text(recipe.read_text().replace("interval = 0.1", "interval = 60"))
    assert invoke("next", "--yes", "--workspace", str(ws)).code == 0
    first = stored(ws, "api")["pid"]
    began, killed = time.monotonic(), []

    def killed_then_back() -> bool:
        if not killed and time.monotonic() - began > 1.0:
            kill(first)  # after watch's first check: the next is a minute away
            killed.append(first)
        return bool(journal(ws, "restart")) and stored(ws, "api")["status"] == "proven"

    watch_until(ws, killed_then_back, limit=15)
    assert stored(ws, "api")["pid"] not in (None, first)
    assert stored(ws, "api")["status"] == "proven"


SLOW_START = """
import runpy, sys, time
time.sleep(2.0)  # a service slow to start
runpy.run_path("server.py", run_name="__main__")
"""


def test_a_restart_under_way_never_holds_up_the_others(ws: Path) -> None:
    from datetime import datetime

    from helpers import write_file

    web_service(ws, "slow")
    web_service(ws, "quick")
    write_file(ws, "slow_start.py", SLOW_START)
    recipe = ws / "recipes/slow.toml"
    recipe.write_text(recipe.read_text().replace('"server.py"', '"slow_start.py"'))
    for _ in range(2):
        assert invoke("next", "--yes", "--workspace", str(ws)).code == 0
    slow, quick = stored(ws, "slow")["pid"], stored(ws, "quick")["pid"]
    kill(slow)
    killed = []

    def both_back() -> bool:
        if not killed and journal(ws, "restart"):  # slow is restarting: two seconds to go
            kill(quick)
            killed.append(quick)
        return all(stored(ws, name)["status"] == "proven"
                   and stored(ws, name)["pid"] not in (slow, quick) for name in ("slow", "quick"))

    watch_until(ws, both_back)
    proven = {line["service"]: datetime.fromisoformat(line["ts"])
              for line in journal(ws, "verdict") if line.get("why") == "watch: restarted"}
    assert proven["quick"] < proven["slow"]  # quick came back while slow was still starting


DEAF = """
import os, socket, sys, time
server = socket.create_server(("127.0.0.1", int(sys.argv[1])))
while True:  # until it is the one to take go-deaf: then it stops listening, and lives on
    try:
        os.rename("go-deaf", f"went-deaf-{os.getpid()}")  # one of them only, atomically
        break
    except FileNotFoundError:
        pass
    server.settimeout(0.05)
    try:
        server.accept()[0].close()
    except TimeoutError:
        pass
server.close()
time.sleep(600)
"""


def test_a_connect_that_fails_in_the_round_is_checked_again_and_restarted(ws: Path) -> None:
    """Services checked by a plain connect are checked in one round, one after another; one
    whose port stops answering while its process lives is taken out of the round, found
    failing and restarted, and the others are left alone."""
    from helpers import free_port, write_file

    write_file(ws, "deaf.py", DEAF)
    for name in ("deaf", "steady"):
        port = free_port()
        write_recipe(ws, name, f"""
            command = ["{sys.executable}", "deaf.py", "{port}"]
            port = {port}
            restart = "always"
            [verify]
            tcp = {port}
            stable_for = 0.3
            interval = 0.1
            """)
        assert invoke("next", "--yes", "--workspace", str(ws)).code == 0
    deaf, steady = stored(ws, "deaf")["pid"], stored(ws, "steady")["pid"]
    began, told = time.monotonic(), []

    def deaf_back() -> bool:
        if time.monotonic() - began > 0.5 and not told:
            (ws / "go-deaf").touch()  # the first of them to see it stops listening
            told.append(True)
        return bool(journal(ws, "restart")) and all(
            stored(ws, name)["status"] == "proven" for name in ("deaf", "steady"))

    watch_until(ws, deaf_back)
    restarted = [line["service"] for line in journal(ws, "restart")]
    assert len(restarted) == 1
    gone = restarted[0]
    assert stored(ws, gone)["pid"] != {"deaf": deaf, "steady": steady}[gone]
    other = "steady" if gone == "deaf" else "deaf"
    assert stored(ws, other)["pid"] == {"deaf": deaf, "steady": steady}[other]
    assert stored(ws, gone)["status"] == stored(ws, other)["status"] == "proven"


def test_watch_shares_the_workspace_and_respects_what_others_did(ws: Path) -> None:
    """While a real `bringup watch` runs: `down` works and the service it stopped stays
    stopped (watch does not restart it); `up` works and watch tends the service again (it
    restarts it when killed)."""
    import subprocess

    web_service(ws, "api")
    assert invoke("next", "--yes", "--workspace", str(ws)).code == 0
    watcher = subprocess.Popen([sys.executable, "-m", "bringup", "watch", "--workspace", str(ws)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1.0)  # watching: its rounds every 0.1 s
        down = invoke("down", "--workspace", str(ws))
        assert down.code == 0, down.stderr
        import psutil

        busy = psutil.Process(watcher.pid)
        before = sum(busy.cpu_times()[:2])
        time.sleep(1.5)
        assert sum(busy.cpu_times()[:2]) - before < 0.75  # idle, not spinning on the stopped one
        assert stored(ws, "api")["status"] == "stopped" and not journal(ws, "restart")
        up = invoke("up", "--workspace", str(ws))
        assert up.code == 0, up.stderr
        first = stored(ws, "api")["pid"]
        time.sleep(0.5)
        kill(first)
        deadline = time.monotonic() + 15
        while not (journal(ws, "restart") and stored(ws, "api")["status"] == "proven"
                   and stored(ws, "api")["pid"] not in (None, first)):
            assert time.monotonic() < deadline, stored(ws, "api")
            assert watcher.poll() is None, "watch ended"
            time.sleep(0.05)
    finally:
        watcher.terminate()
        watcher.wait(timeout=10)


def test_a_detached_watch_supervises_after_its_terminal_and_stop_ends_it(ws: Path) -> None:
    """`watch --detach` returns at once and a watch in a session of its own goes on: report
    names it, a second watch is refused, a killed service is restarted; `--stop` ends it."""
    import psutil

    from helpers import report_json

    web_service(ws, "api")
    assert invoke("next", "--yes", "--workspace", str(ws)).code == 0
    started = invoke("watch", "--detach", "--workspace", str(ws))
    assert started.code == 0, started.stderr
    pid = report_json(ws)[1]["watch"]["pid"]
    try:
        assert pid and f"pid {pid}" in started.output
        assert psutil.Process(pid).pid != psutil.Process().pid
        assert os.getsid(pid) == pid  # a session of its own: the terminal's hangup is not its
        second = invoke("watch", "--workspace", str(ws))
        assert second.code == 2 and f"a watch already runs in {ws}" in second.stderr
        first = stored(ws, "api")["pid"]
        time.sleep(0.5)
        kill(first)
        deadline = time.monotonic() + 15
        while not (journal(ws, "restart") and stored(ws, "api")["pid"] not in (None, first)
                   and stored(ws, "api")["status"] == "proven"):
            assert time.monotonic() < deadline, (ws / "state/watch.log").read_text()
            time.sleep(0.05)
        assert "watching" in (ws / "state/watch.log").read_text()
    finally:
        stopped = invoke("watch", "--stop", "--workspace", str(ws))
    assert stopped.code == 0 and f"the watch (pid {pid}) has ended" in stopped.output
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    assert report_json(ws)[1]["watch"] == {"running": False, "pid": None}
    assert "no watch is running" in invoke("watch", "--stop", "--workspace", str(ws)).output


def test_watch_with_nothing_proven_says_so_and_takes_up_what_is_proven_later(ws: Path) -> None:
    import subprocess

    web_service(ws, "api")
    watcher = subprocess.Popen([sys.executable, "-m", "bringup", "watch", "--workspace", str(ws)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert watcher.stdout is not None
        said = [watcher.stdout.readline(), watcher.stdout.readline()]
        assert "nothing is proven yet, so nothing is watched" in said[1], said
        assert invoke("next", "--yes", "--workspace", str(ws)).code == 0
        first = stored(ws, "api")["pid"]
        kill(first)
        deadline = time.monotonic() + 15
        while not journal(ws, "restart"):  # taken up once proven: restarted when killed
            assert time.monotonic() < deadline, stored(ws, "api")
            time.sleep(0.05)
    finally:
        watcher.terminate()
        watcher.wait(timeout=10)
