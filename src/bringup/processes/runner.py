"""Short commands (installs, fixes, exec checks), run in one place, and `bringup exec`.

A command that is not found or runs too long is a result, not an exception.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

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


def run_command(command: str | Sequence[str], *, cwd: Path,
                env: Mapping[str, str] | None = None, timeout: float | None = None,
                user: str | None = None,
                on_line: Callable[[str], None] | None = None) -> Result:
    """Run `command` (a string through /bin/sh -c, a list directly) and capture its output;
    `on_line` is told each line as it comes."""
    argv = ["/bin/sh", "-c", command] if isinstance(command, str) else list(command)
    try:
        child = subprocess.Popen(argv, cwd=cwd, env=None if env is None else dict(env),
                                 stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, start_new_session=True,
                                 **as_user(user))  # type: ignore[call-overload]
    except FileNotFoundError:
        return Result(NOT_FOUND, f"{argv[0]}: command not found")
    except PermissionError:
        return Result(126, f"{argv[0]}: permission denied")
    try:
        output = (child.communicate(timeout=timeout)[0] if on_line is None else
                  _read_lines(child, timeout, on_line))
    except subprocess.TimeoutExpired:
        _kill_group(child)
        return Result(TIMED_OUT, f"(timed out after {timeout:g} s)")
    except BaseException:
        _kill_group(child)
        raise
    return Result(child.returncode, output.decode(errors="replace"))


def _read_lines(child: subprocess.Popen[bytes], timeout: float | None,
                on_line: Callable[[str], None]) -> bytes:
    """The output, read as it comes (each line told) by a thread of its own, so that the
    timeout holds however the command writes."""
    assert child.stdout is not None
    stream, chunks = child.stdout, []

    def read() -> None:
        for line in iter(stream.readline, b""):
            chunks.append(line)
            on_line(line.decode(errors="replace").rstrip("\r\n").rpartition("\r")[2])

    reader = threading.Thread(target=read, name="output", daemon=True)
    reader.start()
    child.wait(timeout=timeout)
    reader.join(timeout=1)  # a process that left the group may still hold the pipe
    return b"".join(chunks)


def _kill_group(child: subprocess.Popen[bytes]) -> None:
    """The command runs in a session of its own: end all of it, not just its shell."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, signal.SIGKILL)
    # A process that left the group may still hold the pipe: do not wait on it for long.
    with contextlib.suppress(subprocess.TimeoutExpired):
        child.communicate(timeout=1)


def as_user(user: str | None) -> dict[str, object]:
    """Popen arguments that drop to `user` when bringup runs as root; nothing otherwise."""
    if user is None or os.geteuid() != 0:
        return {}
    import pwd

    entry = pwd.getpwnam(user)
    return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}


def become(argv: Sequence[str], *, cwd: Path, env: Mapping[str, str],
           user: str | None = None) -> NoReturn:
    """Turn this process into `argv` (as a shell's `exec` does), in `cwd` with `env`, as `user`
    when bringup runs as root: its exit status is the command's, and Ctrl-C is the command's
    own. A program not found on the PATH of `env` is a FileNotFoundError, raised before
    anything changed."""
    import shutil

    program = shutil.which(argv[0], path=env.get("PATH", os.defpath)) if "/" not in argv[0] \
        else str(cwd / argv[0])
    if program is None or not os.access(program, os.X_OK):
        raise FileNotFoundError(argv[0])
    os.chdir(cwd)
    dropped = as_user(user)
    if dropped:
        os.setgroups([])
        os.setgid(int(str(dropped["group"])))
        os.setuid(int(str(dropped["user"])))
    os.execve(program, list(argv), dict(env))
