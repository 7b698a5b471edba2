"""Fixtures; the helpers tests share are a module of their own (helpers.py)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers import stop_everything


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Path]:
    """An empty workspace; whatever bringup started in it is stopped afterwards."""
    root = tmp_path / "ws"
    (root / "recipes").mkdir(parents=True)
    yield root
    stop_everything(root)


@pytest.fixture
def open_root() -> Iterator[Path]:
    """A workspace other users can enter (bringup runs postgres as postgres when root, nginx's
    workers run as nobody); whatever bringup started in it is stopped, and it is removed."""
    root = Path(tempfile.mkdtemp(prefix="bringup-open-", dir="/tmp"))
    root.chmod(0o755)
    yield root
    stop_everything(root)
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(params=["compose", "own"], ids=["compose-binary", "own-reader"])
def compose_reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each compose walk twice: compose files read by docker-compose v2, and by bringup's own
    reader; both must bring the same stack up."""
    if request.param == "own":
        monkeypatch.setenv("BRINGUP_COMPOSE", "none")
    return str(request.param)
