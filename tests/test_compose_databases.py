"""Databases the way their images make them, and the user they run as: a compose postgres with
POSTGRES_USER (the reserved word `user`), POSTGRES_PASSWORD and POSTGRES_DB gets a cluster with
that role, password and database, beside a redis in the same workspace; a web service that logs
in with those credentials is proven, and answers with what it logged in as. A service run as
its own user in a workspace that user cannot enter is told so, and let in until `reset --all`."""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from pathlib import Path

import httpx
import psutil
import pytest

from helpers import (
    SERVER,
    answering,
    free_port,
    invoke,
    quicker,
    report_json,
    statuses,
    stop_everything,
    stored,
    walk_all,
    write_file,
    write_recipe,
    written,
)

APP = answering("""
    import socket, subprocess
    from urllib.parse import urlsplit

    def answer(path):
        who = subprocess.run(["psql", os.environ["DATABASE_URL"], "-tAc",
                              "select current_user || '@' || current_database()"],
                             capture_output=True, text=True, timeout=10)
        cache = urlsplit(os.environ["REDIS_URL"])
        with socket.create_connection((cache.hostname, cache.port), timeout=2) as conn:
            conn.sendall(b"PING\\r\\n")
            pong = conn.recv(16).decode().strip()
        return (200 if who.returncode == 0 else 500,
                f"{who.stdout.strip() or who.stderr.strip()} {pong}")
    """)


@pytest.mark.skipif(shutil.which("initdb") is None or shutil.which("redis-server") is None,
                    reason="needs PostgreSQL's initdb on PATH and redis-server")
def test_postgres_makes_the_role_and_database_compose_asks_for(
        open_root: Path, compose_reader: str) -> None:
    db, cache, web = free_port(), free_port(), free_port()
    write_file(open_root, "compose.yaml", f"""
        services:
          db:
            image: postgres:16
            environment:
              POSTGRES_USER: user
              POSTGRES_PASSWORD: s3cret-pw
              POSTGRES_DB: shop
            ports: ["{db}:5432"]
          cache:
            image: redis:7
            ports: ["{cache}:6379"]
          web:
            build: ./web
            command: python app.py
            ports: ["{web}:{web}"]
            environment:
              PORT: "{web}"
              DATABASE_URL: postgres://user:s3cret-pw@db:5432/shop
              REDIS_URL: redis://cache:6379/0
            depends_on: [db, cache]
        """)
    write_file(open_root, "web/app.py", APP)
    made = invoke("init", "--yes", "--workspace", str(open_root))
    assert made.code == 0, made.output
    for name in ("db", "web"):
        assert "s3cret-pw" not in (open_root / f"recipes/{name}.toml").read_text()
    assert written(open_root) == {
        "db": (f'postgres -D var/db/pgdata -p {db} -c listen_addresses=127.0.0.1 -k '
               '"$(pwd)/var/db/run"', ".", db, {"POSTGRES_USER": "user", "POSTGRES_DB": "shop"},
               (), False),
        "cache": (("redis-server", "--port", str(cache), "--bind", "127.0.0.1", "--daemonize",
                   "no", "--dir", "var/cache"), ".", cache, {}, (), False),
        "web": (("python", "app.py"), "web", web,  # DATABASE_URL holds a password: not here
                {"PORT": str(web), "REDIS_URL": f"redis://127.0.0.1:{cache}/0"},
                ("cache", "db"), False)}  # in compose's order: sorted
    quicker(open_root)
    walk_all(open_root)
    assert statuses(open_root) == {"db": "proven", "cache": "proven", "web": "proven"}
    answer = httpx.get(f"http://127.0.0.1:{web}/", timeout=10)
    assert answer.status_code == 200 and answer.text == "user@shop +PONG", answer.text
    assert (open_root / "var/db/pgdata").is_dir() and (open_root / "var/cache").is_dir()


@pytest.mark.skipif(os.geteuid() != 0, reason="bringup runs a service as its user only as root")
def test_a_user_who_cannot_enter_the_workspace_is_said_and_let_in_until_reset(
        monkeypatch: pytest.MonkeyPatch) -> None:
    closed = Path(tempfile.mkdtemp(prefix="bringup-closed-", dir="/tmp"))  # mode 0700
    root = closed / "ws"
    port = free_port()
    write_file(root, "server.py", SERVER)
    write_recipe(root, "web", f"""
        command = ["/usr/bin/python3", "-u", "server.py", "{port}"]
        port = {port}
        user = "nobody"
        [verify]
        stable_for = 0.3
        """)
    try:
        walked = invoke("next", "--yes", "--workspace", str(root))
        assert walked.code == 0, walked.output
        assert f"web runs as nobody, who cannot enter {closed} (mode 0700)" in walked.output
        assert stored(root, "web")["status"] == "proven"
        assert psutil.Process(stored(root, "web")["pid"]).username() == "nobody"
        _, report = report_json(root, "--no-check")
        assert report["machine_changes"][0]["file"] == str(closed)
        assert invoke("down", "--workspace", str(root)).code == 0
        assert invoke("reset", "--all", "--workspace", str(root)).code == 0
        assert stat.S_IMODE(closed.stat().st_mode) == 0o700
    finally:
        stop_everything(root)
        shutil.rmtree(closed, ignore_errors=True)


REPORTING = answering("""
    import subprocess, sys

    def who():
        return subprocess.run(["psql", os.environ["DATABASE_URL"], "-tAc",
                               "select current_user || '@' || current_database()"],
                              capture_output=True, text=True, timeout=10)

    first = who()
    if first.returncode:  # it cannot log in: the log says why, and it is gone
        sys.exit(first.stderr.strip())

    def answer(path):
        return 200, who().stdout.strip()
    """)


