"""`make run`: prepare the database and index, then serve the site together with one task worker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from foia_archive.first_run import ADMIN_USERNAME, create_admin_if_missing

SHUTDOWN_GRACE_SECONDS = 10
WEB_WORKERS = 2


class Command(BaseCommand):
    help = "Migrate, load the gazetteer, create the index, then run gunicorn and one db_worker."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000", help="host:port to serve on")

    def handle(self, *args, bind: str, **options) -> None:
        self.prepare()
        # Children get the resolved URL, so they use this process's embedded server (when there is
        # one) instead of each joining it; it stops when this command exits.
        env = os.environ | {"DATABASE_URL": settings.DATABASE_URL, "PYTHONUNBUFFERED": "1"}
        commands = {
            "web": [
                sys.executable,
                "-m",
                "gunicorn",
                "foia_archive.wsgi",
                "--bind",
                bind,
                "--workers",
                str(WEB_WORKERS),
                "--access-logfile",
                "-",
            ],
            "worker": [sys.executable, "manage.py", "db_worker"],
        }
        # A `kill` is handled like Ctrl-C, even while the children are starting.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        children: dict[str, subprocess.Popen] = {}
        try:
            for name, command in commands.items():
                children[name] = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env)
            self.stdout.write(
                self.style.SUCCESS(f"Serving http://{bind}/ with one task worker. Ctrl-C stops.")
            )
            while all(child.poll() is None for child in children.values()):
                time.sleep(0.5)
            failed = [name for name, child in children.items() if child.poll() is not None]
            self.stderr.write(f"{', '.join(failed)} stopped unexpectedly; stopping the rest.")
            exit_code = 1
        except (KeyboardInterrupt, SystemExit):
            exit_code = 0
        stop_all(children.values())
        self.stdout.write("Stopped.")
        sys.exit(exit_code)

    def prepare(self) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        call_command("load_gazetteer", stdout=self.stdout)
        call_command("init_search_index", stdout=self.stdout)
        password = create_admin_if_missing()
        if password:
            self.stdout.write(
                self.style.WARNING(
                    f"\nCreated the admin account. Shown this once only:\n"
                    f"    username: {ADMIN_USERNAME}\n    password: {password}\n"
                    f"Change it at /admin/password_change/.\n"
                )
            )


def stop_all(children) -> None:
    """Ask each child to stop, wait a little, then kill what is left."""
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + SHUTDOWN_GRACE_SECONDS
    for child in children:
        try:
            child.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
