"""Start scripts: a folder with start.sh, run.sh, bin/start or scripts/start.sh."""

from __future__ import annotations

from pathlib import Path

from bringup.discover.candidate import (
    Candidate,
    cwd_of,
    folders,
    port_in_command,
    read,
    service_name,
    shown,
)

START_SCRIPTS = ("start.sh", "run.sh", "bin/start", "scripts/start.sh")


def detect(root: Path) -> list[Candidate]:
    found = []
    for folder in folders(root):
        relative = next((item for item in START_SCRIPTS if (folder / item).is_file()), None)
        if relative is not None:
            found.append(Candidate(service_name(folder.name), shown(root, folder / relative),
                                   f"./{relative}", cwd_of(root, folder),
                                   port_in_command(read(folder / relative))))
    return found


