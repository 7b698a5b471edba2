"""The command line: click commands over `bringup.commands`, each rendering the result it gets
back (exit statuses are decided at the edge, bringup.face.edge). Imports are lazy so that
`bringup --help` costs little more than click itself."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

import click
import click.shell_completion

from bringup import __version__
from bringup.face.edge import Edge

if TYPE_CHECKING:
    from bringup.core.context import Context
    from bringup.recipe.workspace import Workspace

F = TypeVar("F", bound=Callable[..., Any])


def workspace_option(function: F) -> F:
    """--workspace, after the command or before it (`bringup -w DIR up`)."""
    return click.option(
        "--workspace", "-w", type=click.Path(file_okay=False, path_type=Path), default=None,
        callback=_or_the_groups,
        help="The workspace folder (default: $BRINGUP_WORKSPACE, else the nearest folder at or "
             "above this one that holds recipes/).")(function)


def _or_the_groups(context: click.Context, _param: click.Parameter,
                   value: Path | None) -> Path | None:
    if value is None and context.parent is not None:
        found: Path | None = context.parent.params.get("workspace")
        return found
    edge = context.find_object(Edge)
    if edge is not None and value is not None:
        edge.workspace = value.resolve()  # a bug before the command opens it is kept there
    return value


def _dry_run(context: click.Context, _param: click.Parameter, value: bool) -> bool:
    edge = context.find_object(Edge)
    if edge is not None and value:
        edge.dry_run = True  # nothing is written into the workspace, not even a traceback
    return value


def service_names(context: click.Context, _param: click.Parameter,
                  incomplete: str) -> list[click.shell_completion.CompletionItem]:
    """The workspace's services, for the shell to complete (none where there is no workspace,
    or its recipes cannot be read: completion never fails)."""
    from bringup.errors import BringupError
    from bringup.recipe.workspace import find

    try:
        names = list(find(context.params.get("workspace")).recipes)
    except (BringupError, OSError):
        return []
    return [click.shell_completion.CompletionItem(name) for name in names
            if name.startswith(incomplete)]


def yes_option(function: F) -> F:
    return click.option("--yes", "-y", is_flag=True,
                        help="Take the recommended answer to every question.")(function)


class Workflow(click.Group):
    """Lists its commands in the order they are used, not alphabetically."""

    ORDER = ("demo", "init", "next", "report", "diagnose", "up", "wait", "watch", "restart",
             "logs", "exec", "down", "export", "skip", "reset", "mcp", "completion")

    def list_commands(self, ctx: click.Context) -> list[str]:
        rank = {name: index for index, name in enumerate(self.ORDER)}
        return sorted(self.commands, key=lambda name: (rank.get(name, len(rank)), name))


@click.group(cls=Workflow, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="bringup")
@workspace_option
def cli(workspace: Path | None) -> None:
    """Get a stuck multi-service stack running, one service at a time, and prove it.

    Start with `bringup demo` to try it, or write recipes/NAME.toml for your services and run
    `bringup next` until every service is proven.
    """


def open_context(workspace: Path | None, command: str, *, yes: bool = False,
                 dry_run: bool = False, strict: bool = True) -> Context:
    from bringup.recipe.workspace import find

    found = find(workspace)
    edge = click.get_current_context().find_object(Edge)
    if edge is not None:
        edge.workspace, edge.dry_run = found.root, dry_run
    if strict:
        found.recipes  # noqa: B018  (a bad recipe stops a command before it does anything)
    return _context(found, command, yes=yes, dry_run=dry_run)  # its recipes read once


def _context(workspace: Workspace, command: str, *, yes: bool = False,
             dry_run: bool = False) -> Context:
    from bringup.core.context import Context
    from bringup.face.console import ConsoleOutput
    from bringup.face.prompts import for_command

    prompter = for_command(command, yes=yes, interactive=sys.stdin.isatty())
    return Context(workspace, prompter=prompter, out=ConsoleOutput(), dry_run=dry_run,
                   command=command)


@cli.command("next", short_help="Prove the next service (or SERVICE), stage by stage.")
@click.argument("service", required=False, shell_complete=service_names)
@click.option("--all", "every", is_flag=True,
              help="Go on with the next service, one after another, until all are proven or "
                   "one cannot be.")
@yes_option
@click.option("--dry-run", is_flag=True, callback=_dry_run,
              help="Say what would be checked and done; change nothing.")
@workspace_option
def next_command(service: str | None, every: bool, yes: bool, dry_run: bool,
                 workspace: Path | None) -> int:
    """Take the next service (or SERVICE) through needs, paths, permissions, start, verify and
    stable, asking before every fix; proven services are re-checked first."""
    from bringup.commands.next import run_all, run_next
    from bringup.face import render

    if service and every:
        raise click.UsageError("name a SERVICE or pass --all, not both")
    ctx = open_context(workspace, "next", yes=yes, dry_run=dry_run)
    with ctx.working(hold=False), ctx.alone():  # state/ is held only while it is written
        done = run_all(ctx) if every else run_next(ctx, service)
    if done.dry_run:
        return 0
    if done.said:
        ctx.out.verdict(done.said, True)
    ctx.out.line(render.next_done(done))
    return 0


@cli.command(short_help="What is proven working, with live evidence.")
@click.option("--json", "as_json", is_flag=True, help="The report as JSON (bringup.report/1).")
@click.option("--markdown", is_flag=True, help="The report as a markdown table.")
@click.option("--no-check", is_flag=True, help="Show the stored state only; run no live check.")
@workspace_option
def report(as_json: bool, markdown: bool, no_check: bool, workspace: Path | None) -> int:
    """Show what is proven working, with the evidence of live checks run now for every service.
    Exits 1 when a proven service has regressed; 2 when a recipe is invalid (the other
    services are reported all the same, the invalid one as a row of its own)."""
    import shutil

    from bringup.commands.report import build, exit_code
    from bringup.face import grid, render

    if as_json and markdown:
        raise click.UsageError("--json and --markdown do not go together")
    ctx = open_context(workspace, "report", strict=False)
    invalid = ctx.workspace.settle()
    with ctx.working(write=False):
        data = build(ctx, check=not no_check)
    if as_json:
        click.echo(render.as_json(data))
    elif markdown:
        click.echo(render.markdown(data, invalid), nl=False)
    else:
        width = shutil.get_terminal_size((120, 24)).columns
        click.echo("\n".join(grid.table(data, width, invalid)))
    for error in invalid.values():
        click.echo(f"bringup: {error}", err=True)
    return 2 if invalid else exit_code(data)  # an invalid recipe is a usage error (exit 2)


@cli.command(short_help="Name the cause of a failure, with its fix.")
@click.argument("service", required=False, shell_complete=service_names)
@click.option("--log", "log_file", type=click.File("rb"),  # bytes: a lone CR is evidence
              help="Diagnose this log file instead (- reads standard input).")
@click.option("--json", "as_json", is_flag=True, help="The findings as a JSON list.")
@workspace_option
def diagnose(service: str | None, log_file: IO[bytes] | None, as_json: bool,
             workspace: Path | None) -> int:
    """Name the causes of SERVICE's last failure (from its log and exit status), or of any log
    with --log FILE, most likely first, each with its fix and the line it was read from. Exits 1
    when there are findings."""
    from bringup.commands import diagnose as diagnosing
    from bringup.face import render

    if bool(service) == bool(log_file):
        raise click.UsageError("name a SERVICE or pass --log FILE (not both)")
    if log_file is not None:
        found = diagnosing.of_log(log_file.read().decode("utf-8", errors="replace"))
    else:
        assert service is not None
        found = diagnosing.of_service(open_context(workspace, "diagnose"), service)
    if as_json:
        click.echo(render.as_json([finding.to_json() for finding in found.findings]))
    elif found.proven:
        click.echo(f"{service} is proven: there is no failure to diagnose")
    else:
        click.echo(render.findings(found.findings))
    return 1 if found.findings else 0


@cli.command(short_help="Start the proven services in dependency order.")
@click.argument("services", nargs=-1, shell_complete=service_names)
@workspace_option
def up(services: tuple[str, ...], workspace: Path | None) -> int:
    """Start proven services (all, or SERVICES and what they come after) in dependency order,
    the independent ones at the same time, each verified; asks nothing. Exits 1 when one does
    not come up."""
    from bringup.commands.up import up as bring_up
    from bringup.face import render

    ctx = open_context(workspace, "up")
    with ctx.working():
        result = bring_up(ctx, services)
    problems = render.up_problems(result)
    for problem in problems:
        ctx.out.step("up", problem, False)
    ctx.out.line(f"up: {', '.join(result.up) or 'nothing'}")
    return 1 if problems else 0


@cli.command(short_help="Wait until services answer their checks.")
@click.argument("services", nargs=-1, required=True, shell_complete=service_names)
@click.option("--timeout", type=click.FloatRange(min=0), default=60.0, show_default=True,
              help="Seconds to wait before giving up.")
@click.option("--engine", is_flag=True,
              help="Another engine (systemd, compose, Kubernetes) runs them: judge them by "
                   "what their checks see from outside, not by bringup's processes.")
@click.option("--log", "log_file", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="With --engine: the log this start writes, read for the "
                                 "recipe's `log` check (one service only).")
@click.option("--mark", is_flag=True,
              help="With --engine, before the engine starts them: record where the files they "
                   "log to end, for the wait that follows to read on from there; then exit.")
@workspace_option
def wait(services: tuple[str, ...], timeout: float, *, engine: bool, log_file: Path | None,
         mark: bool, workspace: Path | None) -> int:
    """Exit 0 once every one of SERVICES passes its checks, 1 when --timeout runs out first:
    for a script after `bringup up`, or an engine's readiness hook. A service bringup runs
    must be its own live process, answering on its own sockets; a task, proven by exiting 0."""
    from bringup.commands.wait import mark as mark_logs
    from bringup.commands.wait import wait as wait_for

    if log_file is not None and (not engine or len(services) != 1):
        raise click.UsageError("--log goes with --engine and one service")
    if mark and (not engine or log_file is not None):
        raise click.UsageError("--mark goes with --engine, without --log")
    ctx = open_context(workspace, "wait")
    if mark:
        mark_logs(ctx, services)
        return 0
    with ctx.working(write=False):
        result = wait_for(ctx, services, timeout=timeout, engine=engine, log=log_file)
    for name, why in result.waiting.items():
        ctx.out.step("wait", f"{name}: not ready after {timeout:g} s: {why}", False)
    return 1 if result.waiting else 0


@cli.command(short_help="Write the proven stack for a real engine.")
@click.argument("target", type=click.Choice(["compose", "process-compose", "systemd",
                                             "kubernetes"]))
@click.argument("services", nargs=-1, shell_complete=service_names)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The folder to write into (default: export/TARGET in the workspace).")
@click.option("--include-unproven", is_flag=True,
              help="Include services not proven yet (the file says so) instead of refusing.")
@click.option("--system", is_flag=True, help="systemd: system units (User= is kept), not "
                                             "user units.")
@workspace_option
def export(target: str, services: tuple[str, ...], *, out: Path | None,
           include_unproven: bool, system: bool, workspace: Path | None) -> int:
    """Write the proven services (all, or SERVICES and what they come after) for TARGET: a
    compose file, a process-compose file, systemd units and a target, or a Kubernetes manifest
    (Deployments, Jobs, Services, ConfigMaps). Checks become the
    engine's health checks, `after` its dependencies that wait for health, and start timeouts
    come from the slowest start bringup measured. Prints, and writes in each file, what the
    target cannot express. Exporting again gives the same bytes; a file edited since is never
    written over."""
    from bringup.commands.export import export as write_out

    ctx = open_context(workspace, "export")
    with ctx.working(write=False):
        result = write_out(ctx, target, services, out=out, include_unproven=include_unproven,
                           system=system)
    for name in result.written:
        ctx.out.step("export", f"wrote {result.out / name}", True)
    for name in result.unchanged:
        ctx.out.step("export", f"{result.out / name}: unchanged", True)
    for line in result.cannot:
        ctx.out.line(f"not expressed: {line}", "warning")
    return 0


@cli.command(short_help="Stop what bringup started.")
@click.argument("services", nargs=-1, shell_complete=service_names)
@workspace_option
def down(services: tuple[str, ...], workspace: Path | None) -> int:
    """Stop services bringup started (all, or SERVICES), in reverse dependency order: SIGTERM to
    the process group, SIGKILL after stop_grace. Never a process bringup did not start."""
    from bringup.commands.down import down as bring_down

    ctx = open_context(workspace, "down", strict=False)
    with ctx.working():
        result = bring_down(ctx, services)
    if not result.stopped:
        ctx.out.line("nothing of bringup's was running")
    return 0


@cli.command(short_help="Stop services and start them again, verified.")
@click.argument("services", nargs=-1, shell_complete=service_names)
@workspace_option
def restart(services: tuple[str, ...], workspace: Path | None) -> int:
    """Stop SERVICES (all proven ones if none) and start them again, each verified; the
    services after them are restarted too when their `restart` policy says so, else checked.
    Exits 1 when one does not come back."""
    from bringup.commands.restart import restart as start_again

    ctx = open_context(workspace, "restart")
    with ctx.working():
        result = start_again(ctx, services)
    for name, why in result.failed.items():
        ctx.out.step("restart", f"{name}: {why}", False)
    for name, told in result.told.items():
        ctx.out.step("restart", f"{name} (comes after them): {told.what}", told.ok)
    ctx.out.line(f"restarted: {', '.join(result.restarted) or 'nothing'}")
    return 0 if result.ok else 1


@cli.command(short_help="Keep proven services healthy; restart what fails.")
@click.option("--detach", is_flag=True,
              help="Run in the background, on after the terminal closes (its output: "
                   "state/watch.log).")
@click.option("--stop", "stop_it", is_flag=True, help="End the watch running in the background.")
@click.option("--serve", metavar="[HOST:]PORT", is_flag=False, flag_value="127.0.0.1:7467",
              default=None, help="Serve a live status page, /report.json, /metrics and "
                                 "/healthz (default 127.0.0.1:7467; needs bringup[serve]).")
@click.option("--ssot", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Keep the JSON report in this file, replaced whole when it changes.")
@workspace_option
def watch(detach: bool, stop_it: bool, serve: str | None, ssot: Path | None,
          workspace: Path | None) -> int:
    """Keep proven services healthy until stopped (Ctrl-C, or `--stop` for one started with
    `--detach`): check each every `interval`, restart a failing one per its `restart` policy
    with a growing pause, and keep state/ current so `bringup report --json` is a live picture.
    One watch per workspace; `down`, `up`, `restart` and `next` work while it runs."""
    from bringup.commands import background

    if detach and stop_it:
        raise click.UsageError("--detach and --stop do not go together")
    ctx = open_context(workspace, "watch")
    if stop_it:
        stopped = background.stop(ctx)
        ctx.out.line(f"the watch (pid {stopped}) has ended" if stopped else
                     "no watch is running here")
        return 0
    where = _serving(serve)
    if detach:
        pid = background.detach(ctx, [*(["--serve", str(where)] if where else []),
                                      *(["--ssot", str(ssot.absolute())] if ssot else [])])
        ctx.out.line(f"watching {ctx.workspace.root} in the background (pid {pid}; its output: "
                     f"{background.log_file(ctx)}); `bringup watch --stop` ends it")
        return 0
    from bringup.commands.watch import watch as keep_watching

    background.refuse_a_second(ctx)
    ctx.out.line(f"watching {ctx.workspace.root} (Ctrl-C stops)")
    proven = [name for name in ctx.workspace.recipes
              if ctx.state.of(name).status in ("proven", "regressed")]
    ctx.out.line(f"watching {len(proven)} proven: {', '.join(proven)}" if proven else
                 "nothing is proven yet, so nothing is watched; each service is taken up "
                 "once `bringup next` or `bringup up` proves it", "plain" if proven else "notice")
    # state/ is held only while it is written (others may act meanwhile); the watch lock all along
    with ctx.working(hold=False), ctx.store.locked(name=background.LOCK, doing="watch"), \
            _served(ctx, where) as pulse:
        keep_watching(ctx, pulse=pulse, ssot=ssot)
    return 0


def _serving(given: str | None) -> Any:
    """The address --serve names (None without it); its extra must be installed."""
    if given is None:
        return None
    try:
        from bringup.face import web
    except ImportError as error:
        raise click.UsageError(f"--serve needs the serve extra: pip install 'bringup[serve]' "
                               f"({error.name} is not installed)") from None
    return web.serving(given)


@contextlib.contextmanager
def _served(ctx: Context, where: Any) -> Iterator[Any]:
    """The watch's pulse, and its page served at `where` while it runs."""
    from bringup.commands.watch import Pulse

    pulse = Pulse()
    if where is None:
        yield pulse
        return
    from bringup.face import web

    def interval() -> float:
        return min((r.verify.interval for r in ctx.workspace.recipes.values()), default=1.0)

    served = web.Served(web.Picture(ctx, pulse, interval), where)
    if not where.loopback:
        ctx.out.line(f"serving on {where}: anyone who can reach this machine sees the stack's "
                     "status (never an environment value)", "warning")
    ctx.out.line(f"status page: http://{where}/ (also /report.json, /metrics, /healthz)")
    try:
        yield pulse
    finally:
        served.stop()


