"""`make run`: prepare the database and index, then serve the site together with one task worker."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from documents.importer import BatchImporter, BatchOptions
from documents.isolated_import import die_with_parent
from documents.models import Batch
from documents.sample_batch import write_sample_batch
from foia_archive.first_run import ADMIN_USERNAME, create_admin_if_missing

SAMPLE_BATCH_NAME = "sample-secure-communities"
# Seconds the web server and the worker get to stop after Ctrl-C before they are killed. A
# worker killed mid-import loses nothing: its job is resumed when a worker starts again.
SHUTDOWN_GRACE_SECONDS = 5
WEB_THREADS = 4  # per web worker
WEB_WORKERS = 2


class Command(BaseCommand):
    help = "Migrate, load the gazetteer, create the index, then run gunicorn and one db_worker."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000", help="host:port to serve on")

    def handle(self, *args, bind: str, **options) -> None:
        host, port = host_and_port(bind)
        refuse_if_taken(bind, host, port)
        self.prepare()
        # Children get the resolved URL, so they use this process's embedded server (when there is
        # one) instead of each joining it; it stops when this command exits.
        env = os.environ | {"DATABASE_URL": settings.DATABASE_URL, "PYTHONUNBUFFERED": "1"}
        if "ALLOWED_HOSTS" not in os.environ:
            names = answered_names(host)
            env["ALLOWED_HOSTS"] = ",".join(names)
            self.stdout.write(
                f"Answering to: {', '.join(names)}. For another name (a proxy, a DNS name), set "
                "ALLOWED_HOSTS (and CSRF_TRUSTED_ORIGINS behind https)."
            )
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
                # Threads: a long upload occupies one while the worker keeps answering gunicorn's
                # heartbeat (a sync worker busy for 30 s on a 2 GB upload would be killed).
                "--worker-class",
                "gthread",
                "--threads",
                str(WEB_THREADS),
                "--graceful-timeout",
                str(SHUTDOWN_GRACE_SECONDS - 2),
                # Its default lives in the home folder, shared by every server of the same user.
                "--no-control-socket",
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
                children[name] = subprocess.Popen(
                    command, cwd=settings.BASE_DIR, env=env, preexec_fn=_stop_with_parent
                )
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
        collect_static()
        call_command("load_gazetteer", stdout=self.stdout)
        call_command("init_search_index", stdout=self.stdout)
        import_sample_if_empty(self.stdout)
        password = create_admin_if_missing()
        if password:
            self.stdout.write(
                self.style.WARNING(
                    f"\nCreated the admin account. Shown this once only:\n"
                    f"    username: {ADMIN_USERNAME}\n    password: {password}\n"
                    f"The archive asks visitors to log in (ARCHIVE_PUBLIC=1 opens reading to\n"
                    f"all). Change the password at /accounts/password_change/; add readers,\n"
                    f"editors and admins at /admin/auth/user/ (groups Reader, Editor, Admin).\n"
                )
            )


def collect_static() -> None:
    """`collectstatic` under a lock: two servers started from one checkout at once (two test
    workers, two `make run`s on other ports) would otherwise delete each other's files midway."""
    lock_path = Path(settings.STATIC_ROOT).parent / "collectstatic.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        call_command("collectstatic", interactive=False, verbosity=0)


def import_sample_if_empty(stdout) -> None:
    """A new archive gets the synthetic sample release, so a first visit shows a working site."""
    if Batch.objects.exists():
        return
    with tempfile.TemporaryDirectory() as directory:
        write_sample_batch(Path(directory))
        options = BatchOptions(
            name=SAMPLE_BATCH_NAME,
            title="Sample release (synthetic): Secure Communities emails",
            agency="U.S. Immigration and Customs Enforcement (sample)",
            timezone="America/Los_Angeles",
            notes="Generated by make_sample_batch; not a real release.",
        )
        report = BatchImporter(options).run([Path(directory)])
    batch = report.batch
    stdout.write(
        f"Imported the sample batch {batch.name}: {batch.email_count} emails in "
        f"{report.threads} threads (delete it at /batches/{batch.name}/delete/ when you like)."
    )


def host_and_port(bind: str) -> tuple[str, int]:
    host, _, port = bind.rpartition(":")
    if not port.isdigit():
        raise CommandError(f"--bind {bind!r}: expected host:port, e.g. 127.0.0.1:8000")
    return host.strip("[]") or "0.0.0.0", int(port)


def refuse_if_taken(bind: str, host: str, port: int) -> None:
    """Stop at once, in one line, when something already listens on ``bind`` (an earlier
    `make run` left running), rather than after the database work and gunicorn's retries."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn binds
            probe.bind((host, port))
    except OSError as error:
        taken = error.errno == errno.EADDRINUSE
        reason = "is already in use" if taken else f"cannot be used ({error.strerror})"
        raise CommandError(
            f"{bind} {reason}: stop the server holding it, or serve elsewhere "
            f"(make run ADDRESS=127.0.0.1:{port + 1})."
        ) from None


def answered_names(host: str) -> list[str]:
    """The host names the site answers to when ALLOWED_HOSTS is not set: this machine's own
    names and addresses when it listens on all of them (0.0.0.0, ::), else the bound one."""
    names = list(settings.ALLOWED_HOSTS)
    if host in ("0.0.0.0", "::"):
        hostname = socket.gethostname()
        found = [hostname, socket.getfqdn()]
        with contextlib.suppress(OSError):
            found += socket.gethostbyname_ex(hostname)[2]
        found += _outward_addresses()
    else:
        found = [host]
    for name in found:
        shown = f"[{name}]" if ":" in name else name
        if shown not in names:
            names.append(shown)
    return names


def _outward_addresses() -> list[str]:
    """The addresses other machines reach this one at (the ones routes leave by); connecting a
    UDP socket sends nothing."""
    found = []
    for family, probe in ((socket.AF_INET, "192.0.2.1"), (socket.AF_INET6, "2001:db8::1")):
        with contextlib.suppress(OSError), socket.socket(family, socket.SOCK_DGRAM) as udp:
            udp.connect((probe, 9))
            found.append(udp.getsockname()[0])
    return found


def _stop_with_parent() -> None:
    """In each child: a `serve` that is killed outright takes its web server and worker along."""
    die_with_parent(signal.SIGTERM)


def stop_all(children) -> None:
    """Ask each child to stop, wait a little, then kill what is left. A second Ctrl-C while
    waiting must not cut this short and leave children behind."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
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
