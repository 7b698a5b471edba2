"""The command line: a skin over functions that return data. Imports are lazy so that
`bringup --help` costs little more than click itself."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

import click

from bringup import __version__
from bringup.errors import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_USAGE, BringupError

if TYPE_CHECKING:
    from bringup.context import Context

F = TypeVar("F", bound=Callable[..., Any])


def workspace_option(function: F) -> F:
    return click.option(
        "--workspace", "-w", type=click.Path(file_okay=False, path_type=Path), default=None,
        help="The workspace folder (default: $BRINGUP_WORKSPACE, else the nearest folder at or "
             "above this one that holds recipes/).")(function)


def yes_option(function: F) -> F:
    return click.option("--yes", "-y", is_flag=True,
                        help="Take the recommended answer to every question.")(function)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="bringup")
def cli() -> None:
    """Get a stuck multi-service stack running, one service at a time, and prove it.

    Start with `bringup demo` to try it, or write recipes/NAME.toml for your services and run
    `bringup next` until every service is proven.
    """


def open_context(workspace: Path | None, command: str, *, yes: bool = False,
                 dry_run: bool = False, strict: bool = True) -> Context:
    from bringup import prompts
    from bringup.context import Context
    from bringup.workspace import find

    found = find(workspace)
    if strict:
        found.recipes  # noqa: B018  (a bad recipe stops a command before it does anything)
    prompter = prompts.for_command(command, yes=yes, interactive=sys.stdin.isatty())
    return Context(found, prompter=prompter, dry_run=dry_run)


@contextlib.contextmanager
def session(ctx: Context, *, write: bool = True) -> Iterator[None]:
    """Hold the workspace while working; whatever happens, what was done is saved."""
    lock = ctx.store.locked() if write and not ctx.dry_run else contextlib.nullcontext()
    with lock:
        try:
            yield
        except KeyboardInterrupt:
            ctx.journal("interrupted")
            raise
        finally:
            if write:
                ctx.save()
            ctx.close()


@cli.command("next")
@click.argument("service", required=False)
@yes_option
@click.option("--dry-run", is_flag=True, help="Say what would be checked and done; change nothing.")
@workspace_option
def next_command(service: str | None, yes: bool, dry_run: bool, workspace: Path | None) -> int:
    """Take the next service (or SERVICE) through needs, paths, permissions, start, verify and
    stable, asking before every fix; proven services are re-checked first."""
    from bringup.wizard import run_next

    ctx = open_context(workspace, "next", yes=yes, dry_run=dry_run)
    with session(ctx):
        done = run_next(ctx, service)
    if dry_run:
        return 0
    proven = ", ".join(done.proven) or "none yet"
    parked = [name for name, entry in ctx.state.services.items() if entry.status == "skipped"]
    upcoming = f"{done.upcoming} (run `bringup next`)" if done.upcoming else "nothing left"
    if parked:
        upcoming += f"; parked: {', '.join(parked)}"
    ctx.out.line(f"proven: {proven}\nnext: {upcoming}")
    return 0


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="The report as JSON (bringup.report/1).")
@click.option("--markdown", is_flag=True, help="The report as a markdown table.")
@click.option("--no-check", is_flag=True, help="Show the stored state only; run no live check.")
@workspace_option
def report(as_json: bool, markdown: bool, no_check: bool, workspace: Path | None) -> int:
    """Show what is proven working, with the evidence of live checks run now for every service.
    Exits 1 when a proven service has regressed."""
    from bringup import render
    from bringup.report import build, exit_code

    if as_json and markdown:
        raise click.UsageError("--json and --markdown do not go together")
    ctx = open_context(workspace, "report")
    with session(ctx, write=False):
        data = build(ctx, check=not no_check)
    if as_json:
        click.echo(render.as_json(data))
    elif markdown:
        click.echo(render.markdown(data), nl=False)
    else:
        ctx.out.console.print(render.table(data))
    return exit_code(data)


@cli.command()
@click.argument("service", required=False)
@click.option("--log", "log_file", type=click.File("r", encoding="utf-8", errors="replace"),
              help="Diagnose this log file instead (- reads standard input).")
@click.option("--json", "as_json", is_flag=True, help="The findings as a JSON list.")
@workspace_option
def diagnose(service: str | None, log_file: IO[str] | None, as_json: bool,
             workspace: Path | None) -> int:
    """Name the causes of SERVICE's last failure (from its log and exit status), or of any log
    with --log FILE, most likely first, each with its fix and the line it was read from. Exits 1
    when there are findings."""
    import json

    from bringup import explain

    if bool(service) == bool(log_file):
        raise click.UsageError("name a SERVICE or pass --log FILE (not both)")
    if log_file is not None:
        from bringup.diagnosis import diagnose as read_log

        findings = read_log(log_file.read())
    else:
        ctx = open_context(workspace, "diagnose")
        assert service is not None
        findings = explain.for_service(ctx, service)
        if not findings and ctx.state.of(service).status == "proven" and not as_json:
            click.echo(f"{service} is proven: there is no failure to diagnose")
            return 0
    if as_json:
        click.echo(json.dumps([finding.to_json() for finding in findings], indent=2))
    else:
        click.echo(explain.render(findings))
    return 1 if findings else 0


@cli.command()
@click.argument("services", nargs=-1)
@workspace_option
def up(services: tuple[str, ...], workspace: Path | None) -> int:
    """Start proven services (all, or SERVICES and what they come after) in dependency order,
    the independent ones at the same time, each verified; asks nothing. Exits 1 when one does
    not come up."""
    from bringup.up import up as bring_up

    ctx = open_context(workspace, "up")
    with session(ctx):
        outcome = bring_up(ctx, services)
    for name, reason in {**outcome.failed, **outcome.left}.items():
        ctx.out.step("up", f"{name}: {reason}", False)
    ctx.out.line(f"up: {', '.join(outcome.up) or 'nothing'}")
    return 1 if outcome.failed or outcome.left else 0


@cli.command()
@click.argument("services", nargs=-1)
@workspace_option
def down(services: tuple[str, ...], workspace: Path | None) -> int:
    """Stop services bringup started (all, or SERVICES), in reverse dependency order: SIGTERM to
    the process group, SIGKILL after stop_grace. Never a process bringup did not start."""
    from bringup import ops

    ctx = open_context(workspace, "down", strict=False)
    with session(ctx):
        ops.down(ctx, services)
    return 0


@cli.command()
@workspace_option
def watch(workspace: Path | None) -> int:
    """Keep proven services healthy until stopped (Ctrl-C): check each every `interval`,
    restart a failing one per its `restart` policy with a growing pause, and keep state/
    current so `bringup report --json` is a live picture."""
    from bringup.watch import watch as keep_watching

    ctx = open_context(workspace, "watch")
    ctx.out.line(f"watching {ctx.workspace.root} (Ctrl-C stops)")
    with session(ctx):
        keep_watching(ctx)
    return 0


@cli.command()
@click.argument("service")
@click.option("--reason", required=True, help="Why it cannot run here (shown in the report).")
@workspace_option
def skip(service: str, reason: str, workspace: Path | None) -> int:
    """Park SERVICE, which cannot run here, so the others can go on; `reset` un-parks it."""
    from bringup import ops

    ctx = open_context(workspace, "skip")
    with session(ctx):
        ops.skip(ctx, service, reason)
    return 0


@cli.command()
@click.argument("services", nargs=-1)
@click.option("--all", "everything", is_flag=True, help="Forget the progress of every service.")
@workspace_option
def reset(services: tuple[str, ...], everything: bool, workspace: Path | None) -> int:
    """Forget the progress of SERVICES (fixes already applied stay applied)."""
    from bringup import ops

    if bool(services) == everything:
        raise click.UsageError("name the services to reset, or pass --all")
    ctx = open_context(workspace, "reset")
    with session(ctx):
        done = ops.reset(ctx, services)
    ctx.out.line(f"forgot the progress of {', '.join(done)}")
    return 0


@cli.command()
@click.argument("service")
@click.option("-n", "lines", default=40, show_default=True, type=click.IntRange(min=1),
              help="How many lines to show.")
@click.option("-f", "follow", is_flag=True, help="Keep printing lines as they arrive.")
@workspace_option
def logs(service: str, lines: int, follow: bool, workspace: Path | None) -> int:
    """Show SERVICE's log from state/logs/ (its output and errors, a marker line at each start)."""
    from bringup import ops

    ctx = open_context(workspace, "logs")
    ctx.workspace.recipe(service)
    path = ctx.workspace.log_path(service)
    for line in ops.tail(path, lines):
        click.echo(line)
    if follow:
        for line in ops.follow(path):
            click.echo(line)
    return 0