@cli.command(short_help="Park a service that cannot run here.")
@click.argument("service", shell_complete=service_names)
@click.option("--reason", required=True, help="Why it cannot run here (shown in the report).")
@workspace_option
def skip(service: str, reason: str, workspace: Path | None) -> int:
    """Park SERVICE, which cannot run here, so the others can go on; `reset` un-parks it."""
    from bringup.commands.park import skip as park

    ctx = open_context(workspace, "skip")
    with ctx.working():
        park(ctx, service, reason)
    ctx.out.verdict(f"{service} is parked: {reason}", True)
    return 0


@cli.command(short_help="Forget a service's progress.")
@click.argument("services", nargs=-1, shell_complete=service_names)
@click.option("--all", "everything", is_flag=True,
              help="Forget the progress of every service and undo bringup's changes to this "
                   "machine.")
@workspace_option
def reset(services: tuple[str, ...], everything: bool, workspace: Path | None) -> int:
    """Forget the progress of SERVICES (fixes already applied stay applied); --all also undoes
    the changes bringup made to this machine (a hosts alias)."""
    from bringup.commands.park import reset as forget
    from bringup.remedies.machine import undo_all

    if bool(services) == everything:
        raise click.UsageError("name the services to reset, or pass --all")
    ctx = open_context(workspace, "reset")
    with ctx.working():
        done = forget(ctx, services)
        undone = undo_all(ctx) if everything else []
    ctx.out.line(f"forgot the progress of {', '.join(done)}")
    for said in undone:
        ctx.out.line(said)
    return 0


