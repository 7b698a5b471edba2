"""How a rule names its subject from a match, looking at nearby lines when the log spreads
one error over several (a traceback's frames, a HINT line, a node error header)."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import replace
from itertools import pairwise
from urllib.parse import unquote

from .fallback import ended
from .finding import UNKNOWN
from .place import Place

# None means "this rule does not apply after all": the next rule gets the line.
Subject = Callable[[re.Match[str], Place], str | None]
# Where to look when the line itself does not name the subject; run only for the finding
# that survives ranking, since reading around every line of a retry loop costs too much.
Nearby = Callable[[Place], str | None]

_NEAR = 30  # lines either side worth reading for a port before searching the whole log
_PORT = re.compile(
    # `port 8080`, not the first number of an address after it (`port 0.0.0.0/0.0.0.0:2181`)
    r"\(\s*'[^']*',\s*(\d{1,5})\s*[,)]|\bport[\s:=]+[\[\"]?(\d{1,5})\b(?!\.\d)"
    r"|(?:localhost|\d{1,3}(?:\.\d{1,3}){3}|\]|::|\*):(\d{1,5})\b"
    # Tomcat's connector names, `PROTOCOL-[ADDRESS-]PORT`: Connector["http-nio-8080"],
    # ProtocolHandler ["ajp-nio-127.0.0.1-8009"], Tomcat 8's Connector[HTTP/1.1-8080]
    r"|\[\"?(?:https?|ajp|http/1\.1|ajp/1\.3)-(?:[\w.:-]*-)?(\d{1,5})\"?\]",
    re.IGNORECASE,
)
_TARGET = re.compile(
    r"host='([^']+)', port=(\d+)|\('([^']+)', (\d+)[,)]"
    r"|(localhost|(?!0\.0\.0\.0)\d{1,3}(?:\.\d{1,3}){3}):(\d{2,5})\b"
    r"|://(?:[^@/\s]*@)?((?!0\.0\.0\.0)[A-Za-z0-9][\w.-]*|\[[0-9A-Fa-f:]+\]):(\d{2,5})\b"
    # kazoo's `HOST(IP):PORT`, the name as it was given; monit's `[HOST]:PORT`
    r"|\b([A-Za-z0-9][\w.-]*)\((?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f:]+)\):(\d{2,5})\b"
    r"|\[((?!0\.0\.0\.0\])[A-Za-z0-9][\w.-]*|[0-9A-Fa-f]*:[0-9A-Fa-f:]+)\]:(\d{2,5})\b"
)
_HOST = re.compile(
    r"host=['\"]([^'\"]+)['\"]|host name \"([^\"]+)\"|Failed to resolve '([^':]+)"
    # a client's own `connecting to [MQTT broker] HOST:PORT`
    r"|(?i:connecting) to (?:[A-Za-z]+ ){0,2}([A-Za-z][\w.-]*):\d"
    r"|://(?:[^@/\s]*@)?([A-Za-z][\w-]*(?:\.[\w-]+)*)[:/]"
    r"|\b(?:to|at|host) ([A-Za-z][\w-]*(?:\.[\w-]+)*):\d{2,5}\b"
)
_ENVIRON = re.compile(r"environ|<frozen os>|[/\\]os\.py\"")
_SETTINGS = re.compile(r"validation errors? for \w*(?:Settings|Config|Env)", re.IGNORECASE)
_FIELD_REQUIRED = re.compile(r"\s*(?i:field required)\b")
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


def srv_host(match: re.Match[str], _place: Place) -> str | None:
    """The host an SRV or TXT lookup was for: `_mongodb._tcp.cluster0.example.net` is
    cluster0.example.net's record (the `_service._proto.` labels are no host of their own)."""
    host = _SRV_LABELS.sub("", match.group("subject"))
    return host or None


_SRV_LABELS = re.compile(r"^(?:_[\w-]+\.)+")


def created_in(match: re.Match[str], _place: Place) -> str:
    """The folder of a file the program creates when it is missing (a log file, a unix
    socket): when opening or binding it finds nothing, it is the folder that is missing."""
    found = match.group("subject")
    folder = found.rpartition("/")[0]
    return folder if folder and found.endswith((".log", ".sock")) else found


