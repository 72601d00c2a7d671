"""Imports from the browser: the request stores and queues, the worker imports; unsafe ZIPs and
oversized uploads are refused with a message; a file that hangs or eats memory is stopped and
reported while the rest goes on; a killed worker's batch is finished after a restart, each file
imported once."""

import io
import os
import signal
import stat
import time
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from documents.imports import jobs
from documents.imports.sample_batch import write_generated_production, write_sample_batch
from documents.imports.service import BatchImporter
from documents.models import Appearance, AuditEntry, Batch, Document, ImportJob, SourceFile
from search import _service as service
from search._indexing import indexed_ids
from search._searcher import forget_searcher
from tests.conftest import start_worker, worker_environment
from tests.factories import make_user
from tests.html import tiles

pytestmark = pytest.mark.django_db(transaction=True)


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def sample_zip(tmp_path) -> bytes:
    release = tmp_path / "release"
    write_sample_batch(release)
    return zipped({f"release/{p.name}": p.read_bytes() for p in sorted(release.iterdir())})


@pytest.fixture
def admin_client(client, media_root, gazetteer_db):
    client.force_login(make_user("importer", "Admin", is_staff=True))
    return client


def post_batch(client, name: str, files: list[SimpleUploadedFile], **fields):
    data = {"name": name, "title": "", "timezone": "America/Los_Angeles", "files": files} | fields
    return client.post(reverse("batch-new"), data)


def test_an_uploaded_zip_is_stored_queued_and_imported_by_the_worker(admin_client, tmp_path):
    response = post_batch(
        admin_client,
        "ice-2010",
        [SimpleUploadedFile("release.zip", sample_zip(tmp_path))],
        agency="ICE",
        request_number="2010-FOIA-2674",
    )
    assert response.status_code == 302 and response["Location"] == reverse(
        "batch-import", args=["ice-2010"]
    )
    batch = Batch.objects.get(name="ice-2010")
    assert (batch.title, batch.agency, batch.request_number) == (
        "ice-2010",
        "ICE",
        "2010-FOIA-2674",
    )
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.QUEUED and job.task_id
    assert not SourceFile.objects.exists()  # the request only stored and queued
    page = admin_client.get(reverse("batch-import-status", args=["ice-2010"])).content.decode()
    assert "Waiting for the worker" in page and 'hx-trigger="every 2s"' in page

    run_worker()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FINISHED and job.files_done == job.files_total == 5
    assert job.pages_done > 0 and job.failures == []
    assert sorted(batch.files.values_list("original_name", flat=True)) == [
        "release.zip/release/ICE-production-1-outlook.pdf",
        "release.zip/release/ICE-production-2-notes.pdf",
        "release.zip/release/SF-production-webmail.pdf",
        "release.zip/release/la-county.mbox",
        "release.zip/release/web-original.eml",
    ]
    assert service.search("county").total > 0  # indexed by the worker
    done = admin_client.get(reverse("batch-import-status", args=["ice-2010"])).content.decode()
    assert "hx-trigger" not in done  # polling stops
    assert "Finished" in done and "Import report" in done and "la-county.mbox" in done
    # The progress tiles and the report's tiles agree, with the batch's own counters.
    progress, report = (tiles(part) for part in done.split("Import report", 1))
    batch.refresh_from_db()
    assert progress["Emails in the batch"] == report["Emails"] == str(batch.email_count)
    assert progress["Files needing attention"] == report["Files needing attention"] == "0"
    assert AuditEntry.objects.filter(action="batch_imported", target="ice-2010").exists()


@pytest.mark.parametrize(
    "members, reason",
    [
        ({"../../etc/cron.d/evil": b"x"}, "its path points outside the release"),
        ({"/etc/passwd": b"x"}, "its path points outside the release"),
        ({"C:/Windows/evil.pdf": b"x"}, "its path points outside the release"),
        ({"bomb.eml": b"\0" * (64 * 1024**2)}, "a ZIP bomb"),
    ],
    ids=["dot-dot", "absolute", "drive", "bomb"],
)
def test_unsafe_zips_are_refused_with_a_message_and_nothing_is_kept(admin_client, members, reason):
    response = post_batch(
        admin_client, "evil", [SimpleUploadedFile("release.zip", zipped(members))]
    )
    assert response.status_code == 400
    assert (
        reason in response.content.decode() and "nothing was imported" in response.content.decode()
    )
    assert not Batch.objects.exists() and not ImportJob.objects.exists()
    assert not (Path(settings.MEDIA_ROOT) / "uploads" / "evil").exists()