def _since(_context: click.Context, _param: click.Parameter, value: str | None) -> float | None:
    import time

    from bringup.commands.logs import since_time

    if value is None:
        return None
    try:
        return since_time(value, time.time())
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


@cli.command(short_help="Show the services' logs, interleaved, or follow them.")
@click.argument("services", nargs=-1, shell_complete=service_names)
@click.option("-n", "--tail", "lines", default=40, show_default=True, type=click.IntRange(min=1),
              help="How many of the last lines of each log to show.")
@click.option("-f", "--follow", is_flag=True, help="Keep printing lines as they arrive.")
@click.option("--since", metavar="WHEN", callback=_since,
              help="Only lines of starts still writing since then: 10m, 2h, 1d, or 18:00.")
@click.option("-t", "--timestamps", is_flag=True,
              help="Put the local time before each line (when it arrived, for a followed "
                   "line; for an earlier one, when the start that wrote it began, after ~).")
@workspace_option
def logs(services: tuple[str, ...], lines: int, *, follow: bool, since: float | None,
         timestamps: bool, workspace: Path | None) -> int:
    """Show the last lines of each SERVICE's log from state/logs/ (its output and errors, a
    marker line at each start), of every service when none is named: interleaved by when each
    start began, each line after its service's name in a colour of its own. With -f, go on
    with lines as they arrive (across a truncated or rotated log) until Ctrl-C."""
    from bringup.commands.logs import show
    from bringup.face.loglines import log_line

    shown = show(open_context(workspace, "logs", strict=False), list(services), lines,
                 follow=follow, since=since)
    if shown.invalid:
        click.echo(f"bringup: {shown.invalid} (the logs are shown all the same)", err=True)
    names = [] if shown.alone else shown.services
    width = max(map(len, names), default=0)
    for line in shown.lines:
        click.echo(log_line(line, names, width, timestamps=timestamps))
    try:
        for line in shown.follow or ():
            click.echo(log_line(line, names, width, timestamps=timestamps))
    except KeyboardInterrupt:  # the way to stop following: not a failure
        return 0
    return 0


