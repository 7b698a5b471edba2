"""`bringup watch --serve`: the watch's picture of the stack, served live over HTTP by a small
ASGI stack (starlette, run by uvicorn in a thread of the watch; the `serve` extra):

- `/` a status page a person keeps open: each service with its status, uptime, port, pid, last
  check and evidence, restarts, findings with their fix; the dependency order; the changes
  bringup made to the machine; the share proven, large. Without JavaScript it refreshes itself;
  with it, it polls and says when its data is older than two intervals.
- `/report.json` the JSON report (`bringup.report/1`), as `bringup report --json` prints it.
- `/metrics` Prometheus exposition (prometheus_client).
- `/healthz` the watch itself: 200 while its loop turns, 503 when it has stalled.

Every value comes from the report, which masks secrets and holds no environment value."""

from __future__ import annotations

import html
import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from bringup.errors import UsageError
from bringup.face.render import STYLES, evidence, local, pid, summary, uptime

if TYPE_CHECKING:
    from prometheus_client.metrics_core import Metric
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response

    from bringup.commands.watch import Pulse
    from bringup.core.context import Context

DEFAULT = "127.0.0.1:7467"
COLOURS = {"green": "#1a7f37", "red": "#cf222e", "yellow": "#9a6700", "cyan": "#0969da",
           "blue": "#0550ae", "dim": "#6e7781"}


@dataclass(frozen=True)
class Address:
    host: str
    port: int

    @property
    def loopback(self) -> bool:
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return self.host == "localhost"

    def __str__(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"


def address(given: str) -> Address:
    """`PORT`, `HOST:PORT` or `[V6]:PORT`; the host is 127.0.0.1 unless one is given."""
    host, _, port = given.rpartition(":")
    host = host.strip("[]") or "127.0.0.1"
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"expected [HOST:]PORT with a port from 1 to 65535, got {given!r}")
    return Address(host, int(port))


@dataclass
class Picture:
    """What every endpoint shows, read from the watch: the report (stored state, as the watch
    keeps it current) and the watch's own pulse."""

    ctx: Context
    pulse: Pulse
    interval: Callable[[], float]

    def report(self) -> dict[str, Any]:
        from bringup.commands.report import build

        return build(self.ctx, check=False)

    def stalled(self) -> float | None:
        """How long the watch's loop has not turned, when that is more than two intervals (or
        twice the longest it sleeps, when that is longer)."""
        from bringup.commands.watch import LONGEST_SLEEP

        age = time.time() - self.pulse.beat
        return age if age > 2 * max(self.interval(), LONGEST_SLEEP) else None


def app(picture: Picture) -> Starlette:
    from starlette.applications import Starlette
    from starlette.responses import HTMLResponse, JSONResponse
    from starlette.routing import Route

    def page(request: Request) -> Response:
        data = picture.report()
        if request.query_params.get("part") == "live":
            return HTMLResponse(_live(picture, data))
        return HTMLResponse(_page(picture, data))

    def report(_request: Request) -> Response:
        from starlette.responses import Response

        from bringup.face.render import as_json  # as `bringup report --json` prints it

        return Response(as_json(picture.report()) + "\n", media_type="application/json")

    def metrics(_request: Request) -> Response:
        from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
        from starlette.responses import Response

        registry = CollectorRegistry(auto_describe=False)
        registry.register(_Collector(picture))
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    def healthz(_request: Request) -> Response:
        stalled = picture.stalled()
        body = {"ok": stalled is None, "watching": sorted(picture.pulse.watched),
                "beat_age_s": round(time.time() - picture.pulse.beat, 3),
                "up_s": round(time.time() - picture.pulse.began, 1)}
        return JSONResponse(body, status_code=200 if stalled is None else 503)

    return Starlette(routes=[Route("/", page), Route("/report.json", report),
                             Route("/metrics", metrics), Route("/healthz", healthz)])