def test_a_zip_holding_a_link_is_refused(admin_client):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        link = zipfile.ZipInfo("release/passwd.pdf")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
    response = post_batch(
        admin_client, "links", [SimpleUploadedFile("release.zip", buffer.getvalue())]
    )
    assert response.status_code == 400 and "a link or device file" in response.content.decode()
    assert not Batch.objects.exists()


def test_a_zip_with_too_many_files_is_refused(admin_client, monkeypatch):
    monkeypatch.setattr("documents.ingest.sources.MAX_ZIP_MEMBERS", 10)
    response = post_batch(
        admin_client,
        "many",
        [SimpleUploadedFile("r.zip", zipped({f"{n}.eml": b"x" for n in range(11)}))],
    )
    assert response.status_code == 400 and "more than 10" in response.content.decode()


def test_an_upload_over_the_limit_is_refused_unread(admin_client, settings):
    settings.IMPORT_UPLOAD_MAX_BYTES = 1000
    response = post_batch(
        admin_client, "big", [SimpleUploadedFile("big.pdf", b"%PDF-1.4" + b"0" * 5000)]
    )
    assert response.status_code == 413 and "at most 1000" in response.content.decode()
    assert not Batch.objects.exists()


def test_the_form_names_what_is_missing(admin_client):
    response = post_batch(admin_client, "Not a slug!", [])
    page = response.content.decode()
    assert response.status_code == 400 and "Upload files, or choose a folder" in page
    assert "letters, numbers, underscores or hyphens" in page


def test_a_batch_picks_its_ocr_mode_and_languages_checked_against_those_installed(
    admin_client, tmp_path
):
    form = admin_client.get(reverse("batch-new")).content.decode()
    assert "Installed here: eng" in form and 'value="force"' in form

    def upload():
        return SimpleUploadedFile("notes.eml", b"From: a@example.org\nSubject: x\n\nHello\n")

    refused = post_batch(
        admin_client, "scans", [upload()], ocr_mode="force", ocr_languages="eng+zzz"
    )
    assert refused.status_code == 400
    assert "OCR language not installed: zzz" in refused.content.decode()
    assert not Batch.objects.exists()
    post_batch(admin_client, "scans", [upload()], ocr_mode="force", ocr_languages="eng+osd")
    batch = Batch.objects.get()
    assert (batch.ocr_mode, batch.ocr_languages) == ("force", "eng+osd")
    page = admin_client.get(reverse("batch", args=["scans"])).content.decode()
    assert "Also pages whose text layer is garbled, in <code>eng+osd</code>" in page


def test_a_folder_on_the_server_is_imported_and_no_other(admin_client, tmp_path, settings):
    settings.IMPORT_ROOT = tmp_path / "releases"
    write_sample_batch(settings.IMPORT_ROOT / "ice" / "part1")
    assert jobs.server_folders() == ["ice", "ice/part1"]
    with pytest.raises(jobs.ImportRequestError):
        jobs.server_folder("../..")
    form = admin_client.get(reverse("batch-new")).content.decode()
    assert '<option value="ice/part1">' in form
    response = admin_client.post(
        reverse("batch-new"),
        {"name": "ice-part1", "timezone": "America/Los_Angeles", "folder": "ice/part1"},
    )
    assert response.status_code == 302
    outside = admin_client.post(
        reverse("batch-new"), {"name": "x", "timezone": "UTC", "folder": "../etc"}
    )
    assert outside.status_code == 400
    run_worker()
    assert Batch.objects.get(name="ice-part1").files.filter(status="imported").count() == 5


def _hang_on(name_part, monkeypatch):
    original = BatchImporter.import_source

    def import_source(self, source):
        if name_part in source.name:
            time.sleep(120)  # a PDF built to keep pdfminer busy, as far as the worker can tell
        return original(self, source)

    monkeypatch.setattr(BatchImporter, "import_source", import_source)


