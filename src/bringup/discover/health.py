"""A functional check for a discovered service, where its project has one: compose's
`healthcheck.test`, a Dockerfile `HEALTHCHECK`, or a health route in its code. An HTTP probe
(curl, wget) becomes an `http` check on this machine's address; a script of the project's own
becomes an `exec` check; a command that only exists inside the image is said, not copied."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bringup.discover.candidate import read, source_files

HEALTH = r"(?:api/)?(?:health|healthz|healthcheck|ping|status|ready|readyz|livez)"
# A route declared to a web framework: a decorator or a router's method (Flask, FastAPI,
# Express, Koa, Sinatra), a Django url pattern, a Go handler. Comments are skipped.
_ROUTE = re.compile(rf"""(?:@\w+\.(?:route|get|api_route)|\b(?:app|router|server|api)\.
                         (?:get|route|all|add_url_rule)|\b(?:re_)?path|\bHandleFunc|\bhttp\.Handle
                         |^\s*get)\s*\(\s*r?["'](/?{HEALTH}/?)["']""", re.VERBOSE | re.MULTILINE)
_COMMENT = re.compile(r"^\s*(?:#|//).*$", re.MULTILINE)
_URL = re.compile(r"https?://[^\s'\"|;&]+")
_EXPECT = re.compile(r"\|\s*grep\s+-qF?\s+(?:--\s+)?('[^']*'|\"[^\"]*\"|\S+)\s*$")
_OWN_SCRIPT = re.compile(r"^(?:python3?|node|sh|bash|ruby|\./|bin/|scripts?/)")
NO_CHECK = ("only a TCP connect checks it: no health check was found (compose healthcheck, "
            "Dockerfile HEALTHCHECK or a health route in the code); add [verify] http = ... "
            "for a check that it really works")


def from_compose(spec: dict[str, Any], own_port: int | None,
                 port: int | None) -> tuple[dict[str, Any], str] | None:
    test = (spec.get("healthcheck") or {}).get("test") if isinstance(
        spec.get("healthcheck"), dict) else None
    return _from_test(test, own_port, port, "compose's healthcheck")


def from_dockerfile(text: str, own_port: int | None,
                    port: int | None) -> tuple[dict[str, Any], str] | None:
    joined = re.sub(r"\\\n\s*", " ", text)
    found = re.findall(r"(?im)^\s*HEALTHCHECK\s+(?:--\S+\s+)*CMD\s+(.+?)\s*$", joined)
    if not found:
        return None
    try:
        test: Any = json.loads(found[-1])
    except json.JSONDecodeError:
        test = found[-1]
    return _from_test(test, own_port, port, "the Dockerfile's HEALTHCHECK")


def from_code(folder: Path, port: int | None) -> tuple[dict[str, Any], str] | None:
    """A health route its code declares (Flask, FastAPI, Django, Express, Go, Sinatra)."""
    if port is None:
        return None
    for source in source_files(folder):
        found = _ROUTE.search(_COMMENT.sub("", read(source)))
        if found:
            route = "/" + found.group(1).strip("/")
            return ({"http": f"http://127.0.0.1:{port}{route}"},
                    f"checks {route}, the health route of {source.name}")
    return None


def _from_test(test: Any, own_port: int | None, port: int | None,
               where: str) -> tuple[dict[str, Any], str] | None:
    command = _command(test)
    if not command:
        return None
    said = command if isinstance(command, str) else shlex.join(command)
    url = _URL.search(said)
    probe = _words(command)
    if url and re.search(r"\b(?:curl|wget)\b", said):
        here = _here(url.group(0), own_port, port)
        expect = _EXPECT.search(said)  # `| grep -qF -- ok`: the body must hold it
        check = {"http": here, **({"http_expect": _words(expect.group(1))[0]} if expect else {})}
        return (check, f"from {where}: {said}") if here else None
    if probe and _OWN_SCRIPT.match(probe[0]):
        return {"exec": list(command) if isinstance(command, tuple) else command}, (
            f"from {where}: {said}")
    return None


def _command(test: Any) -> str | tuple[str, ...]:
    """compose's forms: ["CMD", ...] (an argv), ["CMD-SHELL", "..."] or a string (a shell
    line), ["NONE"] (none)."""
    if isinstance(test, str):
        return test.strip()
    if not isinstance(test, list) or not test or test[0] == "NONE":
        return ""
    if test[0] == "CMD-SHELL":
        return " ".join(map(str, test[1:])).strip()
    return tuple(str(word) for word in (test[1:] if test[0] == "CMD" else test))


def _words(command: str | tuple[str, ...]) -> list[str]:
    if isinstance(command, tuple):
        return list(command)
    try:
        return shlex.split(command)
    except ValueError:
        return command.split()


def _here(url: str, own_port: int | None, port: int | None) -> str | None:
    """The URL as seen from this machine: its host is 127.0.0.1, and the port the service
    listens on inside its container is the one it listens on here. None: it is not one
    bringup can read (a port compose would interpolate, `${PORT:-8000}`)."""
    parts = urlsplit(url)
    try:
        seen = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return None
    moved = port if port and (seen == own_port or own_port is None) else seen
    return urlunsplit((parts.scheme, f"127.0.0.1:{moved}", parts.path or "/", parts.query, ""))
