"""A service's own log, `state/logs/NAME.log`: its output and errors, with a marker line at each
start, so that checks and diagnosis read only what the latest start wrote. A log that grows past
its cap is rotated: copied to `NAME.log.1` (one old file is kept) and emptied, while the service
keeps writing to it (its output was opened for appending, so nothing has to be restarted)."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

TAIL_BYTES = 256 * 1024
CAP = 10 * 1024 * 1024  # the size at which a log is rotated; BRINGUP_LOG_MAX overrides it
MARKER = "=== bringup start "
_MARKED = re.compile(rf"^{MARKER}(\S+)")
_MARKER_LINE = 64 * 1024  # the longest marker line looked for (it carries the command)
_SIZES = re.compile(r"(\d+)\s*([kmg]?)i?b?", re.IGNORECASE)


def mark_start(path: Path, marker: str) -> int:
    """Write the marker of a new start; the offset returned is where this start's output begins."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("ab") as log:
        one_line = marker.replace("\n", "\\n")  # a command may hold a newline
        log.write(f"{MARKER}{one_line} ===\n".encode())
    return path.stat().st_size


def earlier(path: Path) -> Path:
    """Where the log's rotated part is kept."""
    return path.with_name(path.name + ".1")


def cap() -> int:
    """The size a service log may reach: BRINGUP_LOG_MAX (bytes, or with k, M or G), else 10 MiB."""
    given = os.environ.get("BRINGUP_LOG_MAX", "").strip()
    matched = _SIZES.fullmatch(given)
    if not matched:
        return CAP
    return int(matched[1]) * 1024 ** " kmg".index(matched[2].lower() or " ") or CAP


def rotate(path: Path, limit: int) -> bool:
    """Copy a log grown past `limit` to NAME.log.1 (the old one replaced) and empty it. What
    the service writes during the copy is added after it, and the cut follows at once: only a
    line written in the few microseconds between those two is lost, as with logrotate's
    copytruncate (the service holds the file open: nothing outside it can do better)."""
    if size(path) <= limit:
        return False
    kept, copying = earlier(path), path.with_name(path.name + ".1.part")
    try:
        with path.open("rb") as log:
            with copying.open("wb") as copy:
                _copy_rest(log, copy)
            copying.replace(kept)  # before the cut: a reader that sees it finds the rest there
            with kept.open("r+b") as copy:  # not "ab": sendfile takes no O_APPEND file
                copy.seek(0, os.SEEK_END)
                _copy_rest(log, copy)
                os.truncate(path, 0)
    except OSError:
        copying.unlink(missing_ok=True)
        return False
    return True


def _copy_rest(source: BinaryIO, target: BinaryIO) -> None:
    while os.sendfile(target.fileno(), source.fileno(), None, 1 << 20):
        pass


def read_since(path: Path, offset: int) -> str:
    """What was written from `offset` on; all of it when the file has since been cut shorter."""
    try:
        with path.open("rb") as log:
            log.seek(0, 2)
            log.seek(offset if log.tell() >= offset else 0)
            return log.read().decode(errors="replace")
    except (FileNotFoundError, IsADirectoryError, PermissionError):
        return ""


def read_start(path: Path, offset: int) -> str:
    """What the start whose marker ends at `offset` wrote to the service log. When the log has
    been rotated since, that is its part of NAME.log.1 and all of NAME.log."""
    if _marked_at(path, offset):
        return read_since(path, offset)
    kept = earlier(path)
    return (read_since(kept, offset) if _marked_at(kept, offset) else "") + read_since(path, 0)


def _marked_at(path: Path, offset: int) -> bool:
    """Does a start's marker line end at `offset` of the file?"""
    try:
        with path.open("rb") as log:
            log.seek(0, 2)
            if offset <= 0 or log.tell() < offset:
                return False
            log.seek(max(offset - _MARKER_LINE, 0))
            before = log.read(offset - log.tell())
    except OSError:
        return False
    line = before[before.rfind(b"\n", 0, len(before) - 1) + 1:]
    return line.startswith(MARKER.encode()) and line.endswith(b" ===\n")


def size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def read_sources(sources: list[tuple[Path, int]], *, marked: bool = True) -> str:
    """The output of one start across its logs: the service log first (`marked`: bringup's,
    this start's part of it after its marker; else from its offset), each file it writes its
    log to after a line that names it."""
    parts = [(read_start(path, offset) if marked else read_since(path, offset)) if index == 0
             else _headed(path, read_since(path, offset))
             for index, (path, offset) in enumerate(sources)]
    return "".join(parts)


def _headed(path: Path, text: str) -> str:
    if not text:
        return ""
    return f"=== {path.name} ===\n{text}" + ("" if text.endswith("\n") else "\n")


def tail(path: Path, count: int) -> list[str]:
    """The last `count` lines (of the last 256 kB: enough for any screen)."""
    return [line.text for line in history(path, count)]


def last_line(path: Path) -> str:
    """The latest non-empty line of the log (of its last 4 kB), for a live progress line."""
    try:
        with path.open("rb") as log:
            log.seek(0, 2)
            log.seek(max(log.tell() - 4096, 0))
            lines = log.read().decode(errors="replace").splitlines()
    except OSError:
        return ""
    return next((line for line in reversed(lines) if line.strip()), "")


