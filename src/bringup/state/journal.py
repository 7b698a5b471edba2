"""`state/journal.jsonl`: one JSON object a line for every check, fix, start, stop and verdict,
with its UTC time. Lines are only ever appended."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def append(file: Path, event: str, service: str | None = None, /, **details: Any) -> None:
    """Append one event; environment values must never be passed in here."""
    file.parent.mkdir(parents=True, exist_ok=True)
    line = {"ts": now_iso(), "event": event, **({"service": service} if service else {}),
            **details}
    with file.open("a", encoding="utf-8") as out:
        out.write(json.dumps(line, sort_keys=False, default=str) + "\n")


def read(file: Path) -> list[dict[str, Any]]:
    """Every event so far, oldest first; a line that is not JSON (a torn write) is skipped."""
    events = []
    for line in file.read_text(encoding="utf-8").splitlines() if file.is_file() else ():
        try:
            events.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return events
