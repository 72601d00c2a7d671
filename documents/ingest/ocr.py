"""OCR of PDF pages with Tesseract: text lines, mean word confidence and word boxes per page.

No Django here, so a worker process can run it. Each page is rendered by poppler's ``pdftoppm``
to a grey PGM and read by one ``tesseract`` process (one thread: OMP_THREAD_LIMIT=1) writing TSV
and the page's invisible text as a PDF, which searchable_pdf lays over the scanned page.

Why plain Tesseract and not OCRmyPDF (measured on 10 generated 200 dpi scanned email pages, one
worker, on a machine of 2 shared cores): this module took 1.4 s per page at 300 dpi; OCRmyPDF
(-j 1, --output-type pdf, -O 0, --oversample 300) took 1.9 s per page (1.37x) without giving
word boxes or confidences, and 3.2-3.4 s with --rotate-pages, which runs OSD on every page. At
the scans' own 200 dpi: 1.0 s against 1.25 s. Pages are read with ``--psm 3`` (automatic
layout); only a page read badly is read again with ``--psm 1`` (orientation detection), so
sideways and upside-down pages are handled without every page paying for OSD. Tesseract finds
the lines of a page skewed by a degree or two itself; no deskew step is needed for the text.

Word boxes are page-relative: fractions of the page's width and height as displayed (its
/Rotate applied), origin at the top left (x0, y0, x1, y1 in 0..1), so they fit the page image
at any size and do not depend on the rendering resolution. On a page scanned sideways they are
where the words are on that sideways image.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from documents.ingest.pdf_text import lines_in_reading_order

OCR_MODES = ("auto", "force", "never")
DEFAULT_LANGUAGE = "eng"
# Tesseract reads print best at about 300 dpi (smaller text suffers at 200).
DEFAULT_DPI = 300
# Seconds one Tesseract run may take on one page before it is stopped (it can hang on a bad
# image); rendering one page gets its own limit.
PAGE_TIME_LIMIT = 180.0
RENDER_TIME_LIMIT = 60.0
# Seconds for `tesseract --version` and `--list-langs`.
PROBE_TIME_LIMIT = 20.0
# A page read upright with a mean word confidence under this is read again with orientation
# detection (--psm 1): a sideways or upside-down page reads as low-confidence gibberish.
REREAD_BELOW_CONFIDENCE = 60.0
# Words of at least this many characters tell which way a page's text runs.
UPRIGHT_WORD_LENGTH = 3
# Page segmentation modes: automatic layout; the same with orientation and script detection;
# a single line of text.
PSM_AUTO = "3"
PSM_AUTO_WITH_ORIENTATION = "1"
PSM_LINE = "7"
# A line read again is cut from the page with this margin above and below, in line heights,
# and this much room to its left, as a share of the page's width.
LINE_MARGIN = 0.4
LINE_LEFT_ROOM = 0.01
# Same as pdf_text: fewer printable characters than this is no usable text layer.
MIN_TEXT_CHARS = 20
# A text layer whose word-like characters make up less than this share of its characters is
# bad (an agency's garbled OCR, or glyphs without a character mapping): `force` redoes it.
MIN_WORDLIKE_SHARE = 0.6
# A "word" of no letter or digit no larger than this many points either way is a speck of dust
# or toner that Tesseract read as a dash or a dot; it is left out of the text.
SPECK_POINTS = 2.0
# Language names as Tesseract spells them: "eng", "chi_sim", "script/Latin".
_LANGUAGE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*(/[A-Za-z][A-Za-z0-9_]*)?")

MISSING_TESSERACT = "OCR unavailable: install tesseract-ocr"
MISSING_PDFTOPPM = "OCR unavailable: install poppler-utils (pdftoppm)"


@dataclass(frozen=True)
class OcrOptions:
    """How a batch OCRs: ``mode`` one of OCR_MODES (auto: pages without a usable text layer;
    force: also pages whose text layer is garbled; never), ``language`` as check_languages
    returns it, ``workers`` pages OCR'd at once (one Tesseract process, one thread, each)."""

    mode: str = "auto"
    language: str = DEFAULT_LANGUAGE
    workers: int = 1
    # Called once for each page OCR'd, for a progress display.
    on_page: Callable[[], None] | None = field(default=None, compare=False)