@pytest.mark.skipif(shutil.which("initdb") is None, reason="needs PostgreSQL's initdb on PATH")
def test_a_role_and_database_the_log_names_are_made_on_the_server_that_owns_the_port(
        open_root: Path) -> None:
    db, web = free_port(), free_port()
    write_file(open_root, "compose.yaml", f"""
        services:
          db:
            image: postgres:16
            environment: {{POSTGRES_USER: app, POSTGRES_PASSWORD: pw-app-123, POSTGRES_DB: shop}}
            ports: ["{db}:5432"]
          reports:
            build: ./reports
            command: python app.py
            ports: ["{web}:{web}"]
            environment:
              PORT: "{web}"
              DATABASE_URL: postgres://reporting:pw-rep-456@db:5432/analytics
            depends_on: [db]
        """)
    write_file(open_root, "reports/app.py", REPORTING)
    assert invoke("init", "--yes", "--workspace", str(open_root)).code == 0
    quicker(open_root)
    walk_all(open_root)
    journal = (open_root / "state/journal.jsonl").read_text()
    assert "pw-rep-456" not in journal and "pw-app-123" not in journal
    assert httpx.get(f"http://127.0.0.1:{web}/", timeout=10).text == "reporting@analytics"


MYSQL_APP = answering("""
    import subprocess
    from urllib.parse import urlsplit

    url = urlsplit(os.environ["DATABASE_URL"])

    def answer(path):
        who = subprocess.run(["mariadb", "--no-defaults", "-h", url.hostname, "-P",
                              str(url.port), "-u", url.username, "-D", url.path.lstrip("/"),
                              "-N", "-e", "select concat(current_user(), ' ', database())"],
                             env={**os.environ, "MYSQL_PWD": url.password},
                             capture_output=True, text=True, timeout=10)
        return 200 if who.returncode == 0 else 500, who.stdout.strip() or who.stderr.strip()
    """)


@pytest.mark.skipif(shutil.which("mariadbd") is None or shutil.which("mariadb-install-db") is None,
                    reason="needs MariaDB (mariadb-server)")
def test_a_mysql_image_becomes_mariadb_with_the_database_user_and_passwords_it_asks_for(
        open_root: Path, compose_reader: str) -> None:
    db, web = free_port(), free_port()
    write_file(open_root, "compose.yaml", f"""
        services:
          db:
            image: mysql:8
            environment:
              MYSQL_ROOT_PASSWORD: r00t-pw
              MYSQL_DATABASE: shop
              MYSQL_USER: o'brien
              MYSQL_PASSWORD: it's-a-secret
            ports: ["{db}:3306"]
          web:
            build: ./web
            command: python app.py
            ports: ["{web}:{web}"]
            environment:
              PORT: "{web}"
              DATABASE_URL: mysql://o'brien:it's-a-secret@db:3306/shop
            depends_on: [db]
        """)
    write_file(open_root, "web/app.py", MYSQL_APP)
    made = invoke("init", "--yes", "--workspace", str(open_root))
    assert made.code == 0, made.output
    shapes = written(open_root)
    assert shapes["db"][1:] == (".", db, {"MYSQL_DATABASE": "shop", "MYSQL_USER": "o'brien"},
                                (), False)
    assert shapes["web"] == (("python", "app.py"), "web", web, {"PORT": str(web)}, ("db",),
                             False)
    assert "it's-a-secret" not in (open_root / "recipes/db.toml").read_text()
    quicker(open_root)
    walk_all(open_root)
    assert statuses(open_root) == {"db": "proven", "web": "proven"}
    answer = httpx.get(f"http://127.0.0.1:{web}/", timeout=10)
    assert answer.status_code == 200 and answer.text == "o'brien@% shop", answer.text


MYSQL_REPORTING = answering("""
    import subprocess, sys
    from urllib.parse import urlsplit

    url = urlsplit(os.environ["DATABASE_URL"])

    def who():
        return subprocess.run(["mariadb", "--no-defaults", "-h", url.hostname, "-P",
                               str(url.port), "-u", url.username, "-D", url.path.lstrip("/"),
                               "-N", "-e", "select database()"],
                              env={**os.environ, "MYSQL_PWD": url.password},
                              capture_output=True, text=True, timeout=10)

    first = who()
    if first.returncode:  # it cannot log in: the log says why, and it is gone
        sys.exit(first.stderr.strip())

    def answer(path):
        return 200, who().stdout.strip()
    """)


@pytest.mark.skipif(shutil.which("mariadbd") is None or shutil.which("mariadb-install-db") is None,
                    reason="needs MariaDB (mariadb-server)")
def test_a_user_and_database_mariadb_refuses_are_made_on_the_server_that_owns_the_port(
        open_root: Path) -> None:
    db, web = free_port(), free_port()
    write_file(open_root, "compose.yaml", f"""
        services:
          db:
            image: mariadb:11
            environment: {{MARIADB_ROOT_PASSWORD: "r00t-pw", MARIADB_DATABASE: shop}}
            ports: ["{db}:3306"]
          reports:
            build: ./reports
            command: python app.py
            ports: ["{web}:{web}"]
            environment:
              PORT: "{web}"
              DATABASE_URL: mysql://reporting:it's-pw@db:3306/analytics
            depends_on: [db]
        """)
    write_file(open_root, "reports/app.py", MYSQL_REPORTING)
    assert invoke("init", "--yes", "--workspace", str(open_root)).code == 0
    quicker(open_root)
    walk_all(open_root)
    journal = (open_root / "state/journal.jsonl").read_text()
    assert "it's-pw" not in journal and "r00t-pw" not in journal
    assert httpx.get(f"http://127.0.0.1:{web}/", timeout=10).text == "analytics"
