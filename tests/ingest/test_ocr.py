"""OCR of generated scans: an email printed, photocopied (grey, turned a degree, speckled) to an
image-only PDF at 200 dpi, then read by documents.ingest.ocr. No database needed."""

import shutil

import pytest
from PIL import Image
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from documents.ingest import ocr
from documents.ingest.pdf_text import extract_pages
from tests.scans import photocopy

pytestmark = pytest.mark.skipif(
    shutil.which("tesseract") is None or shutil.which("pdftoppm") is None,
    reason="needs tesseract-ocr and poppler-utils",
)

# Clean print OCRs at 90+; the speckle and the turn cost a few points.
CONFIDENCE_FLOOR = 75
HEADER = [
    "From: Marc Rapp",
    "Sent: Tuesday, September 28, 2010 4:12 PM",
    "To: Adler, Kathleen; Venturella, David",
    "Subject: RE: County opt out letter",
]
BODY = [
    "We have reviewed the letter from Santa Clara County and the request",
    "to opt out of Secure Communities. Please see the attached talking",
    "points before the call tomorrow. County counsel will join us at ten.",
]
BATES = "ROSTON 00081"
GARBLED_LAYER = (
    "Fr0rn; M@rc R4pp ~~ S3nt; Tu3sd@y, 5ept 2B ¢§ T0; Adl3r, K@th|een ;; "
    "Subj3ct: RE: C0unty 0pt 0ut |3tt3r ~~ W3 h@v3 r3vi3w3d th3 |3tt3r fr0m 5@nt@ C|@r@ "
    "C0unty @nd th3 r3qu3st t0 0pt 0ut 0f 53cur3 C0mmuniti3s ¥¥ ©© ~~"
)


def printed_email(path):
    """The email as an agency prints it: born-digital, with a real text layer."""
    page = canvas.Canvas(str(path), pagesize=letter)
    y = 720
    for line in HEADER:
        page.setFont("Helvetica", 11)
        page.drawString(72, y, line)
        y -= 16
    y -= 16
    page.setFont("Times-Roman", 12)
    for line in BODY:
        page.drawString(72, y, line)
        y -= 16
    page.setFont("Helvetica", 10)
    page.drawString(470, 40, BATES)
    page.showPage()
    page.save()


def scanned(printed, path, angle=1.0, seed=81):
    """The printed PDF photocopied: grey paper and ink, turned, speckled, image only."""
    return photocopy(printed, path, seed, angle)


@pytest.fixture(scope="module")
def scan_page(scan):
    return ocr.ocr_page(scan, 1)


def test_a_scanned_email_reads_as_its_header_lines_and_bates_number(scan, scan_page):
    (layer,) = extract_pages(str(scan))
    assert ocr.needs_ocr(layer.text, "auto")  # an image-only page has no text layer
    assert scan_page.number == 1
    for line in [*HEADER, BATES]:
        assert line in scan_page.lines
    assert "Please see the attached talking" in scan_page.text
    assert scan_page.confidence > CONFIDENCE_FLOOR


def test_word_boxes_are_page_relative_and_inside_the_page(scan_page):
    assert len(scan_page.words) > 40
    for word in scan_page.words:
        assert 0 <= word.x0 < word.x1 <= 1 and 0 <= word.y0 < word.y1 <= 1, word
        assert 0 <= word.confidence <= 100
    stamp = next(word for word in scan_page.words if word.text == "00081")
    assert stamp.x0 > 0.5 and stamp.y0 > 0.9  # bottom right, where the stamp is printed
    sender = next(word for word in scan_page.words if word.text == "From:")
    assert sender.x0 < 0.2 and sender.y1 < 0.15


@pytest.mark.parametrize("angle", [90, 180, 270])
def test_a_page_scanned_sideways_is_read_in_order(printed, tmp_path, angle):
    sideways = scanned(printed, tmp_path / "sideways.pdf", angle=angle)
    (page,) = ocr.ocr_pages(sideways, [1])
    found = [
        next(i for i, line in enumerate(page.lines) if line.startswith(want)) for want in HEADER
    ]
    assert found == sorted(found)
    assert BATES in page.text
    assert page.confidence > CONFIDENCE_FLOOR


def test_a_blank_page_reads_as_no_words(tmp_path):
    blank = tmp_path / "blank.pdf"
    Image.new("L", (850, 1100), 230).save(blank, "PDF", resolution=100)
    assert ocr.ocr_page(blank, 1) == ocr.OcrPage(1, (), 0.0, ())


def test_a_good_text_layer_is_not_ocrd_and_a_garbled_one_only_in_force_mode(printed, scan_page):
    (page,) = extract_pages(str(printed))
    assert not ocr.needs_ocr(page.text, "auto")
    assert not ocr.needs_ocr(page.text, "force")
    assert not ocr.needs_ocr(scan_page.text, "force")  # OCR's own text is good enough
    assert not ocr.needs_ocr(GARBLED_LAYER, "auto")
    assert ocr.needs_ocr(GARBLED_LAYER, "force")
    assert ocr.needs_ocr("  \n 12 \n", "auto")
    assert not ocr.needs_ocr("", "never")
    with pytest.raises(ValueError, match="auto, force, never"):
        ocr.needs_ocr("", "always")


def test_languages_are_checked_against_the_installed_data():
    status = ocr.ocr_status()
    assert status.available and status.version.startswith(("4.", "5."))
    assert "eng" in status.languages
    assert ocr.check_languages(" eng+eng ", status) == "eng"
    with pytest.raises(
        ocr.OcrLanguageError, match=r"not installed: zzz .*install tesseract-ocr-zzz"
    ):
        ocr.check_languages("eng+zzz", status)
    with pytest.raises(ocr.OcrLanguageError, match="not an OCR language name"):
        ocr.check_languages("eng;rm -rf", status)


def test_without_tesseract_ocr_is_unavailable_with_a_clear_message(scan, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    status = ocr.ocr_status()
    assert not status.available
    assert status.message == "OCR unavailable: install tesseract-ocr"
    with pytest.raises(ocr.OcrUnavailable, match="OCR unavailable: install tesseract-ocr"):
        list(ocr.ocr_pages(scan, [1]))
    with pytest.raises(ocr.OcrUnavailable, match="install tesseract-ocr"):
        ocr.check_languages("eng")


def test_a_page_over_the_time_limit_is_stopped_and_named(scan):
    with pytest.raises(
        ocr.OcrTimeout, match=r"page 1: Tesseract did not finish within the time limit of 0.01 s"
    ):
        ocr.ocr_page(scan, 1, timeout=0.01)
