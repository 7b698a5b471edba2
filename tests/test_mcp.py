"""`bringup mcp`: a real stdio session with the official SDK's own client. Read-only tools by
default; with --allow-actions the wizard walks a service, takes the recommended answers and
says what it asked; nothing on the protocol's channel but the protocol."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from helpers import stop_everything, web_service, write_recipe

pytest.importorskip("mcp")

from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client


async def session(ws: Path, *flags: str, calls: list[tuple[str, dict[str, Any]]]
                  ) -> tuple[list[str], list[Any]]:
    """The tools offered, and the result of each call (its JSON, or its error text)."""
    parameters = StdioServerParameters(
        command=sys.executable, args=["-m", "bringup", "mcp", *flags, "--workspace", str(ws)])
    async with stdio_client(parameters) as (read, write), ClientSession(read, write) as client:
        await client.initialize()
        tools = sorted(tool.name for tool in (await client.list_tools()).tools)
        results = []
        for name, arguments in calls:
            called = await client.call_tool(name, arguments)
            text = "".join(getattr(part, "text", "") for part in called.content)
            results.append(f"error: {text}" if called.is_error else json.loads(text))
        return tools, results


def test_read_only_by_default(ws: Path) -> None:
    web_service(ws, "api")
    tools, (report, plan) = asyncio.run(session(ws, calls=[("report", {"check": True}),
                                                           ("plan", {})]))
    assert tools == ["diagnose", "logs", "plan", "report"]
    assert report["schema"] == "bringup.report/1" and report["summary"]["next"] == "api"
    assert plan["result"]["dry_run"] is True and plan["result"]["upcoming"] == "api"
    assert any("would check" in line for line in plan["said"]), plan
    assert not (ws / "state" / "logs" / "api.log").exists()  # the plan started nothing


def test_actions_walk_with_the_recommended_answers_and_say_what_they_asked(ws: Path) -> None:
    web_service(ws, "api", extra='[[paths]]\ndir = "var/data"\n[[needs]]\nenv = "API_TOKEN"')
    write_recipe(ws, "broken", 'command = "exit 3"\nafter = ["api"]\n[verify]\n'
                                'startup_timeout = 2\n')
    try:
        tools, (walked, report, failed, found, logs, stopped) = asyncio.run(session(
            ws, "--allow-actions", calls=[
                ("next", {}), ("report", {"check": False}), ("next", {}),
                ("diagnose", {"service": "broken"}), ("logs", {"service": "api", "lines": 5}),
                ("down", {})]))
    finally:
        stop_everything(ws)
    assert tools == ["diagnose", "down", "logs", "next", "plan", "report", "restart", "up"]
    assert walked["result"]["service"] == "api" and "api" in walked["result"]["proven"]
    questions = [asked["question"] for asked in walked["asked"]]
    assert "api: environment variable API_TOKEN is not set. What now?" in questions
    assert "api: directory var/data does not exist. What now?" in questions
    token = (ws / ".env").read_text().split("=", 1)[1].strip().strip("'")
    assert token not in json.dumps(walked)  # a generated secret is never handed out
    assert (ws / "var" / "data").is_dir()
    assert {s["name"]: s["status"] for s in report["services"]}["api"] == "proven"
    assert failed.startswith("error: ") and "broken is not proven" in failed
    found = found["findings"]
    assert found and found[0]["kind"] == "crashed" and found[0]["subject"] == "3"
    assert logs["lines"] and all(line["service"] == "api" for line in logs["lines"])
    assert stopped["result"]["stopped"] == ["api"]
