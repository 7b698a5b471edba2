"""The engines a proven stack is handed to, in one registry: each target module renders a
Stack into its files and says what it cannot express."""

from __future__ import annotations

from typing import Protocol

from bringup.export import compose, kubernetes, process_compose, systemd
from bringup.export.stack import Rendered, Stack


class Target(Protocol):
    NAME: str

    def render(self, stack: Stack, *, system: bool) -> Rendered: ...


TARGETS: dict[str, Target] = {"compose": compose, "process-compose": process_compose,
                              "systemd": systemd, "kubernetes": kubernetes}
