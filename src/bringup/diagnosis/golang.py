"""What each Go release added to its standard library, for telling code written for a newer Go
from an import of a package that does not exist: go build's `package X is not in GOROOT` (`is
not in std` since) for a standard package is the toolchain's age when that Go is older than the
release that brought X."""

from __future__ import annotations

import re

from .place import Place
from .versions import Version, too_old

# Standard packages younger than Go 1.13, by the release that added them.
# fmt: off
_PACKAGES: dict[str, Version] = {
    "crypto/hkdf": (1, 24), "crypto/pbkdf2": (1, 24), "crypto/sha3": (1, 24),
    "crypto/mlkem": (1, 24), "weak": (1, 24), "iter": (1, 23), "unique": (1, 23),
    "structs": (1, 23), "math/rand/v2": (1, 22), "go/version": (1, 22), "log/slog": (1, 21),
    "slices": (1, 21), "maps": (1, 21), "cmp": (1, 21), "testing/slogtest": (1, 21),
    "crypto/ecdh": (1, 20), "go/doc/comment": (1, 19), "net/netip": (1, 18),
    "debug/buildinfo": (1, 18), "embed": (1, 16), "io/fs": (1, 16), "testing/fstest": (1, 16),
    "runtime/metrics": (1, 16), "time/tzdata": (1, 15), "hash/maphash": (1, 14),
}
# fmt: on
# The Go a GOROOT path names (Debian's /usr/lib/go-1.19, an unpacked go1.20.14, a downloaded
# toolchain@v0.0.1-go1.25.1, Homebrew's Cellar/go/1.24.5), or the log's
# `go version` and the toolchain's `(running go 1.19.8; ...)`.
_IN_PATH = re.compile(r"\bgo[-/]?(\d)\.(\d+)\b")
# Packages every Go has: when they are missing too, the GOROOT has no sources (a broken
# install), whatever its age.
_BROKEN = re.compile(r"\bpackage (?:fmt|os|io|errors|bytes|strings|sync|time|context|net|net/http"
                     r"|runtime|unsafe|syscall) is not in (?:GOROOT|std)\b")
_RUNNING = re.compile(r"\bgo version go(\d)\.(\d+)|\(running go ?(\d)\.(\d+)")


def package(match: re.Match[str], place: Place) -> str | None:
    """`go` for `package log/slog is not in GOROOT (/usr/lib/go-1.19/src/log/slog)`, unless the
    package is none a release added, or the Go shown already has it or lacks even `fmt` (a
    broken install)."""
    needs = _PACKAGES.get(match.group("package"))
    if needs is None or place.find_anywhere(_BROKEN, "is not in "):
        return None
    shown = _IN_PATH.search(match.group("path")) or place.find_anywhere(_RUNNING, "go")
    return too_old("go", needs, shown)
