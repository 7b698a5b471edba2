"""http: a request answers with an accepted status and, optionally, an expected body."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bringup.checks.base import Address, Outcome, Probe, Spec, alone
from bringup.checks.ownership import stranger
from bringup.tables import Table

if TYPE_CHECKING:
    import httpx

KEYS: Mapping[str, tuple[type, ...]] = {
    "http": (str,), "http_expect": (str,), "http_status": (int,), "http_method": (str,),
    "http_data": (str,)}
ADDRESS_KEYS: tuple[str, ...] = ("http",)


@dataclass(frozen=True)
class HttpSpec(Spec):
    url: str
    expect: str | None = None
    status: int | None = None  # None: any status from 200 to 399
    method: str = "GET"
    data: str | None = None

    def address(self) -> Address | None:
        from urllib.parse import urlsplit

        parts = urlsplit(self.url)
        if parts.hostname is None:
            return None
        return parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)


def read(table: Table) -> HttpSpec | None:
    url = table.get("http", (str,))
    if url is None:
        alone(table, "http", ("http_expect", "http_status", "http_data"))
        return None
    if not _url_ok(url):
        raise table.fail("http", "expected an http:// or https:// URL with a host (and a port "
                                 f"up to 65535), got {url!r}")
    status = table.get("http_status", (int,))
    if status is not None and not 100 <= status <= 599:
        raise table.fail("http_status", f"expected an HTTP status from 100 to 599, got {status}")
    method = table.get("http_method", (str,), "GET")
    if not method.isalpha():
        raise table.fail("http_method", f"expected an HTTP method such as GET, got {method!r}")
    return HttpSpec(url, table.nonempty("http_expect"), status, method.upper(),
                    table.nonempty("http_data"))


def _url_ok(url: str) -> bool:
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises for a port out of range)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


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
    return Outcome("http", spec.url, ok, elapsed, detail, address=address)


def _client(probe: Probe) -> httpx.Client:
    import httpx  # imported here: most commands never make a request

    return probe.http_client() if probe.http_client else httpx.Client(trust_env=False)


def _request(spec: HttpSpec, probe: Probe, client: httpx.Client) -> tuple[bool, str]:
    import httpx

    try:
        response = client.request(spec.method, spec.url, content=spec.data,
                                  timeout=probe.timeout)
    except httpx.ConnectError as error:
        return False, "refused" if "refused" in str(error).lower() else str(error)
    except httpx.TimeoutException:
        return False, "timed out"
    except (httpx.HTTPError, httpx.InvalidURL) as error:
        return False, str(error) or type(error).__name__
    status = response.status_code
    if not _status_ok(status, spec.status):
        return False, f"status {status}"
    if spec.expect is not None and spec.expect not in response.text:
        return False, f"status {status}, body lacks {spec.expect!r}"
    return True, f"status {status}"


def _status_ok(status: int, wanted_status: int | None) -> bool:
    return status == wanted_status if wanted_status is not None else 200 <= status < 400
