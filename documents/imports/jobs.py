"""Imports run by the task worker for the browser: queue a job, run it file by file, resume it
when a worker was killed, and say how far it is.

Nothing is lost or doubled by a killed worker: each file is written in one transaction (see
``importer``), a resumed job skips the files its batch already holds, and the file that was
being read when the worker died is read again from the start. ``resume_interrupted`` runs when
a worker starts (our ``db_worker`` command) and re-queues jobs whose worker is gone.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from documents.imports.isolation import Limits
from documents.imports.outcomes import FileOutcome
from documents.imports.service import BatchImporter, BatchOptions, Watcher, stored_name
from documents.ingest import (
    SourceInput,
    error_reason,
    iter_entries,
    ocr_status,
    pages_in,
    zip_problem,
)
from documents.models import Batch, Document, ImportJob, SourceFile

logger = logging.getLogger(__name__)

# A running job whose worker has not been heard from for this long is taken as dead (a worker
# on another machine; one on this machine is checked by its process id at once).
STALE_AFTER = timedelta(minutes=2)
# Progress is written at most this often while a file is being read.
PROGRESS_EVERY = timedelta(seconds=1)
# Weight of the latest pages in the smoothed time per page (as a progress bar smooths its rate):
# enough that the time left follows OCR's slower pages within a few seconds of their coming.
RATE_SMOOTHING = 0.3


class ImportRequestError(ValueError):
    """A job that cannot be queued, with a reason to show the admin."""


def upload_dir(batch: Batch) -> Path:
    return Path(settings.MEDIA_ROOT) / "uploads" / batch.name / "files"


def replacement_dir(batch: Batch) -> Path:
    return Path(settings.MEDIA_ROOT) / "uploads" / batch.name / "replacements"


def server_folders() -> list[str]:
    """The folders under IMPORT_ROOT an admin may import, two levels deep, by name."""
    root = settings.IMPORT_ROOT
    if root is None or not root.is_dir():
        return []
    found = []
    for child in sorted(root.iterdir()):
        if child.is_dir() and not child.is_symlink() and not child.name.startswith("."):
            found.append(child.name)
            found += [
                f"{child.name}/{inner.name}"
                for inner in sorted(child.iterdir())
                if inner.is_dir() and not inner.is_symlink() and not inner.name.startswith(".")
            ]
    return found


def server_folder(name: str) -> Path:
    """A folder under IMPORT_ROOT, refusing any name that would lead outside it."""
    root = settings.IMPORT_ROOT
    if root is None:
        raise ImportRequestError("No IMPORT_ROOT is configured for server folders.")
    parts = PurePosixPath(name).parts
    if not parts or PurePosixPath(name).is_absolute() or ".." in parts:
        raise ImportRequestError(f"“{name}” is not a folder under IMPORT_ROOT.")
    folder = (root / name).resolve()
    if not folder.is_relative_to(root.resolve()) or not folder.is_dir():
        raise ImportRequestError(f"“{name}” is not a folder under IMPORT_ROOT.")
    return folder


def queue_job(batch: Batch, kind: str, source_dirs: list[Path], user, only_names=()) -> ImportJob:
    """A job for the worker, enqueued when the caller's transaction commits."""
    job = ImportJob.objects.create(
        batch=batch,
        kind=kind,
        source_dirs=[str(path) for path in source_dirs],
        only_names=sorted(only_names),
        created_by=user,
    )
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    result = run_import_job.enqueue(job_id)
    ImportJob.objects.filter(pk=job_id).update(task_id=str(result.id))


def queue_retry(batch: Batch, user) -> ImportJob:
    """The batch's failed files again, from wherever its earlier jobs read them."""
    failed = batch.files.filter(status__in=SourceFile.RETRIED)
    return _queue_again(
        batch, user, failed, "No file of this batch failed.", "retries failed files"
    )


def queue_ocr(batch: Batch, user) -> ImportJob:
    """The batch's files that needed OCR, read again now that Tesseract can read them; nothing
    else of the batch is re-imported."""
    status = ocr_status()
    if not status.available:
        raise ImportRequestError(f"{status.message}, then run OCR again.")
    scanned = batch.files.filter(status=SourceFile.Status.NEEDS_OCR)
    job = _queue_again(
        batch,
        user,
        scanned,
        "No file of this batch needs OCR.",
        "OCRs the files that need it",
        ImportJob.Kind.OCR,
    )
    if batch.ocr_mode == Batch.OcrMode.NEVER:  # the admin asks for OCR now
        batch.ocr_mode = Batch.OcrMode.AUTO
        batch.save(update_fields=["ocr_mode"])
    return job