def ruby_missing(match: re.Match[str], place: Place) -> str | None:
    """A file Ruby did not find, unless creating it was then refused (Logger opens its file,
    rescues the ENOENT and creates it): the refusal is the cause."""
    found = match.group("subject")
    denied = re.compile(rf"Permission denied @ \w+ - {re.escape(found)} \(Errno::EACCES\)")
    return None if place.find_anywhere(denied, "Errno::EACCES") else found


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
    return below_1024_nearby(_match, place)


def shell_file_line(match: re.Match[str], _place: Place) -> str:
    """`file:line` from dash's and bash's `x.sh: 3: set: ...` or busybox's `x.sh: set: line 3:`."""
    found = match.groupdict()
    return f"{found['file'] or found['bfile']}:{found['line'] or found['bline']}"


def ipv6_loopback_refused(match: re.Match[str], place: Place) -> str | None:
    """`[::1]:port` refused: localhost reached the IPv6 loopback. Not when the IPv4 one refused
    the same port too (a client that tried both: nothing listens on either)."""
    port = _first_group(match)
    if port is None:
        return None
    # One pattern per port, searched once per log (a retry loop asks again and again).
    ipv4 = re.compile(rf"127\.0\.0\.1(?::|', | port ){port}\b.*(?i:refused|couldn't connect)"
                      rf"|(?i:refused)\S* \S*127\.0\.0\.1:{port}\b")
    return None if place.find_anywhere(ipv4, "127.0.0.1") else f"[::1]:{port}"


def ipv4_loopback_refused(match: re.Match[str], place: Place) -> str | None:
    """`127.0.0.1:port` refused while the log says the service listens on ::1 at that port
    (`listening on [::1]:3000`, `serving on ::1 port 80`)."""
    port = _first_group(match)
    listens = re.compile(rf"(?i:listen\w*|serv\w*|running|started|bound|ready)\b.*?"
                         rf"(?:\[::1\]|(?<![\w:])::1)(?:\]?:| port ){port}\b")
    return f"127.0.0.1:{port}" if port and place.find_anywhere(listens, "::1") else None


def libpq_target(_match: re.Match[str], place: Place) -> str:
    """Older libpq names the host and port on the two lines after `Connection refused`."""
    found = _LIBPQ_HOST.search(" ".join(place.lines[place.index : place.index + 4]))
    if found is None:
        return UNKNOWN
    host, port, socket = found.groups()
    return socket or join_target(host, port)


def mysql_target(match: re.Match[str], place: Place) -> str:
    """The client's host and port; a port it does not say is the one the lines near it give
    that host (a wait loop's `waiting for 10.0.0.5:3307`), or the latest line above that does
    (an app saying where it connects before a long traceback), else mysql's default."""
    host = match.group("host")
    port = match.group("port")
    if port is None:
        given = re.compile(rf"(?<![\w.-]){re.escape(host)}:(\d{{2,5}})\b")
        said = place.find_near(given, 15) or place.find_back(given, place.index)
        port = said.group(1) if said else "3306"
    return join_target(host, port)


def pg_isready_target(match: re.Match[str], _place: Place) -> str:
    """pg_isready's `host:port`; a host that is a socket directory names libpq's socket file."""
    host, port = match.group("host"), match.group("port")
    if host.startswith("/"):
        return f"{host.rstrip('/')}/.s.PGSQL.{port}"
    return join_target(host, port)


def bare_command(match: re.Match[str], place: Place) -> str | None:
    """A command named alone before its error; not a file's name (`settings.yaml`, `.env`)."""
    found = command(match, place)
    return None if found is None or found.startswith(".") or _FILE_NAME.search(found) else found


_FILE_NAME = re.compile(r"\.[A-Za-z][A-Za-z0-9]*$")


def foreign_module(match: re.Match[str], place: Place) -> str | None:
    """A module that lacks a name another installed package uses (the traceback's last frame is
    in that package's site-packages folder): the package was written for another version of
    the module. Not when the program's own code asked (a mistake, or code to port), nor the
    module's own, nor of the standard library (the Python version, not a package)."""
    module = match.group("subject")
    top = module.partition(".")[0]
    frame = place.find_back(_PY_SOURCE, 6)
    package = frame and _SITE_PACKAGE.search(frame.group(1))
    if not package or top in sys.stdlib_module_names or package.group(1) == top:
        return None
    return top