NO_OCR = OcrOptions(mode="never")


class OcrError(Exception):
    """OCR of a page failed; the message names the page and says why."""


class OcrUnavailable(OcrError):
    """Tesseract or pdftoppm is not installed: files stay "needs OCR"."""


class OcrLanguageError(OcrError):
    """The requested OCR languages are not installed or not language names."""


class OcrTimeout(OcrError):
    """A page took longer than its time limit."""


@dataclass(frozen=True)
class OcrStatus:
    """Whether OCR can run here, for the import, /healthz and `make run`."""

    available: bool
    message: str  # "" when available, else what to install
    version: str = ""  # "5.3.0"
    languages: frozenset[str] = frozenset()  # installed language data, "osd" included

    @property
    def summary(self) -> str:
        """One line for people: what runs, or what to install."""
        if not self.available:
            return self.message
        return (
            f"available (Tesseract {self.version}; languages {', '.join(sorted(self.languages))})"
        )


@dataclass(frozen=True)
class OcrWord:
    text: str
    confidence: float  # 0-100, Tesseract's
    # Page-relative box: fractions of the page's width and height, origin at the top left.
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class OcrPage:
    """One OCR'd page, its lines shaped like pdf_text.PdfPage's ("" between paragraphs)."""

    number: int  # 1-based
    lines: tuple[str, ...]
    confidence: float  # mean word confidence, 0-100; 0 for a page without words
    words: tuple[OcrWord, ...]
    # Tesseract's invisible text for the page as a one-page PDF, to lay over the scanned page
    # (see searchable_pdf); b"" where Tesseract wrote none.
    text_layer: bytes = field(default=b"", repr=False, compare=False)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def ocr_status() -> OcrStatus:
    """Find Tesseract and pdftoppm on PATH and ask Tesseract its version and languages."""
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        return OcrStatus(False, MISSING_TESSERACT)
    if shutil.which("pdftoppm") is None:
        return OcrStatus(False, MISSING_PDFTOPPM)
    try:
        version = _probe(tesseract, "--version")
        listing = _probe(tesseract, "--list-langs")
    except (OSError, subprocess.SubprocessError) as error:
        return OcrStatus(False, f"OCR unavailable: tesseract does not run ({error})")
    # "tesseract 5.3.0" first; then a header line and one language per line.
    words = version.split()
    languages = frozenset(line.strip() for line in listing.splitlines()[1:] if line.strip())
    return OcrStatus(True, "", words[1] if len(words) > 1 else "", languages)


def check_languages(language: str, status: OcrStatus | None = None) -> str:
    """The language string ("eng", "eng+deu") normalized, or an error naming what is wrong or
    missing (its spelling is checked first, so also where Tesseract is not installed)."""
    names = [name.strip() for name in language.split("+") if name.strip()]
    if not names:
        raise OcrLanguageError("no OCR language given (for example eng, or eng+deu)")
    malformed = [name for name in names if not _LANGUAGE_NAME.fullmatch(name)]
    if malformed:
        raise OcrLanguageError(f"not an OCR language name: {', '.join(malformed)}")
    status = status or ocr_status()
    if not status.available:
        raise OcrUnavailable(status.message)
    missing = [name for name in names if name not in status.languages]
    if missing:
        # Debian names its language packages so: tesseract-ocr-deu, tesseract-ocr-chi-sim.
        packages = ", ".join(
            "tesseract-ocr-" + name.lower().replace("_", "-").replace("/", "-") for name in missing
        )
        installed = ", ".join(sorted(status.languages)) or "none"
        raise OcrLanguageError(
            f"OCR language not installed: {', '.join(missing)} (installed: {installed}); "
            f"install {packages}"
        )
    return "+".join(dict.fromkeys(names))


