"""Page text from a PDF with pdfminer.six, one line per printed line.

pdfminer's line detection (applied by pdf_lines, without its layout objects) cuts an Outlook
memo's header into a column of labels ("From:", "Sent:", "To:") and a column of values, as
they are drawn apart. We rejoin the text lines that share a baseline, left to right, so
"From: Name" stays one line.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import BinaryIO

from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import PDFStream, resolve1
from pdfminer.utils import decode_text

from documents.ingest.pdf_lines import LineReader, PageText

# Two text lines belong to one printed line when their vertical centres are this close, as a
# fraction of the taller line's height. Label and value cells of one header row differ by a
# point or two; consecutive lines of text by a full line height.
SAME_LINE_TOLERANCE = 0.5
# A vertical gap wider than this many line heights between two printed lines is a paragraph break.
PARAGRAPH_GAP = 1.0
# pdfminer keeps every object it reads, decoded page content streams included, for the life of
# the document; keeping only the most recent ones holds memory flat on long productions. Fonts
# are cached apart, by the resource manager.
CACHED_OBJECTS = 1000
# A page with fewer printable characters than this has no usable text layer.
MIN_TEXT_CHARS = 20


# pdfminer writes "(cid:N)" for a glyph it cannot map to a character. What N means depends on the
# font; these few are safe to read (tabs and spaces, bullets in symbol fonts), the rest are
# dropped so that no residue reaches a sender, subject or body ("(cid:9) Fw: County update").
_CID = re.compile(r"\(cid:(\d+)\)")
CID_SPACES = frozenset({9, 10, 13, 32, 160})
CID_BULLETS = frozenset({149, 183, 8226, 61623, 61607, 61548})
# Ligature characters some fonts map to: "ﬁle" reads "file".
_LIGATURES = str.maketrans(
    {
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
        "\ufb05": "st",
        "\ufb06": "st",
    }
)


def readable(text: str) -> str:
    """Text as pdfminer gives it, without glyph residue and ligature characters."""
    if "(cid:" in text:
        text = re.sub(r" {2,}", " ", _CID.sub(_cid_text, text))
    return text.translate(_LIGATURES)


def _cid_text(match: re.Match) -> str:
    code = int(match.group(1))
    if code in CID_SPACES:
        return " "
    return "• " if code in CID_BULLETS else ""


class PdfError(Exception):
    """The PDF cannot be read; the message says why in words an admin understands."""


class PdfEncrypted(PdfError):
    pass


# A word and where it is printed: (x0, y0, x1, y1, text), the box in fractions of the page as
# displayed with its origin at the top left; an OCR'd word adds Tesseract's confidence (0-100).
Word = tuple


# An image covering this share of a page makes it a scan (its text layer, if any, is OCR).
SCAN_COVERAGE = 0.8


@dataclass(frozen=True)
class PdfPage:
    number: int  # 1-based
    lines: tuple[str, ...]
    words: tuple[Word, ...] = ()
    scanned: bool = False  # the page is an image: a text layer on it is someone's OCR

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def has_text(self) -> bool:
        return sum(len(line.strip()) for line in self.lines) >= MIN_TEXT_CHARS


def count_pages(source: str | Path | bytes) -> int:
    with _open(source) as stream:
        return sum(1 for _ in _pages(_document(stream)))


def extract_pages(
    source: str | Path | bytes, numbers: Iterable[int] | None = None
) -> Iterator[PdfPage]:
    """Yield the pages (1-based ``numbers``, all by default) in order; nothing is kept in memory."""
    reader = PdfReader(source)
    try:
        yield from reader.read(numbers)
    finally:
        reader.close()


class PdfReader:
    """A PDF open for reading its pages forward, from where the last read stopped."""

    def __init__(self, source: str | Path | bytes):
        self._stream = _open(source)
        try:
            document = _document(self._stream)
        except BaseException:
            self._stream.close()
            raise
        manager = PDFResourceManager(caching=True)
        self._device = LineReader(manager)
        self._interpreter = PDFPageInterpreter(manager, self._device)
        self._pages = _pages(document)
        self.next_number = 1

    def read(self, numbers: Iterable[int] | None = None) -> Iterator[PdfPage]:
        """The pages of ``numbers`` not yet passed (all of them when None), in order."""
        wanted = None if numbers is None else set(numbers)
        last = None if wanted is None else max(wanted, default=0)
        while last is None or self.next_number <= last:
            page = next(self._pages, None)
            if page is None:
                return
            number = self.next_number
            self.next_number += 1
            if wanted is not None and number not in wanted:
                continue
            try:
                self._interpreter.process_page(page)
            except Exception as error:  # pdfminer raises many types on damaged content
                raise PdfError(f"page {number} cannot be read: {_describe(error)}") from error
            text = self._device.page
            yield PdfPage(number, tuple(page_lines(text)), tuple(page_words(text)), is_scan(text))

    def close(self) -> None:
        self._stream.close()


def is_portfolio(source: str | Path | bytes) -> bool:
    """A PDF portfolio: its pages are a cover sheet, its content the files embedded in it."""
    try:
        with _open(source) as stream:
            return "Collection" in _document(stream).catalog
    except Exception:
        return False


def embedded_files(source: str | Path | bytes) -> dict[str, bytes]:
    """The files embedded in a PDF (a PDF portfolio holds its emails this way), by name; empty
    for a plain or unreadable PDF."""
    try:
        with _open(source) as stream:
            names = resolve1(_document(stream).catalog.get("Names"))
            tree = resolve1(names.get("EmbeddedFiles")) if isinstance(names, dict) else None
            return dict(_name_tree_files(tree, depth=0)) if isinstance(tree, dict) else {}
    except Exception:  # a damaged name tree hides no email the pages do not show
        return {}


def _name_tree_files(node: dict, depth: int) -> Iterator[tuple[str, bytes]]:
    if depth > 20:
        return  # a loop in the tree
    pairs = resolve1(node.get("Names", []))
    for index in range(0, len(pairs) - 1, 2):
        spec = resolve1(pairs[index + 1])
        files = resolve1(spec.get("EF", {})) if isinstance(spec, dict) else {}
        stream = resolve1(files.get("UF") or files.get("F")) if isinstance(files, dict) else None
        if isinstance(stream, PDFStream):
            name = spec.get("UF") or spec.get("F") or pairs[index]
            yield decode_text(name) if isinstance(name, bytes) else str(name), stream.get_data()
    for kid in resolve1(node.get("Kids", [])):
        kid = resolve1(kid)
        if isinstance(kid, dict):
            yield from _name_tree_files(kid, depth + 1)


# The PDF a worker process reads, kept open between its tasks (see extract_page_list).
_HELD: dict[str, PdfReader] = {}


def extract_page_list(source: str, numbers: list[int]) -> list[PdfPage]:
    """Some pages of a PDF, for a worker process (which imports no Django).

    A pool hands each worker its tasks in page order, so the worker keeps the PDF open and
    goes on from where its last task stopped: opening it for each task would walk the page
    tree from the first page every time, which on a long production costs as much as
    reading the pages."""
    reader = _HELD.get(source)
    if reader is None or reader.next_number > min(numbers):
        for held in _HELD.values():
            held.close()
        _HELD.clear()
        reader = _HELD[source] = PdfReader(source)
    return list(reader.read(numbers))  # past a damaged page: the next task reads on


def page_lines(page: PageText) -> list[str]:
    """The page's text lines, top to bottom, with lines on one baseline joined left to right."""
    return lines_in_reading_order(
        (line.y0, line.y1, line.x0, text)
        for line in page.lines
        if (text := readable(line.text).strip())
    )


