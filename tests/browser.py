"""A real headless Chromium (Debian's `chromium`) driven over the DevTools protocol through its
pipe (`--remote-debugging-pipe`: commands on fd 3, answers on fd 4, each JSON message ended by
a NUL), so that a test can load a page once and read what its scripts make of it over time."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from typing import Any

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


class Browser:
    def __init__(self) -> None:
        import fcntl

        assert CHROMIUM is not None
        # Its ends of the two pipes, moved from fd 10 on, so that bash's redirections onto
        # fds 3 and 4 cannot overwrite one another (bash: dash takes one-digit fds only).
        commands, self._write = os.pipe()
        self._read, answers = os.pipe()
        theirs = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (commands, answers)]
        os.close(commands)
        os.close(answers)
        profile = f"{os.environ.get('TMPDIR', '/tmp')}/bringup-chromium-{os.getpid()}"
        self.process = subprocess.Popen(
            ["/bin/bash", "-c", f'exec "$0" "$@" 3<&{theirs[0]} 4>&{theirs[1]}', CHROMIUM,
             "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-dev-shm-usage", "--remote-debugging-pipe", f"--user-data-dir={profile}",
             "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=theirs)
        for fd in theirs:
            os.close(fd)
        self._next, self._buffer, self.session = 0, b"", ""

    def call(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._write, json.dumps(message).encode() + b"\0")
        while True:
            answer = self._message()
            if answer.get("id") == self._next:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                result: dict[str, Any] = answer.get("result", {})
                return result

    def _message(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            chunk = os.read(self._read, 1 << 16)
            if not chunk:
                raise RuntimeError("chromium closed its pipe")
            self._buffer += chunk
        raw, _, self._buffer = self._buffer.partition(b"\0")
        found: dict[str, Any] = json.loads(raw)
        return found

    def open(self, url: str) -> None:
        target = self.call("Target.createTarget", url=url)["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target,
                                 flatten=True)["sessionId"]

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", self.session, expression=expression,
                           returnByValue=True)
        return result.get("result", {}).get("value")

    def wait_for(self, expression: str, expected: Any, within: float) -> float:
        """Seconds until the page's `expression` gives `expected`; fails after `within`."""
        started = time.monotonic()
        while (seen := self.evaluate(expression)) != expected:
            assert time.monotonic() - started < within, f"{expression} is {seen!r}"
            time.sleep(0.05)
        return time.monotonic() - started

    def close(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)
        os.close(self._write)
        os.close(self._read)
