"""`make run`'s command: prepares a fresh database, serves with a worker, stops on Ctrl-C."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from psycopg import sql

from foia_archive.env import database_url

ROOT = Path(__file__).resolve().parents[1]
STARTUP_LIMIT_SECONDS = 90


@pytest.fixture
def fresh_database_url():
    """A new, empty database on the test server, dropped afterwards."""
    config = settings.DATABASES["default"]
    connect = {
        "host": config["HOST"] or None,
        "port": config["PORT"] or None,
        "user": config["USER"],
        "password": config["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    name = f"serve_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(**connect) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield database_url(config, name)
    with psycopg.connect(**connect) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, limit: float) -> tuple[int, str]:
    deadline = time.monotonic() + limit
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status, response.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def test_serve_prepares_a_fresh_database_serves_pages_and_stops_cleanly(
    fresh_database_url, tmp_path
):
    port = free_port()
    env = os.environ | {
        "DATABASE_URL": fresh_database_url,
        "WHOOSH_PATH": str(tmp_path / "whoosh"),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    server = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        status, health = wait_for(f"http://127.0.0.1:{port}/healthz", STARTUP_LIMIT_SECONDS)
        assert status == 200
        assert '"ok": true' in health
        _, home = wait_for(f"http://127.0.0.1:{port}/", 10)
        assert "FOIA Email Archive" in home
        workers = subprocess.run(
            ["pgrep", "-f", "manage.py db_worker", "-s", str(server.pid)],
            capture_output=True,
            text=True,
        )
        assert workers.stdout.strip(), "the background task worker is running"
    finally:
        os.killpg(server.pid, signal.SIGINT)  # what Ctrl-C in a terminal sends
        output, _ = server.communicate(timeout=30)
    assert server.returncode == 0, output
    assert "Created the admin account" in output
    assert "password:" in output
    assert "Gazetteer: 4," in output
    assert "Stopped." in output
    leftover = subprocess.run(["pgrep", "-s", str(server.pid)], capture_output=True, text=True)
    assert not leftover.stdout.strip(), "no web or worker process outlives Ctrl-C"
