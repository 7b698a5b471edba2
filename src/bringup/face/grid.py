"""The report as a table that fits the terminal: every column as wide as its widest cell, the
evidence wrapped in the room that is left; when that is too narrow, the columns that matter
least are given up in turn, and then the evidence goes under its row. A pid or a port is never
cut. Times are local; the title says
the zone."""

from __future__ import annotations

import textwrap
from datetime import datetime
from typing import Any

import click

from bringup.face.render import HEADERS, STYLES, rows, summary

GIVEN_UP = ("proven", "uptime", "stage")  # in this order, when the evidence has no room
EVIDENCE_ROOM = 20  # the narrowest the evidence is wrapped in before a column is given up
GAP = "  "
BELOW = "    "  # the indent of evidence put under its row
COLOURS: dict[str, dict[str, Any]] = {"green": {"fg": "green"}, "red": {"fg": "red"},
                                      "yellow": {"fg": "yellow"}, "cyan": {"fg": "cyan"},
                                      "blue": {"fg": "blue"}, "dim": {"dim": True}}


def table(report: dict[str, Any], width: int,
          invalid: dict[str, str] | None = None) -> list[str]:
    """The lines of the report at `width` columns; `invalid`: a row for each recipe that could
    not be read, with its error as the evidence."""
    cells = [dict(zip(HEADERS, row, strict=True)) for row in rows(report)]
    cells += [{"service": name, "status": "invalid", "evidence": error}
              for name, error in (invalid or {}).items()]
    shown = list(HEADERS)
    sizes = {header: max([len(header), *(len(row.get(header, "")) for row in cells)])
             for header in HEADERS}
    for header in GIVEN_UP:
        if _room(shown, sizes, width) >= EVIDENCE_ROOM:
            break
        shown.remove(header)
    fixed = [header for header in shown if header != "evidence"]
    room = _room(shown, sizes, width)
    indent = sum(sizes[header] + len(GAP) for header in fixed)
    if room < EVIDENCE_ROOM:  # no room beside the row: the evidence goes under it
        indent, room = len(BELOW), max(width - len(BELOW), EVIDENCE_ROOM)
    now = datetime.now().astimezone()
    lines = [click.style(_cut(f"bringup · {report['workspace']} · "
                              f"{now:%Y-%m-%d %H:%M %Z}", width), bold=True),
             GAP.join([*(header.ljust(sizes[header]) for header in fixed),
                       "evidence" if indent != len(BELOW) else ""]).rstrip()]
    for row in cells:
        start = GAP.join(_cell(header, row.get(header, ""), sizes[header]) for header in fixed)
        wrapped = textwrap.wrap(row.get("evidence", ""), room, break_on_hyphens=False) or [""]
        if indent == len(BELOW):
            lines.append(start.rstrip())
            lines += [BELOW + more for more in wrapped if more]
            continue
        lines.append(f"{start}{GAP}{wrapped[0]}".rstrip())
        lines += [" " * indent + more for more in wrapped[1:]]
    lines += textwrap.wrap(summary(report), width, break_on_hyphens=False,
                           replace_whitespace=False, drop_whitespace=True) or [""]
    return lines


def _room(shown: list[str], sizes: dict[str, int], width: int) -> int:
    return width - sum(sizes[header] + len(GAP) for header in shown if header != "evidence")


def _cell(header: str, text: str, size: int) -> str:
    padded = text.ljust(size)
    if header == "status":
        style = STYLES.get(text) or ("red" if text == "invalid" else "")
        return click.style(padded, **COLOURS[style]) if style else padded
    return padded


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else "…" + text[-(width - 1):]
