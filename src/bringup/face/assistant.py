"""`bringup mcp`: the discipline, served to coding assistants over the Model Context Protocol
(the official `mcp` SDK, on standard input and output; the `mcp` extra). Read-only tools by
default: the report, a diagnosis, the logs, and the plan of what `next` would do. With
--allow-actions also next, up, down and restart, each returning the result the command line
renders, what bringup said while it worked, and every question it met with the answer taken
(the recommended one, as under --yes). Each call reads the workspace afresh and holds it as
the command would."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, is_dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from bringup.core.context import Context
from bringup.core.output import Recorded
from bringup.core.prompting import Recommended
from bringup.errors import BringupError
from bringup.recipe.workspace import Workspace

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer

T = TypeVar("T")

INSTRUCTIONS = (
    "bringup gets a stuck multi-service stack running one service at a time and proves each: "
    "installs what it needs, fixes paths and permissions, starts it, verifies it answers and "
    "watches it stay up, then the next. Before writing a wrapper script around a service that "
    "never ran, read `report` and `plan`; `diagnose` names the cause of a failure with its "
    "fix.")


@dataclass
class Answering:
    """Takes the recommended answer to every question, and keeps each question with it."""

    asked: list[dict[str, str]] = field(default_factory=list)

    def choose(self, question: str, options: Sequence[str]) -> int:
        self.asked.append({"question": question, "answer": options[0]})
        return Recommended().choose(question, options)

    def text(self, question: str, *, default: str, secret: bool = False) -> str:
        self.asked.append({"question": question, "answer": "(the value offered)" if secret
                           else default})
        return default


def server(root: Path, *, actions: bool) -> MCPServer:
    from mcp.server.mcpserver import MCPServer

    served = MCPServer("bringup", instructions=INSTRUCTIONS, log_level="WARNING")

    def run(command: str, work: Callable[[Context], T], *, write: bool = False,
            dry_run: bool = False) -> dict[str, Any]:
        said, answers = Recorded(), Answering()
        ctx = Context(Workspace(root), prompter=answers, out=said, dry_run=dry_run,
                      command=command)
        try:
            if write:
                with ctx.working():
                    result = work(ctx)
            else:
                result = work(ctx)
        except BringupError as error:  # what the command line says in one line, said so here
            from mcp.server.mcpserver.exceptions import ToolError

            said.lines.append(f"bringup: {error}")
            raise ToolError("\n".join(ctx.mask(said.lines))) from None
        finally:
            ctx.close()
        data = asdict(result) if is_dataclass(result) and not isinstance(result, type) \
            else result
        return ctx.mask({"result": data, "said": said.lines, "asked": answers.asked})

    @served.tool()
    def report(check: bool = True) -> dict[str, Any]:
        """The JSON report (bringup.report/1): every service's status, stage, port, pid and
        evidence; with check, live checks run now."""
        from bringup.commands.report import build

        def reading(ctx: Context) -> dict[str, Any]:
            ctx.workspace.settle()
            with ctx.working(write=False):
                return build(ctx, check=check)

        return run("report", reading)["result"]  # type: ignore[no-any-return]

    @served.tool()
    def diagnose(service: str) -> dict[str, list[dict[str, str]]]:
        """The findings for SERVICE's last failure, most likely cause first: kind, subject,
        fix and the log line it was read from."""
        from bringup.commands.diagnose import of_service

        found = run("diagnose", lambda ctx: of_service(ctx, service).findings)["result"]
        return {"findings": [finding.to_json() for finding in found]}

    @served.tool()
    def logs(service: str | None = None, lines: int = 40) -> dict[str, list[dict[str, str]]]:
        """The last lines of SERVICE's log (every service's when none is named, interleaved
        by start), each with its service."""
        from bringup.commands.logs import show

        shown = run("logs", lambda ctx: show(ctx, [service] if service else [], lines,
                                               follow=False))["result"]
        return {"lines": [{"service": line["service"], "text": line["text"]}
                          for line in shown["lines"]]}

    @served.tool()
    def plan() -> dict[str, Any]:
        """What `bringup next` would do now, changing nothing: the service it takes and each
        check and fix of its stages."""
        from bringup.commands.next import run_next

        return run("next", lambda ctx: run_next(ctx, None), write=True, dry_run=True)

    if actions:
        _actions(served, run)
    return served


def _actions(served: MCPServer, run: Callable[..., dict[str, Any]]) -> None:
    @served.tool(name="next")
    def next_(service: str | None = None) -> dict[str, Any]:
        """Walk the next service (or SERVICE) through its stages and its stability window,
        each fix taken as recommended: the result, what bringup said, and what it asked."""
        from bringup.commands.next import run_next

        return run("next", lambda ctx: run_next(ctx, service), write=True)

    @served.tool()
    def up(services: list[str] | None = None) -> dict[str, Any]:
        """Start proven and stopped services (all, or SERVICES) in dependency order, each
        verified."""
        from bringup.commands.up import up as start

        return run("up", lambda ctx: start(ctx, tuple(services or ())), write=True)

    @served.tool()
    def down(services: list[str] | None = None) -> dict[str, Any]:
        """Stop what bringup started (all, or SERVICES), in reverse dependency order."""
        from bringup.commands.down import down as stop

        return run("down", lambda ctx: stop(ctx, tuple(services or ())), write=True)

    @served.tool()
    def restart(services: list[str] | None = None) -> dict[str, Any]:
        """Stop proven services (all, or SERVICES) and start them again, each verified."""
        from bringup.commands.restart import restart as again

        return run("restart", lambda ctx: again(ctx, tuple(services or ())), write=True)
