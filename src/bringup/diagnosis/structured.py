"""The records of structured loggers, read as the lines a plain logger would have printed.

A service that logs JSON (pino, bunyan, winston, structlog, python-json-logger, loguru, zap,
logrus, slog) or logfmt (logrus's and slog's text, go-kit) puts the words a rule reads inside a
field: `{"level":50,"msg":"listen failed","err":{"message":"listen EADDRINUSE: ...","stack":
"Error: ...\\n    at ..."}}`, a traceback escaped into one string. Each record worth reading is
replaced by its message, then the lines its error fields hold, then its other plain fields
(`port=8080`) for a rule that looks around; a warning's message says so (`WARNING: `), as a
plain logger's line would. The evidence stays the record as printed."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")  # what stays beside each line: the line as printed, or its place
# Where the loggers put the message, and the error (its stack when they keep one), in the order
# they are read. loguru's `text` is its whole formatted line, traceback and all.
_MESSAGE = ("text", "msg", "message", "@message", "event", "MESSAGE")
_ERROR = ("error", "err", "exception", "exc_info", "exc_text", "stack", "stack_trace",
          "stacktrace", "traceback", "errorVerbose", "error.message", "error.stack_trace")
_NESTED = ("stack", "stack_trace", "message", "msg")  # of an error kept as an object
# Fields that say when and where a record was written, not what happened.
_QUIET = frozenset(("level", "lvl", "severity", "time", "ts", "t", "timestamp", "@timestamp",
                    "datetime", "asctime", "pid", "hostname", "host.name", "name", "logger",
                    "logger_name", "caller", "v", "record", "levelname", "filename", "module",
                    "funcName", "lineno", "thread", "threadName", "process", "processName",
                    "taskName", "created", "msecs", "relativeCreated", "source", "elapsed"))
_WARNINGS = frozenset(("warn", "warning", "40"))  # pino's and bunyan's number for warn is 40
_LOGFMT = re.compile(r"[A-Za-z_@][\w.@-]*=")  # a line of `key=value` pairs starts so
_PAIR = re.compile(r'([\w.@-]+)=("(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|\S*)')
# Words of a record that holds an error though its text names no cause a rule knows: an error
# object a runtime would print in its own words (Node's system errors, Ruby's, Python's).
_HOLDS_ERROR = ("err", "exc", "fatal")
# The cause of a failure sits near the end of its log: the records before the latest this many
# worth reading stay as printed (a retry loop of ten thousand is read as fast as any log).
LATEST = 200


def unpacked(lines: list[str], printed: list[T],
             worth: Callable[[str], bool]) -> tuple[list[str], list[T]]:
    """`lines` with each of the latest records `worth` reading (given its lower-cased text)
    replaced by the lines it holds, and `printed` repeated to stay beside them; the same lists
    when no line is a record."""
    starts = [i for i, line in enumerate(lines)
              if line[:1] == "{" or ("=" in line and _LOGFMT.match(line))]
    if not starts:
        return lines, printed
    held: dict[int, list[str]] = {}
    for index in reversed(starts):
        line = lines[index].rstrip()
        lowered = line.lower()
        if (worth(lowered) or any(word in lowered for word in _HOLDS_ERROR)) and (
                read := _record(line)) is not None:
            held[index] = read
            if len(held) == LATEST:
                break
    if not held:
        return lines, printed
    out_lines: list[str] = []
    out_printed: list[T] = []
    for index, line in enumerate(lines):
        read = held.get(index, [line])
        out_lines += read
        out_printed += [printed[index]] * len(read)
    return out_lines, out_printed


def _record(line: str) -> list[str] | None:
    """The lines a record holds; None when the line is no record."""
    if line[:1] == "{":
        if line[-1:] != "}":
            return None
        try:
            fields = json.loads(line)
        except ValueError:
            return None
        return _lines(fields) if isinstance(fields, dict) else None
    pairs = {key: _unquoted(value) for key, value in _PAIR.findall(line)}
    return _lines(pairs) if len(pairs) >= 2 else None


def _unquoted(value: str) -> str:
    """A logfmt value: bare, double-quoted with escapes (logrus, slog, go-kit, structlog's
    logfmt), or single-quoted as Python's repr (structlog's key-value renderer)."""
    if value[:1] not in ("'", '"') or len(value) < 2:
        return value
    if "\\" not in value:
        return value[1:-1]
    if value[0] == "'":
        import ast  # a repr with escapes in it: rare, and Python's own reader undoes it

        try:
            return str(ast.literal_eval(value))
        except (ValueError, SyntaxError):
            return value[1:-1]
    try:
        return str(json.loads(value))
    except ValueError:
        return value[1:-1]


def _lines(fields: dict[str, Any]) -> list[str] | None:
    message = next((fields[key] for key in _MESSAGE if isinstance(fields.get(key), str)), None)
    errors = [_error_text(fields[key]) for key in _ERROR if key in fields]
    if message is None and not any(errors):
        return None
    out = []
    if message is not None:
        out = message.rstrip("\n").split("\n")
        if str(fields.get("level", fields.get("severity", ""))).lower() in _WARNINGS:
            out[0] = f"WARNING: {out[0]}"
    for text in errors:
        if text and (message is None or text.strip() not in message):
            out += text.rstrip("\n").split("\n")
    rest = [f"{key}={value}" for key, value in fields.items()
            if key not in _QUIET and key not in _MESSAGE and key not in _ERROR
            and isinstance(value, str | int | float) and not isinstance(value, bool)]
    if rest:
        out.append(" ".join(rest))
    return out


def _error_text(value: object) -> str:
    """An error field's words: the text, or of an error kept as an object (or a chain of them)
    the lines its runtime would have printed."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):  # structlog's dict tracebacks: the chain, the last raised first
        return "\n".join(_python(item) for item in reversed(value) if isinstance(item, dict))
    if not isinstance(value, dict):
        return ""
    if "exc_type" in value:
        return _python(value)
    text = next((value[key] for key in _NESTED if isinstance(value.get(key), str)), "")
    kind = next((value[key] for key in ("class", "type", "name")
                 if isinstance(value.get(key), str)), "")
    if isinstance(value.get("backtrace"), list) and text:
        text = _ruby(text, kind, [str(frame) for frame in value["backtrace"]])
    elif kind and text and "stack" not in value:
        text = f"{kind}: {text}"
    elif not text:
        text = _node(value)
    extra = [f"{key}={item}" for key, item in value.items()
             if key not in _NESTED and key not in ("type", "class", "name", "backtrace")
             and isinstance(item, str | int) and not isinstance(item, bool)]
    return "\n".join([text, " ".join(extra)] if extra else [text])


