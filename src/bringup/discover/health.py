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

from bringup.discover.candidate import read

HEALTH = r"(?:api/)?(?:health|healthz|healthcheck|ping|status|ready|readyz|livez)"
_ROUTE = re.compile(rf"""(?:route|get|path|re_path|add_url_rule|Get|HandleFunc|handle)\s*\(\s*
                         r?["'](/?{HEALTH}/?)["']""", re.VERBOSE)
_SOURCES = ("*.py", "*.js", "*.mjs", "*.cjs", "*.ts", "*.go", "*.rb")
_URL = re.compile(r"https?://[^\s'\"|;&]+")
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
    for source in _sources(folder):
        found = _ROUTE.search(read(source))
        if found:
            route = "/" + found.group(1).strip("/")
            return ({"http": f"http://127.0.0.1:{port}{route}"},
                    f"checks {route}, the health route of {source.name}")
    return None


def _sources(folder: Path) -> list[Path]:
    found: list[Path] = []
    for pattern in _SOURCES:
        found += [path for path in sorted(folder.glob(pattern))[:40]]
        found += [path for path in sorted(folder.glob(f"*/{pattern}"))[:40]
                  if "node_modules" not in path.parts and ".venv" not in path.parts]
    return found


def _from_test(test: Any, own_port: int | None, port: int | None,
               where: str) -> tuple[dict[str, Any], str] | None:
    words = _words(test)
    if not words:
        return None
    line = " ".join(words)
    url = _URL.search(line) if words[0].split("/")[-1] in ("curl", "wget") else None
    if url:
        return {"http": _here(url.group(0), own_port, port)}, f"from {where}: {line}"
    if _OWN_SCRIPT.match(line):
        return {"exec": line}, f"from {where}: {line}"
    return None


def _words(test: Any) -> list[str]:
    """compose's forms: ["CMD", ...], ["CMD-SHELL", "..."], ["NONE"], or a shell string."""
    if isinstance(test, str):
        return _split(test)
    if not isinstance(test, list) or not test or test[0] == "NONE":
        return []
    if test[0] == "CMD-SHELL":
        return _split(" ".join(map(str, test[1:])))
    return [str(word) for word in (test[1:] if test[0] == "CMD" else test)]


def _split(text: str) -> list[str]:
    text = re.split(r"\s*(?:\|\||&&|;)\s*", text)[0]  # `curl -f URL || exit 1`: the probe itself
    try:
        return shlex.split(text)
    except ValueError:
        return text.split()


def _here(url: str, own_port: int | None, port: int | None) -> str:
    """The URL as seen from this machine: its host is 127.0.0.1, and the port the service
    listens on inside its container is the one it listens on here."""
    parts = urlsplit(url)
    seen = parts.port or (443 if parts.scheme == "https" else 80)
    moved = port if port and (seen == own_port or own_port is None) else seen
    return urlunsplit((parts.scheme, f"127.0.0.1:{moved}", parts.path or "/", parts.query, ""))
