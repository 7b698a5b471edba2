"""State on disk: atomic, lenient on read, never overwritten when unreadable; the journal is
append-only; one writing bringup per workspace; no environment value ever lands on disk."""

from __future__ import annotations

import json
import select
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bringup.errors import WorkspaceError
from bringup.state.model import Change, ServiceState, State
from bringup.state.store import Store

from helpers import SERVER, free_port, http_server_recipe, invoke, write_file, write_recipe

SECRET = "s3cr3t-value-123"
HOLDER = """
import sys
from pathlib import Path
from bringup.state.store import Store
with Store(Path(sys.argv[1])).locked():
    print("held", flush=True)
    sys.stdin.read()
"""

def store(root: Path) -> Store:
    return Store(root / "state")


def write_state(root: Path, data: object) -> Path:
    return write_file(root, "state/state.json", json.dumps(data))


def read_back(root: Path, entry: dict[str, object]) -> ServiceState:
    write_state(root, {"schema": "bringup.state/1", "services": {"api": entry}})
    return store(root).load().of("api")


def journal_lines(root: Path) -> list[dict[str, object]]:
    text = store(root).journal_file.read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


@pytest.fixture
def holder(ws: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the workspace lock, until its standard input is closed."""
    process = subprocess.Popen([sys.executable, "-c", HOLDER, str(ws / "state")], text=True,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], 10)
    assert ready and process.stdout.readline().strip() == "held"
    yield process
    process.kill()
    process.wait()


CRASHED = {"kind": "crashed", "subject": "1", "stage": "start", "fix": "read", "evidence": "x"}


def test_save_then_load_round_trips(ws: Path) -> None:
    state = State({"api": ServiceState(stage="verify", status="failed", attempts=2, pid=42,
                                       create_time=1.5, port=5050, log_tail=["boom"],
                                       findings=[CRASHED], fingerprints={"k": "v"}),
                   "cache": ServiceState()})
    store(ws).save(state)
    assert store(ws).load() == state


def test_each_service_and_each_change_is_a_line_of_its_own(ws: Path) -> None:
    state = State({"web": ServiceState(stage="verify", log_tail=["a\nb", 'say "hi"', "ü"]),
                   "api": ServiceState()},
                  [Change("hosts-line", "/etc/hosts", "127.0.0.1 api", "api", "2026-12-08")])
    store(ws).save(state)
    text = store(ws).file.read_text(encoding="utf-8")
    assert store(ws).load() == state
    lines = text.splitlines()
    assert [line.split(":")[0].strip() for line in lines if line.startswith('    "')] == \
        ['"api"', '"web"']  # sorted, one line each
    assert sum(line.startswith("    {") for line in lines) == 1  # the change
    assert len(lines) == 10


def test_missing_state_is_empty(ws: Path) -> None:
    assert store(ws).load() == State()


def test_save_replaces_the_file_and_leaves_no_temporary(ws: Path) -> None:
    store(ws).save(State({"api": ServiceState(stage="paths")}))
    with store(ws).file.open(encoding="utf-8") as old:
        store(ws).save(State({"api": ServiceState(stage="stable")}))
        assert json.load(old)["services"]["api"]["stage"] == "paths"
    assert store(ws).load().of("api").stage == "stable"
    assert sorted(path.name for path in (ws / "state").iterdir()) == ["state.json"]


@pytest.mark.parametrize(("entry", "name", "expected"), [
    ({"stage": "verify", "colour": "blue"}, "stage", "verify"),
    ({"attempts": "three"}, "attempts", 0),
    ({"port": "5050"}, "port", None),
    ({"pid": "x"}, "pid", None),
    ({"create_time": 12}, "create_time", 12),
    ({"log_tail": "not a list"}, "log_tail", []),
    ({"findings": {"kind": "x"}}, "findings", []),
    ({"stage": "launch"}, "stage", "needs"),
    ({"stage": 3}, "stage", "needs"),
])
def test_lenient_read(ws: Path, entry: dict[str, object], name: str, expected: object) -> None:
    assert getattr(read_back(ws, entry), name) == expected


def test_an_entry_that_is_not_a_table_is_refused_not_read_as_fresh(ws: Path) -> None:
    # Read as fresh, its pid would be forgotten: a process `down` could no longer stop.
    with pytest.raises(WorkspaceError, match=r"services\.api as list, not a table"):
        read_back(ws, ["nonsense"])  # type: ignore[arg-type]


@pytest.mark.parametrize(("content", "fragment"), [
    ("{not json", "is not valid JSON"),
    (json.dumps({"schema": "bringup.state/2", "services": {}}), "'bringup.state/2'"),
    (json.dumps({"services": {}}), "schema None"),
], ids=["corrupt", "newer-schema", "no-schema"])
def test_unreadable_state_is_left_alone(ws: Path, content: str, fragment: str) -> None:
    write_recipe(ws, "api", 'command = "true"')
    file = write_file(ws, "state/state.json", content)
    result = invoke("next", "--yes", "--workspace", str(ws))
    assert result.code == 2, result.output
    assert str(file) in result.stderr and fragment in result.stderr
    assert "Traceback" not in result.output
    assert file.read_text(encoding="utf-8") == content


def test_journal_lines_are_json_with_utc_time(ws: Path) -> None:
    store(ws).journal("start", "api", pid=1, command="x")
    store(ws).journal("interrupted")
    lines = journal_lines(ws)
    assert [line["event"] for line in lines] == ["start", "interrupted"]
    assert all(str(line["ts"]).endswith("Z") for line in lines)
    assert lines[0]["service"] == "api" and "service" not in lines[1]


def test_journal_is_only_appended(ws: Path) -> None:
    store(ws).journal("check", "api", ok=False)
    before = store(ws).journal_file.read_bytes()
    store(ws).journal("check", "api", ok=True)
    after = store(ws).journal_file.read_bytes()
    assert after.startswith(before) and after.count(b"\n") == 2


def test_second_bringup_is_refused(ws: Path, holder: subprocess.Popen[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The wizard waits for state/ when it writes; a holder that never lets go gets it refused
    then, naming the holder, with nothing written."""
    from bringup.state import store

    monkeypatch.setattr(store, "WAIT", 0.5)
    write_recipe(ws, "api", 'command = "true"')
    result = invoke("next", "--yes", "--workspace", str(ws))
    assert result.code == 2, result.output
    assert f"pid {holder.pid}" in result.stderr
    assert not (ws / "state" / "state.json").exists()


@pytest.mark.parametrize("ending", ["exits", "killed"])
def test_lock_is_free_once_the_holder_is_gone(ws: Path, holder: subprocess.Popen[str],
                                              ending: str) -> None:
    write_recipe(ws, "api", 'command = "true"')
    if ending == "exits":
        assert holder.stdin is not None
        holder.stdin.close()
    else:
        holder.kill()
    holder.wait(timeout=10)
    result = invoke("reset", "--all", "--workspace", str(ws))
    assert result.code == 0, result.output


def test_environment_values_never_reach_disk(ws: Path) -> None:
    port = free_port()
    write_file(ws, "server.py", SERVER)
    extra = f'env = {{ SECRET_TOKEN = "{SECRET}" }}\n[[needs]]\nenv = "SECRET_TOKEN"'
    write_recipe(ws, "api", http_server_recipe(port, extra=extra))
    result = invoke("next", "--yes", "--workspace", str(ws))
    assert result.code == 0, result.output
    report = invoke("report", "--json", "--workspace", str(ws))
    for text in (result.output, report.output, (ws / "state" / "state.json").read_text(),
                 (ws / "state" / "journal.jsonl").read_text()):
        assert SECRET not in text
    assert all(str(line["ts"]).endswith("Z") for line in journal_lines(ws))


def test_the_holder_is_named_even_when_asked_before_it_wrote_its_pid(
        ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import fcntl

    from bringup.state import store

    monkeypatch.setattr(store, "WAIT", 0.5)  # how long `up` waits for the holder to finish
    (ws / "state").mkdir()
    write_recipe(ws, "api", 'command = "true"')
    lock = (ws / "state/.lock").open("w")
    fcntl.flock(lock, fcntl.LOCK_EX)  # taken, its pid not written yet: written a moment later
    try:
        import threading

        threading.Timer(0.3, (ws / "state/lock.pid").write_text, args=("4242 watch\n",)).start()
        result = invoke("up", "--workspace", str(ws))
        assert result.code == 2 and "another bringup (pid 4242: watch)" in result.stderr
    finally:
        lock.close()


def test_a_second_wizard_is_refused_whatever_holds_the_state(ws: Path) -> None:
    """Two `next` at once would ask about the same service: the second is refused at once,
    naming the first; state/ itself is free (a `down` could run meanwhile)."""
    import fcntl

    (ws / "state").mkdir()
    write_recipe(ws, "api", 'command = "true"')
    (ws / "state/wizard.pid").write_text("4343 next\n")
    with (ws / "state/.wizard").open("w") as wizard:
        fcntl.flock(wizard, fcntl.LOCK_EX)
        result = invoke("next", "--yes", "--workspace", str(ws))
        assert result.code == 2 and "another bringup (pid 4343: next)" in result.stderr
        assert invoke("down", "--workspace", str(ws)).code == 0


def test_an_env_value_is_saved_whole_and_the_other_lines_kept(ws: Path) -> None:
    from bringup.recipe.env import read_env_file, save_value

    env = write_file(ws, ".env", "# mine\nexport A=1\nB='two'\n")
    save_value(env, "B", "it's new")
    save_value(env, "C", "three")
    save_value(env, "D", "back\\slash\\")
    assert env.read_text() == ("# mine\nexport A=1\nB='it\\'s new'\nC='three'\n"
                               "D='back\\\\slash\\\\'\n")
    assert read_env_file(env) == {"A": "1", "B": "it's new", "C": "three", "D": "back\\slash\\"}
    assert sorted(path.name for path in ws.iterdir()) == [".env", "recipes"]  # no temporary


def test_a_secret_the_service_prints_is_masked_wherever_bringup_shows_or_keeps_it(
        ws: Path) -> None:
    write_file(ws, "app.py", "import os\ntoken = os.environ['API_TOKEN']\n"
                             "print('token is', token, 'db', os.environ['DATABASE_URL'])\n"
                             "raise RuntimeError(f'refused token {token}')\n")
    write_file(ws, ".env", "DATABASE_URL='postgres://app:pw-9f8e7d@127.0.0.1:5432/app'\n")
    write_recipe(ws, "app", f"""
        command = ["{sys.executable}", "app.py"]
        env_file = ".env"
        [[needs]]
        env = "API_TOKEN"
        """)
    result = invoke("next", "--yes", "--workspace", str(ws))
    assert result.code == 1 and "refused token ******" in result.output
    token = (ws / ".env").read_text().split("API_TOKEN=")[1].strip().strip("'")
    assert len(token) > 20 and token in (ws / "state/logs/app.log").read_text()  # it did print
    shown = [result.output, (ws / "state/state.json").read_text(),
             (ws / "state/journal.jsonl").read_text(),
             invoke("report", "--json", "--workspace", str(ws)).stdout,
             invoke("diagnose", "app", "--json", "--workspace", str(ws)).stdout,
             invoke("diagnose", "app", "--workspace", str(ws)).stdout,
             invoke("logs", "app", "--workspace", str(ws)).stdout]
    for text in shown:
        assert token not in text and "pw-9f8e7d" not in text
    assert "refused token ******" in shown[4]


def test_a_secret_from_the_shell_is_masked_in_the_line_bringup_ends_with_too(
        ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SERVICE_PASSWORD", "hunter2-from-the-shell")
    write_file(ws, "app.py", "import os, time\npassword = os.environ['SERVICE_PASSWORD']\n"
                             "print('refused password', password, flush=True)\ntime.sleep(30)\n")
    write_recipe(ws, "app", f"""
        command = ["{sys.executable}", "app.py"]
        [verify]
        log_error = "refused"
        """)
    result = invoke("next", "--yes", "--workspace", str(ws))
    assert result.code == 1 and "refused password ******" in result.stderr, result.stderr
    for text in (result.output, (ws / "state/state.json").read_text(),
                 (ws / "state/journal.jsonl").read_text()):
        assert "hunter2" not in text


def test_an_env_file_that_is_not_text_is_one_line_exit_2(ws: Path) -> None:
    (ws / ".env").write_bytes(b"TOKEN=\xff\xfe\n")
    write_recipe(ws, "app", 'command = "sleep 30"\nenv_file = ".env"\n')
    result = invoke("next", "--yes", "--workspace", str(ws))
    assert result.code == 2 and "unexpected" not in result.stderr, result.stderr
    assert f"{ws / '.env'} cannot be read" in result.stderr


def test_masking_leaves_the_digests_and_ids_bringup_made(tmp_path: Path) -> None:
    entry = ServiceState(reason="token abcd9 refused", start_id="18abcd9",
                         started_from={"command": "abcd9f00"}, fingerprints={"npm": "0abcd9"})
    Store(tmp_path).save(State({"app": entry}), mask=lambda v: json.loads(
        json.dumps(v).replace("abcd9", "******")))
    saved = Store(tmp_path).load().of("app")
    assert saved.reason == "token ****** refused"
    assert (saved.start_id, saved.started_from, saved.fingerprints) == (
        "18abcd9", {"command": "abcd9f00"}, {"npm": "0abcd9"})


def test_threads_that_ask_for_the_state_at_once_read_it_once(tmp_path: Path) -> None:
    """A report's checks each ask for the state from a thread of their own, all at once: the
    state file is read once (a second read closed the descriptor the first held)."""
    import threading

    from helpers import context, next_ok, web_service

    root = tmp_path / "ws"
    (root / "recipes").mkdir(parents=True)
    web_service(root, "api")
    try:
        next_ok(root)
        for _ in range(30):
            ctx = context(root)
            start = threading.Barrier(16)
            seen: list[object] = []

            def ask(ctx: object = ctx, start: threading.Barrier = start,
                    seen: list[object] = seen) -> None:
                start.wait()
                seen.append(ctx.state)  # type: ignore[attr-defined]

            threads = [threading.Thread(target=ask) for _ in range(16)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert len(seen) == 16 and all(state is seen[0] for state in seen)
            ctx.close()
    finally:
        from helpers import stop_everything

        stop_everything(root)


def test_an_entry_as_stored_is_asdict_of_it_and_shares_nothing_with_it() -> None:
    from dataclasses import asdict

    entry = ServiceState(stage="stable", status="proven", pid=4242, create_time=1.5,
                         log_files={"app.log": 10}, log_tail=["ready"],
                         evidence=[{"kind": "tcp", "target": "127.0.0.1:1", "ok": True,
                                    "ms": 0.3, "detail": "", "nested": [1, (2, 3)]}])
    stored = entry.to_json()
    assert stored == asdict(entry)
    stored["evidence"][0]["nested"][0] = 9
    stored["log_files"]["app.log"] = 0
    assert entry.evidence[0]["nested"][0] == 1 and entry.log_files == {"app.log": 10}
