"""The ports a server's own log says it listens on ("Listening on http://127.0.0.1:4000",
"Running on http://127.0.0.1:5000", postgres's `listening on IPv4 address "127.0.0.1", port
5433`): what it really does, to compare with what its recipe says."""

from __future__ import annotations

import re

# A line that announces listening; then the port it names, in the forms servers print.
_ANNOUNCES = re.compile(
    r"\blisten(?:ing|s)?\b|\brunning (?:on|at)\b|\bserving (?:on|at)\b|\bserver (?:started |)"
    r"(?:on|at)\b|\bstarted (?:server )?(?:on|at)\b|\bLocal:\s", re.IGNORECASE)
_PORT = re.compile(r"(?:\[[0-9a-fA-F:]+\]|[\w.-]+)?:(\d{2,5})\b(?![.:]\d)"
                   r"|\bport(?:\(s\)|s)?\W{1,3}(\d{2,5})\b", re.IGNORECASE)
# Lines that name a port not the one its clients use: a client's, a debugger's (node
# --inspect), a side listener's (metrics, profiling, an admin interface), which a server may
# open before its own.
_NOT_OURS = re.compile(r"\bconnect(?:ing|ed)? to\b|\bfor connections? (?:to|from)\b|debugger"
                       r"|\bws://|\binspector\b|\bmetrics\b|\bprometheus\b|\bexporter\b"
                       r"|\bpprof\b|\badmin\b|\bmanagement\b|\bjmx\b", re.IGNORECASE)
_TIME = re.compile(r"\b\d{1,2}:\d\d:\d\d(?:[.,]\d+)?\b")  # [12:34:56] is a time, not a port


def announced_ports(text: str) -> dict[int, str]:
    """The ports the log announces listening on, in the order it says them, each with the line
    that says it first."""
    found: dict[int, str] = {}
    for line in text.splitlines():
        if not _ANNOUNCES.search(line) or _NOT_OURS.search(line):
            continue
        for match in _PORT.finditer(_TIME.sub(" ", line)):
            port = int(match.group(1) or match.group(2))
            if 0 < port <= 65535:
                found.setdefault(port, line.strip())
    return found
