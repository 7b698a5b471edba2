"""Catalog recipes adapted to a compose service that runs their image: its published port, its
data under `var/NAME/` (two catalog services in one workspace never share a folder), and what
the image makes of its environment on first start (postgres: the role, password and database of
`POSTGRES_USER`, `POSTGRES_PASSWORD` and `POSTGRES_DB`; mysql and mariadb: `MYSQL_DATABASE`,
`MYSQL_USER` with `MYSQL_PASSWORD`, and `MYSQL_ROOT_PASSWORD`), so the services that connect
with those credentials work. The secrets stay in the secrets file; the commands read them from
the environment."""

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
    if kind == "mariadb" and (candidate.env or candidate.secrets):
        _mariadb_as_its_image(document, candidate)
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


# First init as the mysql and mariadb images do it: the data directory, then (grant tables
# loaded) the database, the user with its password and its grant, root's password; the values
# come from the environment, each quote in them doubled for SQL.
_MARIADB_FIRST = r"""q() { printf %s "$1" | sed "s/'/''/g"; } && { echo "FLUSH PRIVILEGES;"; [ -z "$MYSQL_DATABASE" ] || echo "CREATE DATABASE IF NOT EXISTS \`$MYSQL_DATABASE\`;"; [ -z "$MYSQL_USER" ] || echo "CREATE USER '$(q "$MYSQL_USER")'@'%' IDENTIFIED BY '$(q "$MYSQL_PASSWORD")';"; [ -z "$MYSQL_USER" ] || [ -z "$MYSQL_DATABASE" ] || echo "GRANT ALL ON \`$MYSQL_DATABASE\`.* TO '$(q "$MYSQL_USER")'@'%';"; [ -z "$MYSQL_ROOT_PASSWORD" ] || for host in localhost 127.0.0.1 ::1; do echo "ALTER USER 'root'@'$host' IDENTIFIED BY '$(q "$MYSQL_ROOT_PASSWORD")';"; done; } | mariadbd --no-defaults --bootstrap --datadir="$(pwd)/@DATADIR@" --log-warnings=0"""  # noqa: E501


def _mariadb_as_its_image(document: Any, candidate: Candidate) -> None:
    """The database, user and passwords of MYSQL_* made on first init; the check logs in as
    MYSQL_USER to MYSQL_DATABASE (else as root), as the services do."""
    env = {key: value for key, value in candidate.env.items()
           if key in ("MYSQL_DATABASE", "MYSQL_USER")}
    if env:
        document["env"] = inline_table(env)
    if candidate.secrets:
        document["env_file"] = SECRETS_FILE
        for key in sorted(candidate.secrets):
            document["needs"].append(new_table({"env": key}))
    data = f"var/{candidate.name}/data"
    for path in document["paths"]:
        if path.get("dir") == data:
            path["run"] = f"{path['run']} && " + _MARIADB_FIRST.replace("@DATADIR@", data)
    user, password = (("$MYSQL_USER", "MYSQL_PASSWORD") if "MYSQL_USER" in env
                      else ("root", "MYSQL_ROOT_PASSWORD"))
    database = ' -D "$MYSQL_DATABASE"' if "MYSQL_DATABASE" in env and "MYSQL_USER" in env \
        else ""
    port = candidate.port or 3306
    document["verify"]["exec"] = (
        f'MYSQL_PWD="${password}" mariadb --no-defaults -h 127.0.0.1 -P {port} -u "{user}"'
        f"{database} -N -e \"select 'logged in'\"")