_SITE_PACKAGE = re.compile(r"[/\\](?:site|dist)-packages[/\\]([A-Za-z_]\w*)")


def abi_module(match: re.Match[str], _place: Place) -> str:
    """The package an extension module was not built for: the module of the type whose size
    changed (Cython's check, `numpy.dtype size changed`), else NumPy, whose own words these are."""
    found = match.group("subject")
    return found.lower() if found else "numpy"


def environ_key(match: re.Match[str], place: Place) -> str | None:
    """A KeyError is a missing variable only when os.environ raised it."""
    return match.group("subject") if place.find_back(_ENVIRON, 8) else None


def field_below(_match: re.Match[str], place: Place) -> str:
    """The variable a structured record names in a field of its own (`variable=DATABASE_URL`),
    which the record's reading puts on the line below its message; else not known."""
    found = _VARIABLE_FIELD.search(place.below)
    return found.group(1) if found else UNKNOWN


_VARIABLE_FIELD = re.compile(r"(?:^|\s)(?:variable|var|env|env_var|envvar|key)="
                             r"['\"]?([A-Z][A-Z0-9_]*)\b")


def settings_field(_match: re.Match[str], place: Place) -> str | None:
    """pydantic prints each field's name on the line above its `Field required`; settings read
    it from the environment upper-cased. The first field of the list is the subject, as a
    person reads it. A nested model's field (`database.host`) stays as printed: the variable's
    name depends on a delimiter the log does not show."""
    field = place.lines[place.index - 1].strip() if place.index else ""
    header = place.index_back(_SETTINGS, 60)
    if not _field_name(field) or header is None:
        return None
    for above, below in pairwise(place.lines[header + 1 : place.index + 1]):
        if _field_name(above.strip()) and _FIELD_REQUIRED.match(below):
            return _as_variable(above.strip())
    return _as_variable(field)


def _field_name(text: str) -> bool:
    return all(part.isidentifier() for part in text.split("."))


def _as_variable(field: str) -> str:
    return field if "." in field else field.upper()


def listed_variable(match: re.Match[str], place: Place) -> str | None:
    """The first variable of the list a config validator prints after its header (dotenv-safe,
    envalid, zod and t3-env): on the header's own line or the lines under it."""
    below = place.lines[place.index + 1 : place.index + 16]
    for text in (place.line[match.end() :], *below):
        for pattern in _LISTED:
            found = pattern.search(text)
            if found:
                return found.group(1)
    return None


_LISTED = (
    re.compile(r"\{\s*'?([A-Z][A-Z0-9_]+)'?:"),  # zod's flatten(): { S3_BUCKET: [ 'Required' ] }
    re.compile(r"\bpath: \[\s*['\"]([A-Z][A-Z0-9_]*)['\"]"),  # zod's issues: path: [ 'X' ]
    re.compile(r"^\s+([A-Z][A-Z0-9_]+):"),  # envalid:     JWT_SECRET: undefined
    re.compile(r"^\s+([A-Z][A-Z0-9_]+)(?:,|\s*$)"),  # dotenv-safe:   STRIPE_SECRET_KEY, SMTP_HOST
)


def file_line(match: re.Match[str], _place: Place) -> str:
    """`file:line` from a shell's own message (`x.sh: line 5: ...`, dash's `x.sh: 5: ...`)."""
    return f"{match.group('file')}:{match.group('line')}"


def first_syntax_error(match: re.Match[str], place: Place) -> str | None:
    """`file:line`, unless the line above is a syntax error in the same file: a parser that
    lists several (Ruby's SyntaxError message) puts the cause first, its follow-ons after."""
    above = next(place.before(1), "")
    if f"{match.group('file')}:" in above and "syntax error" in above.lower():
        return None
    return file_line(match, place)


