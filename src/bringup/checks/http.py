"""http: a request answers with an accepted status and, optionally, an expected body."""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bringup.checks.base import UNRESOLVED, Address, Outcome, Probe, Spec, alone
from bringup.checks.ownership import stranger
from bringup.tables import Table

if TYPE_CHECKING:
    import httpx

KEYS: Mapping[str, tuple[type, ...]] = {
    "http": (str,), "http_expect": (str,), "http_status": (int,), "http_method": (str,),
    "http_data": (str,), "http_form": (dict,), "http_json": (dict, list, str, int, float, bool),
    "http_headers": (dict,)}
ADDRESS_KEYS: tuple[str, ...] = ("http",)
BODIES = ("http_data", "http_form", "http_json")
FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class HttpSpec(Spec):
    url: str
    expect: str | None = None  # text the body holds, or a regular expression it matches
    status: int | None = None  # None: any status from 200 to 399
    method: str = "GET"
    data: str | None = None  # the body sent, as it is or encoded from http_form / http_json
    headers: tuple[tuple[str, str], ...] = ()

    def address(self) -> Address | None:
        from urllib.parse import urlsplit

        parts = urlsplit(self.url)
        if parts.hostname is None:
            return None
        return parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)


def read(table: Table) -> HttpSpec | None:
    url = table.get("http", (str,))
    if url is None:
        alone(table, "http", ("http_expect", "http_status", *BODIES, "http_headers"))
        return None
    if not _url_ok(url):
        raise table.fail("http", "expected an http:// or https:// URL with a host (and a port "
                                 f"up to 65535), got {url!r}")
    status = table.get("http_status", (int,))
    if status is not None and not 100 <= status <= 599:
        raise table.fail("http_status", f"expected an HTTP status from 100 to 599, got {status}")
    data, headers, posts = _body(table)
    method = table.get("http_method", (str,), "POST" if posts else "GET")
    if not re.fullmatch(r"[A-Za-z]{1,20}", method):
        raise table.fail("http_method", f"expected an HTTP method such as GET, got {method!r}")
    return HttpSpec(url, table.nonempty("http_expect"), status, method.upper(), data,
                    (*headers, *table.mapping("http_headers").items()))


def _body(table: Table) -> tuple[str | None, tuple[tuple[str, str], ...], bool]:
    """(the body, the headers it brings, whether it is a form or JSON that is posted)."""
    import json
    from urllib.parse import urlencode

    given = [key for key in BODIES if key in table.data]
    if len(given) > 1:
        raise table.fail(given[1], f"goes instead of {given[0]}: one body a request")
    if "http_form" in table.data:
        return urlencode(table.mapping("http_form")), (("Content-Type", FORM),), True
    if "http_json" in table.data:
        body = json.dumps(table.get("http_json", KEYS["http_json"]))
        return body, (("Content-Type", "application/json"),), True
    return table.nonempty("http_data"), (), False


HOST = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\]")


def _url_ok(url: str) -> bool:
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises for a port out of range)
    except ValueError:
        return False
    host = parts.netloc.rpartition("@")[2]
    host = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    return parts.scheme in ("http", "https") and bool(HOST.fullmatch(host))


def describe(spec: HttpSpec) -> str:
    return f"http {spec.url}"


def check(spec: HttpSpec, probe: Probe) -> Outcome:
    client = _client(probe)  # made before the clock starts: importing httpx is not the service's
    started = time.perf_counter()
    ok, detail = _request(spec, probe, client)
    elapsed = (time.perf_counter() - started) * 1000
    if probe.http_client is None:
        client.close()  # made for this one request; a shared one belongs to the context
    address = spec.address()
    who = stranger(probe, address) if ok and address else None
    if who is not None:
        ok, detail = False, f"{detail}, answered by {who}, not by the service's own processes"
    return Outcome("http", spec.url, ok, elapsed, detail, address=address,
                   unresolved=detail.startswith(UNRESOLVED))


def _client(probe: Probe) -> httpx.Client:
    import httpx  # imported here: most commands never make a request

    return probe.http_client() if probe.http_client else httpx.Client(trust_env=False)


def _request(spec: HttpSpec, probe: Probe, client: httpx.Client) -> tuple[bool, str]:
    import httpx

    try:
        response = client.request(spec.method, spec.url, content=spec.data,
                                  headers=dict(spec.headers), timeout=probe.timeout)
    except (httpx.HTTPError, httpx.InvalidURL) as error:
        return False, _why(error, spec)
    status = response.status_code
    if not _status_ok(status, spec.status):
        return False, f"status {status}"
    if spec.expect is not None and not _holds(response.text, spec.expect):
        return False, f"status {status}, body lacks {spec.expect!r}"
    return True, f"status {status}"


def _why(error: httpx.HTTPError | httpx.InvalidURL, spec: HttpSpec) -> str:
    import socket

    import httpx

    if isinstance(error, httpx.ConnectError):
        if _caused_by(error, socket.gaierror):
            return f"{UNRESOLVED} {httpx.URL(spec.url).host}"
        return "refused" if "refused" in str(error).lower() else str(error)
    if isinstance(error, httpx.TimeoutException):
        return "timed out"
    return str(error) or type(error).__name__


def _caused_by(error: BaseException, kind: type[BaseException]) -> bool:
    """Is `kind` in the chain of errors under `error` (httpx wraps the socket's own)?"""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, kind):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _holds(body: str, expect: str) -> bool:
    """The body holds the text, or matches it as a regular expression."""
    if expect in body:
        return True
    try:
        return re.search(expect, body) is not None
    except re.error:
        return False


def _status_ok(status: int, wanted_status: int | None) -> bool:
    return status == wanted_status if wanted_status is not None else 200 <= status < 400
