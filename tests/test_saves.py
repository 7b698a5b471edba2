"""Saves from many threads at once (`up` starting a level, `watch` checking): each save returns
only after a write of the state that began after it asked, and threads asking together share
writes instead of queueing one full write each."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

from bringup.core.context import _Saves

from helpers import context, write_recipe


def test_a_save_is_served_only_by_a_write_that_began_after_it_asked() -> None:
    saves, writes, lock = _Saves(), [], threading.Lock()

    def write() -> None:
        with lock:
            writes.append(time.monotonic())
        time.sleep(0.05)

    served: list[tuple[float, float]] = []

    def save() -> None:
        asked = time.monotonic()
        saves.after_asking(write)
        with lock:
            served.append((asked, time.monotonic()))

    threads = [threading.Thread(target=save) for _ in range(12)]
    for index, thread in enumerate(threads):
        thread.start()
        if index == 0:
            time.sleep(0.01)  # the first write is under way when the others ask
    for thread in threads:
        thread.join()
    assert len(served) == 12
    for asked, returned in served:
        assert any(asked <= began and began + 0.05 <= returned + 1e-3 for began in writes)
    assert len(writes) <= 3, writes  # the first, then one (or two) for all who asked meanwhile


def test_a_failed_write_fails_its_writer_and_the_next_one_writes_again() -> None:
    saves, calls = _Saves(), []

    def failing() -> None:
        calls.append("failed")
        raise OSError("disk full")

    try:
        saves.after_asking(failing)
    except OSError:
        pass
    else:
        raise AssertionError("the write's error was swallowed")
    saves.after_asking(lambda: calls.append("written"))
    assert calls == ["failed", "written"]


def test_every_threads_change_reaches_the_file(tmp_path: Path) -> None:
    for index in range(16):
        write_recipe(tmp_path, f"s{index}", 'command = "sleep 1"\n')
    ctx = context(tmp_path)

    def change(name: str) -> None:
        for attempt in range(1, 6):
            ctx.state.of(name).attempts = attempt
            ctx.save()

    threads = [threading.Thread(target=change, args=(f"s{index}",)) for index in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stored = json.loads((tmp_path / "state" / "state.json").read_text())["services"]
    assert {name: entry["attempts"] for name, entry in stored.items()} == {
        f"s{index}": 5 for index in range(16)}


def test_two_bringups_saving_keep_each_others_decisions(ws: Path) -> None:
    """Two runs on one workspace (a watch and a down): each save takes in the other's since.
    What one decided about a service stands; a newer look at a service (its evidence) does not
    undo what the other decided about it."""
    from bringup.core import lifecycle

    for name in ("api", "cache", "db"):
        write_recipe(ws, name, 'command = "true"')
    first, second = context(ws), context(ws)
    for name in ("api", "cache", "db"):
        first.state.of(name).status = "proven"
    first.save()
    assert second.state.of("cache").status == "proven"  # read after the first's write
    lifecycle.stopped(first, "api", reason="stopped by `bringup down`", why="down")
    lifecycle.observed(second, "api", [{"kind": "tcp", "target": "x", "ok": True, "ms": 1.0,
                                        "detail": "connected"}])  # a look, in memory
    second.state.of("db").status = "regressed"  # a decision of the second's
    second.save()
    saved = json.loads((ws / "state/state.json").read_text())["services"]
    assert saved["api"]["status"] == "stopped"  # the first's decision stood
    assert saved["db"]["status"] == "regressed"
    assert second.state.of("api").status == "stopped"  # and the second now knows it
    first.state.of("cache").status = "stopped"
    first.save()
    saved = json.loads((ws / "state/state.json").read_text())["services"]
    assert (saved["cache"]["status"], saved["db"]["status"]) == ("stopped", "regressed")