def url_file_line(match: re.Match[str], _place: Place) -> str:
    """`file:line` of a file a parser names by its URL (Xerces' `systemId: file:/srv/web.xml`)."""
    return f"{_url_path(match.group('file'))}:{match.group('line')}"


def file_url(match: re.Match[str], _place: Place) -> str:
    """The path of a `file:` URL (deno's `Module not found "file:///srv/lib/db.ts"`)."""
    return _url_path(match.group("subject"))


def _url_path(found: str) -> str:
    found = found.strip()
    return unquote(_FILE_URL.sub("", found)) if found.startswith("file:") else found


def parse_location(match: re.Match[str], place: Place) -> str | None:
    """`file:line` of a parse error: in the match, else the first frame under its code block
    (deno's `at file:///srv/src/index.ts:8:30`); not when that frame is no file's."""
    if match.group("file"):
        return url_file_line(match, place)
    for text in place.lines[place.index + 1 : place.index + 10]:
        found = _AT_FRAME.match(text)
        if found:
            path = _url_path(found.group(1))
            return f"{path}:{found.group(2)}" if path.startswith("/") else None
    return None


_AT_FRAME = re.compile(r"^\s+at (?:\S+ \()?(\S+?):(\d+):\d+\)?\s*$")


def listen_frame_port(match: re.Match[str], place: Place) -> str | None:
    """A bare permission refusal raised by a listen (deno names no address, but its frames say
    `at listen (ext:deno_net/...)` or `at Object.serve`): a port below 1024, named nearby or not
    at all."""
    below = place.lines[place.index + 1 : place.index + 10]
    if not any(_LISTEN_FRAME.match(text) for text in below):
        return None
    return below_1024_nearby(match, place)


_LISTEN_FRAME = re.compile(r"^\s+at (?:\w+\.)?(?:listen\w*|serve\w*|bind)\b")


_FILE_URL = re.compile(r"^file:(?://(?=/))?")


def source_location(_match: re.Match[str], place: Place) -> str | None:
    """`file:line` from Python's `File "x.py", line 3` or node's `/app/server.js:12` header;
    first from a SyntaxError printed as its message, `msg (x.py, line 3)`, which names the file
    compiled, not the frame that compiled it."""
    found = (_SYNTAX_MESSAGE.search(place.line) or place.find_back(_PY_SOURCE, 6)
             or place.find_back(_JS_SOURCE, 8))
    return f"{found.group(1)}:{found.group(2)}" if found else None


_SYNTAX_MESSAGE = re.compile(r"\(([^\s(),]+), line (\d+)\)\s*$")


# Syntax a Python older than the version beside it cannot parse, for a SyntaxError on that
# line: the code is fine, the interpreter too old.
_PYTHON_SYNTAX = (
    # an f-string reusing its own quote inside a replacement field (PEP 701)
    (re.compile(r"\b[fF][rR]?(?:\"[^\"]*\{[^}\"]*\"|'[^']*\{[^}']*')"), (3, 12)),
    (re.compile(r"^\s*type\s+\w+(?:\[[^\]]*\])?\s*=|^\s*(?:async\s+)?def\s+\w+\[|^\s*class\s+\w+\["),
     (3, 12)),
    (re.compile(r"^\s*except\s*\*"), (3, 11)),
    (re.compile(r"^\s*(?:match|case)\s+\S.*:\s*(?:#.*)?$"), (3, 10)),
    (re.compile(r":="), (3, 8)),
    (re.compile(r"\b[fF][rR]?['\"]"), (3, 6)),
    (re.compile(r"^\s*async\s+def\b|\bawait\s"), (3, 5)),
    (re.compile(r"^\s*raise\s.+\sfrom\s|^\s*nonlocal\s|\bprint\(.*\bend="), (3, 0)),
)
# Syntax this new is hardly ever a plain mistake on a Python that has it: enough without
# knowing the interpreter's version.
_PYTHON_ONLY_NEW = (3, 10)
_PYTHON_VERSION = re.compile(r"[/\\]python(\d)\.(\d+)[/\\]|\bPython (\d)\.(\d+)\.\d")


