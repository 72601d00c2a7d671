"""The parsing pipeline: bytes in, dataclasses out. Pure Python; never imports Django.

Keeping Django out lets every step be tested on plain strings and run in worker processes.
Callers use this face: ``sniff`` a file's type, ``parse_file`` it, ``iter_sources`` of a release.
"""

from __future__ import annotations

from datetime import tzinfo
from pathlib import Path

from documents.ingest.exemptions import EXEMPTIONS, exemption_spans, find_exemptions
from documents.ingest.ocr import (
    NO_OCR,
    OCR_MODES,
    OcrLanguageError,
    OcrOptions,
    OcrUnavailable,
    check_languages,
    ocr_status,
)
from documents.ingest.pdf_production import parse_pdf
from documents.ingest.pdf_text import PdfPage, count_pages, extract_page_list, extract_pages
from documents.ingest.places import LARGE_CITY_POPULATION, PlaceIndex, PlaceRef
from documents.ingest.reasons import error_reason, readable_reason
from documents.ingest.records import Address, Email, OtherDocument, PageRecord, ParsedFile
from documents.ingest.rfc822 import parse_eml, parse_mbox, read_mbox_elsewhere
from documents.ingest.sniff import HEAD_BYTES, sniff
from documents.ingest.sources import (
    SourceInput,
    UnsafeArchive,
    expand,
    iter_entries,
    iter_sources,
    pages_in,
    zip_problem,
)
from documents.ingest.subjects import normalize_subject

__all__ = [
    "NO_OCR",
    "OCR_MODES",
    "OcrLanguageError",
    "OcrOptions",
    "OcrUnavailable",
    "check_languages",
    "ocr_status",
    "EXEMPTIONS",
    "HEAD_BYTES",
    "Address",
    "Email",
    "OtherDocument",
    "PageRecord",
    "ParsedFile",
    "PdfPage",
    "LARGE_CITY_POPULATION",
    "PlaceIndex",
    "PlaceRef",
    "SourceInput",
    "UnsafeArchive",
    "count_pages",
    "error_reason",
    "exemption_spans",
    "expand",
    "extract_page_list",
    "extract_pages",
    "find_exemptions",
    "iter_entries",
    "iter_sources",
    "normalize_subject",
    "pages_in",
    "parse_file",
    "read_mbox_elsewhere",
    "readable_reason",
    "sniff",
    "zip_problem",
]


def parse_file(
    path: Path, detected_type: str, zone: str | tzinfo, pages=None, ocr: OcrOptions = NO_OCR
) -> ParsedFile:
    """Parse one stored file. Whatever goes wrong inside comes back as a failed ParsedFile with a
    reason a person can read; it never raises for bad input."""
    try:
        if detected_type == "pdf":
            return parse_pdf(path, zone, pages, ocr)
        if detected_type == "eml":
            return parse_eml(path.read_bytes(), zone)
        if detected_type == "mbox":
            return parse_mbox(path, zone)
        return ParsedFile(
            detected_type,
            status="failed",
            error="not a PDF, .eml or mbox file (its content was checked, not its name)",
        )
    except RecursionError:
        return ParsedFile(detected_type, status="failed", error="too deeply nested to read")
    except Exception as error:
        return ParsedFile(
            detected_type, status="failed", error=f"cannot be read: {error_reason(error)}"
        )
