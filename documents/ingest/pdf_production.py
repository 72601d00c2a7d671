"""One PDF file to a ParsedFile: pages with their furniture as data, and the emails printed.

Two passes keep memory flat however long the production is. The first extracts the pages into
a temporary file while it counts the lines printed at page edges (running headers and footers are
only known once every page is seen); the second cleans the pages one by one and segments them
into emails as ``items`` is read.
"""

from __future__ import annotations

import json
import tempfile
import threading
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import tzinfo
from pathlib import Path
from typing import IO

from documents.ingest.furniture import (
    CleanPage,
    bates_prefixes,
    clean_page,
    edge_shapes,
    repeated_shapes,
    usual_spelling,
)
from documents.ingest.line_reread import reread_subjects
from documents.ingest.ocr import NO_OCR, OcrError, OcrOptions, needs_ocr, ocr_page, ocr_status
from documents.ingest.pdf_text import (
    PdfEncrypted,
    PdfError,
    PdfPage,
    extract_pages,
    is_portfolio,
)
from documents.ingest.production import emails_from_pages
from documents.ingest.records import Email, OtherDocument, PageRecord, ParsedFile
from documents.ingest.searchable_pdf import TextLayers


def parse_pdf(
    source: str | Path | bytes,
    zone: str | tzinfo,
    pages: Iterable[PdfPage] | None = None,
    ocr: OcrOptions = NO_OCR,
) -> ParsedFile:
    """Parse a PDF production. ``pages`` may come from worker processes; by default they are
    extracted here, one at a time. A page without a usable text layer is OCR'd as ``ocr`` says
    (a stored file only: OCR reads the page's image from it)."""
    spill = tempfile.TemporaryFile()  # noqa: SIM115 (closed when the items have been read)
    shapes: Counter[str] = Counter()
    prefixes: Counter[str] = Counter()  # of Bates stamps, as the pages spell them
    count = 0
    reader = _OcrReader(source, ocr)
    try:
        for page, confidence in reader.read_all(extract_pages(source) if pages is None else pages):
            row = [page.number, page.lines, confidence, page.words]
            spill.write(json.dumps(row).encode() + b"\n")
            if confidence is not None and ocr.on_page:
                ocr.on_page()
            shapes.update(edge_shapes(page.lines))
            prefixes.update(bates_prefixes(page.lines))
            count += 1
        searchable = reader.searchable_copy()
    except PdfError as error:
        spill.close()
        status = "encrypted" if isinstance(error, PdfEncrypted) else "failed"
        return ParsedFile("pdf", status=status, error=str(error))
    finally:
        reader.layers.close()
    if not count:
        spill.close()
        return ParsedFile("pdf", status="failed", error="the PDF has no pages")
    parsed = ParsedFile("pdf", warnings=reader.warnings, searchable_pdf=searchable)
    repeated = repeated_shapes(shapes, count)
    parsed.items = _Production(parsed, spill, repeated, prefixes, zone, source).items()
    return parsed