class _Collector:
    """The report as Prometheus metrics, read afresh at each scrape."""

    def __init__(self, picture: Picture) -> None:
        self.picture = picture

    def collect(self) -> Iterator[Metric]:
        from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

        data, restarts = self.picture.report(), self.picture.pulse.restarts()
        up = GaugeMetricFamily("bringup_service_up", "1 while the service's process runs "
                               "(an external one's: while it answers)", labels=["service"])
        proven = GaugeMetricFamily("bringup_service_proven", "1 while the service is proven",
                                   labels=["service"])
        latency = GaugeMetricFamily("bringup_check_latency_seconds",
                                    "How long the service's last check of each kind took",
                                    labels=["service", "kind"])
        since = GaugeMetricFamily("bringup_service_proven_age_seconds",
                                  "Time since the service was last proven", labels=["service"])
        restarted = CounterMetricFamily("bringup_service_restarts",
                                        "Restarts by this watch", labels=["service"])
        findings = GaugeMetricFamily("bringup_findings", "Findings of the service's last "
                                     "failure, by kind", labels=["service", "kind"])
        now = time.time()
        for service in data["services"]:
            name = service["name"]
            running = service["status"] == "proven" if service.get("external") else service["pid"]
            up.add_metric([name], 1.0 if running else 0.0)
            proven.add_metric([name], 1.0 if service["status"] == "proven" else 0.0)
            for check in service["checks"]:
                latency.add_metric([name, check["kind"]], check["ms"] / 1000)
            if service["proven_at"]:
                since.add_metric([name], now - _moment(service["proven_at"]))
            restarted.add_metric([name], float(restarts.get(name, 0)))
            kinds: dict[str, int] = {}
            for finding in service["findings"]:
                kinds[finding["kind"]] = kinds.get(finding["kind"], 0) + 1
            for kind, count in kinds.items():
                findings.add_metric([name, kind], float(count))
        coherence = GaugeMetricFamily("bringup_coherence", "The share of services proven now")
        coherence.add_metric([], float(data["summary"]["coherence"]))
        yield from (up, proven, latency, since, restarted, findings, coherence)


def _moment(stored: str) -> float:
    return datetime.fromisoformat(stored[:19]).replace(tzinfo=UTC).timestamp()


STYLE = """
body { font: 15px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1f2328; }
.share { font-size: 3rem; font-weight: 700; } .stale { background: #fff8c5; padding: .5rem; }
table { border-collapse: collapse; margin: 1rem 0; } td, th { padding: .3rem .7rem;
text-align: left; vertical-align: top; border-bottom: 1px solid #d0d7de; }
.fix { color: #57606a; } .when { color: #57606a; }
"""

SCRIPT = """
const every = %d;
let seen = Date.now();
async function poll() {
  try {
    const answer = await fetch("/?part=live", {cache: "no-store"});
    if (answer.ok) { document.getElementById("live").innerHTML = await answer.text();
                     seen = Date.now(); }
  } catch (error) {}
  const old = Date.now() - seen > 2 * every;
  document.getElementById("stale").hidden = !old;
  if (old) document.getElementById("stale").textContent =
    "This page could not reach the watch for " + Math.round((Date.now() - seen) / 1000) +
    " s: what it shows is stale.";
  setTimeout(poll, every);
}
setTimeout(poll, every);
"""


def _page(picture: Picture, data: dict[str, Any]) -> str:
    every = max(picture.interval(), 0.5)
    title = html.escape(f"bringup · {data['workspace']}")
    return (f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{title}</title>"
            f'<meta name=viewport content="width=device-width">'
            f'<noscript><meta http-equiv=refresh content="{max(round(every), 1)}"></noscript>'
            f"<style>{STYLE}</style></head><body><h1>{title}</h1>"
            f'<p id=stale class=stale hidden></p><div id=live>{_live(picture, data)}</div>'
            f"<script>{SCRIPT % round(every * 1000)}</script></body></html>")


