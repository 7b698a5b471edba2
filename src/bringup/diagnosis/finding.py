"""The finding value: a diagnosed cause of a failure and the fix that addresses it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# Each kind sends the service back to the stage whose fix addresses it (docs/findings.md).
KIND_STAGE: dict[str, str] = {
    "missing-python-module": "needs",
    "missing-node-module": "needs",
    "missing-binary": "needs",
    "missing-env": "needs",
    "missing-npm-script": "needs",
    "runtime-version": "needs",
    "dependency-conflict": "needs",
    "missing-path": "paths",
    "permission-denied": "permissions",
    "port-in-use": "start",
    "privileged-port": "start",
    "unresolvable-host": "start",
    "connection-refused": "start",
    "auth-failed": "start",
    "database-missing": "start",
    "syntax-error": "start",
    "daemonized": "start",
    "loopback-mismatch": "verify",
    "wrong-port": "start",
    "crashed": "start",
}

# Each kind as a plain sentence about its subject, for the question that offers its fix.
SAYS: dict[str, str] = {
    "missing-python-module": "the Python module {} is not installed",
    "missing-node-module": "the Node package {} is not installed",
    "missing-binary": "the command {} is not found",
    "missing-env": "{} is not set",
    "missing-npm-script": "package.json has no script {}",
    "runtime-version": "the {} runtime is too old or too new for it",
    "dependency-conflict": "the installed packages around {} do not fit together",
    "missing-path": "{} does not exist",
    "permission-denied": "permission is denied on {}",
    "port-in-use": "port {} is already in use",
    "privileged-port": "port {} needs privileges to listen on",
    "unresolvable-host": "the host name {} does not resolve",
    "connection-refused": "{} refuses connections",
    "auth-failed": "{} refused its credentials",
    "database-missing": "the database {} does not exist",
    "syntax-error": "there is a syntax error at {}",
    "daemonized": "{} went to the background and exited",
    "loopback-mismatch": "{} is reached on the wrong loopback address",
    "wrong-port": "it listens on port {}, not the port its recipe says",
    "crashed": "it crashed ({})",
}

# A subject the log did not name; such a finding gives way to a precise one of the same kind.
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Finding:
    kind: str
    subject: str
    stage: str
    fix: str
    evidence: str
    # What the caller observed along with it, for the fix that follows (not in the report).
    observed: Mapping[str, str] = field(default_factory=dict, compare=False)

    @classmethod
    def build(cls, kind: str, subject: str, *, fix: str, evidence: str,
              observed: Mapping[str, str] | None = None) -> Finding:
        """A finding whose stage is the one its kind sends the service back to."""
        return cls(kind, subject, KIND_STAGE[kind], fix, evidence.strip(), observed or {})

    def sentence(self) -> str:
        """What the finding says, in words: "API_TOKEN is not set"."""
        return SAYS.get(self.kind, f"{self.kind} {{}}").format(self.subject)

    def to_json(self) -> dict[str, str]:
        return {
            "kind": self.kind,
            "subject": self.subject,
            "stage": self.stage,
            "fix": self.fix,
            "evidence": self.evidence,
        }
