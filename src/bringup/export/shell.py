"""What several targets say alike: a check as one shell command, the service's environment as
it may be written down, and how the engine runs `bringup wait` on this machine."""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

from bringup.checks.exec_ import ExecSpec
from bringup.checks.http import HttpSpec
from bringup.checks.tcp import TcpSpec
from bringup.export.stack import Member, Stack

Runnable = TcpSpec | HttpSpec | ExecSpec  # the checks a shell command can run


def runnable(member: Member) -> list[Runnable]:
    """The recipe's checks that a command (or an engine's own probe) can run as bringup
    judges them."""
    return [spec for spec in member.recipe.verify.checks.values()
            if isinstance(spec, TcpSpec | HttpSpec | ExecSpec) and inexpressible(spec) is None]


def unrunnable(member: Member) -> list[str]:
    """What to say of each check a shell command would judge otherwise than bringup."""
    return [f"{member.name}: verify.{kind}: {why}"
            for kind, spec in member.recipe.verify.checks.items()
            if isinstance(spec, TcpSpec | HttpSpec | ExecSpec)
            and (why := inexpressible(spec)) is not None]


# What Python's re.search over a whole body and grep -E over each of its lines read alike: no
# anchors (grep's hold at every line), no backslash classes or escapes, no (?...) groups, no
# lazy quantifiers.
_NOT_GREP = re.compile(r"\\|\(\?|[*+?}]\?|\$|(?<!\[)\^")


def inexpressible(spec: Runnable) -> str | None:
    """Why a shell command cannot judge the check as bringup does, if it cannot."""
    if isinstance(spec, HttpSpec) and spec.expect is not None and not _literal(spec.expect) \
            and (_NOT_GREP.search(spec.expect) or "\n" in spec.expect):
        return (f"the expected text {spec.expect!r} is a regular expression grep -E would "
                "read otherwise than bringup (anchors, backslashes, (?...), lazy quantifiers or "
                "several lines)")
    return None


def check_command(spec: Runnable) -> str:
    """The check as a shell command that exits 0 when it passes, reaching the service where
    the recipe does."""
    if isinstance(spec, TcpSpec):
        host, _, port = spec.target.rpartition(":")
        return tcp(spec, int(port), host=host)
    if isinstance(spec, HttpSpec):
        return curl(spec, spec.url)
    command = spec.command if isinstance(spec.command, str) else shlex.join(spec.command)
    if spec.expect is None:
        return command
    # As bringup's exec check: it exits 0, and its output (with its errors) holds the text.
    return f"out=$( ({command}) 2>&1 ) && {holds('out', spec.expect)}"


def holds(variable: str, text: str) -> str:
    """A test that the shell variable holds the text as it is. grep -F takes each line of a
    text as a pattern of its own (an empty one matches anything), so a text of several lines
    is matched whole by `case`; its trailing newlines go, as $(...) drops the output's."""
    if "\n" not in text:
        return f'printf %s "${variable}" | grep -qF -- {shlex.quote(text)}'
    return f'case "${variable}" in *{shlex.quote(text.rstrip(chr(10)))}*) ;; *) false ;; esac'


def all_of(commands: list[str]) -> str:
    """Commands that must all pass, each grouped so none of its `;` or `|` leaks out."""
    return commands[0] if len(commands) == 1 else " && ".join(
        f"{{ {command}; }}" for command in commands)


def tcp(spec: TcpSpec, port: int, *, host: str = "127.0.0.1") -> str:
    """bash's /dev/tcp: a connect, the bytes sent and the reply expected."""
    line = f"exec 3<>/dev/tcp/{host}/{port}"
    if spec.send is not None:
        line += f"; printf %s {shlex.quote(spec.send)} >&3"
    if spec.expect is not None and "\n" in spec.expect:  # what it says in 2 s, matched whole
        line += f"; out=$(timeout 2 cat <&3); {holds('out', spec.expect)}"
    elif spec.expect is not None:
        line += f"; timeout 2 grep -qF -- {shlex.quote(spec.expect)} <&3"
    return f"bash -c {shlex.quote(line)}"


def curl(spec: HttpSpec, url: str) -> str:
    """The request as bringup's http check makes it: a status from 200 to 399 (or the one it
    names), and a body that holds the text or, as bringup reads it too, matches it as a
    regular expression (grep -E, for what Python's and POSIX's expressions share)."""
    words = ["curl", "-sS", *(["-X", spec.method] if spec.method != "GET" else [])]
    words += [word for name, value in spec.headers for word in ("-H", f"{name}: {value}")]
    if spec.data is not None:
        words += ["--data-raw", spec.data]
    text = spec.expect
    if text is None and spec.status is not None:
        words += ["-o", "/dev/null", "-w", "%{http_code}", url]
        return f"{shlex.join(words)} | grep -qx {spec.status}"
    if text is None or (spec.status is None and _literal(text) and "\n" not in text):
        words[1:2] = ["-fsS"]
        command = shlex.join([*words, url])
        return command + (f" | grep -qF -- {shlex.quote(text)}" if text else "")
    # The body and the status both (an expected text with a status, or one no single grep -F
    # reads): the status after the body, on a line of its own.
    fetched = shlex.join([*words, "-w", "\\n%{http_code}", url])
    status = (f'[ "$code" = {spec.status} ]' if spec.status is not None
              else '[ "$code" -ge 200 ] && [ "$code" -lt 400 ]')
    line = f'out=$({fetched}) && code="${{out##*[!0-9]}}" && {status} && body="${{out%$code}}"'
    if _literal(text) or "\n" in text:
        return f"{line} && {holds('body', text)}"
    quoted = shlex.quote(text)
    return (f'{line} && {{ {holds("body", text)} || printf %s "$body" | grep -qE -- {quoted}; }}')


def _literal(text: str) -> bool:
    """Text a regular expression matches only as itself."""
    return re.search(r"[.^$*+?()\[\]{}|\\]", text) is None


def plain_get(spec: HttpSpec) -> bool:
    """Does a GET answering 200-399 say all the check asks?"""
    return (spec.method == "GET" and spec.expect is None and spec.status is None
            and spec.data is None and not spec.headers)


def environment(member: Member) -> dict[str, str]:
    """What the service runs with that may be written down: the recipe's plain values, its
    venv first on the PATH; never a secret's value."""
    env = {"PYTHONUNBUFFERED": "1", **member.plain_env()}
    for need in member.recipe.needs:
        if need.kind == "python":
            venv = member.cwd / need.venv
            env["VIRTUAL_ENV"] = str(venv)
            env["PATH"] = f"{venv / 'bin'}:/usr/local/bin:/usr/bin:/bin"
    return env


def secrets_said(member: Member, where: str) -> list[str]:
    return [f"{member.name}: env {key} looks secret: its value is not written; {where}"
            for key in member.secret_env()]


def wait(stack: Stack, member: Member, log: str | None = None) -> list[str]:
    """`bringup wait --engine` for the service, as this machine runs bringup."""
    return [*_bringup(), "wait", "--engine", "--workspace", str(stack.root),
            "--timeout", str(member.grace()), *(["--log", log] if log else []), member.name]


def mark(stack: Stack, member: Member) -> list[str]:
    """`bringup wait --engine --mark`, run before the engine starts the service: the wait after
    it reads the files the service logs to from where they ended then."""
    return [*_bringup(), "wait", "--engine", "--mark", "--workspace", str(stack.root),
            member.name]


def _bringup() -> list[str]:
    """The script beside this Python, else the module."""
    script = Path(sys.executable).parent / "bringup"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "bringup"]