def _ruby(message: str, kind: str, backtrace: list[str]) -> str:
    """As Ruby prints an exception nothing rescued: `where: message (Class)`, then its frames."""
    said = f"{message} ({kind})" if kind else message
    if not backtrace:
        return said
    return "\n".join([f"{backtrace[0]}: {said}", *(f"\tfrom {frame}" for frame in backtrace[1:])])


def _node(error: dict[str, Any]) -> str:
    """A Node system error's message, from the fields an error serializer without `message`
    keeps (`code`, `syscall`, `path` or `address` and `port`), as Node words it."""
    code, syscall = error.get("code"), error.get("syscall")
    if not (isinstance(code, str) and isinstance(syscall, str)):
        return ""
    number = error.get("errno")
    said = os.strerror(abs(number)).lower() if isinstance(number, int) and number else ""
    if isinstance(error.get("path"), str):
        return f"{code}: {said}, {syscall} '{error['path']}'"
    where = error.get("address") or error.get("hostname") or ""
    port = error.get("port")
    return f"{syscall} {code} {where}{f':{port}' if port else ''}".rstrip()


def _python(exception: dict[str, Any]) -> str:
    """As Python prints an exception: its frames, the line a syntax error points at, and
    `Type: value` (structlog's dict tracebacks keep them as fields)."""
    lines = ["Traceback (most recent call last):"]
    for frame in exception.get("frames") or []:
        if isinstance(frame, dict):
            lines.append(f'  File "{frame.get("filename")}", line {frame.get("lineno")}, '
                         f'in {frame.get("name")}')
    value = str(exception.get("exc_value", ""))
    syntax = exception.get("syntax_error")
    if isinstance(syntax, dict):
        lines.append(f'  File "{syntax.get("filename")}", line {syntax.get("lineno")}')
        lines.append(f'    {str(syntax.get("line") or "").strip()}')
        value = str(syntax.get("msg") or value)
    lines.append(f"{exception.get('exc_type', 'Exception')}: {value}")
    return "\n".join(lines)
