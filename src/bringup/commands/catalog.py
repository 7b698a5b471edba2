"""Catalog recipes adapted to a compose service that runs their image: its published port, its
data under `var/NAME/` (two catalog services in one workspace never share a folder), and what
the image makes of its environment on first start (postgres: the role, password and database of
`POSTGRES_USER`, `POSTGRES_PASSWORD` and `POSTGRES_DB`), so the services that connect with
those credentials work."""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import bringup
from bringup.discover.candidate import Candidate
from bringup.discover.compose import SECRETS_FILE
from bringup.recipe.edit import inline_table, new_table


def catalog_text(file: str) -> str:
    """A ready recipe: shipped in the wheel as bringup/catalog, else the repository's recipes/."""
    shipped = resources.files("bringup") / "catalog" / file
    if shipped.is_file():
        return shipped.read_text(encoding="utf-8")
    return (Path(bringup.__file__).parents[2] / "recipes" / file).read_text(encoding="utf-8")


def adapted(candidate: Candidate) -> str:
    """The catalog recipe for the candidate, as TOML text with the catalog's comments."""
    import tomlkit

    kind = str(candidate.catalog)
    text = catalog_text(f"{kind}.toml")
    default = tomllib.loads(text).get("port")
    if candidate.port and default and candidate.port != default:
        text = re.sub(rf"(?<!\d){default}(?!\d)", str(candidate.port), text)
    # Its data in a folder of its own: var/redis → var/cache, var/postgres/pgdata → var/db/pgdata
    text = re.sub(rf"\bvar/{re.escape(kind)}(?=[/\s\"'.,)]|$)", f"var/{candidate.name}", text,
                  flags=re.MULTILINE)
    document = tomlkit.parse(text)
    if candidate.after:
        document["after"] = list(candidate.after)
    if kind == "postgres" and (candidate.env or candidate.secrets):
        _postgres_as_its_image(document, candidate)
    return tomlkit.dumps(document)


def _postgres_as_its_image(document: Any, candidate: Candidate) -> None:
    """The cluster's first init makes POSTGRES_USER a superuser with POSTGRES_PASSWORD (password
    logins over TCP) and creates POSTGRES_DB, as the postgres image does; the check logs in."""
    user = candidate.env.get("POSTGRES_USER") or "postgres"
    database = candidate.env.get("POSTGRES_DB") or user
    password = "POSTGRES_PASSWORD" in candidate.secrets
    document["env"] = inline_table({"POSTGRES_USER": user, "POSTGRES_DB": database})
    data = f"var/{candidate.name}/pgdata"
    pwfile = f"var/{candidate.name}/pwfile"
    auth = (f'--pwfile={pwfile} --auth-local=trust --auth-host=scram-sha-256' if password
            else "--auth=trust")
    create = ('[ "$POSTGRES_DB" = postgres ] || echo "CREATE DATABASE \\"$POSTGRES_DB\\" OWNER '
              f'\\"$POSTGRES_USER\\";" | postgres --single -j -D {data} template1 >/dev/null')
    run = (f"umask 077 && printf '%s' \"$POSTGRES_PASSWORD\" > {pwfile} && " if password
           else "") + f'initdb -D {data} -U "$POSTGRES_USER" {auth}' + (
               f"; made=$?; rm -f {pwfile}; [ $made -eq 0 ] && " if password else " && "
           ) + "{ " + create + "; }"
    for path in document["paths"]:
        if path.get("dir") == data:
            path["run"] = run
    if password:
        document["env_file"] = SECRETS_FILE
        needs = document["needs"]
        needs.append(new_table({"env": "POSTGRES_PASSWORD"}))
    port = candidate.port or 5432
    login = ('PGPASSWORD="$POSTGRES_PASSWORD" ' if password else "") + (
        f'psql -h 127.0.0.1 -p {port} -U "$POSTGRES_USER" -d "$POSTGRES_DB" -tAc '
        "\"select 'logged in'\"")
    verify = document["verify"]
    verify["exec"] = login  # it logs in as POSTGRES_USER to POSTGRES_DB, as the services do
    verify["exec_expect"] = "logged in"
