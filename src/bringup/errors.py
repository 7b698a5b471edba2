"""One error tree: what the user must fix, each kind mapped to its exit status."""

from __future__ import annotations

EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_BUG = 70  # sysexits' EX_SOFTWARE: bringup itself went wrong; the traceback is kept
EXIT_INTERRUPTED = 130


class BringupError(Exception):
    """Something the user must fix; the message is shown as it is, without a traceback."""

    exit_code = EXIT_USAGE


class UsageError(BringupError):
    """A bad argument or a command that cannot run in this situation."""


class CommandNotFound(BringupError):
    """A program asked for by name that is nowhere on the PATH it would run with."""

    exit_code = 127  # the shell's status for it


class RecipeError(BringupError):
    """A recipe that does not follow the format: names the file, the key and the expectation."""

    def __init__(self, file: str, key: str, expected: str, line: int | None = None) -> None:
        file, key = printable(file), printable(key)
        where = f"{file}: {key}" if key else file
        super().__init__(f"{where}: {expected}" + (f" (line {line})" if line else ""))
        self.file, self.key, self.expected, self.line = file, key, expected, line


def printable(text: str) -> str:
    """Text from a file or its name, fit for one line of a terminal: control characters (a
    newline, an escape sequence) are shown escaped, never sent as they are."""
    return "".join(char if char.isprintable() else char.encode("unicode_escape").decode()
                   for char in text)


class WorkspaceError(BringupError):
    """No workspace, or a workspace whose state bringup must not touch."""


class LockedError(BringupError):
    """Another bringup is writing to this workspace."""


class NeedsTerminal(BringupError):
    """A question had to be asked but standard input is not a terminal."""


class WorkFailed(BringupError):
    """The work was done and failed: not proven, regressed, findings."""

    exit_code = EXIT_FAILED