def _queue_again(
    batch: Batch, user, files, none_left: str, the_command: str, kind=ImportJob.Kind.RETRY
) -> ImportJob:
    """A job over ``files`` of the batch, read from where its earlier jobs found them."""
    names = set(files.values_list("original_name", flat=True))
    if not names:
        raise ImportRequestError(none_left)
    folders = _source_dirs(batch)
    if not folders:
        raise ImportRequestError(
            "This batch was imported on the command line, so the archive does not know where its "
            f"files are: run `manage.py import_batch` on them again (it {the_command}), or "
            "replace a file here."
        )
    return queue_job(batch, kind, folders, user, names)


def _source_dirs(batch: Batch) -> list[Path]:
    """Every folder the batch's jobs read, replacements last so that a replaced file wins."""
    dirs = dict.fromkeys(
        folder for job in batch.import_jobs.order_by("created_at") for folder in job.source_dirs
    )
    replaced = str(replacement_dir(batch))
    ordered = [folder for folder in dirs if folder != replaced]
    return [Path(folder) for folder in ordered + ([replaced] if replaced in dirs else [])]


def queue_replacement(source: SourceFile, upload, user) -> ImportJob:
    """A better copy of a file that failed (an unlocked PDF, an OCR'd scan), under its name."""
    if source.status not in (*SourceFile.RETRIED, *SourceFile.NEEDS_ATTENTION):
        raise ImportRequestError("Only a file that failed, is encrypted or needs OCR is replaced.")
    name = PurePosixPath(source.original_name)
    if name.is_absolute() or ".." in name.parts or not name.parts:
        raise ImportRequestError(
            "This file's name points outside the batch; it cannot be replaced."
        )
    target = replacement_dir(source.batch) / name
    target.parent.mkdir(parents=True, exist_ok=True)
    store_upload(upload, target)
    return queue_job(
        source.batch,
        ImportJob.Kind.REPLACE,
        [replacement_dir(source.batch)],
        user,
        [source.original_name],
    )


def store_upload(upload, target: Path) -> None:
    """Move an uploaded file (already a temporary file on disk) to ``target``."""
    if hasattr(upload, "temporary_file_path"):
        shutil.move(upload.temporary_file_path(), target)
        return
    with target.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)


def runner_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@task()
def run_import_job(job_id: int) -> None:
    """The job as a task of the worker (`manage.py db_worker`), never run by a web request. A
    job stopped by a bug (not by a bad file, which is only reported) says so on its page."""
    try:
        run_job(job_id)
    except Exception as error:
        logger.exception("import job %s stopped", job_id)
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportJob.Status.FAILED,
            error=error_reason(error),
            finished_at=timezone.now(),
        )
        raise


def run_job(job_id: int) -> None:
    """Import the job's files one by one, each in a child process under the limits."""
    job = ImportJob.objects.select_related("batch", "created_by").get(pk=job_id)
    if job.status == ImportJob.Status.FINISHED:
        return
    batch = job.batch
    entries = [
        entry for entry in iter_entries([Path(d) for d in job.source_dirs]) if _wanted(job, entry)
    ]
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.RUNNING,
        runner=runner_id(),
        attempts=F("attempts") + 1,
        started_at=job.started_at or timezone.now(),
        heartbeat_at=timezone.now(),
        files_total=len(entries),
        bytes_total=sum(entry.size for entry in entries),
        pages_total=0,
        seconds_per_page=None,
        files_done=0,
        bytes_done=0,
        pages_done=0,
        ocr_pages_done=0,
        error="",
    )
    settled = _settled_names(job)
    unindexed: set[int] = set()
    if job.attempts > 0:  # resumed: what was imported before the worker died may not be indexed
        names = {entry.name for entry in entries}
        ours = {name for name in settled if name in names or name.rsplit("/", 1)[0] in names}
        unindexed = _emails_of(batch, ours)
    tracker = _Tracker(job)
    todo = []
    for entry in entries:
        if _needs_import(job, entry, settled):
            todo.append(entry)
        else:
            tracker.file_done(entry.size)
    # Counted before the first file is read (page counts, not text), so the time left holds.
    ImportJob.objects.filter(pk=job.pk).update(pages_total=sum(map(pages_in, todo)))
    importer = BatchImporter(
        BatchOptions(name=batch.name),
        workers=settings.IMPORT_WORKERS,
        watcher=tracker,
        user=job.created_by,
    )
    importer.run(todo, Limits.from_settings(), unindexed=unindexed, job=job.pk, kind=job.kind)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.FINISHED, finished_at=timezone.now(), current_file=""
    )


