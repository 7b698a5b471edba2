"""Every file bringup writes whole is written to a temporary name, synced, then renamed: a
reader sees the old file or the new one, never half of either."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_text(target: Path, text: str, *, mode: int | None = None) -> None:
    write_bytes(target, text.encode("utf-8"), mode=mode)


def write_bytes(target: Path, data: bytes, *, mode: int | None = None) -> None:
    """Replace `target` whole (a new file gets `mode`, else its owner's read and write)."""
    temporary = _written(target, data, mode)
    try:
        temporary.replace(target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def create_bytes(target: Path, data: bytes, *, mode: int | None = None) -> None:
    """Create `target` whole, never over an existing file (FileExistsError then)."""
    temporary = _written(target, data, mode)
    try:
        os.link(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def _written(target: Path, data: bytes, mode: int | None) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}-", suffix=".tmp")
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if mode is not None:
            temporary.chmod(mode)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary
