"""A service's own log, `state/logs/NAME.log`: its output and errors, with a marker line at each
start, so that checks and diagnosis read only what the latest start wrote."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

TAIL_BYTES = 256 * 1024


def mark_start(path: Path, marker: str) -> int:
    """Write the marker of a new start; the offset returned is where this start's output begins."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("ab") as log:
        log.write(f"=== bringup start {marker} ===\n".encode())
    return path.stat().st_size


def read_since(path: Path, offset: int) -> str:
    try:
        with path.open("rb") as log:
            log.seek(offset)
            return log.read().decode(errors="replace")
    except FileNotFoundError:
        return ""


def tail(path: Path, count: int) -> list[str]:
    """The last `count` lines (of the last 256 kB: enough for any screen)."""
    with path.open("rb") as log:
        log.seek(0, 2)
        log.seek(max(log.tell() - TAIL_BYTES, 0))
        return log.read().decode(errors="replace").splitlines()[-count:]


def follow(path: Path, sleep: float = 0.25) -> Iterator[str]:
    """Lines as they are appended, until the caller stops reading."""
    with path.open("rb") as log:
        log.seek(0, 2)
        while True:
            line = log.readline()
            if line:
                yield line.decode(errors="replace").rstrip("\n")
            else:
                time.sleep(sleep)
