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
    """What was written from `offset` on; all of it when the file has since been cut shorter
    (rotated or truncated)."""
    try:
        with path.open("rb") as log:
            log.seek(0, 2)
            log.seek(offset if log.tell() >= offset else 0)
            return log.read().decode(errors="replace")
    except (FileNotFoundError, IsADirectoryError, PermissionError):
        return ""


def size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def read_sources(sources: list[tuple[Path, int]]) -> str:
    """The output of one start across its logs: the first one as it is, each further file
    after a line that names it."""
    parts = [read_since(path, offset) if index == 0 else
             _headed(path, read_since(path, offset)) for index, (path, offset) in
             enumerate(sources)]
    return "".join(parts)


def _headed(path: Path, text: str) -> str:
    if not text:
        return ""
    return f"=== {path.name} ===\n{text}" + ("" if text.endswith("\n") else "\n")


def tail(path: Path, count: int) -> list[str]:
    """The last `count` lines (of the last 256 kB: enough for any screen)."""
    with path.open("rb") as log:
        log.seek(0, 2)
        log.seek(max(log.tell() - TAIL_BYTES, 0))
        return log.read().decode(errors="replace").splitlines()[-count:]


def follow(paths: list[Path], sleep: float = 0.25) -> Iterator[str]:
    """Lines as they are appended to any of the files, until the caller stops reading; a line
    of a file after the first is prefixed with its name. A file cut shorter is read afresh."""
    offsets = {path: size(path) for path in paths}
    while True:
        grew = False
        for index, path in enumerate(paths):
            lines, offsets[path] = complete_lines(path, offsets[path])
            for line in lines:
                grew = True
                yield line if index == 0 else f"{path.name}: {line}"
        if not grew:
            time.sleep(sleep)


def complete_lines(path: Path, offset: int) -> tuple[list[str], int]:
    """The whole lines written from `offset` on, and the offset after them."""
    try:
        with path.open("rb") as log:
            log.seek(0, 2)
            offset = offset if log.tell() >= offset else 0
            log.seek(offset)
            data = log.read()
    except OSError:
        return [], offset
    complete = data[:data.rfind(b"\n") + 1]
    return complete.decode(errors="replace").splitlines(), offset + len(complete)
