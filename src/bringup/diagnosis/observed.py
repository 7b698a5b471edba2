"""Findings the caller observes rather than reads from a log alone: a process that exited 0
while its port came up, a name that reached the wrong loopback, a service listening on another
port than its recipe says, a wait for a dependency that never ends."""

from __future__ import annotations

from . import advice
from .finding import Finding
from .subjects import join_target


def daemonized(command: str, *, evidence: str | None = None) -> Finding:
    said = evidence or f"{command} exited with status 0 while its port came up"
    return Finding.build("daemonized", command, fix=advice.daemonized(command), evidence=said)


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
    return Finding.build("loopback-mismatch", target, fix=fix, evidence=said,
                         observed={"listens_on": listens_on})


def unresolved(host: str, *, evidence: str) -> Finding:
    """A check's own address names a host that does not resolve here."""
    return Finding.build("unresolvable-host", host, fix=advice.unresolvable(host),
                         evidence=evidence)


def wrong_port(listens: int, expected: int, *, evidence: str) -> Finding:
    """The service listens on `listens` while its recipe checks `expected`."""
    fix = (f"set the recipe's port to {listens}, where it listens; or make it listen on "
           f"{expected}: set the variable its code reads (PORT and the like) to {expected}")
    return Finding.build("wrong-port", str(listens), fix=fix, evidence=evidence,
                         observed={"expected": str(expected)})


def waiting(dependency: str, times: int, *, evidence: str) -> Finding:
    """The log waited on `dependency` `times` times and never said it got there; one the line
    names as a host comes `host:`-prefixed (only a host can be looked up as one)."""
    host = dependency.startswith("host:")
    dependency = dependency.removeprefix("host:")
    fix = (f"start {dependency} first (and add it to `after`), or point the service at where "
           f"{dependency} really runs; it waited {times} times and never connected")
    if dependency == "unknown":
        fix = ("start what the service connects to first (its log does not name it), or fix "
               f"the address it uses; it waited {times} times and never connected")
    return Finding.build("connection-refused", dependency, fix=fix, evidence=evidence,
                         observed={"waits": str(times), **({"host": "named"} if host else {})})