def needs_ocr(text: str, mode: str = "auto") -> bool:
    """Whether a page with this extracted text is OCR'd: in ``auto`` when it has no usable text
    layer, in ``force`` also when its text layer is mostly not words, never in ``never``."""
    if mode not in OCR_MODES:
        raise ValueError(f"OCR mode must be one of {', '.join(OCR_MODES)}, not {mode!r}")
    if mode == "never":
        return False
    if sum(not char.isspace() for char in text) < MIN_TEXT_CHARS:
        return True
    return mode == "force" and wordlike_share(text) < MIN_WORDLIKE_SHARE


# A word as printed: letters with inner apostrophes or hyphens ("county's", "opt-out"), a number,
# time, date or amount ("4:12", "09/28/2010", "$1,200.50"), or an email address or domain.
_WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")
_NUMBER = re.compile(r"[$#]?\d+(?:[.,:/-]\d+)*%?(?:st|nd|rd|th|am|pm)?", re.IGNORECASE)
_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?:[\w-]+\.)+(?:gov|com|org|net|us|edu)")
_EDGE_PUNCTUATION = "\"'“”‘’()[]<>{},.;:!?*"
_VOWELS = frozenset("aeiouyAEIOUY")


def wordlike_share(text: str) -> float:
    """The share of a text's characters (outside spaces) in tokens that look like words.

    A letters-only token is word-like when it has a vowel (or is at most three letters: "Mr",
    "FW", "PM") and is cased as words are (lower, Capitalized or UPPER). Garbled OCR and unmapped
    glyphs fail this ("c0unty", "tHe", "¢§~", "Qxzkrt") far more often than English does.
    """
    total = wordlike = 0
    for token in text.split():
        total += len(token)
        core = token.strip(_EDGE_PUNCTUATION)
        if core and _is_wordlike(core):
            wordlike += len(token)
    return wordlike / total if total else 0.0


def _is_wordlike(token: str) -> bool:
    if _NUMBER.fullmatch(token) or _ADDRESS.fullmatch(token):
        return True
    if not _WORD.fullmatch(token):
        return False
    letters = token.replace("'", "").replace("’", "").replace("-", "")
    capitalized = letters[0].isupper() and letters[1:].islower()
    cased = letters.islower() or letters.isupper() or capitalized
    return cased and (len(letters) <= 3 or not _VOWELS.isdisjoint(letters))


def ocr_pages(
    path: str | Path,
    numbers: Iterable[int],
    language: str = DEFAULT_LANGUAGE,
    dpi: int = DEFAULT_DPI,
    timeout: float = PAGE_TIME_LIMIT,
) -> Iterator[OcrPage]:
    """OCR the given pages (1-based) of a PDF, one at a time; each page image is deleted once
    read. ``language`` as check_languages returns it (checked once per batch, not per page).
    Raises OcrUnavailable, OcrTimeout or OcrError naming the page."""
    tools = _tools()
    with tempfile.TemporaryDirectory(prefix="foia-ocr-") as folder:
        for number in numbers:
            yield _ocr_page(tools, Path(path), number, language, dpi, timeout, Path(folder))


def ocr_page(
    path: str | Path,
    number: int,
    language: str = DEFAULT_LANGUAGE,
    dpi: int = DEFAULT_DPI,
    timeout: float = PAGE_TIME_LIMIT,
) -> OcrPage:
    """OCR one page of a PDF: the unit of work for a pool of worker processes."""
    tools = _tools()
    with tempfile.TemporaryDirectory(prefix="foia-ocr-") as folder:
        return _ocr_page(tools, Path(path), number, language, dpi, timeout, Path(folder))