def is_scan(page: PageText) -> bool:
    """Whether one image covers most of the page, as a scanner's does."""
    area = max(page.width * page.height, 1.0)
    return any(image >= SCAN_COVERAGE * area for image in page.image_areas)


def page_words(page: PageText) -> Iterator[Word]:
    """The page's words with their boxes (see Word): runs of printed characters between spaces,
    so that a page viewer can mark a hit on the page image."""
    width, height = max(page.width, 1.0), max(page.height, 1.0)
    for line in page.lines:
        run: list = []
        for glyph in [*line.glyphs, None]:  # None, a gap read as a space, ends a run
            if glyph is not None and not glyph[4].isspace():
                run.append(glyph)
                continue
            text = readable("".join(glyph[4] for glyph in run)).strip()
            if text:
                x0s, y0s, x1s, y1s, _ = zip(*run, strict=True)
                yield (
                    round(min(x0s) / width, 4),
                    round((height - max(y1s)) / height, 4),
                    round(max(x1s) / width, 4),
                    round((height - min(y0s)) / height, 4),
                    text,
                )
            run = []


def lines_in_reading_order(pieces: Iterable[tuple[float, float, float, str]]) -> list[str]:
    """Pieces of text, (bottom, top, left, text) with y growing upwards as in PDF, to lines top
    to bottom; pieces on one baseline are one line, joined left to right (an Outlook header's
    label and its value), and "" marks a gap of more than a line: a paragraph break."""
    ordered = sorted(pieces, key=lambda piece: (-(piece[0] + piece[1]) / 2, piece[2]))
    rows: list[list[tuple[float, float, float, str]]] = []
    for piece in ordered:
        if rows and _same_row(rows[-1][0], piece):
            rows[-1].append(piece)
        else:
            rows.append([piece])
    lines: list[str] = []
    previous_bottom = None
    for row in rows:
        top = max(piece[1] for piece in row)
        height = max(piece[1] - piece[0] for piece in row)
        if previous_bottom is not None and previous_bottom - top > height * PARAGRAPH_GAP:
            lines.append("")
        lines.append(" ".join(text for *_, text in sorted(row, key=lambda p: p[2])))
        previous_bottom = min(piece[0] for piece in row)
    return lines


