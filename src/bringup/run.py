"""The one place that runs short commands (installs, fixes, exec checks).

A command that is not found or runs too long is a result, not an exception.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

NOT_FOUND = 127
TIMED_OUT = 124


@dataclass(frozen=True)
class Result:
    code: int
    output: str

    @property
    def ok(self) -> bool:
        return self.code == 0

    def tail(self, lines: int = 15) -> str:
        return "\n".join(self.output.rstrip().splitlines()[-lines:])


def run(command: str | Sequence[str], *, cwd: Path, env: Mapping[str, str] | None = None,
        timeout: float | None = None, user: str | None = None) -> Result:
    """Run `command` (a string through /bin/sh -c, a list directly) and capture its output."""
    argv = ["/bin/sh", "-c", command] if isinstance(command, str) else list(command)
    try:
        done = subprocess.run(argv, cwd=cwd, env=None if env is None else dict(env),
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=timeout, check=False,
                              start_new_session=True, **as_user(user))  # type: ignore[call-overload]
    except FileNotFoundError:
        return Result(NOT_FOUND, f"{argv[0]}: command not found")
    except PermissionError:
        return Result(126, f"{argv[0]}: permission denied")
    except subprocess.TimeoutExpired as expired:
        partial = expired.output.decode(errors="replace") if expired.output else ""
        return Result(TIMED_OUT, partial + f"\n(timed out after {timeout:g} s)")
    return Result(done.returncode, done.stdout.decode(errors="replace"))


def as_user(user: str | None) -> dict[str, object]:
    """Popen arguments that drop to `user` when bringup runs as root; nothing otherwise."""
    if user is None or os.geteuid() != 0:
        return {}
    import pwd

    entry = pwd.getpwnam(user)
    return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}
