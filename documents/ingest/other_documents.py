"""Printed pages that are not email: letters, memos, press releases and the attachments printed
after an email. They are kept as documents of their own (kind, title, printed date, text), so
their pages are searchable and citable, never folded into an email's body or lost.

A new document starts on a page whose first lines open one: "MEMORANDUM", "PRESS RELEASE", "FOR
RELEASE", "AGENDA", a letterhead ("GOVERNMENT OF THE DISTRICT OF COLUMBIA", "OFFICE OF ...")
followed by a date or a salutation, or a salutation at the top of the page.
"""

from __future__ import annotations

import re
from datetime import datetime, tzinfo
from itertools import pairwise
from zoneinfo import ZoneInfo

from documents.ingest.exemptions import find_exemptions
from documents.ingest.headers import Line
from documents.ingest.records import OtherDocument

# Lines of a page read to tell whether a document starts there.
OPENING_LINES = 12
# A run of text shorter than this is a cover note or residue ("Unknown"), not a document.
MIN_DOCUMENT_CHARS = 200
TITLE_CHARS = 200

_STARTS = re.compile(
    r"""^\s*(?:MEMORANDUM|MEMO\b|FACT\s+SHEET|(?:PRESS|NEWS)\s+RELEASE|FOR\s+(?:IMMEDIATE\s+)?RELEASE
        |AGENDA\b|MINUTES\b|NOTICE\s+OF\b|RESOLUTION\b|ORDER\b|REPORT\b)""",
    re.VERBOSE,
)
_LETTERHEAD = re.compile(
    r"^\s*(?:(?:THE\s+)?GOVERNMENT\s+OF|OFFICE\s+OF|DEPARTMENT\s+OF|BOARD\s+OF|STATE\s+OF|COUNTY\s+OF"
    r"|CITY\s+OF|U\.\s?S\.\s+DEPARTMENT|UNITED\s+STATES|COUNCIL\s+OF)\b",
    re.IGNORECASE,
)
_SALUTATION = re.compile(r"^\s*Dear\s+\S.{0,60}[:,]\s*$")
_MEMO_BLOCK = re.compile(r"^\s*(?:TO|FROM|THROUGH|DATE)\s*:", re.MULTILINE)
_RE_LINE = re.compile(r"^\s*(?:RE|Re|SUBJECT|Subject)\s*:\s*(?P<title>\S.*)$")
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_PRINTED_DATE = re.compile(
    rf"\b(?P<month>{_MONTHS})\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}})\b"
    r"|\b(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4})\b"
)
# Lines that are not a title: contacts, phone numbers, addresses.
_NOT_TITLE = re.compile(r"@|\(\d{3}\)|\b\d{3}-\d{4}\b|^\s*(?:Contact|Phone|Fax|Tel)\b", re.I)


def starts_document(lines: list[Line]) -> bool:
    """Whether a page whose lines these are (from its top) opens a new printed document."""
    opening = [line.text.strip() for line in lines[:OPENING_LINES] if line.text.strip()]
    if not opening:
        return False
    if _STARTS.match(opening[0]) or _SALUTATION.match(opening[0]):
        return True
    if any(_LETTERHEAD.match(text) for text in opening[:3]):
        return any(_SALUTATION.match(t) or _PRINTED_DATE.search(t) for t in opening[1:])
    return False


def other_documents(lines: list[Line], zone: str | tzinfo, attached: bool) -> list[OtherDocument]:
    """The documents printed on ``lines`` (whole pages not part of an email), split where a page
    opens a new one; ``attached`` when they are printed after an email (its attachments). A run
    too short to be a document is left out."""
    documents = []
    for part in _split_at_openings(lines):
        text = "\n".join(line.text.rstrip() for line in part).strip()
        if len(text) < MIN_DOCUMENT_CHARS:
            continue
        documents.append(_document(part, text, zone, attached))
    return documents


def last_opening(lines: list[Line]) -> int:
    """Where the last document printed on ``lines`` begins (0 if only one has): what comes
    before it is whole."""
    starts = openings(lines)
    return starts[-1] if starts else 0


def openings(lines: list[Line]) -> list[int]:
    """Where, after the first page, a page opens a new document."""
    return [
        index
        for index in range(1, len(lines))
        if lines[index].page != lines[index - 1].page and starts_document(lines[index:])
    ]


def _split_at_openings(lines: list[Line]) -> list[list[Line]]:
    bounds = [0, *openings(lines), len(lines)]
    return [lines[start:end] for start, end in pairwise(bounds) if start < end]


def _document(lines: list[Line], text: str, zone, attached: bool) -> OtherDocument:
    opening = [line.text.strip() for line in lines[: OPENING_LINES * 3] if line.text.strip()]
    date, date_raw = _printed_date(opening, zone)
    pages = [line.page for line in lines if line.page is not None and line.text.strip()]
    return OtherDocument(
        kind="attachment" if attached else _kind(opening, text),
        title=_title(opening),
        sent_at=date,
        date_raw=date_raw,
        body=re.sub(r"\n{3,}", "\n\n", text),
        exemptions=find_exemptions(text),
        first_page=min(pages) if pages else None,
        last_page=max(pages) if pages else None,
    )


def _kind(opening: list[str], text: str) -> str:
    head = "\n".join(opening)
    if re.match(r"^\s*MEMO", head) or len(_MEMO_BLOCK.findall(head)) >= 2:
        return "memo"
    if any(_SALUTATION.match(line) for line in opening):
        return "letter"
    return "other"


def _title(opening: list[str]) -> str:
    """A "RE:" or "SUBJECT:" line, else the first line that reads like a heading."""
    for line in opening:
        found = _RE_LINE.match(line)
        if found:
            return found["title"].strip()[:TITLE_CHARS]
    for line in opening:
        if (
            len(line.split()) >= 3
            and not _STARTS.match(line)
            and not _LETTERHEAD.match(line)
            and not _NOT_TITLE.search(line)
            and not _PRINTED_DATE.fullmatch(line)
        ):
            return line[:TITLE_CHARS]
    return opening[0][:TITLE_CHARS] if opening else ""


def _printed_date(opening: list[str], zone) -> tuple[datetime | None, str]:
    """The first date printed near the top (a letter's or memo's date), at midnight."""
    for line in opening:
        found = _PRINTED_DATE.search(line)
        if not found:
            continue
        if found["month"]:
            month = _MONTHS.split("|").index(found["month"]) + 1
            day, year = int(found["day"]), int(found["year"])
        else:
            month, day, year = int(found["m"]), int(found["d"]), int(found["y"])
        tz = ZoneInfo(zone) if isinstance(zone, str) else zone
        try:
            return datetime(year, month, day, tzinfo=tz), found.group(0)
        except ValueError:
            continue
    return None, ""
