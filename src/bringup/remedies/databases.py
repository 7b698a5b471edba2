"""Fixes for a service a database refused: the role (user) or the database its log names is made
on the PostgreSQL or MariaDB server of this workspace that owns the port it connects to, with the
password the service connects with (handed over in the environment, never on a command line or
in a log)."""

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

_ROLE = re.compile(r'(?:for user|role) "(?P<role>[^"]+)"'
                   r"|Access denied for user '(?P<user>[^']*)'@")
PASSWORD_VARIABLE = "BRINGUP_ROLE_PASSWORD"  # how the password reaches the server's client
SCHEMES = {"postgres": ("postgres://", "postgresql://", "postgresql+"),
           "mysql": ("mysql://", "mysql+", "mariadb://", "mariadb+")}


@dataclass(frozen=True)
class Target:
    """Where the service connects: the server's recipe, its port, the role and database."""

    kind: str  # postgres, mysql
    server: str
    port: int
    role: str | None
    password: str | None
    database: str | None


def create_role(service: Service, finding: Finding) -> Fix | None:
    """`password authentication failed for user "app"`, `role "app" does not exist`,
    `Access denied for user 'app'@'localhost'`."""
    found = _ROLE.search(finding.evidence)
    name = (found["role"] or found["user"]) if found else None
    target = _target(service, finding.subject, role=name)
    if target is None or target.role is None:
        return None
    label = "role" if finding.subject == "postgres" else "user"
    return Fix(f"make the {label} {target.role} on {target.server} (port {target.port}) with "
               "the password the service connects with",
               lambda s: _run(s, target, _role_sql(finding.subject, target)))


def create_database(service: Service, finding: Finding) -> Fix | None:
    """`database "shop" does not exist` / `Unknown database 'shop'`: made on the server, for
    the service's role."""
    kind = "postgres" if "does not exist" in finding.evidence else "mysql"
    target = _target(service, kind, database=finding.subject)
    if target is None:
        return None
    sql = _database_sql(kind, target)
    return Fix(f"create the database {finding.subject} on {target.server} (port {target.port})",
               lambda s: _run(s, target, sql))


def _role_sql(kind: str, target: Target) -> str:
    assert target.role is not None
    if kind == "postgres":
        role = _identifier(target.role)
        sql = (f"SELECT 'CREATE ROLE {role} LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles "
               f"WHERE rolname = {_literal(target.role)})\\gexec\n")
        return sql + (f"ALTER ROLE {role} LOGIN PASSWORD :'pw';\n" if target.password is not None
                      else "")
    user = f"{_literal(target.role)}@'%'"
    sql = (f"CREATE USER IF NOT EXISTS {user};\n"
           f"ALTER USER {user} IDENTIFIED BY '$(q \"${PASSWORD_VARIABLE}\")';\n")
    return sql + (f"GRANT ALL ON {_quoted(target.database)}.* TO {user};\n"
                  if target.database else "")


def _database_sql(kind: str, target: Target) -> str:
    assert target.database is not None
    if kind == "postgres":
        owner = f" OWNER {_identifier(target.role)}" if target.role else ""
        return f"CREATE DATABASE {_identifier(target.database)}{owner};\n"
    grant = (f"GRANT ALL ON {_quoted(target.database)}.* TO {_literal(target.role)}@'%';\n"
             if target.role else "")
    return f"CREATE DATABASE IF NOT EXISTS {_quoted(target.database)};\n" + grant


def _target(service: Service, kind: str, *, role: str | None = None,
            database: str | None = None) -> Target | None:
    """The URL of a `kind` server in the service's env that names `role` or `database`, and
    the running server of this workspace that owns its port."""
    for value in service.env_values():
        if not value.startswith(SCHEMES.get(kind, ())):
            continue
        url = urlsplit(value)
        user = unquote(url.username) if url.username else None
        name = unquote(url.path.lstrip("/")) or None
        if (role and user != role) or (database and name != database):
            continue
        port = url.port or (5432 if kind == "postgres" else 3306)
        server = port_owner(service.ctx, port, besides=service.name)
        entry = service.ctx.state.services.get(server) if server else None
        if server is None or entry is None or entry.handle is None or not supervisor.alive(
                entry.handle):
            continue
        password = unquote(url.password) if url.password is not None else None
        return Target(kind, server, port, user, password, name)
    return None


def _run(service: Service, target: Target, sql: str) -> str | None:
    """The server's own client on its own account (POSTGRES_USER and POSTGRES_PASSWORD, or
    root and MYSQL_ROOT_PASSWORD), shown first; the client's password goes in from the
    environment (psql: the variable pw; mariadb: expanded by the shell, quotes doubled)."""
    server = Service(service.ctx, service.ctx.workspace.recipe(target.server))
    env = server.env()
    env[PASSWORD_VARIABLE] = target.password or ""
    if target.kind == "postgres":
        command = (f'PGPASSWORD="$POSTGRES_PASSWORD" psql -X -q -v ON_ERROR_STOP=1 '
                   f'-v pw="${PASSWORD_VARIABLE}" -h 127.0.0.1 -p {target.port} '
                   f'-U "${{POSTGRES_USER:-postgres}}" -d postgres')
        script = f"{command} <<'SQL'\n{sql}SQL\n"  # quoted: psql reads :'pw' itself
    else:
        command = (f'MYSQL_PWD="$MYSQL_ROOT_PASSWORD" mariadb --no-defaults -h 127.0.0.1 '
                   f"-P {target.port} -u root")
        script = f"q() {{ printf %s \"$1\" | sed \"s/'/''/g\"; }}; {command} <<SQL\n{sql}SQL\n"
    service.ctx.out.command(f"{command}  # SQL: {' '.join(sql.split())}",
                            where=server.recipe.cwd)
    result = run_command(["/bin/sh", "-c", script], cwd=server.cwd, env=env, timeout=60)
    service.ctx.journal("command", target.server, command=command, code=result.code)
    if not result.ok:
        service.ctx.out.block(result.tail())
        return f"{command.split()[1]} on {target.server} failed"
    return None


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _quoted(name: str) -> str:
    """A MariaDB identifier; in a heredoc the shell expands, its backticks escaped."""
    return "\\`" + name.replace("`", "``") + "\\`"
