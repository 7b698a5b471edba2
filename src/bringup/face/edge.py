"""The one edge where every outcome of a command becomes an exit status: a user's error is one
line, Ctrl-C keeps what was done, and only a bug in bringup shows a traceback, kept in a file."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from bringup.errors import EXIT_BUG, EXIT_INTERRUPTED, EXIT_USAGE, BringupError


class Edge:
    """What the edge learns while a command runs: its workspace, where a traceback is kept."""

    def __init__(self) -> None:
        self.workspace: Path | None = None


def main(argv: list[str] | None = None, *, group: click.Group | None = None) -> int:
    """Run the command line (or `group`) and map every outcome to its exit status."""
    from bringup.face.cli import cli

    edge = Edge()
    try:
        result = (group or cli).main(args=argv, prog_name="bringup", standalone_mode=False,
                                     obj=edge)
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
        where = _save_traceback(edge.workspace)
        click.echo(f"bringup: unexpected error: {error!r} (traceback in {where}; please report "
                   "it)", err=True)
        return EXIT_BUG
    return result if isinstance(result, int) else 0


def _save_traceback(workspace: Path | None) -> Path:
    import tempfile
    import traceback

    from bringup import atomic
    from bringup.recipe.workspace import find

    text = traceback.format_exc()
    try:
        root = workspace or find().root
        target = root / "state" / "logs" / "bringup-error.log"
        atomic.write_text(target, text)
    except (BringupError, OSError):
        target = Path(tempfile.gettempdir()) / "bringup-error.log"
        target.write_text(text, encoding="utf-8")
    return target


def entry() -> None:
    """The `bringup` console script."""
    import signal

    def interrupted(signum: int, frame: object) -> None:
        raise KeyboardInterrupt  # a polite stop saves progress just as Ctrl-C does

    signal.signal(signal.SIGTERM, interrupted)
    sys.exit(main())