@cli.command("exec", short_help="Run a command with a service's env, venv and folder.",
             context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False})
@click.argument("service", shell_complete=service_names)
@click.argument("command", nargs=-1, required=True, type=click.UNPROCESSED)
@workspace_option
def exec_(service: str, command: tuple[str, ...], workspace: Path | None) -> int:
    """Run COMMAND as SERVICE's own process would run: with its environment (the workspace's
    .env, the environment bringup runs in, its env file and recipe env, its venv first on the
    PATH), in its folder, as its user. Put -- before a command with options of its own:
    `bringup exec api -- python manage.py migrate`. The exit status is the command's."""
    from bringup.commands.exec import run_exec

    argv = command[1:] if command[0] == "--" else command  # kept: no option follows SERVICE
    if not argv:
        raise click.UsageError("name the command to run after --")
    ctx = open_context(workspace, "exec")
    run_exec(ctx, service, argv, say=lambda text: click.echo(text, err=True))


@cli.command("mcp", short_help="Serve bringup to coding assistants (MCP, on stdio).")
@click.option("--allow-actions", is_flag=True,
              help="Also offer next, up, down and restart (read-only tools otherwise).")
@workspace_option
def mcp_(allow_actions: bool, workspace: Path | None) -> int:
    """Serve the Model Context Protocol on standard input and output (the mcp extra: pip
    install 'bringup[mcp]'), for a coding assistant: the tools report, diagnose, logs and plan
    (what `next` would do); with --allow-actions also next, up, down and restart, each taking
    the recommended answer to every question and returning the questions with its result."""
    from bringup.face import assistant
    from bringup.recipe.workspace import find

    try:
        import mcp.server.mcpserver  # noqa: F401  (the extra, asked for before anything runs)
    except ImportError as error:
        raise click.UsageError(f"mcp needs the mcp extra: pip install 'bringup[mcp]' "
                               f"({error.name} is not installed)") from None
    served = assistant.server(find(workspace).root, actions=allow_actions)
    served.run("stdio")
    return 0


