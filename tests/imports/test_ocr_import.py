"""Scanned productions imported: pages without a text layer are OCR'd during the import and read
by the same pipeline as born-digital ones; without Tesseract they stay "needs OCR", said once."""

import subprocess
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.urls import reverse
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from documents.imports.service import BatchImporter, BatchOptions
from documents.ingest import iter_entries
from documents.models import Batch, Document, Page, SourceFile
from tests.conftest import run_import
from tests.ingest.test_ocr import BATES, GARBLED_LAYER, printed_email, scanned

pytestmark = pytest.mark.django_db
PACIFIC = ZoneInfo("America/Los_Angeles")


@pytest.fixture(scope="module")
def scan(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scanned-release")
    printed_email(folder / "printed.pdf")
    return scanned(folder / "printed.pdf", folder / "scan.pdf")


def test_a_scanned_email_is_imported_with_its_sender_subject_date_and_bates(
    scan, media_root, gazetteer_db, client, django_user_model
):
    report = run_import([scan])
    (outcome,) = report.files
    assert outcome.status == SourceFile.Status.IMPORTED
    email = Document.objects.get()
    assert email.sender.name == "Marc Rapp"
    assert email.subject == "RE: County opt out letter"
    assert email.sent_at == datetime(2010, 9, 28, 16, 12, tzinfo=PACIFIC)
    assert [r.person.name for r in email.recipient_entries.all()] == [
        "Kathleen Adler",
        "David Venturella",
    ]
    assert email.appearances.get().bates_start == BATES
    assert "Santa Clara" in email.body
    page = Page.objects.get()
    assert not page.needs_ocr and page.ocr_confidence > 75
    # Its words are kept with their boxes and confidence, for a page viewer to mark hits.
    rapp = next(word for word in page.words if word[4] == "Rapp")
    assert 0 < rapp[0] < rapp[2] < 0.5 and 0 < rapp[1] < rapp[3] < 0.2 and rapp[5] > 50
    client.force_login(django_user_model.objects.create_superuser("admin", "a@example.org", "pw"))
    shown = client.get(reverse("page-text", args=[page.source_file_id, 1])).content.decode()
    assert "OCR text," in shown and "% confidence" in shown
    # The scan with its OCR text laid over it is offered beside the original, from the page,
    # the email and the batch.
    searchable = reverse("source-searchable", args=[page.source_file_id])
    assert f'href="{searchable}#page=1">Original (with OCR text)' in shown
    thread = client.get(reverse("document", args=[email.pk])).content.decode()
    assert f'href="{searchable}#page=1">Original (with OCR text)' in thread
    batch = client.get(reverse("batch", args=[email.appearances.get().source_file.batch.name]))
    assert f'href="{searchable}">(with OCR text)' in batch.content.decode()
    response = client.get(searchable)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Security-Policy"] == "sandbox"
    assert 'filename="scan (with OCR text).pdf"' in response["Content-Disposition"]
    copy = b"".join(response.streaming_content)
    assert copy.startswith(b"%PDF") and copy != scan.read_bytes()


def test_never_leaves_a_scan_needing_ocr(scan, media_root, gazetteer_db):
    (outcome,) = run_import([scan], ocr="never").files
    assert outcome.status == SourceFile.Status.NEEDS_OCR
    assert Page.objects.get().needs_ocr and not SourceFile.objects.get().searchable_file


def test_a_mixed_pdf_is_read_page_by_page(scan, tmp_path, media_root, gazetteer_db):
    born_digital = tmp_path / "digital.pdf"
    printed_email(born_digital)
    subprocess.run(["pdfunite", born_digital, scan, tmp_path / "mixed.pdf"], check=True)
    run_import([tmp_path / "mixed.pdf"])
    pages = list(Page.objects.order_by("number"))
    assert [page.ocr_confidence is None for page in pages] == [True, False]
    assert not any(page.needs_ocr for page in pages)


def test_without_tesseract_scans_stay_needing_ocr_and_the_file_says_why(
    scan, media_root, gazetteer_db, monkeypatch, tmp_path
):
    monkeypatch.setenv("PATH", str(tmp_path))  # no tesseract, no pdftoppm
    (outcome,) = run_import([scan]).files
    assert outcome.status == SourceFile.Status.NEEDS_OCR
    stored = SourceFile.objects.get()
    assert "OCR unavailable: install tesseract-ocr" in str(stored.warnings) + stored.error


@pytest.mark.django_db(transaction=True)  # the command's child process commits its writes
def test_the_progress_bar_counts_ocrd_pages_apart(scan, media_root, gazetteer_db, capsys):
    call_command("import_batch", str(scan), name="scans")
    last = capsys.readouterr().err.strip().replace("\r", "\n").splitlines()[-1]
    assert "1/1 pages" in last and "files 1/1, OCR'd 1" in last


@pytest.mark.django_db(transaction=True)
def test_the_command_line_reads_scans_unless_the_batch_says_never_and_a_rerun_reads_them(
    scan, media_root, gazetteer_db
):
    """--ocr and --ocr-languages are kept as the batch's settings: a re-run reads as the batch
    was read, until it is told otherwise; then the file that needed OCR is read, alone."""
    with pytest.raises(SystemExit):  # a file that needs attention: exit status 1
        call_command("import_batch", str(scan), name="scans", ocr="never", verbosity=0)
    call_command("import_batch", str(scan), name="scans", verbosity=0)  # left as it was
    assert SourceFile.objects.get().status == "needs_ocr"
    assert not Document.objects.exists()
    assert Batch.objects.get(name="scans").ocr_mode == "never"
    call_command("import_batch", str(scan), name="scans", ocr="auto", verbosity=0)
    assert Document.objects.get().subject == "RE: County opt out letter"
    assert Batch.objects.values_list("ocr_mode", "ocr_languages").get() == ("auto", "eng")


@pytest.mark.django_db(transaction=True)
def test_ocr_languages_that_are_not_installed_are_refused_before_anything_is_written(
    scan, media_root, gazetteer_db
):
    for languages, problem in (
        ("eng+zzz", "OCR language not installed: zzz"),
        ("eng;rm", "not an OCR language name: eng;rm"),
    ):
        with pytest.raises(CommandError, match=problem):
            call_command("import_batch", str(scan), name="s", ocr_languages=languages)
    assert not Batch.objects.exists() and not SourceFile.objects.exists()
    call_command("import_batch", str(scan), name="s", ocr_languages="eng+osd", verbosity=0)
    assert Batch.objects.get().ocr_languages == "eng+osd"
    assert Document.objects.get().subject == "RE: County opt out letter"


def test_force_reads_again_a_scan_whose_own_text_layer_is_garbled(
    scan, tmp_path, media_root, gazetteer_db
):
    """An agency's poor OCR under the page image: auto keeps that text, force reads the image."""
    image = tmp_path / "page.png"
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", "-singlefile", scan, tmp_path / "page"], check=True
    )
    for mode in ("auto", "force"):
        garbled = tmp_path / f"garbled-{mode}.pdf"
        drawing = canvas.Canvas(str(garbled), pagesize=letter)
        drawing.setTitle(mode)  # two files, not one imported twice
        drawing.drawImage(str(image), 0, 0, *letter)
        text = drawing.beginText(72, 720)
        text.setTextRenderMode(3)  # invisible, as OCR layers are
        for line in GARBLED_LAYER.split(" ~~ "):
            text.textLine(line)
        drawing.drawText(text)
        drawing.save()
        run_import([garbled], name=mode, ocr=mode)
    read = Document.objects.filter(subject="RE: County opt out letter")
    assert [d.appearances.get().source_file.batch.name for d in read] == ["force"]


