"""What each Python release added to its standard library, for telling code written for a newer
Python from a plain bug: a stdlib module that is not found, or a name a stdlib module (or the
builtins) lacks, is the runtime's age when the running Python is older than the release that
brought it."""

from __future__ import annotations

import re

from .place import Place
from .versions import Version, too_old

# Modules younger than Python 3.7, by the release that added them.
# fmt: off
_MODULES: dict[str, Version] = {
    "tomllib": (3, 11), "zoneinfo": (3, 9), "graphlib": (3, 9), "importlib.metadata": (3, 8),
    "importlib.resources": (3, 7), "contextvars": (3, 7), "dataclasses": (3, 7),
}
# Names of stdlib modules, as `module.name`, by the release that added them ("builtins" for
# the ones NameError reports).
_NAMES: dict[str, Version] = {
    "typing.override": (3, 12), "typing.TypeAliasType": (3, 12), "typing.TypeIs": (3, 13),
    "typing.ReadOnly": (3, 13), "typing.NoDefault": (3, 13), "typing.get_protocol_members": (3, 13),
    "typing.is_protocol": (3, 13), "typing.Self": (3, 11), "typing.LiteralString": (3, 11),
    "typing.Never": (3, 11), "typing.assert_never": (3, 11), "typing.assert_type": (3, 11),
    "typing.reveal_type": (3, 11), "typing.TypeVarTuple": (3, 11), "typing.Unpack": (3, 11),
    "typing.Required": (3, 11), "typing.NotRequired": (3, 11),
    "typing.dataclass_transform": (3, 11), "typing.ParamSpec": (3, 10),
    "typing.Concatenate": (3, 10), "typing.TypeAlias": (3, 10), "typing.TypeGuard": (3, 10),
    "typing.is_typeddict": (3, 10), "typing.Annotated": (3, 9), "typing.Literal": (3, 8),
    "typing.Final": (3, 8), "typing.Protocol": (3, 8), "typing.TypedDict": (3, 8),
    "itertools.batched": (3, 12), "itertools.pairwise": (3, 10), "datetime.UTC": (3, 11),
    "functools.cache": (3, 9), "functools.cached_property": (3, 8), "math.sumprod": (3, 12),
    "math.cbrt": (3, 11), "math.exp2": (3, 11), "math.lcm": (3, 9), "math.isqrt": (3, 8),
    "math.prod": (3, 8), "asyncio.TaskGroup": (3, 11), "asyncio.timeout": (3, 11),
    "asyncio.Runner": (3, 11), "asyncio.to_thread": (3, 9), "enum.StrEnum": (3, 11),
    "contextlib.chdir": (3, 11), "contextlib.aclosing": (3, 10), "hashlib.file_digest": (3, 11),
    "operator.call": (3, 11), "os.process_cpu_count": (3, 13), "copy.replace": (3, 13),
    "warnings.deprecated": (3, 13), "importlib.metadata.packages_distributions": (3, 10),
    "builtins.ExceptionGroup": (3, 11), "builtins.BaseExceptionGroup": (3, 11),
    "builtins.aiter": (3, 10), "builtins.anext": (3, 10), "builtins.EncodingWarning": (3, 10),
}
# fmt: on
# The running Python, as its tracebacks' paths (`lib/python3.11/`) or a tool's banner show it.
_RUNNING = re.compile(r"[/\\]python(\d)\.(\d+)[/\\]|\bC?Python (\d)\.(\d+)\.\d+\b")
_INSTALLED = re.compile(r"[/\\](?:site|dist)-packages[/\\]")


def imported_name(match: re.Match[str], place: Place) -> str | None:
    """`python` for `cannot import name 'override' from 'typing' (PATH)`: unless PATH is a file
    of the project's or a package's own (it shadows the stdlib), or its Python has the name."""
    needs = _NAMES.get(f"{match.group('module')}.{match.group('name')}")
    where = match.group("path")
    if needs is None or _INSTALLED.search(where):
        return None
    if where == "unknown location":  # a module built into the interpreter
        return _older(needs, place)
    found = _RUNNING.search(where)
    return _older(needs, place, found) if found else None


def attribute(match: re.Match[str], place: Place) -> str | None:
    needs = _NAMES.get(f"{match.group('module')}.{match.group('name')}")
    return None if needs is None else _older(needs, place)


def builtin(match: re.Match[str], place: Place) -> str | None:
    needs = _NAMES.get(f"builtins.{match.group('name')}")
    return None if needs is None else _older(needs, place)


def module(match: re.Match[str], place: Place) -> str | None:
    needs = _MODULES.get(match.group("module"))
    return None if needs is None else _older(needs, place)


def _older(needs: Version, place: Place, found: re.Match[str] | None = None) -> str | None:
    """`python`, unless the log shows a Python that already has what `needs` names (then the
    code is wrong, not the runtime). Without a version shown, the error itself is the evidence."""
    return too_old("python", needs, found or place.find_anywhere(_RUNNING, "ython"))