def test_a_file_that_hangs_is_stopped_reported_and_the_rest_imported(
    admin_client, tmp_path, settings, monkeypatch
):
    settings.IMPORT_FILE_TIME_LIMIT = 2
    _hang_on("web-original", monkeypatch)
    post_batch(admin_client, "hang", [SimpleUploadedFile("release.zip", sample_zip(tmp_path))])
    started = time.monotonic()
    run_worker()
    assert time.monotonic() - started < 60
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FINISHED
    stuck = SourceFile.objects.get(original_name__endswith="web-original.eml")
    assert stuck.status == "failed" and "stopped after 2 seconds" in stuck.error
    assert [name for name, _ in job.failures] == [stuck.original_name]
    assert SourceFile.objects.filter(status="imported").count() == 4
    assert not Appearance.objects.filter(source_file=stuck).exists()  # nothing half written


def test_a_file_that_needs_too_much_memory_is_stopped(
    admin_client, tmp_path, settings, monkeypatch
):
    settings.IMPORT_FILE_MEMORY_LIMIT = 1024**3
    original = BatchImporter.import_source

    def import_source(self, source):
        if "la-county" in source.name:
            bytearray(2 * 1024**3)  # what a decompression bomb inside a PDF does
        return original(self, source)

    monkeypatch.setattr(BatchImporter, "import_source", import_source)
    post_batch(admin_client, "greedy", [SimpleUploadedFile("release.zip", sample_zip(tmp_path))])
    run_worker()
    greedy = SourceFile.objects.get(original_name__endswith="la-county.mbox")
    assert greedy.status == "failed" and "memory" in greedy.error
    assert SourceFile.objects.filter(status="imported").count() == 4


def test_failed_files_are_retried_alone_and_a_file_can_be_replaced(
    admin_client, tmp_path, settings, monkeypatch
):
    settings.IMPORT_FILE_TIME_LIMIT = 2
    release = tmp_path / "release"
    write_sample_batch(release)
    files = [SimpleUploadedFile(p.name, p.read_bytes()) for p in sorted(release.iterdir())]
    files.append(SimpleUploadedFile("notes.txt", b"Cover letter, not an email."))
    with monkeypatch.context() as patched:
        _hang_on("web-original", patched)
        post_batch(admin_client, "retry", files)
        run_worker()
    batch = Batch.objects.get(name="retry")
    assert set(batch.files.filter(status="failed").values_list("original_name", flat=True)) == {
        "web-original.eml",
        "notes.txt",
    }
    imported_before = dict(batch.files.filter(status="imported").values_list("original_name", "pk"))

    page = admin_client.get(reverse("batch-import", args=["retry"])).content.decode()
    assert "Retry the 2 failed files" in page and "Replace with a better copy" in page
    admin_client.post(reverse("batch-retry", args=["retry"]))
    run_worker()
    retry = ImportJob.objects.get(kind="retry")
    assert retry.only_names == ["notes.txt", "web-original.eml"] and retry.files_total == 2
    assert batch.files.get(original_name="web-original.eml").status == "imported"
    assert (
        dict(
            batch.files.filter(status="imported")
            .exclude(original_name="web-original.eml")
            .values_list("original_name", "pk")
        )
        == imported_before
    )

    notes = batch.files.get(original_name="notes.txt")
    assert "not a PDF, .eml or mbox" in notes.error
    eml = (release / "web-original.eml").read_bytes().replace(b"Subject: ", b"Subject: Cover: ", 1)
    admin_client.post(
        reverse("batch-file-replace", args=["retry", notes.pk]),
        {"file": SimpleUploadedFile("anything.eml", eml)},
    )
    run_worker()
    assert batch.files.get(original_name="notes.txt").status == "imported"
    assert Appearance.objects.filter(
        source_file__original_name="notes.txt"
    ).exists()  # its email is cited


