"""Fixes for findings, one registry by finding kind: each records what it learned in the recipe
(or the manifest) and sends the service back to the stage that then sees, offers and applies
it. `facts` holds what the machine can tell about a finding; `moving` moves a service's port."""

from __future__ import annotations

from collections.abc import Callable

from bringup.core.problems import Fix
from bringup.core.service import Service
from bringup.diagnosis import Finding
from bringup.remedies import commands, databases, files, needs, network

Remedy = Callable[[Service, Finding], "Fix | None"]

REMEDIES: dict[str, Remedy] = {
    "daemonized": commands.daemonized,
    "missing-python-module": needs.python_module,
    "missing-node-module": needs.node_module,
    "missing-binary": needs.binary,
    "missing-env": needs.env,
    "missing-path": files.missing_path,
    "permission-denied": files.permission,
    "port-in-use": network.move_port,
    "privileged-port": network.move_port,
    "connection-refused": network.after,
    "unresolvable-host": network.unresolvable,
    "loopback-mismatch": network.loopback,
    "wrong-port": network.wrong_port,
    "auth-failed": databases.create_role,
    "database-missing": databases.create_database,
}


def remedy(service: Service, finding: Finding) -> Fix | None:
    found = REMEDIES.get(finding.kind)
    return found(service, finding) if found else None