def _live(picture: Picture, data: dict[str, Any]) -> str:
    """The part of the page that changes: it is what the page's script fetches again."""
    counts = data["summary"]
    stalled = picture.stalled()
    warning = (f"<p class=stale>The watch has not looked at the services for {stalled:.0f} s: "
               "what this page shows is stale.</p>" if stalled is not None else "")
    parts = [warning,
             f"<p><span class=share id=share>{counts['coherence']:.0%}</span> proven "
             f"({counts['proven']} of {counts['total']})</p>",
             f"<p class=when>as of {html.escape(local(data['generated_at']))} "
             f"({time.strftime('%Z')}) · {html.escape(summary(data).splitlines()[0])}</p>",
             _services(picture, data), _order(data), _changes(data)]
    return "".join(parts)


HEADERS = ("service", "status", "uptime", "port", "pid", "last check", "restarts", "evidence",
           "findings")


def _services(picture: Picture, data: dict[str, Any]) -> str:
    restarts = picture.pulse.restarts()
    checked = _last_checked(picture)
    rows = []
    for service in data["services"]:
        name = service["name"]
        colour = COLOURS.get(STYLES.get(service["status"], ""), "inherit")
        findings = "".join(f"<div>{html.escape(f['kind'])} {html.escape(f['subject'])}"
                           f"<div class=fix>fix: {html.escape(f['fix'])}</div></div>"
                           for f in service["findings"])
        cells = [html.escape(name),
                 f'<b style="color:{colour}" data-status="{html.escape(service["status"])}">'
                 f'{html.escape(service["status"])}</b>',
                 uptime(service["started_at"]), str(service["port"] or ""),
                 pid(service), checked.get(name, ""), str(restarts.get(name, 0)),
                 html.escape(evidence(service)), findings]
        rows.append(f'<tr id="service-{html.escape(name)}">'
                    + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    head = "".join(f"<th>{header}</th>" for header in HEADERS)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _last_checked(picture: Picture) -> dict[str, str]:
    """How long ago the watch began each service's latest check."""
    now = picture.ctx.clock()
    return {name: f"{max(now - (state.due - state.service.recipe.verify.interval), 0):.0f} s ago"
            for name, state in list(picture.pulse.watched.items()) if state.due}


def _order(data: dict[str, Any]) -> str:
    items = "".join(f"<li>{html.escape(s['name'])}"
                    + (f" <span class=when>after {html.escape(', '.join(s['after']))}</span>"
                       if s["after"] else "") + "</li>" for s in data["services"])
    return f"<h2>Dependency order</h2><ol>{items}</ol>"


def _changes(data: dict[str, Any]) -> str:
    from bringup.state.model import Change

    changes = data.get("machine_changes") or []
    if not changes:
        return "<h2>Changes to this machine</h2><p>none</p>"
    items = "".join(f"<li>{html.escape(Change(**change).describe())}</li>" for change in changes)
    return (f"<h2>Changes to this machine</h2><ul>{items}</ul>"
            "<p class=when>`bringup reset --all` undoes them.</p>")


class Served:
    """The server, on its own thread in the watch's process; `stop` ends it."""

    def __init__(self, picture: Picture, where: Address) -> None:
        import uvicorn

        family = socket.AF_INET6 if ":" in where.host else socket.AF_INET
        self.socket = socket.socket(family, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            self.socket.bind((where.host, where.port))
        except OSError as error:
            self.socket.close()
            raise UsageError(f"--serve {where}: cannot listen there "
                             f"({error.strerror or error})") from None
        self.socket.listen(64)
        config = uvicorn.Config(app(picture), log_level="warning", access_log=False,
                                lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]},
                                       name="serve", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=5)
        self.socket.close()


def serving(given: str) -> Address:
    """The address --serve names, for the command line."""
    try:
        return address(given)
    except ValueError as error:
        raise UsageError(f"--serve: {error}") from None
