"""systemd: a unit per service and a target that groups them. Dependencies are `Requires=` and
`After=`; readiness is an `ExecStartPost=` that runs `bringup wait --engine` on the service's
checks, so a unit counts as started only once it answers, and what comes after it waits; a
task is `Type=oneshot` with `RemainAfterExit=`; an external service is a unit that only waits
for it."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from bringup.export import shell
from bringup.export.stack import Member, Rendered, Stack

NAME = "systemd"
RESTART = {"on-failure": "on-failure", "always": "always", "no": "no"}
FIRST_PAUSE, LONGEST_PAUSE, STEPS = 1, 60, 6  # watch's pause doubles from 1 s up to 60 s
WINDOW = 600  # max_restarts count within this many seconds, as under watch
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t",
           "\v": "\\v"}


def render(stack: Stack, *, system: bool) -> Rendered:
    rendered = Rendered()
    units = {}
    for member in stack.members:
        units[_unit(stack, member)] = _service(stack, member, rendered.cannot, system=system)
    wanted = " ".join(units)
    units[f"{stack.project}.target"] = (
        f"[Unit]\nDescription={stack.project}: the stack bringup proved\nWants={wanted}\n"
        f"After={wanted}\n\n[Install]\n"
        f"WantedBy={'multi-user.target' if system else 'default.target'}\n")
    header = stack.header(f"systemd{' --system' if system else ''}", rendered.cannot)
    rendered.files = {name: stack.seal(header, text) for name, text in units.items()}
    return rendered


def _unit(stack: Stack, member: Member) -> str:
    return f"{stack.project}-{member.name}.service"


def _service(stack: Stack, member: Member, cannot: list[str], *, system: bool) -> str:
    recipe = member.recipe
    needs = [_unit(stack, other) for name in recipe.after
             if (other := stack.member(name)) is not None]
    unit = [f"Description={_text(recipe.description or member.name)} ({member.grace_said()})"]
    if needs:
        unit += [f"Requires={' '.join(needs)}", f"After={' '.join(needs)}"]
    unit += [f"StartLimitIntervalSec={WINDOW}", f"StartLimitBurst={recipe.max_restarts + 1}"]
    if recipe.external:
        service = ["Type=oneshot", "RemainAfterExit=yes",
                   f"ExecStart={_wait(stack, member, None)}",
                   f"TimeoutStartSec={member.grace() + 5}"]
        return _sections(unit, service, stack)
    service = [f"Type={'oneshot' if recipe.oneshot else 'exec'}",
               *_path_setting("WorkingDirectory", member.cwd, member, cannot),
               *_environment(stack, member, cannot),
               f"ExecStart={_exec_start(member)}"]
    if recipe.oneshot:
        service += ["RemainAfterExit=yes", f"TimeoutStartSec={member.grace()}"]
    else:
        log = stack.root / "state" / "logs" / f"{member.name}.systemd.log"
        output = (_path_setting("StandardOutput", log, member, cannot, prefix="truncate:")
                  if "log" in recipe.verify.checks else [])
        service += [*output, "StandardError=inherit"] if output else []
        if output and recipe.log_files():  # where its own files end before this start
            marking = " ".join(_quoted(word) for word in shell.mark(stack, member))
            service.append(f"ExecStartPre={marking}")
        service += [f"ExecStartPost={_wait(stack, member, str(log) if output else None)}",
                    f"TimeoutStartSec={member.grace() + 5}",
                    f"Restart={RESTART[recipe.restart]}",
                    f"RestartSec={FIRST_PAUSE}",
                    "# the pause grows as under bringup watch: systemd 254 and later; an older",
                    "# one says it ignores these two keys and pauses RestartSec every time",
                    f"RestartSteps={STEPS}", f"RestartMaxDelaySec={LONGEST_PAUSE}"]
        if "connects" in recipe.verify.checks:
            cannot.append(f"{member.name}: verify.connects: bringup wait cannot see an "
                          "engine's process tree")
    service.append(f"TimeoutStopSec={recipe.stop_grace:g}")
    if recipe.user and system:
        service.append(f"User={recipe.user}")
    elif recipe.user:
        cannot.append(f"{member.name}: user = {recipe.user!r}: a user unit runs as its own "
                      "user (export with --system for User=)")
    return _sections(unit, service, stack)


def _sections(unit: list[str], service: list[str], stack: Stack) -> str:
    return ("[Unit]\n" + "".join(f"{line}\n" for line in unit) + "\n[Service]\n"
            + "".join(f"{line}\n" for line in service)
            + f"\n[Install]\nWantedBy={stack.project}.target\n")


def _environment(stack: Stack, member: Member, cannot: list[str]) -> list[str]:
    lines = _path_setting("EnvironmentFile", stack.root / ".env", member, cannot, prefix="-")
    if member.recipe.env_file:
        lines += _path_setting("EnvironmentFile", member.cwd / member.recipe.env_file, member,
                               cannot)
    lines += [f"Environment={_quoted(f'{key}={value}', command=False)}"
              for key, value in shell.environment(member).items()]
    cannot += shell.secrets_said(member, "put it in an EnvironmentFile")
    return lines


def _exec_start(member: Member) -> str:
    """systemd runs a program by its absolute path: a relative one is the service's own file,
    a bare name is looked up where the service would find it (its venv first)."""
    recipe = member.recipe
    if isinstance(recipe.command, str):
        return f"/bin/sh -c {_quoted(recipe.command)}"
    program, *rest = recipe.command
    if "/" in program:
        program = str((member.cwd / program).resolve()) if not program.startswith("/") else program
    else:
        venvs = [str(member.cwd / need.venv / "bin") for need in recipe.needs
                 if need.kind == "python"]
        found = shutil.which(program, path=os.pathsep.join([*venvs, os.defpath,
                                                            os.environ.get("PATH", "")]))
        program = found or program
    return " ".join(_quoted(word) for word in [program, *rest])


def _wait(stack: Stack, member: Member, log: str | None) -> str:
    return " ".join(_quoted(word) for word in shell.wait(stack, member, log))


def _quoted(word: str, *, command: bool = True) -> str:
    """A word as systemd reads it: quoted when it must be; `%` (and in a command, `$`) taken
    literally. A unit holds one setting a line, so a newline or another control character is
    written as the C escape systemd undoes inside quotes (systemd.syntax(7), "Quoting")."""
    word = word.replace("%", "%%")
    if command:
        word = word.replace("$", "$$")
    if word and not re.search(r"[\s\"'\\;]|" + CONTROL.pattern, word):
        return word
    word = word.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + CONTROL.sub(lambda found: _escape(found.group()), word) + '"'


def _escape(char: str) -> str:
    return ESCAPES.get(char, f"\\x{ord(char):02x}")


def _path_setting(key: str, path: Path, member: Member, cannot: list[str], *,
                  prefix: str = "") -> list[str]:
    """A path setting's line, or none when systemd cannot take the path. systemd does not
    unquote WorkingDirectory=, EnvironmentFile= or StandardOutput=truncate: (quotes would be
    part of the path), but resolves `%` specifiers in them; the line ends at a newline, loses
    trailing blanks and runs on after a trailing backslash."""
    text = str(path)
    if CONTROL.search(text) or text != text.rstrip() or text.endswith("\\"):
        cannot.append(f"{member.name}: {key}={prefix}{text!r}: systemd cannot take this path "
                      "in a unit (a control character, or a blank or backslash at its end)")
        return []
    return [f"{key}={prefix}{text.replace('%', '%%')}"]


def _text(text: str) -> str:
    """Free text (Description=) as systemd shows it: specifiers resolved, nothing unquoted, one
    line."""
    return CONTROL.sub(" ", text).replace("%", "%%")
