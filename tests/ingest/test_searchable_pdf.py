"""What OCR leaves behind: each page's words with their boxes (from Tesseract on a scan, from the
text layer on a born-digital page, in the same page coordinates), and a copy of the scanned PDF
with the OCR text laid over its pages, so that it can be searched and selected where the words
are, upright or on a page turned by /Rotate."""

import shutil
from zoneinfo import ZoneInfo

import pikepdf
import pytest

from documents.ingest import OcrOptions, parse_pdf
from documents.ingest.pdf_text import extract_pages
from documents.ingest.records import PageRecord
from tests.ingest.test_ocr import BATES

pytestmark = pytest.mark.skipif(
    shutil.which("tesseract") is None or shutil.which("pdftoppm") is None,
    reason="needs tesseract-ocr and poppler-utils",
)
PACIFIC = ZoneInfo("America/Los_Angeles")
# Where a word is, as a fraction of the page: the scan is turned by a degree, which moves a
# word near the page's edge by under a hundredth of the page.
NEAR = 0.02
LANDMARKS = ("Rapp", "Venturella,", "Subject:", "Santa", "tomorrow.", BATES.split()[1])


def read(path) -> tuple[list[PageRecord], object]:
    parsed = parse_pdf(path, PACIFIC, ocr=OcrOptions())
    pages = [item for item in parsed.items if isinstance(item, PageRecord)]
    return pages, parsed


def boxes(words) -> dict[str, tuple]:
    """The first box of each landmark word."""
    found = {}
    for word in words:
        if word[4] in LANDMARKS:
            found.setdefault(word[4], tuple(word[:4]))
    return found


def assert_near(found: dict, expected: dict) -> None:
    assert set(found) == set(LANDMARKS)
    for text, box in expected.items():
        assert all(abs(a - b) < NEAR for a, b in zip(found[text], box, strict=True)), text


def images(page) -> list[bytes]:
    """The page's images, as stored (compressed)."""
    found = page.Resources.XObject
    return [found[name].read_raw_bytes() for name in found if found[name].Subtype == "/Image"]


def test_a_born_digital_page_keeps_its_words_where_they_are_printed(printed):
    (page,) = read(printed)[0]
    assert page.ocr_confidence is None
    landmarks = boxes(page.words)
    # "Rapp" on the first line, an inch and a half down; the Bates stamp at the bottom right.
    x0, y0, x1, y1 = landmarks["Rapp"]
    assert 0.1 < x0 < x1 < 0.35 and 0.07 < y0 < y1 < 0.11
    assert landmarks[BATES.split()[1]][0] > 0.8 and landmarks[BATES.split()[1]][3] > 0.93
    assert all(len(word) == 5 for word in page.words)


def test_ocrd_words_carry_their_confidence_and_land_where_the_text_layer_says(printed, scan):
    (typed,) = read(printed)[0]
    (page,), parsed = read(scan)
    assert page.ocr_confidence > 75
    assert all(len(word) == 6 and 0 <= word[5] <= 100 for word in page.words)
    assert_near(boxes(page.words), boxes(typed.words))
    parsed.searchable_pdf.unlink()


def test_the_searchable_copy_holds_the_ocr_text_over_the_scanned_page(scan):
    (page,), parsed = read(scan)
    copy = parsed.searchable_pdf
    try:
        (searchable,) = extract_pages(copy)
        assert "Subject: RE: County opt out letter" in " ".join(searchable.text.split())
        assert_near(boxes(searchable.words), boxes(page.words))
        with pikepdf.open(scan) as original, pikepdf.open(copy) as result:
            # The page image is kept as it was: the text is laid over it, nothing redrawn.
            assert images(result.pages[0]) == images(original.pages[0])
            assert result.pages[0].mediabox == original.pages[0].mediabox
    finally:
        copy.unlink()


def test_on_a_page_turned_by_rotate_the_text_lands_on_the_words_as_displayed(scan, tmp_path):
    """A scan stored landscape and shown upright by /Rotate 90, as some scanners write them."""
    turned = tmp_path / "turned.pdf"
    with pikepdf.open(scan) as pdf:
        page = pdf.pages[0]
        width, height = float(page.mediabox[2]), float(page.mediabox[3])
        page.contents_add(f"0 1 -1 0 {height:g} 0 cm\n".encode(), prepend=True)
        page.mediabox = pikepdf.Array([0, 0, height, width])
        page.Rotate = 90
        pdf.save(turned)
    (page,), parsed = read(turned)
    (upright,), upright_parsed = read(scan)
    upright_parsed.searchable_pdf.unlink()
    assert_near(boxes(page.words), boxes(upright.words))
    try:
        (searchable,) = extract_pages(parsed.searchable_pdf)
        assert_near(boxes(searchable.words), boxes(page.words))
    finally:
        parsed.searchable_pdf.unlink()


def test_a_file_with_a_text_layer_on_every_page_gets_no_copy(printed):
    assert read(printed)[1].searchable_pdf is None