def read_lines(
    path: str | Path,
    number: int,
    boxes: list[tuple[float, float, float, float]],
    language: str = DEFAULT_LANGUAGE,
    dpi: int = DEFAULT_DPI,
    timeout: float = PAGE_TIME_LIMIT,
) -> list[list[tuple[str, float]]]:
    """Lines of a page read again from its image: each box (x0, y0, x1, y1 as fractions of the
    page, like word boxes) is cut out with a margin, to the page's right edge, and read by
    Tesseract as one line. Its words and their confidences (0-100), box by box."""
    tesseract, pdftoppm = _tools()
    read = []
    with tempfile.TemporaryDirectory(prefix="foia-ocr-") as folder:
        page = _render(pdftoppm, Path(path), number, dpi, Path(folder))
        for index, box in enumerate(boxes):
            line = _cut(page, box, Path(folder) / f"line-{index}.pgm")
            command = [tesseract, str(line), "stdout", "-l", language, "--dpi", str(dpi)]
            result = _run([*command, "--psm", PSM_LINE, "tsv"], number, timeout, "Tesseract")
            read.append(
                [
                    (row["text"].strip(), max(float(row["conf"]), 0.0))
                    for row in _tsv_rows(result.stdout)
                    if row["level"] == "5" and (row["text"] or "").strip()
                ]
            )
    return read


def _cut(image: Path, box: tuple[float, float, float, float], target: Path) -> Path:
    """The band of the page image around ``box``, from a little left of it to the right edge."""
    x0, y0, x1, y1 = box
    margin = (y1 - y0) * LINE_MARGIN
    with Image.open(image) as page:
        width, height = page.size
        band = (
            max(0, int((x0 - LINE_LEFT_ROOM) * width)),
            max(0, int((y0 - margin) * height)),
            width,
            min(height, int((y1 + margin) * height) + 1),
        )
        page.crop(band).save(target)
    return target


def _tsv_rows(tsv: str) -> list[dict]:
    return list(csv.DictReader(tsv.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE))


def _tools() -> tuple[str, str]:
    tesseract, pdftoppm = shutil.which("tesseract"), shutil.which("pdftoppm")
    if tesseract is None:
        raise OcrUnavailable(MISSING_TESSERACT)
    if pdftoppm is None:
        raise OcrUnavailable(MISSING_PDFTOPPM)
    return tesseract, pdftoppm


def _ocr_page(
    tools: tuple[str, str],
    path: Path,
    number: int,
    language: str,
    dpi: int,
    timeout: float,
    folder: Path,
) -> OcrPage:
    tesseract, pdftoppm = tools
    image = _render(pdftoppm, path, number, dpi, folder)
    try:
        page = _read(tesseract, image, number, language, dpi, timeout, PSM_AUTO)
        if page.words and page.confidence < REREAD_BELOW_CONFIDENCE:
            turned = _read(
                tesseract, image, number, language, dpi, timeout, PSM_AUTO_WITH_ORIENTATION
            )
            page = max(page, turned, key=lambda candidate: candidate.confidence)
    finally:
        image.unlink(missing_ok=True)
    return page


def _render(pdftoppm: str, path: Path, number: int, dpi: int, folder: Path) -> Path:
    """The page as a grey PGM: uncompressed, so written and read fastest (PNG costs ~8x more)."""
    prefix = folder / f"page-{number}"
    command = [pdftoppm, "-r", str(dpi), "-gray", "-f", str(number), "-l", str(number)]
    result = _run([*command, "-singlefile", str(path), str(prefix)], number, RENDER_TIME_LIMIT)
    image = prefix.with_suffix(".pgm")
    if not image.exists():
        raise OcrError(f"page {number}: pdftoppm gave no image: {_tail(result.stderr)}")
    return image