@dataclass(frozen=True)
class Written:
    """A line of a log, with what is known of when it was written: by the start that wrote it
    (its marker's time), and no later than the next start or the file's last change."""

    text: str
    start: float | None  # seconds since the epoch; None before the first marker read
    until: float


def history(path: Path, count: int, before: Followed | None = None) -> list[Written]:
    """The last `count` lines of the service log (reaching into NAME.log.1 when the log was
    rotated since), each with its start's time; with `before`, those before where that follow
    of it begins, so no line is lost or shown twice in between."""
    if before is not None and before.moved():  # rotated since the follow began: all it had is
        text = _end(earlier(path), before.position)  # in NAME.log.1, what follows it followed
    else:
        text = _end(path, before.position if before is not None else None)
        if text.count("\n") < count + 1:
            text = _end(earlier(path)) + text
    lines = text.splitlines()
    changed = _mtime(path)
    starts = [_marker_time(line) for line in lines]
    written: list[Written] = []
    until, start = changed, None
    ends: list[float] = []
    for at in reversed(starts):  # each line's `until`: the next marker after it, else the mtime
        ends.append(until)
        if at is not None:
            until = at
    ends.reverse()
    for line, at, end in zip(lines, starts, ends, strict=True):
        start = at if at is not None else start
        written.append(Written(line, start, end))
    return written[-count:]


def _end(path: Path, upto: int | None = None) -> str:
    try:
        with path.open("rb") as log:
            end = log.seek(0, 2) if upto is None else upto
            start = log.seek(max(end - TAIL_BYTES, 0))
            return log.read(max(end - start, 0)).decode(errors="replace")
    except (FileNotFoundError, IsADirectoryError):
        return ""


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return time.time()


def _marker_time(line: str) -> float | None:
    matched = _MARKED.match(line)
    if matched is None:
        return None
    try:
        return datetime.fromisoformat(matched[1]).timestamp()
    except ValueError:
        return None


class Followed:
    """One file read as it grows: from where it ends now (or from its beginning, for a file
    that appears later), on across a truncation and a rotation. A log rotated by bringup is
    cut shorter in place: what was not read yet is in NAME.log.1. One rotated by renaming it
    (logrotate's default) is finished, then the new file is read from its beginning."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: BinaryIO | None = None
        self._inode = 0
        self._position = 0
        self._partial = b""
        self._open(at_end=True)

    @property
    def position(self) -> int:
        """The offset the next read starts at: what is before it counts as read."""
        return self._position

    def moved(self) -> bool:
        """Has the file been rotated since it was opened: cut shorter, or renamed away?"""
        try:
            now = self.path.stat()
        except OSError:
            return self._file is not None
        return self._file is not None and (now.st_ino != self._inode
                                           or now.st_size < self._position)

    def _open(self, *, at_end: bool) -> None:
        try:
            file = self.path.open("rb")
        except OSError:
            return
        self._file, self._inode = file, os.fstat(file.fileno()).st_ino
        self._position = file.seek(0, 2) if at_end else 0

    def lines(self) -> list[str]:
        """The whole lines written since the last call."""
        if self._file is None:
            self._open(at_end=False)
            if self._file is None:
                return []
        data = self._read()
        try:
            now = self.path.stat()
        except OSError:
            return self._split(data)
        if now.st_ino != self._inode:  # renamed away: its rest is read, then the new file
            self._close()
            self._open(at_end=False)
            data += self._read()
        elif now.st_size < self._position:  # cut shorter: the rest is in NAME.log.1
            data += _read_range(earlier(self.path), self._position)
            self._position = 0
            data += self._read()
        return self._split(data)

    def _read(self) -> bytes:
        if self._file is None:
            return b""
        self._file.seek(self._position)
        data = self._file.read()
        self._position += len(data)
        return data

    def _split(self, data: bytes) -> list[str]:
        data = self._partial + data
        cut = data.rfind(b"\n") + 1
        self._partial = data[cut:]
        return data[:cut].decode(errors="replace").splitlines()

    def _close(self) -> None:
        if self._file is not None:
            self._file.close()
        self._file = None

    def close(self) -> None:
        self._close()


def _read_range(path: Path, offset: int) -> bytes:
    try:
        with path.open("rb") as log:
            log.seek(offset)
            return log.read()
    except OSError:
        return b""


def follow(followed: list[Followed], sleep: float = 0.25) -> Iterator[tuple[Path, str]]:
    """Each line appended to any of the files, with its file, until the caller stops reading
    (then each is closed)."""
    try:
        while True:
            grew = False
            for one in followed:
                for line in one.lines():
                    grew = True
                    yield one.path, line
            if not grew:
                time.sleep(sleep)
    finally:
        for one in followed:
            one.close()


def complete_lines(path: Path, offset: int) -> tuple[list[str], int]:
    """The whole lines written from `offset` on, and the offset after them. A start's wait asks
    every few milliseconds: when the size says nothing was written, the file is not opened."""
    try:
        size = path.stat().st_size
        if size == offset:
            return [], offset
        with path.open("rb", buffering=0) as log:  # one read of the rest: no buffer wanted
            offset = offset if size >= offset else 0  # emptied (rotated) since: from its start
            log.seek(offset)
            data = log.read()
    except OSError:
        return [], offset
    complete = data[:data.rfind(b"\n") + 1]
    return complete.decode(errors="replace").splitlines(), offset + len(complete)