def _emails_of(batch: Batch, names: set[str]) -> set[int]:
    files = batch.files.filter(original_name__in=names)
    return set(
        Document.objects.filter(appearances__source_file__in=files).values_list("pk", flat=True)
    )


def _wanted(job: ImportJob, entry: SourceInput) -> bool:
    """An entry the job is about: any, or one named in ``only_names`` (or holding one)."""
    if not job.only_names:
        return True
    return any(name == entry.name or name.startswith(entry.name + "/") for name in job.only_names)


def _settled_names(job: ImportJob) -> set[str]:
    """The batch's files a resumed upload or folder job need not read again (failures included:
    a retry is asked for); a retry or a replacement settles only what was imported (and a file
    that needed OCR, unless a retry names it)."""
    upload = job.kind in (ImportJob.Kind.UPLOAD, ImportJob.Kind.FOLDER)
    unsettled = (SourceFile.Status.PENDING,) if upload else SourceFile.RETRIED
    if job.kind == ImportJob.Kind.OCR:  # "Run OCR" names the files that needed it
        unsettled = (*unsettled, SourceFile.Status.NEEDS_OCR)
    files = job.batch.files.exclude(status__in=unsettled)
    return set(files.values_list("original_name", flat=True))


def _needs_import(job: ImportJob, entry: SourceInput, settled: set[str]) -> bool:
    """False for a file in ``settled``, so that a resumed job does not read it again. A
    replacement is always read; a retry reads what failed (an entry holding a failed embedded
    file is read again: its own content is then skipped as already imported)."""
    if job.kind == ImportJob.Kind.REPLACE or (job.only_names and entry.name not in job.only_names):
        return True
    return stored_name(entry.name) not in settled


class _Tracker(Watcher):
    """Writes the job's progress, at most every PROGRESS_EVERY while a file is read, and the
    files needing attention as each file ends."""

    def __init__(self, job: ImportJob):
        self.job_id = job.pk
        self.failures = dict(job.failures)
        self.pending_pages = self.pending_ocr = 0
        self.written = self.rate_since = timezone.now()
        self.seconds_per_page = job.seconds_per_page

    def starting(self, entry: SourceInput) -> None:
        ImportJob.objects.filter(pk=self.job_id).update(
            current_file=entry.name[:500], heartbeat_at=timezone.now()
        )

    def pages(self, count: int) -> None:
        self.pending_pages += count
        self.tick()

    def ocr_pages(self, count: int) -> None:
        self.pending_ocr += count
        self.tick()

    def tick(self, force: bool = False) -> None:
        now = timezone.now()
        if force or now - self.written >= PROGRESS_EVERY:
            if self.pending_pages:
                self._time_per_page(now)
            ImportJob.objects.filter(pk=self.job_id).update(
                pages_done=F("pages_done") + self.pending_pages,
                ocr_pages_done=F("ocr_pages_done") + self.pending_ocr,
                seconds_per_page=self.seconds_per_page,
                heartbeat_at=now,
            )
            self.pending_pages = self.pending_ocr = 0
            self.written = now

    def _time_per_page(self, now) -> None:
        """The smoothed seconds per page, the pages just counted weighted RATE_SMOOTHING."""
        latest = (now - self.rate_since).total_seconds() / self.pending_pages
        earlier = self.seconds_per_page
        self.seconds_per_page = (
            latest if earlier is None else RATE_SMOOTHING * latest + (1 - RATE_SMOOTHING) * earlier
        )
        self.rate_since = now

    def finished(self, entry: SourceInput, outcomes: list[FileOutcome]) -> None:
        for outcome in outcomes:
            if outcome.status in SourceFile.NEEDS_ATTENTION:
                self.failures[outcome.name] = outcome.reason
            else:
                self.failures.pop(outcome.name, None)
        ImportJob.objects.filter(pk=self.job_id).update(failures=sorted(self.failures.items()))
        self.file_done(entry.size)

    def file_done(self, size: int) -> None:
        self.tick(force=True)
        ImportJob.objects.filter(pk=self.job_id).update(
            files_done=F("files_done") + 1, bytes_done=F("bytes_done") + size
        )


