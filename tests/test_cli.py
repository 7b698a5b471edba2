"""The command line as a whole: every command documented and tested, version, logs, reset, and
the README's two set-up commands kept true."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import pytest

from bringup import __version__
from bringup.checks import CHECKS
from bringup.face.cli import cli
from bringup.stages import registry

from helpers import ROOT, invoke, web_service, write_recipe

COMMANDS = sorted(cli.commands)
NO_WORKSPACE = {"completion"}  # it prints a script for the shell, from no workspace
TESTS = "\n".join(path.read_text() for path in (ROOT / "tests").rglob("test_*.py"))


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_a_workspace_option_and_a_test(name: str) -> None:
    command = cli.commands[name]
    assert command.help and len(command.help) > 40
    result = invoke(name, "--help")
    assert result.code == 0
    if name not in NO_WORKSPACE:
        assert any(isinstance(p, click.Option) and "--workspace" in p.opts
                   for p in command.params)
        assert "--workspace" in result.stdout
    assert re.search(rf'invoke\("{name}"|bringup\("{name}"|"-m", "bringup", "{name}"', TESTS)


@pytest.mark.parametrize("kind", sorted(CHECKS))
def test_every_check_kind_is_documented_and_tested(kind: str) -> None:
    module = CHECKS[kind]
    assert (module.__doc__ or "").strip()
    assert f'"{kind}"' in (ROOT / "tests/test_checks.py").read_text()
    assert f"`{kind}`" in (ROOT / "docs/recipes.md").read_text() or kind == "process"


@pytest.mark.parametrize("stage", registry())
def test_every_stage_is_described_and_tested(stage: str) -> None:
    assert registry()[stage].describe and (registry()[stage].__doc__ or "").strip()  # type: ignore[index]
    assert f'"{stage}"' in TESTS


def test_next_in_a_workspace_without_recipes(ws: Path) -> None:
    result = invoke("next", "--yes", "--workspace", str(ws))
    assert result.code == 2 and "no recipes in" in result.stderr


def test_version() -> None:
    result = invoke("--version")
    assert result.code == 0 and __version__ in result.stdout


def test_an_unexpected_error_has_its_own_status_and_its_traceback_in_the_workspace(
        ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bringup.errors import EXIT_BUG
    from bringup.face.cli import open_context, workspace_option

    @click.command()
    @workspace_option
    def broken(workspace: Path | None) -> None:
        """A command with a bug in it."""
        open_context(workspace, "broken")
        raise RuntimeError("a bug in bringup")

    monkeypatch.chdir(tmp_path)  # elsewhere: the traceback follows --workspace
    result = invoke("broken", "--workspace", str(ws), group=click.Group(commands=[broken]))
    assert result.code == EXIT_BUG != 1
    kept = ws / "state/logs/bringup-error.log"
    assert str(kept) in result.stderr and "RuntimeError: a bug in bringup" in kept.read_text()


def test_a_bug_before_the_command_opens_its_workspace_is_kept_in_the_one_named(
        ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bringup.face.cli import workspace_option

    @click.command()
    @workspace_option
    def broken(workspace: Path | None) -> None:
        """A command whose imports fail."""
        raise ImportError("a half-made module")

    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "recipes").mkdir(parents=True)
    monkeypatch.chdir(elsewhere)  # a workspace too: the traceback must not land here
    invoke("broken", "-w", str(ws), group=click.Group(commands=[broken]))
    assert "a half-made module" in (ws / "state/logs/bringup-error.log").read_text()
    assert not (elsewhere / "state").exists()


def test_an_interrupt_python_wraps_on_its_way_up_is_still_an_interrupt(ws: Path) -> None:
    # A stop that lands in a descriptor's __set_name__ (a dataclass field, while a module is
    # imported) comes out of the class statement as a RuntimeError caused by it.
    from bringup.errors import EXIT_INTERRUPTED
    from bringup.face.cli import open_context, workspace_option

    class Stopped:
        def __set_name__(self, owner: type, name: str) -> None:
            raise KeyboardInterrupt

    @click.command()
    @workspace_option
    def slow(workspace: Path | None) -> None:
        """A command that is stopped while it makes a class."""
        with open_context(workspace, "slow").working():
            type("Made", (), {"field": Stopped()})

    result = invoke("slow", "--workspace", str(ws), group=click.Group(commands=[slow]))
    assert result.code == EXIT_INTERRUPTED, result.output
    assert "interrupted; progress so far is saved" in result.stderr
    assert not (ws / "state/logs/bringup-error.log").exists()


def test_an_unknown_command_is_a_usage_error() -> None:
    result = invoke("launch")
    assert result.code == 2 and "No such command" in result.output


def test_logs_shows_the_service_output(ws: Path) -> None:
    web_service(ws)
    invoke("next", "--yes", "--workspace", str(ws))
    result = invoke("logs", "web", "-n", "5", "--workspace", str(ws))
    assert result.code == 0 and "=== bringup start" in result.stdout
    assert "listening" in result.stdout
    assert invoke("logs", "web", "-n", "1", "--workspace", str(ws)).stdout.count("\n") == 1


def test_logs_before_any_start(ws: Path) -> None:
    write_recipe(ws, "web", 'command = "true"\n')
    result = invoke("logs", "web", "--workspace", str(ws))
    assert result.code == 2 and "has not been started" in result.stderr


def test_reset_forgets_progress(ws: Path) -> None:
    write_recipe(ws, "job", 'command = "true"\noneshot = true\n')
    invoke("next", "--yes", "--workspace", str(ws))
    assert invoke("reset", "--workspace", str(ws)).code == 2
    assert invoke("reset", "--all", "--workspace", str(ws)).code == 0
    assert '"stage": "needs"' in (ws / "state/state.json").read_text()


def test_the_readme_has_the_two_setup_commands_and_ci_runs_the_second() -> None:
    readme = (ROOT / "README.md").read_text()
    commands = re.findall(r"```sh\n(.+?)\n```", readme)
    assert len(commands) == 2
    assert "bringup demo" in commands[0] and "bringup next" in commands[0]
    assert commands[1] in (ROOT / ".ci/run").read_text()


def test_help_lists_the_commands_in_workflow_order_with_whole_summaries() -> None:
    shown = invoke("--help").output
    listed = [line.split()[0] for line in shown.split("Commands:")[1].strip().splitlines()]
    assert listed[:5] == ["demo", "init", "next", "report", "diagnose"]
    assert listed.index("up") < listed.index("watch") < listed.index("down")
    assert "..." not in shown.split("Commands:")[1]  # no summary cut short


def test_the_workspace_may_come_before_the_command(ws: Path) -> None:
    write_recipe(ws, "api", 'command = "true"')
    before = invoke("--workspace", str(ws), "report", "--json")
    after = invoke("report", "--json", "--workspace", str(ws))
    assert before.code == after.code == 0
    assert json.loads(before.output)["workspace"] == json.loads(after.output)["workspace"]
