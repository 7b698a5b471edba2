"""Fixes for a service a database refused: the role or the database its log names is made on the
PostgreSQL server of this workspace that owns the port it connects to, with the password the
service connects with (passed to psql as a variable, never on its command line or in a log)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from bringup.core.problems import Fix
from bringup.core.service import Service
from bringup.diagnosis import Finding
from bringup.processes import supervisor
from bringup.processes.runner import run_command
from bringup.remedies.facts import port_owner

_ROLE = re.compile(r'(?:for user|role) "(?P<role>[^"]+)"')
PASSWORD_VARIABLE = "BRINGUP_ROLE_PASSWORD"  # how the password reaches psql: a psql variable


@dataclass(frozen=True)
class Target:
    """Where the service connects: the server's recipe, its port, the role and database."""

    server: str
    port: int
    role: str | None
    password: str | None
    database: str | None


def create_role(service: Service, finding: Finding) -> Fix | None:
    """`password authentication failed for user "app"` / `role "app" does not exist`."""
    found = _ROLE.search(finding.evidence)
    target = _target(service, role=found["role"] if found else None)
    if finding.subject != "postgres" or target is None or target.role is None:
        return None
    role = _identifier(target.role)
    sql = f"SELECT 'CREATE ROLE {role} LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE " \
          f"rolname = {_literal(target.role)})\\gexec\n"
    if target.password is not None:
        sql += f"ALTER ROLE {role} LOGIN PASSWORD :'pw';\n"
    return Fix(f"make the role {target.role} on {target.server} (port {target.port}) with the "
               "password the service connects with",
               lambda s: _run(s, target, sql))


def create_database(service: Service, finding: Finding) -> Fix | None:
    """`database "shop" does not exist`: made on the server, owned by the service's role."""
    target = _target(service, database=finding.subject)
    if target is None or target.database != finding.subject:
        return None
    owner = f" OWNER {_identifier(target.role)}" if target.role else ""
    sql = f"CREATE DATABASE {_identifier(finding.subject)}{owner};\n"
    return Fix(f"create the database {finding.subject} on {target.server} (port {target.port})",
               lambda s: _run(s, target, sql))


def _target(service: Service, *, role: str | None = None,
            database: str | None = None) -> Target | None:
    """The PostgreSQL URL in the service's env that names `role` or `database`, and the
    running server of this workspace that owns its port."""
    for value in service.env_values():
        if not value.startswith(("postgres://", "postgresql://")):
            continue
        url = urlsplit(value)
        user = unquote(url.username) if url.username else None
        name = unquote(url.path.lstrip("/")) or None
        if (role and user != role) or (database and name != database):
            continue
        port = url.port or 5432
        server = port_owner(service.ctx, port, besides=service.name)
        entry = service.ctx.state.services.get(server) if server else None
        if server is None or entry is None or entry.handle is None or not supervisor.alive(
                entry.handle):
            continue
        password = unquote(url.password) if url.password is not None else None
        return Target(server, port, user, password, name)
    return None


def _run(service: Service, target: Target, sql: str) -> str | None:
    """psql on the server's own account (its POSTGRES_USER and POSTGRES_PASSWORD), shown
    first; the client's password goes in as the psql variable pw."""
    server = Service(service.ctx, service.ctx.workspace.recipe(target.server))
    env = server.env()
    env[PASSWORD_VARIABLE] = target.password or ""
    command = (f'PGPASSWORD="$POSTGRES_PASSWORD" psql -X -q -v ON_ERROR_STOP=1 '
               f'-v pw="${PASSWORD_VARIABLE}" -h 127.0.0.1 -p {target.port} '
               f'-U "${{POSTGRES_USER:-postgres}}" -d postgres')
    service.ctx.out.command(f"{command}  # SQL: {' '.join(sql.split())}",
                            where=server.recipe.cwd)
    result = run_command(["/bin/sh", "-c", f"{command} <<'SQL'\n{sql}SQL\n"], cwd=server.cwd,
                         env=env, timeout=60)
    service.ctx.journal("command", target.server, command=command, code=result.code)
    if not result.ok:
        service.ctx.out.block(result.tail())
        return f"psql on {target.server} failed"
    return None


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
