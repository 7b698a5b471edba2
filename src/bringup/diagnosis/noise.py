"""The prefixes tools put before every line of a log people paste: compose's `web_1  | `,
honcho's `12:00:01 web.1  | `, pm2's `0|api  | `, concurrently's `[api] `, kubectl's
`[pod/web-5c9/web] `, a kubelet's `2026-12-07T15:22:21.5Z stderr F `, the journal's
`Dec 07 15:22:21 host app[812]: `, a timestamp, the `> ` of a quote and the indent of a pasted
block; and the record each line is wrapped in by Docker's json-file driver
(`{"log":"...\\n","stream":"stderr","time":"..."}`). Read past them, so a rule anchored at the
start of a line reads the program's own words."""

from __future__ import annotations

import json
import re

# compose v1 and v2, honcho (time first), pm2 (`0|api | `, in two passes): a runner's prefix,
# which names the service each line is from
_RUNNER = re.compile(r"^(?:\d\d:\d\d:\d\d\s+)?(?P<runner>[\w.-]+)\s*\| ?")
_FORMS = (
    # the container runtime's files a kubelet keeps (CRI): time, stream, full or partial line
    re.compile(r"^\d{4}-\d\d-\d\dT\S+ (?:stdout|stderr) [FP] "),
    _RUNNER,
    # ISO 8601 and the like, bare or bracketed; Go's log package
    re.compile(r"^\[?\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?\]?\s"
               r"|^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d(?:\.\d+)? "),
    # the journal's and syslog's short form: time, host, then the unit or program and its pid
    re.compile(r"^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d [\w.-]+ [^\s:\[]+(?:\[\d+\])?: "),
    # concurrently, kubectl's --prefix
    re.compile(r"^\[[\w./-]+\] "),
    # a quote in an issue or a mail
    re.compile(r"^> ?"),
)
# What dockerd writes to /var/lib/docker/containers/ID/ID-json.log, one record per line printed.
_JSON_FILE = re.compile(r'^\{"log":"((?:[^"\\]|\\.)*)","stream":"std(?:out|err)",'
                        r'(?:"attrs":\{[^{}]*\},)?"time":"[^"]*"\}$')
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")  # colour and cursor codes
_INDENT = re.compile(r"^[ \t]+")
# A form is a prefix when it starts at least this share of the log's latest non-empty lines:
# a program's own `[info] ` on a few lines stays.
_SHARE = 0.6
_SAMPLE = 400
_PASSES = 3  # a timestamp inside a compose prefix inside pm2's


def strip_prefixes(lines: list[str]) -> list[str]:
    """The lines without the prefix forms that start most of them (the same list when none
    does)."""
    return split_prefixes(lines)[0]


def split_prefixes(lines: list[str]) -> tuple[list[str], list[str] | None]:
    """The lines without their prefixes, and the service each line's runner prefix names
    (compose's `api-1`, honcho's `web.1`; the innermost when runners nest; "" on a runner's
    own line): None when no runner prefixes the log."""
    lines = _unwrapped(_dedented(lines))
    runners: list[str] | None = None
    for _ in range(_PASSES):
        sample = [line for line in lines[-_SAMPLE:] if line.strip()]
        form = next((form for form in _FORMS if _prefixes(form, sample)), None)
        if form is None:
            break
        if form is _RUNNER:
            lines, runners = _runners(lines, runners or [""] * len(lines))
        else:
            lines = [form.sub("", line, count=1) for line in lines]
    return lines, runners


def _runners(lines: list[str], runners: list[str]) -> tuple[list[str], list[str]]:
    stripped = []
    for index, line in enumerate(lines):
        found = _RUNNER.match(line)
        if found:
            runners[index] = found.group("runner")
        stripped.append(line[found.end():] if found else line)
    return stripped, runners


def _unwrapped(lines: list[str]) -> list[str]:
    """The lines each json-file record holds, when records are most of the log."""
    sample = [line for line in lines[-_SAMPLE:] if line.strip()]
    if not sample or not sample[-1].startswith('{"log":') or not _prefixes(_JSON_FILE, sample):
        return lines
    return [_logged(found.group(1)) if (found := _JSON_FILE.match(line)) else line
            for line in lines]


def _logged(encoded: str) -> str:
    """The line a record's `log` string holds, without its colour codes and the newline that
    ended it."""
    if "\\" not in encoded:
        return encoded
    text: str = ANSI.sub("", json.loads(f'"{encoded}"'))
    return text.removesuffix("\n").removesuffix("\r")


def _dedented(lines: list[str]) -> list[str]:
    """The lines without the indent that every non-empty one of them starts with."""
    if next((line for line in lines if line.strip()), "")[:1] not in (" ", "\t"):
        return lines
    indents = {match.group() if (match := _INDENT.match(line)) else ""
               for line in lines if line.strip()}
    if "" in indents or not indents:
        return lines
    common = min(indents, key=len)
    while any(not indent.startswith(common) for indent in indents):
        common = common[:-1]
    if not common:
        return lines
    return [line.removeprefix(common) for line in lines]


def _prefixes(form: re.Pattern[str], sample: list[str]) -> bool:
    return bool(sample) and sum(1 for line in sample if form.match(line)) >= _SHARE * len(sample)
