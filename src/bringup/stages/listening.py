"""While verify waits: does the service listen somewhere other than where its checks look? Its
log saying so ("Listening on http://127.0.0.1:4000") is enough once SAID seconds have passed
with nothing answering where the recipe says; its processes listening only on other ports, once
they have done so for GRACE seconds (a server may open another port first: metrics, JDWP)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bringup import diagnosis
from bringup.core.service import Service
from bringup.processes import ports

if TYPE_CHECKING:
    from bringup.diagnosis import Finding

GRACE = 10.0
SAID = 2.0
LOOK_EVERY = 0.25
# Its processes' sockets are first looked at once it has had this long (at most a tenth of its
# startup_timeout) to answer where it should: a look reads the kernel's socket table, which a
# service that answers in its first second, as most do, need not pay for at every poll. The
# grace is counted from its start all the same.
SOCKETS_AFTER = 1.0
LOCAL = ("127.0.0.1", "localhost", "::1", "0.0.0.0", "::")


class PortWatch:
    def __init__(self, service: Service) -> None:
        self.service = service
        addresses = service.recipe.verify.addresses()
        self.expected = {port for host, port in addresses if host in LOCAL or
                         host.startswith("127.")}
        timeout = service.recipe.verify.startup_timeout
        self.after = min(SOCKETS_AFTER, timeout * 0.1)
        self.grace = min(GRACE, timeout * 0.8)
        self._since: float | None = None
        self._said: float | None = None
        self._next = 0.0
        self._began: float | None = None

    def look(self, now: float) -> Finding | None:
        """The wrong-port finding once there is one; looks at most every LOOK_EVERY seconds."""
        if not self.expected or now < self._next:
            return None
        self._next = now + LOOK_EVERY
        self._began = now if self._began is None else self._began
        return self._announced(now) or (self._listening(now) if now - self._began >=
                                        self.after else None)

    def _announced(self, now: float) -> Finding | None:
        said = diagnosis.announced_ports(self.service.log_text())
        if not said or self.expected & said.keys():
            self._said = None
            return None
        self._said = now if self._said is None else self._said
        if now - self._said < min(SAID, self.grace):
            return None
        port, line = next(iter(said.items()))
        return diagnosis.wrong_port(port, min(self.expected), evidence=line)

    def _listening(self, now: float) -> Finding | None:
        handle = self.service.entry.handle
        found = ports.listening(handle) if handle else set()
        if not found or self.expected & found:
            self._since = None
            return None
        self._since = now if self._since is None else self._since
        if now - self._since < self.grace - self.after:  # the grace counts from its start
            return None
        shown = ", ".join(map(str, sorted(found)))
        return diagnosis.wrong_port(min(found), min(self.expected),
                                    evidence=f"its processes listen on {shown} only, for "
                                             f"{now - self._since:.0f} s; the recipe checks "
                                             f"{', '.join(map(str, sorted(self.expected)))}")