class _OcrReader:
    """OCR for the pages that need it: the text layer kept where it is usable, the page's image
    read by Tesseract where it is missing (or, in force mode, garbled). Without Tesseract the
    pages stay "needs OCR" and the file says why, once."""

    def __init__(self, source, options: OcrOptions):
        self.path = Path(source) if isinstance(source, str | Path) else None
        self.options = options
        self.warnings: list[str] = []
        self.available: bool | None = None  # asked once, when a page first needs OCR
        self.asking = threading.Lock()
        self.layers = TextLayers()

    def read_all(self, pages: Iterable[PdfPage]) -> Iterator[tuple[PdfPage, float | None]]:
        """The pages in order, as ``read`` gives them; with several workers, the pages ahead
        are OCR'd at once (Tesseract runs in processes of its own, so threads suffice)."""
        workers = self.options.workers
        if workers <= 1 or self.path is None or self.options.mode == "never":
            yield from map(self.read, pages)
            return
        with ThreadPoolExecutor(workers, thread_name_prefix="ocr") as pool:
            ahead: deque = deque()
            for page in pages:
                ahead.append(pool.submit(self.read, page))
                if len(ahead) > 2 * workers:
                    yield ahead.popleft().result()
            while ahead:
                yield ahead.popleft().result()

    def read(self, page: PdfPage) -> tuple[PdfPage, float | None]:
        if self.path is None:
            return page, None
        unread = needs_ocr(page.text, self.options.mode)
        scanned_with_a_layer = page.scanned and not unread
        if not unread and not scanned_with_a_layer:
            return page, None
        if self.options.mode == "never" or not self._available():
            return page, None
        if scanned_with_a_layer:  # someone else's OCR: its subject lines are read again
            try:
                return reread_subjects(page, self.path, self.options.language), None
            except OcrError as error:
                self.warnings.append(f"OCR failed: {error}")
                return page, None
        try:
            read = ocr_page(self.path, page.number, language=self.options.language)
        except OcrError as error:
            self.warnings.append(f"OCR failed: {error}")
            return page, None
        if not read.text.strip():
            return page, None  # a blank page: nothing for OCR either
        self.layers.add(page.number, read.text_layer)
        words = tuple((w.x0, w.y0, w.x1, w.y1, w.text, w.confidence) for w in read.words)
        return PdfPage(page.number, read.lines, words), read.confidence

    def _available(self) -> bool:
        """Whether Tesseract runs here: asked once, when a page first needs it."""
        with self.asking:
            if self.available is None:
                status = ocr_status()
                self.available = status.available
                if not status.available:
                    self.warnings.append(status.message)
        return self.available

    def searchable_copy(self) -> Path | None:
        """The PDF with the OCR text over its OCR'd pages (a temporary file), or None; a copy
        that cannot be made is a warning, never a lost file."""
        try:
            return self.layers.searchable_copy(self.path) if self.path else None
        except Exception as error:
            self.warnings.append(f"no searchable copy with the OCR text could be made: {error}")
            return None


class _Production:
    """The second pass: pages cleaned one by one, emails yielded after the pages they are on."""

    def __init__(self, parsed: ParsedFile, spill: IO[bytes], repeated, prefixes, zone, source):
        self.parsed, self.spill, self.repeated, self.zone = parsed, spill, repeated, zone
        self.prefixes = prefixes
        self.source = source
        self.pending: list[PageRecord] = []
        self.pages = self.ocr = self.withheld = 0

    def items(self) -> Iterator[PageRecord | Email | OtherDocument]:
        found = 0
        with self.spill:
            for printed in emails_from_pages(self._text_pages(), self.zone):
                yield from self._flush()
                found += 1
                yield printed
            yield from self._flush()
        self._conclude(found)

    def _text_pages(self) -> Iterator[CleanPage]:
        self.spill.seek(0)
        for row in self.spill:
            number, lines, confidence, words = json.loads(row)
            page = PdfPage(number, tuple(lines))
            clean = clean_page(number, page.lines, self.repeated)
            self.pending.append(
                PageRecord(
                    number=number,
                    text=page.text,
                    bates=usual_spelling(clean.bates, self.prefixes),
                    needs_ocr=not page.has_text,
                    withheld=clean.withheld,
                    withheld_exemptions=clean.withheld_exemptions,
                    stamps=clean.stamps,
                    ocr_confidence=confidence,
                    words=words,
                )
            )
            self.pages += 1
            self.ocr += not page.has_text
            self.withheld += clean.withheld
            if page.has_text:
                yield clean

    def _flush(self) -> Iterator[PageRecord]:
        yield from self.pending
        self.pending.clear()

    def _conclude(self, found: int) -> None:
        """``found``: the emails and other documents read from the file."""
        parsed, ocr, pages = self.parsed, self.ocr, self.pages
        if ocr == pages:
            parsed.status = "needs_ocr"
            parsed.error = f"no text layer on any of its {pages} pages: it needs OCR"
        elif not found and not self.withheld:
            if ocr:
                parsed.status = "needs_ocr"
                parsed.error = (
                    f"{ocr} of {pages} pages have no text layer and the others hold no email"
                )
            elif is_portfolio(self.source):
                parsed.warnings.append(
                    "a PDF portfolio: its pages hold no email; the files embedded in it are "
                    "imported on their own"
                )
            else:
                parsed.status = "failed"
                parsed.error = (
                    f"nothing found to keep: none of its {pages} pages of text has an email "
                    "header (From / Sent / To / Subject) or enough text to be a document"
                )
        elif ocr:
            parsed.warnings.append(f"{ocr} of {pages} pages have no text layer and need OCR")