def python_syntax(_match: re.Match[str], place: Place) -> str | None:
    """`python` when a SyntaxError is syntax newer than the interpreter reads. (Python 2 code
    on Python 3 is a syntax error to fix: nobody should install Python 2 for it.)"""
    code = _code_line(place)
    needs = next((version for pattern, version in _PYTHON_SYNTAX if pattern.search(code)), None)
    if needs is None:
        return None
    running = _first_groups(place.find_anywhere(_PYTHON_VERSION))
    if running is None:
        return "python" if needs >= _PYTHON_ONLY_NEW else None
    return "python" if running < needs else None


# JavaScript an old Node's parser stops at: optional chaining, nullish coalescing, logical
# assignment, class fields and private names, numeric separators.
_NODE_SYNTAX = re.compile(r"\?\.|\?\?|\|\|=|&&=|(?:^|[\s{;])#\w+|\d_\d")
_NODE_TOKENS = ("'?.'", "'??'", "'??='", "'||='", "'&&='", "'.'", "'?'", "'='", "'#'")


def node_syntax(match: re.Match[str], place: Place) -> str | None:
    """`node` when the token node stopped at is part of syntax newer than that node."""
    said = match.group("token")
    if said and said not in _NODE_TOKENS:
        return None
    return "node" if _NODE_SYNTAX.search(_code_line(place)) else None


def _code_line(place: Place) -> str:
    """The source line a SyntaxError quotes: the nearest line above it that is not a caret
    line, a blank or the error's header."""
    for text in place.before(5):
        if text.strip() and not _CARETS.match(text):
            return text
    return ""


_CARETS = re.compile(r"^\s*[\^~]+\s*$")


def compiled_at(match: re.Match[str], place: Place) -> str | None:
    """`file:line` of a Go compiler message (`./main.go:11:30: undefined: x`), which go build
    and go run print under a `# package` line."""
    if not any(_GO_PACKAGE.match(text) for text in (place.line, *place.before(12))):
        return None
    return f"{match.group('file')}:{match.group('line')}"


_GO_PACKAGE = re.compile(r"^# [\w./-]+$")


def grpc_target(_match: re.Match[str], place: Place) -> str | None:
    """The address a grpc-go client dialled, from its record's `target` (`endpoint://client-ID/
    127.0.0.1:2379`): an IP address only, since a name may instead not resolve and the
    balancer's words do not tell which."""
    found = place.find_near(_GRPC_TARGET, 3)
    return join_target(found.group("host"), found.group("port")) if found else None


_GRPC_TARGET = re.compile(r"\btarget[=\":]+\w+://[^/\s\"]*/(?P<host>\d{1,3}(?:\.\d{1,3}){3}"
                          r"|\[[\da-fA-F:]+\]):(?P<port>\d+)\b")


def rustc_location(_match: re.Match[str], place: Place) -> str | None:
    """`file:line` of a rustc error, which names its place on the ` --> src/main.rs:7:39` line
    right below it (a warning's `-->` is no error's)."""
    for text in place.lines[place.index + 1 : place.index + 3]:
        found = _RUSTC_AT.match(text)
        if found:
            return f"{found.group(1)}:{found.group(2)}"
    return None


_RUSTC_AT = re.compile(r"^\s*--> ([^\s:]+):(\d+):\d+\s*$")


def npm_resolving(match: re.Match[str], place: Place) -> str | None:
    """The package npm found installed, when it says so refusing the tree (ERESOLVE)."""
    return match.group("subject") if place.find_back(_ERESOLVE, 6) else None


_ERESOLVE = re.compile(r"\bERESOLVE\b")


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


def near_privileged(place: Place) -> str | None:
    found = _nearby_port(place)
    return found and _below_1024(found)


def unprivileged_nearby(_match: re.Match[str], place: Place) -> str | None:
    """The port the log names near a bind error that may be either (EventMachine's `port is
    in use or requires root privileges`): one above 1023 needs no root, so it is taken."""
    found = _nearby_port(place)
    return found if found and int(found) >= 1024 else None


def privileged_nearby(_match: re.Match[str], place: Place) -> str | None:
    found = _nearby_port(place)
    return found and _below_1024(found)


