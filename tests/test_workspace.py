"""Finding the workspace, and its services in dependency order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bringup.recipe.workspace import Workspace

from helpers import invoke, write_recipe


def found_workspace(*args: str) -> str:
    result = invoke("report", "--no-check", "--json", *args)
    assert result.code == 0, result.output
    return str(json.loads(result.stdout)["workspace"])


def order(root: Path, recipes: dict[str, str]) -> list[str]:
    for name, after in recipes.items():
        write_recipe(root, name, f'command = "true"\nafter = [{after}]')
    return list(Workspace(root).recipes)


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with no recipes/ at or above it, as the current directory, no variable set."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    monkeypatch.chdir(folder)
    monkeypatch.delenv("BRINGUP_WORKSPACE", raising=False)
    return folder


def test_workspace_option(ws: Path, elsewhere: Path) -> None:
    assert found_workspace("--workspace", str(ws)) == str(ws.resolve())


def test_workspace_variable(ws: Path, elsewhere: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRINGUP_WORKSPACE", str(ws))
    assert found_workspace() == str(ws.resolve())


def test_option_wins_over_variable(ws: Path, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    other = tmp_path / "other"
    (other / "recipes").mkdir(parents=True)
    monkeypatch.setenv("BRINGUP_WORKSPACE", str(other))
    assert found_workspace("--workspace", str(ws)) == str(ws.resolve())


def test_nearest_parent_holding_recipes(ws: Path, elsewhere: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    inner = ws / "services" / "api" / "src"
    inner.mkdir(parents=True)
    monkeypatch.chdir(inner)
    assert found_workspace() == str(ws.resolve())


def test_no_workspace_found(elsewhere: Path) -> None:
    result = invoke("report", "--no-check")
    assert result.code == 2
    assert "no workspace at or above" in result.stderr
    assert "recipes/" in result.stderr and "--workspace" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("source", ["option", "variable"])
def test_named_folder_without_recipes(elsewhere: Path, monkeypatch: pytest.MonkeyPatch,
                                      source: str) -> None:
    args = ("--workspace", str(elsewhere)) if source == "option" else ()
    if source == "variable":
        monkeypatch.setenv("BRINGUP_WORKSPACE", str(elsewhere))
    result = invoke("report", "--no-check", *args)
    assert result.code == 2
    assert f"{elsewhere} is not a workspace: it has no recipes/ folder" in result.stderr


@pytest.mark.parametrize(("recipes", "expected"), [
    ({"zeta": "", "alpha": "", "mid": ""}, ["alpha", "mid", "zeta"]),
    ({"a": '"b"', "b": ""}, ["b", "a"]),
    ({"d": '"c", "b"', "c": '"a"', "b": '"a"', "a": ""}, ["a", "b", "c", "d"]),
], ids=["independent", "chain", "diamond"])
def test_dependency_order(ws: Path, recipes: dict[str, str], expected: list[str]) -> None:
    assert order(ws, recipes) == expected


def test_every_service_comes_after_what_it_needs(ws: Path) -> None:
    names = order(ws, {"web": '"api", "cache"', "api": '"db", "cache"', "cache": "",
                       "db": "", "worker": '"db"'})
    recipes = Workspace(ws).recipes
    for name in names:
        assert all(names.index(other) < names.index(name) for other in recipes[name].after)


def test_unknown_service_names_the_known_ones(ws: Path) -> None:
    order(ws, {"api": "", "cache": ""})
    result = invoke("logs", "nope", "--workspace", str(ws))
    assert result.code == 2
    assert "no service named 'nope'" in result.stderr
    assert "known services: api, cache" in result.stderr
