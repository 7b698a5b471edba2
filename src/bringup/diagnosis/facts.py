"""Findings the caller establishes from facts rather than from a log (a process that exited
0 while its port came up, a name that reached the wrong loopback), and the details it can add
to a finding from the live system."""

from __future__ import annotations

from dataclasses import replace

from .finding import Finding
from .subjects import join_target


def daemonized(command: str, *, evidence: str | None = None) -> Finding:
    fix = (
        f"make {command} stay in the foreground so bringup can supervise it "
        "(redis-server --daemonize no, postgres -D DIR instead of pg_ctl start, "
        "nginx -g 'daemon off;', no --daemon/-D/--detach flag)"
    )
    said = evidence or f"{command} exited with status 0 while its port came up"
    return Finding.build("daemonized", command, fix=fix, evidence=said)


def loopback_mismatch(target: str, *, listens_on: str, evidence: str | None = None) -> Finding:
    """`target` (say localhost:5050) was refused while the service listens on `listens_on`
    (say 127.0.0.1) only: localhost resolved to the other loopback."""
    host, _, port = target.rpartition(":")
    better = join_target(listens_on, port)
    fix = (
        f"use {better} instead of {target} in the recipe's checks and the URLs that reach it "
        f"({host} resolved to an address the service does not listen on), "
        "or make the service listen on both 127.0.0.1 and ::1"
    )
    said = evidence or f"{target} was refused; the service listens on {listens_on} only"
    return Finding.build("loopback-mismatch", target, fix=fix, evidence=said)


def owned_by(finding: Finding, recipe: str) -> Finding:
    """Name the recipe that serves a refused address in the fix."""
    if finding.kind != "connection-refused":
        return finding
    fix = f"start {recipe} first (it owns {finding.subject}), or add {recipe} to `after`"
    return replace(finding, fix=fix)


def held_by(finding: Finding, pid: int, name: str) -> Finding:
    """Name the process that holds a port in the evidence."""
    if finding.kind != "port-in-use":
        return finding
    return replace(finding, evidence=f"{finding.evidence} (held by pid {pid}, {name})")
