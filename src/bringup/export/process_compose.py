"""process-compose: one `process-compose.yaml`. The recipe's checks become a readiness probe
(http_get when it judges the answer as bringup does, else one exec command that runs them
all), a log check alone becomes `ready_log_line`, and `depends_on` waits for health, that log
line, or a task's successful end; an external service is a process that only waits for it to
answer."""

from __future__ import annotations

import math
import shlex
from urllib.parse import urlsplit

from bringup.checks.http import HttpSpec
from bringup.checks.log import LogSpec
from bringup.export import shell, yamltext
from bringup.export.stack import Member, Rendered, Stack

NAME = "process-compose"
FILE = "process-compose.yaml"
PERIOD = 2  # seconds between probes; the failure threshold gives a start its grace
RESTART = {"on-failure": "on_failure", "always": "always", "no": "no"}


def render(stack: Stack, *, system: bool) -> Rendered:
    """`system` is systemd's: process-compose has no such choice."""
    rendered = Rendered()
    processes = {member.name: _process(stack, member, rendered.cannot)
                 for member in stack.members}
    # The commands run through a shell, which expands what they say; process-compose must not.
    project = {"version": "0.5", "disable_env_expansion": True, "processes": processes}
    body = yamltext.dump(project)
    rendered.cannot.append("env files: process-compose reads the .env beside this file; pass "
                           "each service's env_file with -e (their values are not copied)")
    rendered.files[FILE] = stack.seal(stack.header(NAME, rendered.cannot), body)
    return rendered


def _process(stack: Stack, member: Member, cannot: list[str]) -> dict[str, object]:
    recipe = member.recipe
    found: dict[str, object] = {"description": f"{recipe.description or member.name} "
                                               f"({member.grace_said()})"}
    if recipe.external:
        found["command"] = shlex.join(shell.wait(stack, member))
        found["availability"] = {"restart": "no"}
        return found
    found["command"] = recipe.command_text()
    found["working_dir"] = str(member.cwd)
    found["environment"] = [f"{key}={value}" for key, value in shell.environment(member).items()]
    cannot += shell.secrets_said(member, "export it in the shell that runs process-compose")
    if not recipe.oneshot:
        found.update(_readiness(member, cannot))
    after = _depends_on(stack, member, cannot)
    if after:
        found["depends_on"] = after
    found["availability"] = {"restart": "no" if recipe.oneshot else RESTART[recipe.restart],
                             "backoff_seconds": 1, "max_restarts": recipe.max_restarts}
    if recipe.restart != "no" and not recipe.oneshot:
        cannot.append(f"{member.name}: max_restarts = {recipe.max_restarts} within 10 "
                      "minutes: process-compose counts restarts without a window")
    found["shutdown"] = {"signal": 15, "timeout_seconds": math.ceil(recipe.stop_grace)}
    if recipe.user:
        cannot.append(f"{member.name}: user = {recipe.user!r}: process-compose runs every "
                      "process as its own user")
    return found


def _readiness(member: Member, cannot: list[str]) -> dict[str, object]:
    log = member.recipe.verify.checks.get("log")
    if isinstance(log, LogSpec) and log.error is not None:
        cannot.append(f"{member.name}: verify.log_error {log.error!r}: process-compose fails "
                      "no process on a log line")
    probe = _probe(member, cannot)
    if probe is None:
        line = _ready_line(member)
        if isinstance(log, LogSpec) and log.ready is not None and line is None:
            cannot.append(f"{member.name}: verify.log {log.ready!r}: process-compose looks "
                          "for a ready line within one line of output, and this text spans lines")
        return {"ready_log_line": line} if line is not None else {}
    if isinstance(log, LogSpec) and log.ready is not None:
        cannot.append(f"{member.name}: verify.log {log.ready!r} with other checks: "
                      "process-compose takes a readiness probe or a ready log line, not both; "
                      "the probe, which runs every other check, is written")
    failures = max(3, math.ceil(member.grace() / PERIOD))
    return {"readiness_probe": {**probe, "initial_delay_seconds": 0, "period_seconds": PERIOD,
                                "timeout_seconds": 5, "success_threshold": 1,
                                "failure_threshold": failures}}


def _ready_line(member: Member) -> str | None:
    """The text process-compose waits for in the output, as bringup's log check reads it: a
    plain substring on both sides (process-compose: strings.Contains on each line read), so
    written as it is. None when the probe decides readiness instead: process-compose's
    documentation calls ready_log_line and a readiness probe incompatible, and the probe runs
    every check a command can run (a stronger proof than one line), so the line is left out
    and said; None too for a text spanning lines, which no single line holds."""
    log = member.recipe.verify.checks.get("log")
    if not isinstance(log, LogSpec) or log.ready is None or shell.runnable(member):
        return None
    return log.ready if "\n" not in log.ready else None


def _probe(member: Member, cannot: list[str]) -> dict[str, object] | None:
    checks = shell.runnable(member)
    cannot += shell.unrunnable(member)
    if "connects" in member.recipe.verify.checks:
        cannot.append(f"{member.name}: verify.connects: process-compose cannot see which "
                      "connections a process holds")
    if not checks:
        return None
    plain = checks[0]
    if len(checks) == 1 and isinstance(plain, HttpSpec) and _judged_alike(plain):
        parts = urlsplit(plain.url)
        return {"http_get": {"host": parts.hostname or "127.0.0.1", "scheme": parts.scheme,
                             "path": parts.path or "/",
                             "port": parts.port or (443 if parts.scheme == "https" else 80)}}
    return {"exec": {"command": shell.all_of([shell.check_command(spec) for spec in checks]),
                     "working_dir": str(member.cwd)}}


def _judged_alike(spec: HttpSpec) -> bool:
    """Would process-compose's http_get pass exactly when the check does? It sends a bare GET
    to scheme://host:port/path (no query, headers, body or credentials: the fields it has) and
    passes on status 200 alone (go-health's HTTP checker, which process-compose uses, wants
    its StatusCode, 200 by default), following redirects as Go's client does. bringup passes
    200-399 unless the check names a status, so only a check that names 200 asks the same (of
    a service proven to answer 200 there); anything else is curl in an exec probe."""
    parts = urlsplit(spec.url)
    bare = (spec.method == "GET" and spec.expect is None and spec.data is None
            and not spec.headers)
    return (bare and spec.status == 200 and not parts.query and "@" not in parts.netloc
            and ":" not in (parts.hostname or ""))


def _depends_on(stack: Stack, member: Member, cannot: list[str]) -> dict[str, object]:
    found: dict[str, object] = {}
    for name in member.recipe.after:
        other = stack.member(name)
        if other is None:
            continue
        if other.recipe.oneshot or other.recipe.external:
            condition = "process_completed_successfully"
        elif shell.runnable(other):
            condition = "process_healthy"
        elif _ready_line(other) is not None:
            condition = "process_log_ready"
        else:
            condition = "process_started"
            cannot.append(f"{member.name}: waits only for {name} to start: {name} has no "
                          "check that tells when it is ready")
        found[name] = {"condition": condition}
    return found