@cli.command(short_help="Write recipes for the services found here.")
@yes_option
@workspace_option
def init(yes: bool, workspace: Path | None) -> int:
    """Scan the workspace (--workspace, else $BRINGUP_WORKSPACE, else this folder) for services:
    compose files, a Procfile, package.json, Python entry points and start scripts; write
    recipes/NAME.toml for each one chosen. An existing recipe is never overwritten without asking
    (--yes keeps it)."""
    import os

    from bringup.commands.init import run_init
    from bringup.errors import UsageError
    from bringup.recipe.workspace import Workspace

    named = workspace or Path(os.environ.get("BRINGUP_WORKSPACE") or ".")
    if not named.is_dir():
        raise UsageError(f"{named} is not a folder: name the folder that holds the services")
    click.get_current_context().find_object(Edge).workspace = named  # type: ignore[union-attr]
    ctx = _context(Workspace(named.resolve()), "init", yes=yes)
    result = run_init(ctx)
    if not result.found:
        ctx.out.line(f"found no services in {ctx.workspace.root}: no compose file, Procfile, "
                     "package.json, Python entry point or start script; write recipes/NAME.toml "
                     "yourself (bringup's recipes/ catalog has ones to start from)")
        return 0
    written = ", ".join(f"recipes/{name}.toml" for name in result.written)
    ctx.out.line(f"\nwrote: {written or 'nothing'}")
    if any(ctx.workspace.recipes_dir.glob("*.toml")):
        where = "" if ctx.workspace.root == Path.cwd().resolve() else f" --workspace {named}"
        ctx.out.line(f"next: bringup next{where}")
    return 0


