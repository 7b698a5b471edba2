"""While verify waits: does the service listen somewhere other than where its checks look? Its
log saying so ("Listening on http://127.0.0.1:4000") is enough; its processes listening only on
other ports is, once they have done so for GRACE seconds (a server may open another port first)."""

from __future__ import annotations

from bringup.core.service import Service
from bringup.diagnosis import Finding, announced_ports, wrong_port
from bringup.processes import ports

GRACE = 5.0
LOOK_EVERY = 0.25
LOCAL = ("127.0.0.1", "localhost", "::1", "0.0.0.0", "::")


class PortWatch:
    def __init__(self, service: Service) -> None:
        self.service = service
        addresses = service.recipe.verify.addresses()
        self.expected = {port for host, port in addresses if host in LOCAL or
                         host.startswith("127.")}
        self._since: float | None = None
        self._next = 0.0

    def look(self, now: float) -> Finding | None:
        """The wrong-port finding once there is one; looks at most every LOOK_EVERY seconds."""
        if not self.expected or now < self._next:
            return None
        self._next = now + LOOK_EVERY
        return self._announced() or self._listening(now)

    def _announced(self) -> Finding | None:
        said = announced_ports(self.service.log_text())
        if not said or self.expected & said.keys():
            return None
        port, line = next(iter(said.items()))
        return wrong_port(port, min(self.expected), evidence=line)

    def _listening(self, now: float) -> Finding | None:
        handle = self.service.entry.handle
        found = ports.listening(handle) if handle else set()
        if not found or self.expected & found:
            self._since = None
            return None
        self._since = now if self._since is None else self._since
        if now - self._since < GRACE:
            return None
        shown = ", ".join(map(str, sorted(found)))
        return wrong_port(min(found), min(self.expected),
                          evidence=f"its processes listen on {shown} only, for "
                                   f"{now - self._since:.0f} s; the recipe checks "
                                   f"{', '.join(map(str, sorted(self.expected)))}")
