"""Subject lines of scans that carry an agency's own OCR layer, read again by Tesseract and
judged word by word against the layer (documents.ingest.line_reread)."""

import shutil
import subprocess
from zoneinfo import ZoneInfo

import pytest
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from documents.ingest import OcrOptions, parse_pdf
from documents.ingest.line_reread import judged, subject_rows
from documents.ingest.records import Email
from tests.ingest.test_ocr import HEADER

PACIFIC = ZoneInfo("America/Los_Angeles")


def sure(*words):
    return [(word, 96.0) for word in words]


def test_tesseracts_word_is_taken_where_the_two_disagree_and_it_is_sure():
    layer = ["Subject:", "Members", "I", "Open", "Pis", "read"]
    reread = sure("Subject:", "Members", "|", "Open", "Pls", "read")
    assert judged(layer, reread, label=1) == ["Subject:", "Members", "|", "Open", "Pls", "read"]


def test_the_layer_is_kept_where_tesseract_is_unsure_or_reads_more_or_less():
    layer = ["Subject:", "Flight", "Info,", "for", "the", "Girls"]
    unsure = [("Subject:", 97.0), ("Flight", 94.0), ("Info.", 80.0), *sure("for", "the", "Girls")]
    assert judged(layer, unsure, label=1) == layer
    # A speck at the line's end, a word it did not see: nothing is added or taken away.
    assert judged(layer, [*sure(*layer), ("|", 96.0)], label=1) == layer
    assert judged(layer, sure("Subject:", "Flight", "for", "the", "Girls"), label=1) == layer


def test_the_label_is_never_changed_and_spacing_is_judged_as_a_whole():
    layer = ["Subject", ":", "Governor", "Pal", "in", "Day"]
    reread = sure("Subject:", "Governor", "Palin", "Day")
    assert judged(layer, reread, label=2) == ["Subject", ":", "Governor", "Palin", "Day"]


def test_subject_rows_are_those_with_a_subject_label():
    words = (
        (0.1, 0.20, 0.17, 0.21, "Subject"),
        (0.17, 0.20, 0.18, 0.21, ":"),
        (0.2, 0.20, 0.3, 0.21, "Opt"),
        (0.31, 0.201, 0.4, 0.211, "out"),
        (0.1, 0.30, 0.2, 0.31, "subject"),  # "subject to approval" in a body
        (0.21, 0.30, 0.3, 0.31, "to"),
        (0.1, 0.40, 0.2, 0.41, "Subject:"),  # an empty subject: nothing to read again
    )
    assert [[w[4] for w in row] for row in subject_rows(words)] == [["Subject", ":", "Opt", "out"]]


@pytest.mark.skipif(
    shutil.which("tesseract") is None or shutil.which("pdftoppm") is None,
    reason="needs tesseract-ocr and poppler-utils",
)
def test_a_scan_whose_own_layer_misreads_its_subject_gets_it_right(printed, scan, tmp_path):
    """The print scanned with an agency's OCR layer under it that reads "Opt" as "0pt" and
    "letter" as "|etter": the import keeps the layer, and reads the subject line again."""
    image = tmp_path / "page.png"
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", "-singlefile", scan, tmp_path / "page"], check=True
    )
    agency = tmp_path / "agency.pdf"
    drawing = canvas.Canvas(str(agency), pagesize=letter)
    drawing.drawImage(str(image), 0, 0, *letter)
    text = drawing.beginText()
    text.setTextRenderMode(3)  # invisible, as OCR layers are
    for y, line in zip(range(720, 600, -16), HEADER, strict=False):
        text.setTextOrigin(72, y)
        text.setFont("Helvetica", 11)
        text.textOut(line.replace("opt out letter", "0pt out |etter"))
    drawing.drawText(text)
    drawing.save()
    never = [i for i in parse_pdf(agency, PACIFIC).items if isinstance(i, Email)]
    assert never[0].subject == "RE: County 0pt out |etter"
    parsed = parse_pdf(agency, PACIFIC, ocr=OcrOptions())
    (email,) = [item for item in parsed.items if isinstance(item, Email)]
    assert email.subject == "RE: County opt out letter"
    assert email.sender.name == "Marc Rapp"  # the rest of the layer as it was
    assert parsed.searchable_pdf is None  # no page was OCR'd whole
