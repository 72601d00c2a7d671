"""One PDF file to a ParsedFile: pages with their furniture as data, and the emails printed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import tzinfo
from pathlib import Path

from documents.ingest.furniture import clean_pages
from documents.ingest.pdf_text import PdfEncrypted, PdfError, PdfPage, extract_pages
from documents.ingest.production import emails_from_pages
from documents.ingest.records import PageRecord, ParsedFile


def parse_pdf(
    source: str | Path | bytes, zone: str | tzinfo, pages: Iterable[PdfPage] | None = None
) -> ParsedFile:
    """Parse a PDF production. ``pages`` may come from worker processes; by default they are
    extracted here, one at a time."""
    try:
        extracted = list(extract_pages(source) if pages is None else pages)
    except PdfEncrypted as error:
        return ParsedFile("pdf", status="encrypted", error=str(error))
    except PdfError as error:
        return ParsedFile("pdf", status="failed", error=str(error))
    if not extracted:
        return ParsedFile("pdf", status="failed", error="the PDF has no pages")
    cleaned = clean_pages([(page.number, page.lines) for page in extracted])
    records = [
        PageRecord(
            number=page.number,
            text=page.text,
            bates=clean.bates,
            needs_ocr=not page.has_text,
            withheld=clean.withheld,
            withheld_exemptions=clean.withheld_exemptions,
        )
        for page, clean in zip(extracted, cleaned, strict=True)
    ]
    text_pages = [
        clean for clean, record in zip(cleaned, records, strict=True) if not record.needs_ocr
    ]
    parsed = ParsedFile("pdf", pages=records, emails=emails_from_pages(text_pages, zone))
    ocr = sum(record.needs_ocr for record in records)
    withheld = sum(record.withheld for record in records)
    if ocr == len(records):
        parsed.status = "needs_ocr"
        parsed.error = f"no text layer on any of its {len(records)} pages: it needs OCR"
    elif not parsed.emails and not withheld:
        if ocr:
            parsed.status = "needs_ocr"
            parsed.error = (
                f"{ocr} of {len(records)} pages have no text layer and the others hold no email"
            )
        else:
            parsed.status = "failed"
            parsed.error = (
                f"no email found: none of its {len(records)} pages of text has an email header "
                "(From / Sent / To / Subject)"
            )
    elif ocr:
        parsed.warnings.append(f"{ocr} of {len(records)} pages have no text layer and need OCR")
    return parsed