def test_the_batch_report_lists_ocrd_pages_under_the_confidence_floor(
    scan, media_root, gazetteer_db, client, settings
):
    run_import([scan], name="scans")
    page = client.get(reverse("batch", args=["scans"])).content.decode()
    assert "OCR'd pages to check" not in page  # a clean scan reads well above the floor
    settings.OCR_CONFIDENCE_FLOOR = 100
    cache.clear()  # the report is kept until the archive changes
    page = client.get(reverse("batch", args=["scans"])).content.decode()
    assert "OCR'd pages to check" in page
    assert "scan.pdf, p. 1" in page


def test_workers_ocr_pages_at_once(scan, tmp_path, media_root, gazetteer_db, monkeypatch):
    """--workers 2: two pages are read by Tesseract at the same time, and every page is read."""
    from documents.ingest import pdf_production

    three = tmp_path / "three.pdf"
    subprocess.run(["pdfunite", scan, scan, scan, three], check=True)
    reading, most = set(), [0]
    original = pdf_production.ocr_page

    def watched(path, number, **options):
        reading.add(number)
        most[0] = max(most[0], len(reading))
        try:
            return original(path, number, **options)
        finally:
            reading.discard(number)

    monkeypatch.setattr(pdf_production, "ocr_page", watched)
    report = BatchImporter(BatchOptions(name="two", timezone="America/Los_Angeles"), workers=2).run(
        iter_entries([three])
    )
    assert most[0] == 2
    assert [o.status for o in report.files] == ["imported"]
    pages = Page.objects.order_by("number")
    assert [page.number for page in pages] == [1, 2, 3]
    assert all(page.ocr_confidence > 80 for page in pages)
    assert Document.objects.get().subject == "RE: County opt out letter"
