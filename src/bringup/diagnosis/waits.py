"""Lines of a service waiting on something else: "Waiting for db...", "retrying in 5s",
"connection lost, reconnecting", and the lines that say it got there ("Connected to redis").
Repeated waits with no arrival name the dependency a service cannot reach."""

from __future__ import annotations

import re

from .prefilter import needle_pattern

_WAITING = re.compile(
    r"\bwaiting (?:for|on) (?:the |a )?(?P<dep>[A-Za-z][\w.:-]*)"
    r"|(?P<down>[A-Za-z][\w.-]*) (?:is |are )?(?:still )?(?:unavailable|not (?:yet )?(?:ready|"
    r"available|up|reachable))"
    r"|\bretrying in\b|\bretry(?:ing)? (?:in|after) \d|\btrying again in\b|\bwill retry\b"
    r"|\breconnecting\b|\bconnection lost\b|\bcould not connect\b.*\bretry",
    re.IGNORECASE)
# "Waiting for connections" is a server ready for its clients, and "Waiting for application
# startup" (uvicorn) a server on its own way up: neither waits on another service.
_NOT_A_DEPENDENCY = frozenset({
    "connections", "connection", "requests", "request", "changes", "file", "files", "input",
    "jobs", "job", "tasks", "task", "messages", "work", "events", "signal", "signals", "it",
    "them", "you", "user", "clients", "client", "workers", "worker", "the", "application",
    "app", "startup", "shutdown", "debugger", "service", "server", "process", "processes",
    "children", "child", "reload", "reloader", "lock", "build", "compilation"})
_HOST = re.compile(r"://(?:[^@/\s]*@)?(?P<url>[A-Za-z][\w.-]*)[:/]|\b(?P<pair>[A-Za-z][\w.-]*):\d{2,5}\b")
_ARRIVED = re.compile(
    r"(?<!not )(?<!dis)\b(?:re)?connected\b|\bconnection (?:established|restored|successful|"
    r"succeeded|ok)\b|\b(?:is|are) (?:now )?(?:up|available|ready)\b(?! yet)",
    re.IGNORECASE)


# Literals one of which each pattern needs, tested first on the lower-cased line: most lines
# of a busy log hold none, and a literal search is far cheaper than the patterns.
_WAIT_NEEDLES = needle_pattern(("waiting", "unavailable", "not ", "retry", "trying again",
                                "will retry", "reconnect", "connection lost"))
_ARRIVAL_NEEDLES = needle_pattern(("connected", "connection ", " up", "available", "ready"))


def waits_for(line: str) -> str | None:
    """The dependency a line waits on ("unknown" when it does not say); None: not a wait. A
    name the line gives as a host (in a URL, before a port) is `host:`-prefixed."""
    if not _WAIT_NEEDLES.search(line.lower()):
        return None
    found = _WAITING.search(line)
    if found is None:
        return None
    named = (found.group("dep") or found.group("down") or "").rstrip(".:").lower()
    if named in _NOT_A_DEPENDENCY:
        return None
    host = _HOST.search(line)
    if host:
        return "host:" + (host.group("url") or host.group("pair"))
    return named or "unknown"


def arrived(line: str) -> bool:
    """Does the line say a connection was made (the wait is over)?"""
    if not _ARRIVAL_NEEDLES.search(line.lower()):
        return False
    return bool(_ARRIVED.search(line)) and waits_for(line) is None
