"""A runtime's version as a log shows it, against the release that added what the code uses:
Node's, Python's and Go's tables of additions all ask the same question."""

from __future__ import annotations

import re

Version = tuple[int, int]


def too_old(runtime: str, needs: Version, shown: re.Match[str] | None) -> str | None:
    """`runtime`, the subject of a runtime-version finding, unless the version `shown` (its
    groups, the ones matched, read as numbers) already has what `needs` names: then the code
    is wrong, not the runtime. With no version shown, the error itself is the evidence."""
    if shown is None:
        return runtime
    running = tuple(int(value) for value in shown.groups() if value)
    return runtime if running < needs else None
