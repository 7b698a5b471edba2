"""The zoo's captures, what each must diagnose to, and the fixed fifth held out from tuning.

The held-out fifth is drawn by a rule no one can bend (crc32 of `folder/name`, one in five)
and listed in held-out.txt when its captures are added; the rules are tuned on the rest only,
and the held-out figure is measured (bench/bench_zoo.py), never made a test to pass."""

from __future__ import annotations

import json
import re
import tomllib
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ZOO = Path(__file__).resolve().parent
HELD_OUT = ZOO / "held-out.txt"
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def printed_lines(text: str) -> set[str]:
    """The lines of a log as a finding's evidence may quote them: stripped, without colour."""
    return {line.strip() for line in _ANSI.sub("", text).replace("\r\n", "\n").split("\n")}


@dataclass(frozen=True)
class Case:
    log: Path
    kind: str
    subject: str
    fix: str  # a phrase the fix must hold ("": anything)

    @property
    def name(self) -> str:
        return f"{self.log.parent.name}/{self.log.stem}"

    @property
    def held_out(self) -> bool:
        return self.name in held_out()

    def text(self) -> str:
        """The capture as bringup reads a log: bytes decoded, a lone CR kept."""
        return self.log.read_bytes().decode("utf-8", errors="replace")


def cases() -> list[Case]:
    found = []
    for folder in sorted(path for path in ZOO.iterdir() if (path / "expected.toml").is_file()):
        table = tomllib.loads((folder / "expected.toml").read_text(encoding="utf-8"))
        for log in sorted(folder.glob("*.log")):
            want = table.get(log.stem, {})
            found.append(Case(log, want.get("kind", ""), want.get("subject", ""),
                              want.get("fix", "")))
    return found


def drawn(name: str) -> bool:
    """Whether the rule puts a capture in the held-out fifth."""
    return zlib.crc32(name.encode()) % 5 == 0


@cache
def held_out() -> frozenset[str]:
    lines = HELD_OUT.read_text(encoding="utf-8").splitlines() if HELD_OUT.is_file() else []
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


# How people paste a log from elsewhere: the tools' documented line formats around the real
# words. A capture wrapped in any of them must read as the bare capture does.
def _each_line(prefix: Callable[[int], str]) -> Callable[[str], str]:
    return lambda text: "\n".join(prefix(i) + line for i, line in enumerate(text.split("\n")))


def _json_file(text: str) -> str:
    """Each line as Docker's json-file driver records it: Go's encoder, which escapes <, > and &."""
    def record(i: int, line: str) -> str:
        log = json.dumps(line + "\n", ensure_ascii=False)
        for char in "<>&\u2028\u2029":
            log = log.replace(char, f"\\u{ord(char):04x}")
        return f'{{"log":{log},"stream":"stderr","time":"2026-12-07T15:22:21.{i:09d}Z"}}'
    return "\n".join(record(i, line) for i, line in enumerate(text.split("\n")))


PASTED: dict[str, Callable[[str], str]] = {
    "journalctl": _each_line(lambda i: f"Dec 07 15:22:{i % 60:02d} web-01 app[4123]: "),
    "kubectl logs --prefix": _each_line(lambda i: "[pod/web-7d9c5b-x2k/web] "),
    "coloured compose": _each_line(lambda i: "\x1b[36mweb-1  |\x1b[0m "),
    "docker logs -t": _each_line(lambda i: f"2026-12-07T15:22:21.{i:09d}Z "),
    "/var/log/containers": _each_line(lambda i: f"2026-12-07T15:22:21.{i:09d}Z stderr F "),
    "docker json-file": _json_file,
    "CRLF": lambda text: text.replace("\r\n", "\n").replace("\n", "\r\n"),
    "quoted": _each_line(lambda i: "> "),
    "indented": lambda text: "\n".join("    " + line if line else line
                                       for line in text.split("\n")),
}
