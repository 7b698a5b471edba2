"""http: a request answers with an accepted status and, optionally, an expected body."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import TYPE_CHECKING

from bringup.checks.base import Outcome, Probe

if TYPE_CHECKING:
    import httpx

KEYS: Mapping[str, tuple[type, ...]] = {
    "http": (str,), "http_expect": (str,), "http_status": (int,), "http_method": (str,),
    "http_data": (str,)}


def wanted(probe: Probe) -> bool:
    return probe.verify.http is not None


def target(probe: Probe) -> str:
    return probe.verify.http or ""


def run(probe: Probe) -> Outcome:
    client = _client(probe)  # made before the clock starts: importing httpx is not the service's
    started = time.perf_counter()
    ok, detail = _request(probe, client)
    elapsed = (time.perf_counter() - started) * 1000
    if probe.http_client is None:
        client.close()  # made for this one request; a shared one belongs to the context
    return Outcome("http", target(probe), ok, elapsed, detail)


def _client(probe: Probe) -> httpx.Client:
    import httpx  # imported here: most commands never make a request

    return probe.http_client() if probe.http_client else httpx.Client(trust_env=False)


def _request(probe: Probe, client: httpx.Client) -> tuple[bool, str]:
    import httpx

    verify = probe.verify
    try:
        response = client.request(verify.http_method, target(probe), content=verify.http_data,
                                  timeout=probe.timeout)
    except httpx.ConnectError as error:
        return False, "refused" if "refused" in str(error).lower() else str(error)
    except httpx.TimeoutException:
        return False, "timed out"
    except (httpx.HTTPError, httpx.InvalidURL) as error:
        return False, str(error) or type(error).__name__
    status = response.status_code
    if not _status_ok(status, verify.http_status):
        return False, f"status {status}"
    if verify.http_expect is not None and verify.http_expect not in response.text:
        return False, f"status {status}, body lacks {verify.http_expect!r}"
    return True, f"status {status}"


def _status_ok(status: int, wanted_status: int | None) -> bool:
    return status == wanted_status if wanted_status is not None else 200 <= status < 400
