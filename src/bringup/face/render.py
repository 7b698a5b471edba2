"""Every command's result rendered for people: the report's rows and summary (laid out by
bringup.face.grid), as markdown or JSON; findings; what `next`, `up` and `down` achieved."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from bringup.checks import CHECKS
from bringup.state.model import Change

if TYPE_CHECKING:
    from bringup.commands.next import NextResult
    from bringup.commands.up import UpResult
    from bringup.diagnosis import Finding

STYLES = {"proven": "green", "regressed": "red", "failed": "red", "in-progress": "yellow",
          "blocked": "dim", "pending": "cyan", "skipped": "dim", "stopped": "blue"}
HEADERS = ("service", "status", "stage", "port", "pid", "uptime", "proven", "evidence")
# Evidence shows the checks a recipe asks for; the process check is in every row's pid.
ASKED = frozenset(name for name, kind in CHECKS.items() if kind.KEYS)


def as_json(data: Any) -> str:
    return json.dumps(data, indent=2)


def summary(report: dict[str, Any]) -> str:
    counts = report["summary"]
    upcoming = counts["next"] or "nothing left"
    changed = [f"\nchanged on this machine (`bringup reset --all` undoes): {Change(**c).describe()}"
               for c in report.get("machine_changes", [])]
    watch = report.get("watch") or {}
    watching = (f"watch: running (pid {watch['pid']})" if watch.get("running") else
                "watch: not running (`bringup watch --detach` keeps them supervised)")
    share = f" ({counts['coherence']:.0%})" if counts["total"] else ""
    return (f"{counts['proven']} of {counts['total']} proven{share} · "
            f"{counts['regressed']} regressed"
            f" · next: {upcoming} · {watching}" + "".join(changed))


def rows(report: dict[str, Any]) -> list[tuple[str, ...]]:
    return [(s["name"], s["status"], s["stage"], str(s["port"] or ""), pid(s),
             uptime(s["started_at"]), local(s["proven_at"]), evidence(s))
            for s in report["services"]]


def pid(service: dict[str, Any]) -> str:
    """Its process, or that it has none of bringup's."""
    return "external" if service.get("external") else str(service["pid"] or "")


def local(moment: str | None) -> str:
    """A stored time (UTC) as the local month, day, hour and minute."""
    if not moment:
        return ""
    stored = datetime.fromisoformat(moment[:19]).replace(tzinfo=UTC)
    return f"{stored.astimezone():%m-%d %H:%M}"


def evidence(service: dict[str, Any]) -> str:
    """Proven: what the live checks saw. Failed: the top cause and the line it was read from.
    Otherwise: why it waits, and any check that already answers (worth knowing)."""
    checks = [c for c in service["checks"] if c["kind"] in ASKED]
    if service["status"] == "proven":
        return "; ".join(f"✓ {c['kind']} {c['detail']} ({c['ms']} ms)" for c in checks)
    if service.get("findings"):
        top = service["findings"][0]
        return f"{top['kind']} {top['subject']} — {top['evidence']}"
    answering = [f"{c['kind']} {c['target']} already answers" for c in checks if c["ok"]]
    return "; ".join([service.get("reason") or "", *answering]).strip("; ")


def markdown(report: dict[str, Any], invalid: dict[str, str] | None = None) -> str:
    zone = f"{datetime.now().astimezone():%Z}"
    lines = [f"# bringup report: {report['workspace']}", "", summary(report), "",
             f"Times are local ({zone}).", "",
             "| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |"
              for row in [*rows(report), *(_invalid_row(name, error)
                                           for name, error in (invalid or {}).items())]]
    return "\n".join(lines) + "\n"


def _invalid_row(name: str, error: str) -> tuple[str, ...]:
    return (name, "invalid", "", "", "", "", "", error)


def uptime(started_at: str | None) -> str:
    if not started_at:
        return ""
    started = datetime.fromisoformat(started_at[:19]).replace(tzinfo=UTC)
    seconds = max(int((datetime.now(UTC) - started).total_seconds()), 0)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {minutes:02d}m"
    return f"{minutes}m {seconds:02d}s" if minutes else f"{seconds}s"


def findings(found: list[Finding]) -> str:
    if not found:
        return "no findings: nothing in the log points at a cause"
    blocks = [f"{index}. {f.kind} {f.subject} (back to stage {f.stage})\n"
              f"   fix:      {f.fix}\n   evidence: {f.evidence}"
              for index, f in enumerate(found, 1)]
    return "\n".join(blocks)


def next_done(result: NextResult) -> str:
    proven = ", ".join(result.proven) or "none yet"
    upcoming = f"{result.upcoming} (run `bringup next`)" if result.upcoming else "nothing left"
    if result.parked:
        upcoming += f"; parked: {', '.join(result.parked)}"
    return f"proven: {proven}\nnext: {upcoming}"


def up_problems(result: UpResult) -> list[str]:
    return [f"{name}: {reason}" for name, reason in {**result.failed, **result.left}.items()]