def test_the_delete_page_says_what_goes_and_deletes_after_confirming(admin_client, tmp_path):
    post_batch(admin_client, "doomed", [SimpleUploadedFile("release.zip", sample_zip(tmp_path))])
    run_worker()
    from documents.curation.annotations import add_note

    thread = Document.objects.first().thread
    add_note(thread, make_user("editor", "Editor"), "Keep an eye on this.", "shared")
    add_note(thread, make_user("reporter", "Reader"), "My source says otherwise.", "private")
    page = admin_client.get(reverse("batch-delete", args=["doomed"])).content.decode()
    assert "reporter" in page and "My source says otherwise" not in page  # listed, not read
    emails = Document.objects.count()
    assert f"<strong>{emails}</strong> emails printed only in this batch" in page
    assert "Keep an eye on this." in page and "2</strong> notes" in page
    assert Batch.objects.exists()
    response = admin_client.post(reverse("batch-delete", args=["doomed"]), follow=True)
    assert "Batch doomed deleted" in response.content.decode()
    assert not Batch.objects.exists() and not Document.objects.exists()
    assert not (Path(settings.MEDIA_ROOT) / "uploads" / "doomed").exists()


def test_killing_the_worker_mid_batch_and_starting_it_again_loses_and_doubles_nothing(
    admin_client, tmp_path, settings
):
    release = tmp_path / "release"
    release.mkdir()
    for part in range(4):  # distinct productions of 40 emails, a few seconds of reading each
        write_generated_production(release / f"production-{part}.pdf", 40, first=part * 40)
    files = [SimpleUploadedFile(p.name, p.read_bytes()) for p in sorted(release.iterdir())]
    post_batch(admin_client, "killed", files)
    job = ImportJob.objects.get()
    env = worker_environment()
    worker = start_worker(env)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.files_done >= 1 and job.current_file.endswith("production-1.pdf"):
            break
        time.sleep(0.1)
    else:
        worker.kill()
        pytest.fail(f"the worker did not get going: {worker.stderr.read().decode()[-2000:]}")
    time.sleep(0.5)  # inside the second file
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING and job.files_done < 4
    restarted = start_worker(env)
    try:
        while time.monotonic() < deadline + 120:
            job.refresh_from_db()
            if job.status == ImportJob.Status.FINISHED:
                break
            time.sleep(0.2)
    finally:
        os.killpg(restarted.pid, signal.SIGTERM)
        restarted.wait(timeout=30)
    assert job.status == ImportJob.Status.FINISHED and job.attempts == 2, (
        restarted.stderr.read().decode()[-2000:]
    )
    names = list(SourceFile.objects.values_list("original_name", flat=True))
    assert sorted(names) == [f"production-{part}.pdf" for part in range(4)]  # each once
    assert set(SourceFile.objects.values_list("status", flat=True)) == {"imported"}
    assert Document.objects.count() == 160  # every email, none twice
    assert Appearance.objects.count() == 160
    from django_tasks_db.models import DBTaskResult

    assert not DBTaskResult.objects.filter(status="RUNNING").exists()  # the dead run is closed
    forget_searcher()
    assert indexed_ids() == set(Document.objects.values_list("pk", flat=True))  # all searchable
    connection.close()


def test_a_batch_is_not_deleted_while_its_import_is_queued(admin_client, tmp_path):
    post_batch(admin_client, "busy", [SimpleUploadedFile("release.zip", sample_zip(tmp_path))])
    page = admin_client.get(reverse("batch-delete", args=["busy"])).content.decode()
    assert (
        "An import of this batch is queued or running" in page
        and "Delete the batch and all" not in page
    )
    assert admin_client.post(reverse("batch-delete", args=["busy"])).status_code == 409
    assert Batch.objects.filter(name="busy").exists()