@cli.command()
@yes_option
@workspace_option
def init(yes: bool, workspace: Path | None) -> int:
    """Scan the workspace (--workspace, else $BRINGUP_WORKSPACE, else this folder) for services:
    compose files, a Procfile, package.json, Python entry points and start scripts; write
    recipes/NAME.toml for each one chosen. An existing recipe is never overwritten without asking
    (--yes keeps it)."""
    import os

    from bringup import prompts
    from bringup.context import Context
    from bringup.errors import UsageError
    from bringup.init import run_init
    from bringup.workspace import Workspace

    named = workspace or Path(os.environ.get("BRINGUP_WORKSPACE") or ".")
    if not named.is_dir():
        raise UsageError(f"{named} is not a folder: name the folder that holds the services")
    prompter = prompts.for_command("init", yes=yes, interactive=sys.stdin.isatty())
    ctx = Context(Workspace(named.resolve()), prompter=prompter)
    outcome = run_init(ctx)
    if not outcome.found:
        ctx.out.line(f"found no services in {ctx.workspace.root}: no compose file, Procfile, "
                     "package.json, Python entry point or start script; write recipes/NAME.toml "
                     "yourself (bringup's recipes/ catalog has ones to start from)")
        return 0
    written = ", ".join(f"recipes/{name}.toml" for name in outcome.written)
    ctx.out.line(f"\nwrote: {written or 'nothing'}")
    if any(ctx.workspace.recipes_dir.glob("*.toml")):
        where = "" if ctx.workspace.root == Path.cwd().resolve() else f" --workspace {named}"
        ctx.out.line(f"next: bringup next{where}")
    return 0


