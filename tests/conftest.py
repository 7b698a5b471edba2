"""Fixtures; the helpers tests share are a module of their own (helpers.py)."""

from __future__ import annotations

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
