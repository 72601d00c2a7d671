"""`make run`: prepare the database and index, then serve the site together with one task worker."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
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

from documents.first_run import ADMIN_USERNAME, create_admin_if_missing, show_password
from documents.imports.isolation import die_with_parent
from documents.imports.sample_batch import write_sample_batch
from documents.imports.service import BatchImporter, BatchOptions
from documents.ingest import iter_entries, ocr_status
from documents.models import Batch

SAMPLE_BATCH_NAME = "sample-secure-communities"
# Seconds the web server and the worker get to stop after Ctrl-C before they are killed. A
# worker killed mid-import loses nothing: its job is resumed when a worker starts again.
SHUTDOWN_GRACE_SECONDS = 5
WEB_THREADS = 4  # per web worker
WEB_WORKERS = 2
# A web worker whose main loop is silent this long (a hung process, not a long upload: gthread's
# main loop goes on beating while a thread reads one) is killed and replaced by gunicorn.
WEB_TIMEOUT_SECONDS = 60
# A task worker that dies is started again after 1 s, then 2, 4, 8... up to this while it keeps
# dying; one that ran WORKER_STABLE_SECONDS before dying is not crash-looping and waits 1 s again.
WORKER_BACKOFF_CAP_SECONDS = 60
WORKER_STABLE_SECONDS = 60


class Command(BaseCommand):
    help = "Migrate, load the gazetteer, create the index, then run gunicorn and one db_worker."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000", help="host:port to serve on")

    def handle(self, *args, bind: str, **options) -> None:
        host, port = host_and_port(bind)
        refuse_if_taken(bind, host, port)
        self.prepare()
        self.stdout.write(f"OCR: {ocr_status().summary}")
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
        web_command = [
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
            "--timeout",
            str(WEB_TIMEOUT_SECONDS),
            # A long search address is cut and answered by the app, not refused bare with 414
            # at gunicorn's default of 4 KB; 8190 is gunicorn's most.
            "--limit-request-line",
            "8190",
            "--graceful-timeout",
            str(SHUTDOWN_GRACE_SECONDS - 2),
            # Its default lives in the home folder, shared by every server of the same user.
            "--no-control-socket",
            "--access-logfile",
            "-",
        ]
        # A `kill` is handled like Ctrl-C, even while the children are starting.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        web = None
        with tempfile.TemporaryDirectory(prefix="foia-serve-") as run_folder:
            # Where the worker's state is kept for /healthz, which the web server answers.
            env["WORKER_STATE_FILE"] = str(Path(run_folder) / "worker.json")
            worker = WorkerSupervisor(
                [sys.executable, "manage.py", "db_worker"], env, self.stderr.write
            )
            try:
                web = start_child(web_command, env)
                worker.start()
                serving = f"Serving http://{bind}/ with one task worker. Ctrl-C stops."
                self.stdout.write(self.style.SUCCESS(serving))
                while web.poll() is None:
                    worker.keep_running()
                    time.sleep(0.5)
                self.stderr.write("The web server stopped unexpectedly; stopping the worker.")
                exit_code = 1
            except (KeyboardInterrupt, SystemExit):
                exit_code = 0
            stop_all([child for child in (web, worker.process) if child is not None])
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
            shown = show_password(password, self.stdout)
            self.stdout.write(
                self.style.WARNING(
                    f"\nCreated the admin account. Shown this once only:\n"
                    f"    username: {ADMIN_USERNAME}\n    {shown}\n"
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
        report = BatchImporter(options).run(iter_entries([Path(directory)]))
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


def start_child(command: list[str], env: dict) -> subprocess.Popen:
    return subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, preexec_fn=_stop_with_parent)


class WorkerSupervisor:
    """Keeps one task worker running: a worker killed (kill -9, out of memory) or crashed is
    started again, later each time while it keeps dying, and the site stays up meanwhile. A job
    it was running is resumed by the new worker (db_worker re-queues it). Its state goes to the
    file named by WORKER_STATE_FILE in ``env``, for /healthz."""

    def __init__(self, command: list[str], env: dict, log) -> None:
        self.command = command
        self.env = env
        self.log = log
        self.state_file = Path(env["WORKER_STATE_FILE"])
        self.process: subprocess.Popen | None = None
        self.started_at = 0.0
        self.restart_at = 0.0
        self.restarts = 0
        self.deaths_in_a_row = 0

    def start(self) -> None:
        self.process = start_child(self.command, self.env)
        self.started_at = time.monotonic()
        self._record("running")

    def keep_running(self) -> None:
        """Called every moment: notices a dead worker, and starts the next when its wait is over."""
        now = time.monotonic()
        if self.process is not None and self.process.poll() is not None:
            ran = now - self.started_at
            self.deaths_in_a_row = 1 if ran >= WORKER_STABLE_SECONDS else self.deaths_in_a_row + 1
            delay = min(WORKER_BACKOFF_CAP_SECONDS, 2 ** (self.deaths_in_a_row - 1))
            self.restarts += 1
            self.log(
                f"The task worker {_how_it_ended(self.process.returncode)} after {ran:.0f} s; "
                f"starting it again in {delay} s (restart {self.restarts})."
            )
            self.process = None
            self.restart_at = now + delay
            self._record("restarting")
        if self.process is None and now >= self.restart_at:
            self.start()

    def _record(self, state: str) -> None:
        """Replace the state file at once, so the web server never reads half of it."""
        draft = self.state_file.with_suffix(".draft")
        pid = self.process.pid if self.process else None
        draft.write_text(json.dumps({"state": state, "restarts": self.restarts, "pid": pid}))
        os.replace(draft, self.state_file)


def _how_it_ended(returncode: int) -> str:
    if returncode < 0:
        return f"was killed by {signal.Signals(-returncode).name}"
    return f"exited with status {returncode}"


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