@cli.command(short_help="Write a small stuck stack to try bringup on.")
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@workspace_option
def demo(directory: Path | None, workspace: Path | None) -> int:
    """Write a small stuck stack into DIRECTORY (default ./bringup-demo; --workspace names it
    too) to try the wizard on."""
    from bringup.commands.demo import write_demo

    directory = directory or workspace or Path("bringup-demo")
    names = write_demo(directory)
    click.echo(f"wrote a stuck stack of {len(names)} services ({', '.join(names)}) to {directory}")
    click.echo(f"now:  cd {directory} && bringup next")
    return 0


SHELLS = ("bash", "zsh", "fish")


@cli.command(short_help="Print the shell completion script.")
@click.argument("shell", required=False, type=click.Choice(SHELLS))
def completion(shell: str | None) -> int:
    """Print the completion script for SHELL (default: the shell this runs in, as shellingham
    finds it) of commands, options and service names. Load it from your shell's startup file,
    e.g. eval "$(bringup completion bash)" in ~/.bashrc."""
    if shell is None:
        shell = _detected_shell()
    complete = click.shell_completion.get_completion_class(shell)
    assert complete is not None  # click has one for each of SHELLS
    click.echo(complete(cli, {}, "bringup", "_BRINGUP_COMPLETE").source())
    return 0


def _detected_shell() -> str:
    import shellingham

    try:
        name, _ = shellingham.detect_shell()
    except shellingham.ShellDetectionFailure:
        raise click.UsageError(f"cannot tell which shell this is: name it ({', '.join(SHELLS)})"
                               ) from None
    if name not in SHELLS:
        raise click.UsageError(f"bringup completes in {', '.join(SHELLS)}, not {name}: name one")
    return str(name)
