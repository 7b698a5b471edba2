"""The one edge where every outcome of a command becomes an exit status: a user's error is one
line, Ctrl-C keeps what was done, and only a bug in bringup shows a traceback, kept in a file."""

from __future__ import annotations

import errno
import sys
from pathlib import Path

import click

from bringup.errors import (
    EXIT_BUG,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    BringupError,
    WorkspaceError,
    printable,
)


class Edge:
    """What the edge learns while a command runs: its workspace, where a traceback is kept."""

    def __init__(self) -> None:
        self.workspace: Path | None = None
        self.dry_run = False  # a dry run writes nothing into the workspace, not even this


def main(argv: list[str] | None = None, *, group: click.Group | None = None) -> int:
    """Run the command line (or `group`) and map every outcome to its exit status."""
    edge = Edge()
    try:
        result = _run(group, argv, edge)
    except BringupError as error:  # its text may hold a log line: never sent to a terminal raw
        click.echo(f"bringup: {printable(str(error))}", err=True)
        return error.exit_code
    except (KeyboardInterrupt, click.exceptions.Abort):
        return _interrupted()
    except click.ClickException as error:
        error.show()
        return EXIT_USAGE
    except Exception as error:  # noqa: BLE001  (the one edge where the unexpected is caught)
        return _interrupted() if _wraps_interrupt(error) else _bug(error, edge)
    return result if isinstance(result, int) else 0


def _interrupted() -> int:
    click.echo("\nbringup: interrupted; progress so far is saved", err=True)
    return EXIT_INTERRUPTED


def _wraps_interrupt(error: BaseException) -> bool:
    """An interrupt Python turned into another error on its way up (one that lands in a
    descriptor's __set_name__ while a class is made comes out as a RuntimeError)."""
    seen: set[int] = set()
    cause: BaseException | None = error
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, KeyboardInterrupt):
            return True
        seen.add(id(cause))
        cause = cause.__cause__  # not __context__: a bug while an interrupt is handled is a bug
    return False


def _run(group: click.Group | None, argv: list[str] | None, edge: Edge) -> object:
    if group is None:
        from bringup.face.cli import cli  # imported here: an interrupt may come meanwhile

        group = cli
    try:
        return group.main(args=argv, prog_name="bringup", standalone_mode=False, obj=edge)
    except OSError as error:
        said = _unwritable(error, edge.workspace)
        if said is None:
            raise
        raise WorkspaceError(said) from None


# The machine's to fix wherever they happen: a full disk, a quota, a read-only filesystem.
_FULL_OR_READ_ONLY = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS})


def _unwritable(error: OSError, workspace: Path | None) -> str | None:
    """A state folder bringup cannot write (read-only, full, a file or a folder in the way),
    or a disk that takes nothing more, is the user's to fix: one line saying what and where.
    A write to a full disk fails without naming its file; the state folder is then the place
    to name when bringup works in one."""
    why = error.strerror or type(error).__name__
    where = Path(str(error.filename)) if error.filename else None
    state = workspace / "state" if workspace is not None else None
    if state is not None and where is not None and (where == state or state in where.parents):
        return (f"{state}/ cannot be written ({why}: {where}); bringup keeps its progress "
                "there: make it a folder it can write to")
    if error.errno not in _FULL_OR_READ_ONLY:
        return None
    place = where or state
    return (f"{place or 'a file'} cannot be written ({why}); make room or make it writable, "
            "then run the command again")


def _bug(error: BaseException, edge: Edge) -> int:
    where = _save_traceback(None if edge.dry_run else edge.workspace, edge.dry_run)
    click.echo(f"bringup: unexpected error: {error!r} (traceback in {where}; please report "
               "it)", err=True)
    return EXIT_BUG


def _save_traceback(workspace: Path | None, elsewhere: bool) -> Path:
    import tempfile
    import traceback

    from bringup import atomic
    from bringup.recipe.workspace import find

    text = traceback.format_exc()
    try:
        if elsewhere:
            raise OSError("not into the workspace")
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
    try:
        code = main()
    except KeyboardInterrupt:  # between main's own handlers: nothing was begun, or all is saved
        code = EXIT_INTERRUPTED
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # all is saved: a late stop needs no handler
    sys.exit(code)