def test_a_command_line_batch_cannot_be_retried_from_the_browser_but_says_how(
    admin_client, tmp_path
):
    from tests.conftest import run_import

    (tmp_path / "cli").mkdir()
    (tmp_path / "cli" / "cover.txt").write_bytes(b"not an email")
    run_import([tmp_path / "cli"], name="cli")
    page = admin_client.get(reverse("batch-import", args=["cli"])).content.decode()
    assert "came from the command line" in page and "Retry the" not in page
    response = admin_client.post(reverse("batch-retry", args=["cli"]), follow=True)
    assert "run `manage.py import_batch` on them again" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_run_ocr_reads_again_only_the_files_that_needed_it(
    admin_client, tmp_path, monkeypatch, settings
):
    """Scans uploaded while Tesseract was missing wait as "needs OCR"; once it is there, the
    batch page's Run OCR button reads them, and nothing else is re-imported."""
    from tests.ingest.test_ocr import printed_email, scanned

    printed_email(tmp_path / "printed.pdf")
    scan = scanned(tmp_path / "printed.pdf", tmp_path / "scan.pdf")
    release = tmp_path / "release"
    write_sample_batch(release)
    files = [SimpleUploadedFile(p.name, p.read_bytes()) for p in sorted(release.iterdir())]
    files.append(SimpleUploadedFile("scan.pdf", scan.read_bytes()))
    with monkeypatch.context() as patched:
        patched.setenv("PATH", str(tmp_path))  # no tesseract here
        post_batch(admin_client, "scans", files)
        run_worker()
        batch = Batch.objects.get(name="scans")
        assert batch.files.get(original_name="scan.pdf").status == "needs_ocr"
        page = admin_client.get(reverse("batch-import", args=["scans"])).content.decode()
        assert "Run OCR on the 1 file that needs it" in page
        refused = admin_client.post(reverse("batch-ocr", args=["scans"]), follow=True)
        assert "OCR unavailable: install tesseract-ocr" in refused.content.decode()
    imported = dict(batch.files.filter(status="imported").values_list("original_name", "pk"))
    admin_client.post(reverse("batch-ocr", args=["scans"]))
    run_worker()
    ocr_job = ImportJob.objects.filter(kind="ocr").get()
    assert ocr_job.only_names == ["scan.pdf"] and ocr_job.ocr_pages_done == 1
    assert ocr_job.pages_done == ocr_job.pages_total == 1
    status = admin_client.get(reverse("batch-import-status", args=["scans"])).content.decode()
    assert "Pages OCR&#x27;d" in status or "Pages OCR'd" in status
    assert "Files needing OCR" in status
    assert batch.files.get(original_name="scan.pdf").status == "imported"
    assert Document.objects.filter(subject="RE: County opt out letter").exists()
    assert (
        dict(
            batch.files.filter(status="imported")
            .exclude(original_name="scan.pdf")
            .values_list("original_name", "pk")
        )
        == imported
    )


def test_the_time_left_follows_the_rate_of_ocrd_pages_once_they_come(admin_client, monkeypatch):
    """100 born-digital pages read in 10 s, then scanned pages at 3 s each: after four of them
    the time left is the six pages left at OCR's rate, not at the run's average (about 1 s)."""
    start = timezone.now()
    batch = Batch.objects.create(name="mixed", title="Mixed")
    job = ImportJob.objects.create(
        batch=batch, kind="upload", status="running", started_at=start, pages_total=110
    )
    clock = [start]
    monkeypatch.setattr(jobs.timezone, "now", lambda: clock[0])
    tracker = jobs._Tracker(job)
    for _ in range(10):
        clock[0] += timedelta(seconds=1)
        tracker.pages(10)
    for _ in range(4):
        clock[0] += timedelta(seconds=3)
        tracker.pages(1)
        tracker.ocr_pages(1)
    job.refresh_from_db()
    left = jobs.progress(job).remaining.total_seconds()
    assert 12 <= left <= 20
    status = admin_client.get(reverse("batch-import-status", args=["mixed"])).content.decode()
    assert "104 of 110" in status and "94%" in status


def test_the_worker_reads_with_as_many_processes_as_import_workers_says(
    admin_client, settings, monkeypatch
):
    settings.IMPORT_WORKERS = 2
    asked = []
    original = BatchImporter.__init__

    def watched(self, *args, **kwargs):
        asked.append(kwargs.get("workers"))
        original(self, *args, **kwargs)

    monkeypatch.setattr(BatchImporter, "__init__", watched)
    note = SimpleUploadedFile("note.eml", b"From: a@example.org\nSubject: Opt out\n\nHello\n")
    post_batch(admin_client, "two", [note])
    run_worker()
    assert asked == [2]
    assert Batch.objects.get(name="two").email_count == 1
