"""The built-in demo, end to end with the real command line: `bringup next --yes` again and
again takes every service to proven, and the JSON report says so with evidence."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import stop_everything


def bringup(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bringup", *args], cwd=cwd, text=True,
                          capture_output=True, stdin=subprocess.DEVNULL, timeout=300, check=False)


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="the demo's cache is redis-server")
def test_next_yes_walks_the_demo_to_all_proven(tmp_path: Path) -> None:
    assert bringup("demo", cwd=tmp_path).returncode == 0
    demo = tmp_path / "bringup-demo"
    try:
        for _ in range(4):
            run = bringup("next", "--yes", cwd=demo)
            assert run.returncode == 0, run.stdout + run.stderr
        assert "every service is proven" in bringup("next", "--yes", cwd=demo).stdout
        report = bringup("report", "--json", cwd=demo)
        assert report.returncode == 0
        data = json.loads(report.stdout)
        assert data["summary"] == {"total": 4, "proven": 4, "regressed": 0, "next": None,
                                   "coherence": 1.0}
        for service in data["services"]:
            assert service["status"] == "proven" and service["pid"]
            assert service["checks"] and all(check["ok"] for check in service["checks"])
        assert bringup("down", cwd=demo).returncode == 0
        stopped = bringup("report", "--json", cwd=demo)
        after = json.loads(stopped.stdout)
        assert stopped.returncode == 0 and after["summary"]["regressed"] == 0
        assert {service["status"] for service in after["services"]} == {"stopped"}
    finally:
        stop_everything(demo)


def test_demo_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    run = bringup("demo", "full", cwd=tmp_path)
    assert run.returncode == 2 and "not empty" in run.stderr
    assert (tmp_path / "full" / "keep.txt").read_text() == "mine"
