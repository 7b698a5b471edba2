"""Render docs/wizard.svg: the wizard and the report on the built-in demo, as a terminal shows
them. Run from the repository root: python docs/screenshot.py"""

from __future__ import annotations

import tempfile
from pathlib import Path

from rich.console import Console

from bringup.commands.demo import write_demo
from bringup.commands.down import down
from bringup.commands.next import run_next
from bringup.commands.report import build
from bringup.core.context import Context
from bringup.face import render
from bringup.face.console import ConsoleOutput
from bringup.recipe.workspace import Workspace


def main() -> None:
    console = Console(record=True, width=110, force_terminal=True, highlight=False)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "bringup-demo"
        write_demo(root)
        ctx = Context(Workspace(root), out=ConsoleOutput(console))
        try:
            console.print("[bold]$ bringup next --yes[/]")
            done = run_next(ctx, None)
            ctx.out.line(render.next_done(done))
            run_next(Context(Workspace(root)), None)
            console.print("\n[bold]$ bringup report[/]")
            console.print(render.table(build(Context(Workspace(root)), check=True)))
        finally:
            down(Context(Workspace(root)), ())
    target = Path(__file__).with_name("wizard.svg")
    target.write_text(console.export_svg(title="bringup"), encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
