"""The report rendered for people: a rich table with a one-line summary, or markdown."""

from __future__ import annotations

import json
from typing import Any

from bringup.report import uptime

STYLES = {"proven": "green", "regressed": "red", "failed": "red", "in-progress": "yellow",
          "blocked": "dim", "pending": "cyan", "skipped": "dim"}
HEADERS = ("service", "status", "stage", "port", "pid", "uptime", "proven", "evidence")


def as_json(report: dict[str, Any]) -> str:
    return json.dumps(report, indent=2)


def summary(report: dict[str, Any]) -> str:
    counts = report["summary"]
    upcoming = counts["next"] or "nothing left"
    return (f"{counts['proven']} of {counts['total']} proven · {counts['regressed']} regressed"
            f" · next: {upcoming}")


def rows(report: dict[str, Any]) -> list[tuple[str, ...]]:
    return [(s["name"], s["status"], s["stage"], str(s["port"] or ""), str(s["pid"] or ""),
             uptime(s["started_at"]), (s["proven_at"] or "")[5:16].replace("T", " "),
             evidence(s)) for s in report["services"]]


def evidence(service: dict[str, Any]) -> str:
    """Proven: what the live checks saw. Failed: the top cause and the line it was read from.
    Otherwise: why it waits, and any check that already answers (worth knowing)."""
    checks = [c for c in service["checks"] if c["kind"] != "process"]
    if service["status"] == "proven":
        return "; ".join(f"✓ {c['kind']} {c['detail']} ({c['ms']} ms)" for c in checks)
    if service.get("findings"):
        top = service["findings"][0]
        return f"{top['kind']} {top['subject']} — {top['evidence']}"
    answering = [f"{c['kind']} {c['target']} already answers" for c in checks if c["ok"]]
    return "; ".join([service.get("reason") or "", *answering]).strip("; ")


def table(report: dict[str, Any]) -> Any:
    from rich.table import Table

    grid = Table(title=f"bringup · {report['workspace']}", caption=summary(report),
                 title_justify="left", caption_justify="left")
    for header in HEADERS:
        wide = header == "evidence"
        grid.add_column(header, overflow="fold", no_wrap=not wide, ratio=1 if wide else None,
                        min_width=24 if wide else None)
    for row in rows(report):
        style = STYLES.get(row[1], "")
        grid.add_row(row[0], f"[{style}]{row[1]}[/]" if style else row[1],
                     *(_escape(cell) for cell in row[2:]))
    return grid


def markdown(report: dict[str, Any]) -> str:
    lines = [f"# bringup report: {report['workspace']}", "", summary(report), "",
             "| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |"
              for row in rows(report)]
    return "\n".join(lines) + "\n"


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)
