"""The system packages that provide a command, per package manager, where a package is not named
after its command. The one table: diagnosis names them in its advice, and the fix that adds a
binary to a recipe's needs writes them as its install routes."""

from __future__ import annotations

MANAGERS = ("apt", "brew", "dnf")

# fmt: off
PACKAGES: dict[str, dict[str, str]] = {
    "redis-cli": {"apt": "redis-tools", "brew": "redis", "dnf": "redis"},
    "redis-server": {"apt": "redis-server", "brew": "redis", "dnf": "redis"},
    "psql": {"apt": "postgresql-client", "brew": "libpq", "dnf": "postgresql"},
    "pg_isready": {"apt": "postgresql-client", "brew": "libpq", "dnf": "postgresql"},
    "node": {"apt": "nodejs", "brew": "node", "dnf": "nodejs"},
    "npm": {"apt": "npm", "brew": "node", "dnf": "npm"},
    "python": {"apt": "python-is-python3", "brew": "python", "dnf": "python3"},
    "pip": {"apt": "python3-pip", "brew": "python", "dnf": "python3-pip"},
    "nc": {"apt": "netcat-openbsd", "brew": "netcat", "dnf": "nmap-ncat"},
    "mysql": {"apt": "default-mysql-client", "brew": "mysql-client", "dnf": "mariadb"},
    "mongod": {"apt": "mongodb", "brew": "mongodb-community"},
}
# fmt: on


def packages_for(command: str) -> dict[str, str]:
    """Package per manager; a command the table does not know is its own package name."""
    return PACKAGES.get(command, dict.fromkeys(MANAGERS, command))
