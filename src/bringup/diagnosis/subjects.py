"""How a rule names its subject from a match, looking at nearby lines when the log spreads
one error over several (a traceback's frames, a HINT line, a node error header)."""

from __future__ import annotations

import re
from collections.abc import Callable

from .finding import UNKNOWN
from .place import Place

# None means "this rule does not apply after all": the next rule gets the line.
Subject = Callable[[re.Match[str], Place], str | None]
# Where to look when the line itself does not name the subject; run only for the finding
# that survives ranking, since reading around every line of a retry loop costs too much.
Nearby = Callable[[Place], str | None]

_NEAR = 30  # lines either side worth reading for a port before searching the whole log
_PORT = re.compile(
    r"\(\s*'[^']*',\s*(\d{1,5})\s*[,)]|\bport[\s:=]+\"?(\d{1,5})\b"
    r"|(?:localhost|\d{1,3}(?:\.\d{1,3}){3}|\]|::|\*):(\d{1,5})\b",
    re.IGNORECASE,
)
_TARGET = re.compile(
    r"host='([^']+)', port=(\d+)|\('([^']+)', (\d+)[,)]"
    r"|(localhost|\d{1,3}(?:\.\d{1,3}){3}):(\d{2,5})\b"
)
_HOST = re.compile(
    r"host=['\"]([^'\"]+)['\"]|host name \"([^\"]+)\"|Failed to resolve '([^']+)'"
    r"|connecting to ([A-Za-z][\w.-]*):\d|://(?:[^@/\s]*@)?([A-Za-z][\w-]*(?:\.[\w-]+)*)[:/]"
)
_ENVIRON = re.compile(r"environ|<frozen os>|[/\\]os\.py\"")
_SETTINGS = re.compile(r"validation errors? for \w*(?:Settings|Config|Env)", re.IGNORECASE)
_PY_SOURCE = re.compile(r'File "([^"]+)", line (\d+)')
_JS_SOURCE = re.compile(r"^(?:file://)?(\S+\.[cm]?[jt]sx?):(\d+)\s*$")
_ENGINE = re.compile(r"(?:required|wanted): \{\s*\"?(\w+)\"?\s*:", re.IGNORECASE)
_SPAWNED = re.compile(r"subprocess|_execute_child|os\.exec|Popen")
_LIBPQ_HOST = re.compile(r'host "([^"]+)".*?port (\d+)|socket "([^"]+)"', re.DOTALL)


def named(group: str = "subject") -> Subject:
    return lambda match, _place: match.group(group).strip()


def lowered(match: re.Match[str], _place: Place) -> str:
    """A package name as pip compares them: case does not matter."""
    return match.group("subject").lower()


def literal(value: str) -> Subject:
    return lambda _match, _place: value


unknown = literal(UNKNOWN)


def target(match: re.Match[str], _place: Place) -> str:
    """`host:port` from the `host` and `port` groups, IPv6 hosts in brackets."""
    return join_target(match.group("host"), match.group("port"))


def join_target(host: str, port: str) -> str:
    host = host.strip("[]")
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def path(match: re.Match[str], _place: Place) -> str | None:
    """The subject when it names a path (has a slash); a bare name is a command instead."""
    found = match.group("subject")
    return found if "/" in found or "\\" in found else None


def command(match: re.Match[str], _place: Place) -> str | None:
    found = match.group("subject").strip("'\u2018\u2019\"").rstrip("\r")
    return None if "/" in found or "\\" in found else found


def node_package(match: re.Match[str], _place: Place) -> str:
    """The package a module path belongs to: `lodash/fp` → lodash, `@scope/pkg/x` → @scope/pkg."""
    parts = match.group("subject").split("/")
    return "/".join(parts[:2]) if parts[0].startswith("@") else parts[0]


def first(match: re.Match[str], _place: Place) -> str:
    """The first group that matched, for patterns whose alternatives name it differently."""
    return _first_group(match) or UNKNOWN


def privileged(match: re.Match[str], _place: Place) -> str | None:
    return _below_1024(match.group("port"))


def first_privileged(match: re.Match[str], _place: Place) -> str | None:
    return _below_1024(_first_group(match) or "0")


def port(match: re.Match[str], _place: Place) -> str:
    return match.groupdict().get("port") or UNKNOWN


def bind_port(_match: re.Match[str], place: Place) -> str | None:
    """A bare `Permission denied` raised by a socket bind means a port below 1024."""
    if not any("bind" in text for text in place.before(12)):
        return None
    found = _nearby_port(place)
    return UNKNOWN if found is None else _below_1024(found)


def libpq_target(_match: re.Match[str], place: Place) -> str:
    """Older libpq names the host and port on the two lines after `Connection refused`."""
    found = _LIBPQ_HOST.search(" ".join(place.lines[place.index : place.index + 4]))
    if found is None:
        return UNKNOWN
    host, port, socket = found.groups()
    return socket or join_target(host, port)


def mysql_target(match: re.Match[str], _place: Place) -> str:
    return join_target(match.group("host"), match.group("port") or "3306")


def environ_key(match: re.Match[str], place: Place) -> str | None:
    """A KeyError is a missing variable only when os.environ raised it."""
    return match.group("subject") if place.find_back(_ENVIRON, 8) else None


def settings_field(_match: re.Match[str], place: Place) -> str | None:
    """pydantic prints the field name on the line above `Field required`; settings read it
    from the environment upper-cased."""
    field = place.lines[place.index - 1].strip() if place.index else ""
    if not field.isidentifier() or place.find_back(_SETTINGS, 60) is None:
        return None
    return field.upper()


def file_line(match: re.Match[str], _place: Place) -> str:
    """`file:line` from a shell's own message (`x.sh: line 5: ...`, dash's `x.sh: 5: ...`)."""
    return f"{match.group('file')}:{match.group('line')}"


def source_location(_match: re.Match[str], place: Place) -> str | None:
    """`file:line` from Python's `File "x.py", line 3` or node's `/app/server.js:12` header."""
    found = place.find_back(_PY_SOURCE, 6) or place.find_back(_JS_SOURCE, 8)
    return f"{found.group(1)}:{found.group(2)}" if found else None


def engine(_match: re.Match[str], place: Place) -> str:
    return _first_group(place.find_near(_ENGINE, 12)) or "node"


def spawned(match: re.Match[str], place: Place) -> str | None:
    """A file Python could not find is a missing command when subprocess was starting it."""
    found = command(match, place)
    return found if found and place.find_back(_SPAWNED, 10) else None


def exit_status(_match: re.Match[str], place: Place) -> str:
    return place.status()


def near_port(place: Place) -> str | None:
    """A port the log names near the line, else anywhere."""
    return _nearby_port(place)


def near_target(place: Place) -> str | None:
    found = place.find_near(_TARGET, 15)
    if found is None:
        return None
    values = [value for value in found.groups() if value]
    return join_target(values[0], values[1])


def near_host(place: Place) -> str | None:
    found = _first_group(place.find_near(_HOST, 20))
    return found if found != "localhost" else None


def _nearby_port(place: Place) -> str | None:
    return _first_group(place.find_near(_PORT, _NEAR) or place.find_anywhere(_PORT))


def _first_group(match: re.Match[str] | None) -> str | None:
    if match is None:
        return None
    return next((value for value in match.groups() if value), None)


def _below_1024(port: str) -> str | None:
    return port if 0 < int(port) < 1024 else None