def below_1024_nearby(_match: re.Match[str], place: Place) -> str | None:
    """A bare "permission denied" to bind: the port below 1024 the log names near it, else
    not known."""
    found = _nearby_port(place)
    return UNKNOWN if found is None else _below_1024(found)


def near_target(place: Place) -> str | None:
    """The `host:port` near the line, else the latest one above it (a client that said where
    it connects long before its traceback)."""
    found = place.find_near(_TARGET, 15) or place.find_back(_TARGET, place.index)
    if found is None:
        return None
    values = [value for value in found.groups() if value]
    return join_target(values[0], values[1])


def near_host(place: Place) -> str | None:
    """A host the lines near the error name, else the lines just above the traceback that
    raised it (a client saying where it connects, then a long stack of frames)."""
    found = _first_group(place.find_near(_HOST, 20))
    if found is None:
        header = place.index_back(_TRACEBACK, _FRAMES)
        if header is not None:
            found = _first_group(replace(place, index=header).find_back(_HOST, 5))
    return found if found != "localhost" else None


def host_only(match: re.Match[str], _place: Place) -> str:
    """The host of a `host:port` a resolver was given (librdkafka quotes `'kafka:9092'`)."""
    return _WITH_PORT.sub("", match.group("subject").strip())


_TRACEBACK = re.compile(r"^\s*Traceback \(most recent call last\):")
_FRAMES = 120  # lines of a traceback above its error worth reading back for its header
_WITH_PORT = re.compile(r"(?<=[^:]):\d{1,5}$")


def _nearby_port(place: Place) -> str | None:
    return _first_group(place.find_near(_PORT, _NEAR) or place.find_anywhere(_PORT))


def _first_groups(match: re.Match[str] | None) -> tuple[int, int] | None:
    """The first two groups that matched, as numbers: a version."""
    if match is None:
        return None
    major, minor = [int(value) for value in match.groups() if value][:2]
    return major, minor


def _first_group(match: re.Match[str] | None) -> str | None:
    if match is None:
        return None
    return next((value for value in match.groups() if value), None)


def _below_1024(port: str) -> str | None:
    return port if 0 < int(port) < 1024 else None


def said_status(_match: re.Match[str], place: Place) -> str:
    """The exit status bringup saw, else the one the log says (a wrapper's `exited with code 1`)."""
    if place.exit_status is not None:
        return place.status()
    said = ended(place.lines)
    return said[0] if said else UNKNOWN


def registry_package(match: re.Match[str], _place: Place) -> str:
    """The package of a registry URL's path (`@scope%2fname` is `@scope/name`)."""
    return unquote(match.group("subject"))


def env_read(match: re.Match[str], place: Place) -> str | None:
    """The variable whose property Node could not read: the quoted source line reads it off
    `process.env.NAME` (or `process.env["NAME"]`), which was undefined: the variable is unset."""
    prop = re.escape(match.group("prop") or match.group("old"))
    found = re.search(rf"process\.env(?:\.(\w+)|\[['\"`](\w+)['\"`]\])\??\.{prop}\b",
                      _code_line(place))
    return _first_group(found)


def master_host(_match: re.Match[str], place: Place) -> str | None:
    """The host redis was connecting to as a replica, when its `Unable to connect to MASTER`
    says the lookup failed (its words for that: `No such file or directory`). An IP address
    needs no lookup."""
    found = place.find_back(_MASTER, 4)
    host = found and found.group(1)
    return host if host and not _IP.match(host) else None


_MASTER = re.compile(r"Connecting to MASTER (\S+?):\d+\s*$")
_IP = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3}){3}|\[?[0-9A-Fa-f:]+\]?)$")


def _redis_config_says(place: Place) -> str | None:
    """What redis 7 says is wrong with the config line it quotes after `>>>`: the line under
    it, when the line above is its `Reading the configuration file, at line N`."""
    if not place.index or place.index + 1 >= len(place.lines):
        return None
    if not _REDIS_READING.match(place.lines[place.index - 1]):
        return None
    return place.lines[place.index + 1].strip()