def _same_row(first: tuple, other: tuple) -> bool:
    height = max(first[1] - first[0], other[1] - other[0], 1.0)
    return (
        abs((first[0] + first[1]) / 2 - (other[0] + other[1]) / 2) <= height * SAME_LINE_TOLERANCE
    )


def _open(source: str | Path | bytes) -> BinaryIO:
    return BytesIO(source) if isinstance(source, bytes) else open(source, "rb")  # noqa: SIM115


class _RecentObjects(OrderedDict):
    """A bounded stand-in for PDFDocument's object cache: the oldest entries leave first."""

    def __setitem__(self, key, value) -> None:
        super().__setitem__(key, value)
        if len(self) > CACHED_OBJECTS:
            self.popitem(last=False)


def _document(stream) -> PDFDocument:
    try:
        document = PDFDocument(PDFParser(stream))
    except PDFPasswordIncorrect as error:
        raise PdfEncrypted("encrypted: the PDF needs a password to open") from error
    except PDFEncryptionError as error:
        raise PdfEncrypted(f"encrypted with a scheme pdfminer cannot read ({error})") from error
    except Exception as error:
        raise PdfError(f"not a readable PDF: {_describe(error)}") from error
    document._cached_objs = _RecentObjects(document._cached_objs)
    return document


def _pages(document: PDFDocument) -> Iterator[PDFPage]:
    pages = PDFPage.create_pages(document)
    while True:
        try:
            page = next(pages)
        except StopIteration:
            return
        except Exception as error:
            raise PdfError(f"the page tree cannot be read: {_describe(error)}") from error
        yield page


def _describe(error: BaseException) -> str:
    text = str(error).strip()
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
