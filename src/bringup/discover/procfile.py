"""A Procfile: one candidate per process type (foreman's port convention for $PORT)."""

from __future__ import annotations

import re
from pathlib import Path

from bringup.discover.candidate import (
    Candidate,
    manifest_needs,
    port_in_command,
    read,
    service_name,
)


def detect(root: Path) -> list[Candidate]:
    file = root / "Procfile"
    text = read(file)
    lines = re.findall(r"(?m)^([A-Za-z0-9_.-]+):[ \t]*(\S.*?)\s*$", text)
    found = []
    for index, (kind, command) in enumerate(lines):
        port, env = port_in_command(command), {}
        if port is None and re.search(r"\$\{?PORT\b", command):
            port = 5000 + 100 * index  # foreman's convention: 5000, 5100, ... in file order
            env = {"PORT": str(port)}
        found.append(Candidate(service_name(kind), f"Procfile: {kind}", command, port=port,
                               env=env, needs=manifest_needs(root, command),
                               oneshot=kind == "release"))
    return found