def _read(
    tesseract: str,
    image: Path,
    number: int,
    language: str,
    dpi: int,
    timeout: float,
    psm: str,
) -> OcrPage:
    """The page as Tesseract reads it in one page segmentation mode, from its TSV output, with
    its text-only PDF (written in the same run, at no cost worth measuring)."""
    base = image.with_name(f"{image.stem}-psm{psm}")
    # A PGM carries no resolution: without --dpi Tesseract guesses one from the text size.
    command = [tesseract, str(image), str(base), "-l", language, "--dpi", str(dpi)]
    outputs = ["-c", "textonly_pdf=1", "tsv", "pdf"]
    result = _run([*command, "--psm", psm, *outputs], number, timeout, program="Tesseract")
    table, layer = base.with_suffix(".tsv"), base.with_suffix(".pdf")
    try:
        tsv = table.read_text(encoding="utf-8", errors="replace") if table.exists() else ""
        text_layer = layer.read_bytes() if layer.exists() else b""
    finally:
        table.unlink(missing_ok=True)
        layer.unlink(missing_ok=True)
    rows = _tsv_rows(tsv)
    page_row = next((row for row in rows if row["level"] == "1"), None)
    if page_row is None:
        raise OcrError(f"page {number}: Tesseract failed: {_tail(result.stderr) or 'no output'}")
    width, height = max(int(page_row["width"]), 1), max(int(page_row["height"]), 1)
    words: list[OcrWord] = []
    texts: dict[tuple[str, str, str], list[str]] = {}
    for row in rows:
        if row["level"] != "5" or not (text := (row["text"] or "").strip()):
            continue
        left, top = int(row["left"]), int(row["top"])
        right, bottom = left + int(row["width"]), top + int(row["height"])
        if _is_speck(text, right - left, bottom - top, dpi):
            continue
        words.append(
            OcrWord(
                text,
                round(max(float(row["conf"]), 0.0), 1),
                round(left / width, 4),
                round(top / height, 4),
                round(right / width, 4),
                round(bottom / height, 4),
            )
        )
        texts.setdefault((row["block_num"], row["par_num"], row["line_num"]), []).append(text)
    lines = [
        (int(row["top"]), int(row["top"]) + int(row["height"]), int(row["left"]), " ".join(found))
        for row in rows
        if row["level"] == "4"
        and (found := texts.get((row["block_num"], row["par_num"], row["line_num"])))
    ]
    if psm == PSM_AUTO and _upright(words):
        return _page(number, words, _reading_order(lines), text_layer)
    # The lines of a turned page (or one Tesseract turned itself) are not rows of the image.
    return _page(number, words, [text for *_, text in lines], text_layer)


def _upright(words: list[OcrWord]) -> bool:
    """Whether the text runs along the image's rows: most words are wider than tall."""
    long_words = [word for word in words if len(word.text) >= UPRIGHT_WORD_LENGTH]
    wide = sum(word.x1 - word.x0 > word.y1 - word.y0 for word in long_words)
    return wide * 2 >= len(long_words)


def _is_speck(text: str, width: int, height: int, dpi: int) -> bool:
    largest = max(width, height) * 72 / dpi
    return largest <= SPECK_POINTS and not any(char.isalnum() for char in text)


def _page(number: int, words: list[OcrWord], lines: list[str], text_layer: bytes) -> OcrPage:
    confidence = sum(word.confidence for word in words) / len(words) if words else 0.0
    return OcrPage(number, tuple(lines), round(confidence, 1), tuple(words), text_layer)


def _reading_order(pieces: list[tuple[float, float, float, str]]) -> list[str]:
    """Lines as pdf_text orders a text layer's: pieces (top, bottom, left, text) in image rows,
    which grow downwards, turned to PDF's upward y first."""
    return lines_in_reading_order((-bottom, -top, left, text) for top, bottom, left, text in pieces)


def _run(
    command: list[str], number: int, timeout: float, program: str = "pdftoppm"
) -> subprocess.CompletedProcess:
    """Run one page's tool with one OpenMP thread (parallelism comes from worker processes)."""
    environment = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        result = subprocess.run(
            command,
            capture_output=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
            env=environment,
        )
    except subprocess.TimeoutExpired as error:
        raise OcrTimeout(
            f"page {number}: {program} did not finish within the time limit of {timeout:g} s"
        ) from error
    if result.returncode != 0:
        raise OcrError(f"page {number}: {program} failed: {_tail(result.stderr)}")
    return result


def _probe(tesseract: str, option: str) -> str:
    result = subprocess.run(
        [tesseract, option], capture_output=True, text=True, timeout=PROBE_TIME_LIMIT, check=True
    )
    return result.stdout or result.stderr  # old versions print --version on stderr


def _tail(text: str) -> str:
    """The last lines of a tool's error output, enough to say what went wrong."""
    return " ".join(text.strip().splitlines()[-3:])
