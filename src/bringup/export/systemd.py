"""systemd: a unit per service and a target that groups them. Dependencies are `Requires=` and
`After=`; readiness is an `ExecStartPost=` that runs `bringup wait --engine` on the service's
checks, so a unit counts as started only once it answers, and what comes after it waits; a
task is `Type=oneshot` with `RemainAfterExit=`; an external service is a unit that only waits
for it."""

from __future__ import annotations

import os
import re
import shutil

from bringup.export import shell
from bringup.export.stack import Member, Rendered, Stack

NAME = "systemd"
RESTART = {"on-failure": "on-failure", "always": "always", "no": "no"}
FIRST_PAUSE, LONGEST_PAUSE, STEPS = 1, 60, 6  # watch's pause doubles from 1 s up to 60 s
WINDOW = 600  # max_restarts count within this many seconds, as under watch


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
    unit = [f"Description={recipe.description or member.name} ({member.grace_said()})"]
    if needs:
        unit += [f"Requires={' '.join(needs)}", f"After={' '.join(needs)}"]
    unit += [f"StartLimitIntervalSec={WINDOW}", f"StartLimitBurst={recipe.max_restarts + 1}"]
    if recipe.external:
        service = ["Type=oneshot", "RemainAfterExit=yes",
                   f"ExecStart={_wait(stack, member, None)}",
                   f"TimeoutStartSec={member.grace() + 5}"]
        return _sections(unit, service, stack)
    service = [f"Type={'oneshot' if recipe.oneshot else 'exec'}",
               f"WorkingDirectory={_quoted(str(member.cwd), command=False)}",
               *_environment(stack, member, cannot),
               f"ExecStart={_exec_start(member)}"]
    if recipe.oneshot:
        service += ["RemainAfterExit=yes", f"TimeoutStartSec={member.grace()}"]
    else:
        log = None
        if "log" in recipe.verify.checks:
            log = stack.root / "state" / "logs" / f"{member.name}.systemd.log"
            service += [f"StandardOutput=truncate:{log}", "StandardError=inherit"]
        service += [f"ExecStartPost={_wait(stack, member, str(log) if log else None)}",
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
    lines = [f"EnvironmentFile=-{_quoted(str(stack.root / '.env'), command=False)}"]
    if member.recipe.env_file:
        lines.append("EnvironmentFile="
                     + _quoted(str(member.cwd / member.recipe.env_file), command=False))
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
    literally."""
    word = word.replace("%", "%%")
    if command:
        word = word.replace("$", "$$")
    if word and not re.search(r"[\s\"'\\;]", word):
        return word
    return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'
