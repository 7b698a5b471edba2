"""`bringup watch --serve` and `--ssot`: a real watch of real services, its page loaded in a real
headless Chromium that sees a service go from proven to regressed and back, /metrics read by
prometheus_client's own parser, /report.json in the report's pinned shape, and a file kept for
dashboards that no reader ever sees half of."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from browser import CHROMIUM, Browser

from helpers import free_port, invoke, kill, report_json, stored, web_service

pytest.importorskip("starlette")
pytest.importorskip("prometheus_client")

INTERVAL = 1.0


@pytest.fixture
def watching(ws: Path) -> Iterator[tuple[Path, str, subprocess.Popen[str]]]:
    """A proven web service (restart = "no": a kill leaves it regressed) and a real watch
    serving its page."""
    web_service(ws, "web", extra='restart = "no"')
    recipe = ws / "recipes" / "web.toml"
    recipe.write_text(recipe.read_text().replace("interval = 0.1", f"interval = {INTERVAL}"))
    assert invoke("next", "--yes", "--workspace", str(ws)).code == 0
    port = free_port()
    watcher = subprocess.Popen(
        [sys.executable, "-m", "bringup", "watch", "--serve", str(port), "--ssot",
         str(ws / "ssot.json"), "--workspace", str(ws)], stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 15
    while True:
        try:
            if httpx.get(f"{url}/healthz").status_code == 200:
                break
        except httpx.TransportError:
            pass
        assert watcher.poll() is None and time.monotonic() < deadline, watcher.stdout
        time.sleep(0.05)
    try:
        yield ws, url, watcher
    finally:
        watcher.send_signal(signal.SIGTERM)
        watcher.wait(timeout=15)


def test_report_json_is_the_json_report_and_metrics_parse(
        watching: tuple[Path, str, subprocess.Popen[str]]) -> None:
    from prometheus_client.parser import text_string_to_metric_families

    ws, url, _ = watching
    served = httpx.get(f"{url}/report.json")
    assert served.headers["content-type"].startswith("application/json")
    data = served.json()
    _, printed = report_json(ws, "--no-check")
    assert set(data) == set(printed) and data["schema"] == "bringup.report/1"
    assert [set(s) for s in data["services"]] == [set(s) for s in printed["services"]]
    assert data["services"][0]["status"] == "proven" and data["summary"]["coherence"] == 1.0
    assert data["watch"]["running"] is True

    families = {f.name: f for f in text_string_to_metric_families(httpx.get(f"{url}/metrics").text)}
    def value(name: str, **labels: str) -> float:
        return next(s.value for s in families[name].samples if s.labels == labels)
    assert value("bringup_service_up", service="web") == 1.0
    assert value("bringup_service_proven", service="web") == 1.0
    assert value("bringup_coherence") == 1.0
    assert value("bringup_service_restarts", service="web") == 0.0  # its _total sample
    assert value("bringup_check_latency_seconds", service="web", kind="http") > 0
    assert value("bringup_service_proven_age_seconds", service="web") >= 0
    health = httpx.get(f"{url}/healthz").json()
    assert health["ok"] and health["watching"] == ["web"]


@pytest.mark.skipif(CHROMIUM is None, reason="needs chromium (Debian's package)")
def test_the_page_in_a_browser_follows_a_kill_and_a_start_within_two_intervals(
        watching: tuple[Path, str, subprocess.Popen[str]]) -> None:
    ws, url, watcher = watching
    browser = Browser()
    status = "document.querySelector('#service-web [data-status]').dataset.status"
    try:
        browser.open(url)
        browser.wait_for(status, "proven", within=10)
        assert browser.evaluate("document.getElementById('share').textContent") == "100%"
        kill(stored(ws, "web")["pid"])
        took = browser.wait_for(status, "regressed", within=2 * INTERVAL + 1)
        assert took <= 2 * INTERVAL + 0.5
        assert browser.evaluate("document.getElementById('share').textContent") == "0%"
        assert invoke("up", "--workspace", str(ws)).code == 0
        browser.wait_for(status, "proven", within=2 * INTERVAL + 1)
        watcher.send_signal(signal.SIGTERM)  # the page now reaches no watch: it says so
        watcher.wait(timeout=15)
        browser.wait_for("document.getElementById('stale').hidden", False,
                         within=3 * INTERVAL + 2)
        assert "stale" in browser.evaluate("document.getElementById('stale').textContent")
    finally:
        browser.close()


def test_the_page_works_without_javascript(
        watching: tuple[Path, str, subprocess.Popen[str]]) -> None:
    _, url, _ = watching
    page = httpx.get(url).text
    assert '<noscript><meta http-equiv=refresh content="1"></noscript>' in page
    assert 'data-status="proven"' in page and "Dependency order" in page
    assert "Changes to this machine" in page


def test_the_kept_file_is_never_seen_half_written(
        watching: tuple[Path, str, subprocess.Popen[str]]) -> None:
    ws, _, _ = watching
    kept = ws / "ssot.json"
    seen: list[str] = []
    stop = threading.Event()
    broken: list[str] = []

    def read() -> None:
        while not stop.is_set():
            try:
                text = kept.read_text()
            except FileNotFoundError:
                continue
            try:
                seen.append(json.loads(text)["services"][0]["status"])
            except (ValueError, KeyError, IndexError) as error:
                broken.append(f"{error}: {text[:80]!r}")

    reader = threading.Thread(target=read)
    reader.start()
    try:
        time.sleep(0.5)
        kill(stored(ws, "web")["pid"])
        deadline = time.monotonic() + 5
        while "regressed" not in seen[-1:] and time.monotonic() < deadline:
            time.sleep(0.05)
        assert invoke("up", "--workspace", str(ws)).code == 0
        deadline = time.monotonic() + 5
        while seen[-1:] != ["proven"] and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        reader.join()
    assert not broken and len(seen) > 100
    assert "regressed" in seen and seen[-1] == "proven"
    assert kept.stat().st_mode & 0o044 == 0o044  # readable by a dashboard of another user


def test_serving_beyond_loopback_warns_and_a_bad_address_is_a_usage_error(ws: Path) -> None:
    result = invoke("watch", "--serve", "nohost:port", "--workspace", str(ws))
    assert result.code == 2 and "expected [HOST:]PORT" in result.stderr
    port = free_port()
    watcher = subprocess.Popen(
        [sys.executable, "-m", "bringup", "watch", "--serve", f"0.0.0.0:{port}",
         "--workspace", str(ws)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "COLUMNS": "200"})
    try:
        assert watcher.stdout is not None
        said = "".join(watcher.stdout.readline() for _ in range(4))
        assert f"serving on 0.0.0.0:{port}: anyone who can reach this machine" in said, said
    finally:
        watcher.send_signal(signal.SIGTERM)
        watcher.wait(timeout=15)
