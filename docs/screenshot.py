"""Render docs/wizard.svg: the wizard and the report on the built-in demo, as a terminal shows
them. Run from the repository root: python docs/screenshot.py"""

from __future__ import annotations

import tempfile
from pathlib import Path

from rich.console import Console

from bringup import ops, render
from bringup.context import Context
from bringup.demo import write_demo
from bringup.output import Output
from bringup.report import build
from bringup.wizard import run_next
from bringup.workspace import Workspace


def main() -> None:
    console = Console(record=True, width=110, force_terminal=True, highlight=False)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "bringup-demo"
        write_demo(root)
        ctx = Context(Workspace(root), out=Output(console))
        try:
            console.print("[bold]$ bringup next --yes[/]")
            run_next(ctx, None)
            ctx.save()
            run_next(Context(Workspace(root), out=Output(Console(quiet=True))), None)
            console.print("\n[bold]$ bringup report[/]")
            quiet = Context(Workspace(root), out=Output(Console(quiet=True)))
            console.print(render.table(build(quiet, check=True)))
        finally:
            ops.down(Context(Workspace(root), out=Output(Console(quiet=True))), ())
    target = Path(__file__).with_name("wizard.svg")
    target.write_text(console.export_svg(title="bringup"), encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