_REDIS_READING = re.compile(r"^Reading the configuration file, at line \d+\s*$")
# How redis 7 refuses a directive's arguments (config.c): a count, a value out of its set or
# range, one it cannot parse. Other refusals (a module that fails to load, a host that does
# not resolve) are no syntax error.
_REDIS_ARGUMENTS = re.compile(
    r"^(?:wrong number of arguments|Bad directive|argument|Invalid|Unrecognized"
    r"|.*\bmust be\b|.*\bout of range\b)")


def redis_config_path(error: str) -> Subject:
    """The path of a redis config line the OS refused with `error` (`dir` it cannot enter)."""
    def subject(match: re.Match[str], place: Place) -> str | None:
        return match.group("subject") if _redis_config_says(place) == error else None
    return subject


def redis_config_error(_match: re.Match[str], place: Place) -> str | None:
    """A config line redis 7 refuses for its arguments: the file is never named, so its place
    is not known."""
    said = _redis_config_says(place)
    return UNKNOWN if said and _REDIS_ARGUMENTS.match(said) else None


def errno_beside(error: str) -> Subject:
    """The path of a line whose OS error the program printed alone on the line above or below
    it (`open: No such file or directory`, `Error: Permission denied.`), naming no path."""
    alone = re.compile(rf"(?:^|:\s)(?:Error: )?{error}\.?\s*$", re.IGNORECASE)

    def subject(match: re.Match[str], place: Place) -> str | None:
        beside = [place.lines[i] for i in (place.index - 1, place.index + 1)
                  if 0 <= i < len(place.lines)]
        said = any(alone.search(text) and "/" not in text for text in beside)
        return match.group("subject") if said else None
    return subject


def config_cause(_match: re.Match[str], place: Place) -> str | None:
    """A value that does not parse as a number, raised as the cause of a config loader's
    exception (ZooKeeper's `ConfigException: Error processing FILE`): a config value to fix,
    its line not said. Elsewhere, a bug in the program's code."""
    return UNKNOWN if place.find_back(_CONFIG_EXCEPTION, 15) else None


_CONFIG_EXCEPTION = re.compile(r"ConfigException: Error processing ")


def no_errno_below(match: re.Match[str], place: Place) -> str | None:
    """The path of a line that gives no reason, unless the line under it gives one that is no
    permission's (a read-only file system, a full disk)."""
    return None if _OTHER_ERRNO.search(place.below) else match.group("subject")


_OTHER_ERRNO = re.compile(r"Read-only file system|No space left on device|Not a directory"
                          r"|File exists|Disk quota exceeded|No such file or directory")


def unix_socket_dir(match: re.Match[str], place: Place) -> str | None:
    """A unix socket that could not be bound for want of its folder (memcached says `bind(): No
    such file or directory` on the line above): the folder is what is missing."""
    if not any(_BIND_ENOENT.search(text) for text in place.before(3)):
        return None
    return created_in(match, place)


_BIND_ENOENT = re.compile(r"\bbind\(\): No such file or directory")


def bare_bind_denied(match: re.Match[str], place: Place) -> str | None:
    """`bind(): Permission denied` on an address (not a unix socket, said on the next lines):
    a port below 1024, named nearby or not at all."""
    below = place.lines[place.index + 1 : place.index + 3]
    if any("UNIX socket" in text for text in below):
        return None
    return below_1024_nearby(match, place)


# Servers that fork to the background unless told not to: exiting 0 under a supervisor, they
# have daemonized, even when the log shows nothing else.
_DAEMONS = re.compile(r"redis-server|redis|nginx|php-fpm[\d.]*|mongod|memcached|httpd|apache2"
                      r"|mysqld|mariadbd|postgres|pg_ctl")
_IN_USE = re.compile(r"(?i:address already in use|EADDRINUSE|connection in use)")


def daemon(match: re.Match[str], place: Place) -> str | None:
    """A program its supervisor saw exit 0 went to the background when it is a known daemon, or
    when a later start of it finds its address in use (by the first one, now detached)."""
    name = match.group("subject")
    if _DAEMONS.fullmatch(name):
        return name
    later = place.lines[place.index + 1 : place.index + _RESTARTS]
    return name if any(_IN_USE.search(text) for text in later) else None


_RESTARTS = 200  # lines after an exit worth reading for the next starts' bind errors
