"""import_batch on the command line: summary, exit status, resuming after an interruption."""

import re
import time
import zipfile

import pytest
from django.core.management import call_command
from django.db.models import Sum

from documents.imports import writer
from documents.imports.isolation import Limits
from documents.imports.sample_batch import write_sample_batch
from documents.imports.service import BatchImporter, BatchOptions
from documents.ingest import iter_entries
from documents.models import Document, SourceFile
from tests.conftest import run_import


@pytest.fixture
def release(tmp_path):
    write_sample_batch(tmp_path / "release")
    return tmp_path / "release"


# The command reads each file in a child process: its writes are committed.
@pytest.mark.django_db(transaction=True)
def test_summary_and_exit_status_when_a_file_fails(release, media_root, gazetteer_db, capsys):
    (release / "notes.txt").write_text("Not an email, whatever its name says.")
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_batch", str(release), "--name", "cli", "--timezone", "America/Chicago")
    assert exit_info.value.code == 1
    out = capsys.readouterr().out
    assert "files: 6 (this run: 5 imported, 0 already imported" in out
    assert "files needing attention (failed, encrypted or needing OCR): 1" in out
    assert "notes.txt: failed — not a PDF, .eml or mbox file" in out
    assert SourceFile.objects.get(original_name="notes.txt").status == "failed"
    # Where the time went, for an admin wondering why a release is slow.
    spent = re.search(r"time: reading ([\d.]+) s, writing ([\d.]+) s, indexing ([\d.]+) s", out)
    # Each phase is measured; a short one may round to 0.0 s.
    assert spent and sum(float(seconds) for seconds in spent.groups()) > 0, out


def test_bad_timezone_is_refused(release, gazetteer_db):
    with pytest.raises(Exception, match="IANA"):
        call_command("import_batch", str(release), "--name", "cli", "--timezone", "Mars/Olympus")


def test_interrupted_run_leaves_whole_files_and_a_rerun_finishes(
    release, media_root, gazetteer_db, monkeypatch
):
    calls = {"n": 0}
    original = writer.DocumentWriter.write_pending

    def interrupt_in_the_second_file(self):
        if self.source_file.original_name == "ICE-production-2-notes.pdf":
            raise KeyboardInterrupt
        calls["n"] += 1
        return original(self)

    monkeypatch.setattr(writer.DocumentWriter, "write_pending", interrupt_in_the_second_file)
    with pytest.raises(KeyboardInterrupt):
        run_import([release], name="resume")
    assert list(SourceFile.objects.values_list("original_name", flat=True)) == [
        "ICE-production-1-outlook.pdf"
    ]
    monkeypatch.setattr(writer.DocumentWriter, "write_pending", original)
    report = run_import([release], name="resume")
    statuses = {o.name: o.status for o in report.files}
    assert statuses.pop("ICE-production-1-outlook.pdf") == "skipped"
    assert set(statuses.values()) == {"imported"}
    assert (
        Document.objects.filter(
            appearances__source_file__original_name="ICE-production-2-notes.pdf"
        ).count()
        == 1
    )


def test_zip_release_with_a_path_outside_the_batch(release, tmp_path, media_root, gazetteer_db):
    archive = tmp_path / "release.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in sorted(release.iterdir()):
            zipped.write(path, f"production/{path.name}")
        zipped.writestr("../../etc/evil.eml", "From: a@b.c\nSubject: x\n\nhi")
    report = run_import([archive], name="zipped")
    outcomes = {o.name: o for o in report.files}
    assert outcomes["release.zip/../../etc/evil.eml"].status == "failed"
    assert "outside the release" in outcomes["release.zip/../../etc/evil.eml"].reason
    assert outcomes["release.zip/production/la-county.mbox"].status == "imported"


def test_workers_give_the_same_result(release, media_root, gazetteer_db, monkeypatch):
    report = run_import([release], name="parallel")
    single = sorted(Document.objects.values_list("subject", "sent_at", "body"))
    Document.objects.all().delete()
    SourceFile.objects.all().delete()
    from documents import ingest
    from documents.imports import service
    from documents.ingest import pdf_production, rfc822

    def main_process_extraction(*args, **kwargs):
        raise AssertionError("read in the main process, not by the workers")

    # Spawned workers import their own copy of the pipeline; only the main process is patched.
    monkeypatch.setattr(service, "extract_pages", main_process_extraction)
    monkeypatch.setattr(pdf_production, "extract_pages", main_process_extraction)
    monkeypatch.setattr(ingest, "parse_mbox", main_process_extraction)
    monkeypatch.setattr(rfc822, "parse_mbox", main_process_extraction)
    monkeypatch.setattr(service, "PARALLEL_FROM_PAGES", 1)  # the sample's PDFs are short
    parallel = service.BatchImporter(
        service.BatchOptions(name="parallel2", timezone="America/Los_Angeles"), workers=2
    ).run(iter_entries([release]))
    assert report.needing_attention == [] and parallel.needing_attention == []
    assert sorted(Document.objects.values_list("subject", "sent_at", "body")) == single
    assert parallel.batch.page_count == report.batch.page_count > 0
    mailbox = [outcome for outcome in parallel.files if outcome.name.endswith(".mbox")]
    assert mailbox and mailbox[0].new_emails > 1  # the reader's emails were written

    def said(outcomes):
        return sorted(
            (o.name, o.status, o.reason, [w["text"] for w in o.warnings]) for o in outcomes
        )

    assert said(parallel.files) == said(report.files)


