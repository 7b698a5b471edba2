"""An nginx image with a conf fragment mounted into it (`./nginx/default.conf` as
`/etc/nginx/conf.d/default.conf`) becomes nginx run here: a main config of bringup's own around
the fragment, in the foreground, its pid, temp files and logs under `var/NAME/`, listening on
loopback at the published port, the compose services it proxies to on their ports here, and the
folders compose mounts into the image read from where they are."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bringup.discover.candidate import read

CONF_DIRS = ("/etc/nginx/conf.d/", "/etc/nginx/sites-enabled/", "/etc/nginx/templates/")
MIME_TYPES = Path("/etc/nginx/mime.types")
DOCKER_DNS = "127.0.0.11"

Ports = dict[str, tuple[int | None, int | None]]  # service: (its port in compose, port here)


@dataclass(frozen=True)
class Site:
    fragments: tuple[Path, ...]  # the conf files compose mounts into the image, on this machine
    mounts: tuple[tuple[str, Path], ...]  # (the path in the image, the folder here)


def site(spec: dict[str, Any]) -> Site | None:
    """The fragments and folders compose mounts into an nginx image; None when it mounts none
    (an image with its own config: nothing of the user's to run)."""
    fragments, mounts = [], []
    for volume in spec.get("volumes") or []:
        if not isinstance(volume, dict) or volume.get("type") != "bind":
            continue
        source, target = Path(str(volume.get("source"))), str(volume.get("target"))
        if target.startswith(CONF_DIRS) and source.is_file():
            fragments.append(source)
        elif target.startswith(CONF_DIRS) and source.is_dir():
            fragments += sorted(source.glob("*.conf"))
        elif source.is_dir():
            mounts.append((target.rstrip("/"), source))
    return Site(tuple(fragments), tuple(mounts)) if fragments else None


def main_config(site: Site, folder: str, port: int, ports: Ports, source: str) -> str:
    """nginx.conf for `nginx -p WORKSPACE/ -c {folder}/nginx.conf`: the fragments inside its
    http block, rewritten for this machine."""
    temp = "\n".join(f"    {kind}_temp_path {folder}/tmp/{kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    mime = f"    include {MIME_TYPES};\n" if MIME_TYPES.is_file() else ""
    body = "\n".join(f"    # from {fragment.name}\n" + _indented(local(read(fragment), port, ports,
                                                                         site.mounts))
                     for fragment in site.fragments)
    return (f"# Written by bringup init for {source}.\n"
            "# nginx's main config around the fragments compose mounts into the image,\n"
            "# rewritten for this machine (listen on loopback, the services it proxies to on\n"
            "# their ports here). Edit the fragments, then write this file again with\n"
            "# `bringup init` (overwrite the recipe).\n"
            f"daemon off;\nworker_processes 1;\npid {folder}/nginx.pid;\nerror_log stderr;\n\n"
            "events {\n    worker_connections 256;\n}\n\n"
            f"http {{\n{mime}    default_type application/octet-stream;\n"
            f"    access_log /dev/stdout;\n{temp}\n\n{body}\n}}\n")


def local(text: str, port: int, ports: Ports, mounts: tuple[tuple[str, Path], ...]) -> str:
    """A fragment for this machine: `listen` on 127.0.0.1 at `port` (an IPv6 listen dropped),
    compose host names as 127.0.0.1 at their ports here, mounted paths as the folders here, and
    docker's own resolver left out."""
    text = re.sub(r"(?m)^(\s*)listen\s+\[::\][^;]*;[^\n]*\n", "", text)
    text = re.sub(r"(?m)^(\s*)listen\s+(?:[\w.*]+:)?\d+([^;]*);",
                  lambda m: f"{m[1]}listen 127.0.0.1:{port}{_kept(m[2])};", text)
    text = re.sub(rf"(?m)^\s*resolver\s+{re.escape(DOCKER_DNS)}[^;]*;[^\n]*\n", "", text)
    for name, (inside, here) in sorted(ports.items(), key=lambda item: -len(item[0])):
        if here is None:
            continue

        def moved(match: re.Match[str], inside: int | None = inside, here: int = here) -> str:
            given = match["port"]
            return f"{match['pre']}127.0.0.1:{here if not given or int(given) == inside else given}"

        text = re.sub(rf"(?P<pre>\bserver\s+|https?://){re.escape(name)}(?::(?P<port>\d+))?"
                      r"(?=[\s;/]|$)", moved, text)
    for image_path, folder in sorted(mounts, key=lambda item: -len(item[0])):
        text = re.sub(rf"(?<![\w/]){re.escape(image_path)}(?=[/;\s]|$)", str(folder), text)
    return text


def upstreams(site: Site, names: set[str]) -> set[str]:
    """The compose services the fragments proxy to."""
    text = "\n".join(read(fragment) for fragment in site.fragments)
    return {name for name in names
            if re.search(rf"(?:\bserver\s+|https?://){re.escape(name)}(?=[:\s;/]|$)", text)}


def _kept(rest: str) -> str:
    """What follows the port in a listen directive, less what needs the address of any host."""
    return re.sub(r"\s+(?:reuseport|ipv6only=\w+)", "", rest)


def _indented(text: str) -> str:
    return "\n".join(f"    {line}" if line.strip() else "" for line in text.splitlines())