def resume_interrupted() -> list[int]:
    """Re-queue jobs a killed worker left running; returns their ids."""
    resumed = []
    for job in ImportJob.objects.filter(status=ImportJob.Status.RUNNING):
        if _runner_alive(job):
            continue
        _forget_task(job.task_id)
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.QUEUED)
        _enqueue(job.pk)
        resumed.append(job.pk)
        logger.warning("import job %s was interrupted; queued again", job.pk)
    return resumed


def _runner_alive(job: ImportJob) -> bool:
    host, _, pid = job.runner.rpartition(":")
    if host == socket.gethostname() and pid.isdigit():
        if int(pid) == os.getpid():
            return False  # this very worker starting: whatever ran before it is gone
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return job.heartbeat_at is not None and timezone.now() - job.heartbeat_at < STALE_AFTER
    return job.heartbeat_at is not None and timezone.now() - job.heartbeat_at < STALE_AFTER


def _forget_task(task_id: str) -> None:
    """Mark the dead worker's task result failed, so the task table tells the truth."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    if task_id:
        DBTaskResult.objects.filter(id=task_id, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED, finished_at=timezone.now()
        )


@dataclass(frozen=True)
class JobProgress:
    """What the progress page shows of a job."""

    job: ImportJob
    elapsed: timedelta | None
    remaining: timedelta | None  # the pages left at the recent rate, else from the bytes
    percent: int

    @property
    def finished(self) -> bool:
        return self.job.status in (ImportJob.Status.FINISHED, ImportJob.Status.FAILED)

    @property
    def elapsed_text(self) -> str:
        return _duration(self.elapsed)

    @property
    def remaining_text(self) -> str:
        return _duration(self.remaining)


def _duration(span: timedelta | None) -> str:
    """ "2 h 05 min", "3 min 20 s", "45 s"; "" for none."""
    if span is None:
        return ""
    seconds = int(span.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    return f"{minutes} min {seconds:02d} s" if minutes else f"{seconds} s"


def progress(job: ImportJob) -> JobProgress:
    now = timezone.now()
    end = job.finished_at or now
    elapsed = end - job.started_at if job.started_at else None
    # Of the pages when the files have pages (a scan is one file read for minutes), else bytes.
    done, total = (
        (job.pages_done, job.pages_total) if job.pages_total else (job.bytes_done, job.bytes_total)
    )
    percent = (
        100 if job.status == ImportJob.Status.FINISHED else int(100 * done / total) if total else 0
    )
    running = job.status == ImportJob.Status.RUNNING and elapsed
    remaining = _time_left(job, elapsed) if running else None
    return JobProgress(job, elapsed, remaining, min(percent, 100))


def _time_left(job: ImportJob, elapsed: timedelta) -> timedelta | None:
    """Pages are what takes the time, OCR'd ones most: the pages left at their recent rate; for
    files without pages (.eml, mbox), the bytes left at the rate so far."""
    pages_left = job.pages_total - job.pages_done
    if pages_left > 0 and job.seconds_per_page:
        return timedelta(seconds=pages_left * job.seconds_per_page)
    done, total = job.bytes_done, job.bytes_total
    return elapsed * ((total - done) / done) if 0 < done < total else None


def start_batch(batch: Batch, uploads: list, folder: str, user) -> ImportJob:
    """Save a new batch, store its uploaded files (refusing an unsafe ZIP before anything is
    kept), and queue its import."""
    with transaction.atomic():
        batch.imported_by = user
        batch.save()
        if folder:
            return queue_job(batch, ImportJob.Kind.FOLDER, [server_folder(folder)], user)
        target = upload_dir(batch)
        try:
            store_uploads(uploads, target)
        except BaseException:
            shutil.rmtree(target.parent, ignore_errors=True)  # the new batch's uploads folder
            raise
        return queue_job(batch, ImportJob.Kind.UPLOAD, [target], user)


def store_uploads(uploads: list, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    names = set()
    for upload in uploads:
        name = PurePosixPath(upload.name.replace("\\", "/")).name
        if not name or name.startswith("."):
            raise ImportRequestError(f"“{upload.name}” is not a file name the archive keeps.")
        if name in names:
            raise ImportRequestError(f"Two uploaded files are named “{name}”.")
        names.add(name)
        stored = target / name
        store_upload(upload, stored)
        with stored.open("rb") as handle:
            is_zip = handle.read(4) == b"PK\x03\x04"
        problem = zip_problem(stored) if is_zip else ""
        if problem:
            raise ImportRequestError(f"{name} was refused, and nothing was imported: {problem}")
