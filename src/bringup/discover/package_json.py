"""package.json: a folder whose scripts have `start` (or `dev`) becomes an npm candidate."""

from __future__ import annotations

from pathlib import Path

from bringup.discover.candidate import (
    Candidate,
    cwd_of,
    folders,
    main_js,
    port_in_command,
    port_in_source,
    read_json,
    service_name,
    shown,
)


def detect(root: Path) -> list[Candidate]:
    found = []
    for folder in folders(root):
        data = read_json(folder / "package.json")
        scripts = data.get("scripts")
        if not isinstance(scripts, dict):
            continue
        script = next((key for key in ("start", "dev") if isinstance(scripts.get(key), str)), "")
        if not script:
            continue
        port = port_in_command(scripts[script]) or port_in_source(main_js(folder, data))
        package = str(data.get("name") or "").rpartition("/")[2]
        name = service_name(package if folder == root and package else folder.name)
        found.append(Candidate(
            name, f"{shown(root, folder / 'package.json')}: scripts.{script}",
            "npm start" if script == "start" else "npm run dev", cwd_of(root, folder), port,
            needs=({"npm": "package.json"},)))
    return found