def test_dry_run_saves_nothing(release, media_root, gazetteer_db, capsys):
    call_command("import_batch", str(release), "--name", "dry", "--dry-run")
    out = capsys.readouterr().out
    assert "Dry run — nothing saved" in out and "files: 5 (this run: 5 imported" in out
    assert not SourceFile.objects.exists() and not Document.objects.exists()
    assert not media_root.exists()


# The command reads each file in a child process: its writes are committed.
@pytest.mark.django_db(transaction=True)
def test_the_progress_bar_shows_pages_and_files_of_the_total_and_the_time_left(
    release, media_root, gazetteer_db, capsys
):
    call_command("import_batch", str(release), "--name", "bar")
    shown = capsys.readouterr().err
    pages = SourceFile.objects.filter(batch__name="bar").aggregate(Sum("page_count"))
    total = pages["page_count__sum"]
    # The totals are known from the first drawing on: "0/6 pages [00:00<?, ..., files 0/5]".
    first = shown.split("\r")[1] if "\r" in shown else shown.splitlines()[0]
    assert f"0/{total} pages" in first and "files 0/5" in first
    last = shown.strip().replace("\r", "\n").splitlines()[-1]
    assert f"{total}/{total} pages" in last and "files 5/5" in last
    assert re.search(r"\[\d\d:\d\d<\d\d:\d\d", last), "elapsed<left"


@pytest.mark.django_db(transaction=True)
def test_a_file_that_hangs_is_stopped_on_the_command_line_too(
    release, media_root, gazetteer_db, settings, monkeypatch, capsys
):
    """The command reads each file in a child process under IMPORT_FILE_TIME_LIMIT, as the
    worker does: the file is reported with the reason and the batch goes on."""
    settings.IMPORT_FILE_TIME_LIMIT = 2
    original = BatchImporter.import_source

    def hang_on_the_notes(self, source):
        if "notes" in source.name:
            time.sleep(120)  # a PDF built to keep pdfminer busy
        return original(self, source)

    monkeypatch.setattr(BatchImporter, "import_source", hang_on_the_notes)
    started = time.monotonic()
    with pytest.raises(SystemExit):
        call_command("import_batch", str(release), "--name", "hang", verbosity=0)
    assert time.monotonic() - started < 60
    out = capsys.readouterr().out
    assert "ICE-production-2-notes.pdf: failed — stopped after 2 seconds" in out
    assert SourceFile.objects.filter(status="imported").count() == 4


@pytest.mark.django_db(transaction=True)
def test_the_memory_limit_is_what_a_file_may_take_beyond_the_importer_itself(
    release, media_root, gazetteer_db, settings
):
    """A worker grown large (its index, its caches) still reads every file: the limit counts
    from what the child holds when it starts, not from nothing."""
    settings.IMPORT_FILE_MEMORY_LIMIT = 512 * 1024**2
    grown = bytearray(768 * 1024**2)  # more than the limit, held by the importing process
    report = BatchImporter(BatchOptions(name="grown", timezone="UTC")).run(
        iter_entries([release]), Limits.from_settings()
    )
    assert [o.status for o in report.files] == ["imported"] * 5
    del grown


@pytest.mark.django_db(transaction=True)
def test_a_child_never_talks_over_a_connection_it_inherited(
    release, tmp_path, media_root, gazetteer_db, monkeypatch
):
    """However the parent's connections stand at the fork (here one left open, as happens when
    it sits where ``close_all`` cannot see it), each file's child opens its own, and the
    parent's session outlives the children."""
    from django.db import connection

    from documents.imports import isolation

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (parent_session,) = cursor.fetchone()
    monkeypatch.setattr(isolation.connections, "close_all", lambda: None)
    sessions = tmp_path / "sessions"
    original = BatchImporter.import_source

    def note_the_session(self, source):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            with sessions.open("a") as out:
                out.write(f"{cursor.fetchone()[0]}\n")
        return original(self, source)

    monkeypatch.setattr(BatchImporter, "import_source", note_the_session)
    report = BatchImporter(BatchOptions(name="kept", timezone="UTC")).run(
        iter_entries([release]), Limits.from_settings()
    )
    assert [o.status for o in report.files] == ["imported"] * 5
    assert str(parent_session) not in sessions.read_text().split()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] == parent_session
