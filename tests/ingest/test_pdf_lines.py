"""Our line reader reads what pdfminer's own layout analysis reads, line for line and word box
for word box, on real releases and on PDFs that break parsers; and a worker process reading a
long PDF task after task gives the pages a single pass gives."""

from pathlib import Path

import pytest
from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LAParams, LTChar, LTContainer, LTImage, LTTextLineHorizontal
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager

from documents.imports.sample_batch import write_generated_production
from documents.ingest import pdf_text
from documents.ingest.pdf_text import (
    SCAN_COVERAGE,
    PdfError,
    extract_page_list,
    extract_pages,
    lines_in_reading_order,
    readable,
)
from tests.conftest import CORPUS

# The releases' PDFs (born-digital printouts, agency OCR, scans with a text layer) and the
# parser-breaking samples whose pages can be read at all.
CORPUS_PDFS = sorted(
    path.relative_to(CORPUS)
    for folder in ("dc-bega-emails", "palin-email-pdfs", "bad-pdfs")
    for path in (CORPUS / folder).rglob("*")
    if path.suffix.lower() == ".pdf"
)


def pdfminer_pages(path: Path) -> list[tuple]:
    """Each page's lines, words and scan flag from pdfminer's layout analysis (LTPage), with
    the parameters the import read with before it had its own reader."""
    pages = []
    with open(path, "rb") as stream:
        manager = PDFResourceManager(caching=True)
        device = PDFPageAggregator(manager, laparams=LAParams(boxes_flow=None, all_texts=True))
        interpreter = PDFPageInterpreter(manager, device)
        for page in pdf_text._pages(pdf_text._document(stream)):
            interpreter.process_page(page)
            layout = device.get_result()
            lines = list(_inside(layout, LTTextLineHorizontal))
            text = lines_in_reading_order(
                (line.y0, line.y1, line.x0, read)
                for line in lines
                if (read := readable(line.get_text()).strip())
            )
            area = max(layout.width * layout.height, 1.0)
            scanned = any(
                i.width * i.height >= SCAN_COVERAGE * area for i in _inside(layout, LTImage)
            )
            pages.append((tuple(text), sorted(_words(layout, lines)), scanned))
    return pages


def _inside(item, kind):
    """The objects of ``kind`` in a layout object, looking into its boxes and figures."""
    for child in item:
        if isinstance(child, kind):
            yield child
        elif isinstance(child, LTContainer):
            yield from _inside(child, kind)


def _words(layout, lines) -> list[tuple]:
    left, bottom, right, top = layout.bbox
    width, height = max(right - left, 1.0), max(top - bottom, 1.0)
    words = []
    for line in lines:
        run = []
        for item in [*line, None]:
            if isinstance(item, LTChar) and not item.get_text().isspace():
                run.append(item)
                continue
            text = readable("".join(char.get_text() for char in run)).strip()
            if text:
                words.append(
                    (
                        round((min(char.x0 for char in run) - left) / width, 4),
                        round((top - max(char.y1 for char in run)) / height, 4),
                        round((max(char.x1 for char in run) - left) / width, 4),
                        round((top - min(char.y0 for char in run)) / height, 4),
                        text,
                    )
                )
            run = []
    return words


def ours(path: Path) -> list[tuple]:
    return [(p.lines, sorted(p.words), p.scanned) for p in extract_pages(path)]


def readable_by_pdfminer(path: Path) -> list[tuple] | None:
    try:
        return pdfminer_pages(path)
    except Exception:
        return None  # a sample pdfminer cannot read: the import reports it (test_import_corpus)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside the checkout")
@pytest.mark.parametrize("name", CORPUS_PDFS, ids=str)
def test_corpus_pdf_reads_as_pdfminer_layout_reads_it(name):
    expected = readable_by_pdfminer(CORPUS / name)
    if expected is None:
        with pytest.raises(PdfError):
            ours(CORPUS / name)
    else:
        assert ours(CORPUS / name) == expected


def test_generated_production_reads_as_pdfminer_layout_reads_it(tmp_path):
    path = tmp_path / "production.pdf"
    write_generated_production(path, 12, mixed=True)  # the three print styles, quoting
    expected = pdfminer_pages(path)
    assert len(expected) > 10 and any(words for _, words, _ in expected)
    assert ours(path) == expected


def test_a_worker_reading_task_after_task_gives_what_one_pass_gives(tmp_path):
    path = tmp_path / "production.pdf"
    write_generated_production(path, 12, mixed=True)
    whole = list(extract_pages(path))
    tasks = [[1, 2, 3], [4, 5], [9, 10], [6, 7, 8], [1]]  # forward, a gap, then back again
    read = [page for task in tasks for page in extract_page_list(str(path), task)]
    by_number = {page.number: page for page in whole}
    assert read == [by_number[number] for task in tasks for number in task]


def test_a_task_after_a_damaged_page_reads_its_own_pages(tmp_path):
    path = tmp_path / "production.pdf"
    write_generated_production(path, 6, mixed=True)
    whole = list(extract_pages(path))
    damaged = tmp_path / "damaged.pdf"
    # The second page's content stream declares a filter no reader knows.
    second = path.read_bytes().index(b"\n13 0 obj\n<<")
    data = path.read_bytes()
    broken = data[second:].replace(b"/Length", b"/Filter /Nonsense /Length", 1)
    damaged.write_bytes(data[:second] + broken)
    with pytest.raises(PdfError, match="page 2 cannot be read"):
        extract_page_list(str(damaged), [1, 2])
    assert extract_page_list(str(damaged), [3, 4]) == whole[2:4]