@cli.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@workspace_option
def demo(directory: Path | None, workspace: Path | None) -> int:
    """Write a small stuck stack into DIRECTORY (default ./bringup-demo; --workspace names it
    too) to try the wizard on."""
    from bringup.demo import write_demo

    directory = directory or workspace or Path("bringup-demo")
    names = write_demo(directory)
    click.echo(f"wrote a stuck stack of {len(names)} services ({', '.join(names)}) to {directory}")
    click.echo(f"now:  cd {directory} && bringup next")
    return 0


def run(argv: list[str] | None = None) -> int:
    """Run the command line and map every outcome to its exit status, in this one place."""
    try:
        result = cli.main(args=argv, prog_name="bringup", standalone_mode=False)
    except BringupError as error:
        click.echo(f"bringup: {error}", err=True)
        return error.exit_code
    except (KeyboardInterrupt, click.exceptions.Abort):
        click.echo("\nbringup: interrupted; progress so far is saved", err=True)
        return EXIT_INTERRUPTED
    except click.ClickException as error:
        error.show()
        return EXIT_USAGE
    except Exception as error:  # noqa: BLE001  (the one edge where the unexpected is caught)
        where = _save_traceback()
        click.echo(f"bringup: unexpected error: {error!r} (traceback in {where})", err=True)
        return EXIT_FAILED
    return result if isinstance(result, int) else 0


def _save_traceback() -> Path:
    import tempfile
    import traceback

    from bringup.workspace import find

    try:
        folder = find().state_dir / "logs"
        folder.mkdir(parents=True, exist_ok=True)
    except (BringupError, OSError):
        folder = Path(tempfile.gettempdir())
    target = folder / "bringup-error.log"
    target.write_text(traceback.format_exc(), encoding="utf-8")
    return target


def main() -> None:
    import signal

    def interrupted(signum: int, frame: object) -> None:
        raise KeyboardInterrupt  # a polite stop saves progress just as Ctrl-C does

    signal.signal(signal.SIGTERM, interrupted)
    sys.exit(run())
