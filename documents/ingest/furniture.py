"""Page furniture: what a production prints on its pages that is not part of any email.

Bates stamps, "Page N of M", classification banners ("UNCLASSIFIED U.S. Department of State Case
No. F-2014-20439 Doc No. C05765911 Date: 08/31/2015"), production banners ("HHS - PRODUCED TO
HOUSE OVERSIGHT", "SUBJECT TO AGREEMENT ON SENSITIVE INFORMATION & REDACTIONS. NO FOIA WAIVER.",
"Released to msnbc.com by the state of Alaska"), "RELEASE IN PART B6" lines, a release date
stamped at a page's foot, and lines repeated at the top or bottom of most pages are dropped from
message text. What they say of the page (case and document numbers, release date and status) is
kept as its stamps. A page withheld in full is recognised and recorded with its exemptions.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date

from documents.ingest.exemptions import find_exemptions
from documents.ingest.headers import label_of
from documents.ingest.records import Stamps
from documents.ingest.specks import without_specks

# A Bates stamp: a prefix with letters, then a number of at least five digits, e.g.
# ICE2010FOIA2674.0003437, NIH-000960, DHS-ICE 0001234, ROSTON 00001.
BATES = re.compile(r"(?<![\w.-])(?P<bates>[A-Z][A-Za-z0-9]*(?:[ ._-][A-Z0-9]+)*?[ ._-]?\d{5,})\s*$")
# Only the first and last few lines of a page are searched for stamps and repeated furniture.
EDGE_LINES = 4
# Characters of scanner noise tolerated beside a Bates stamp.
STRAY_CHARS = 2
# A date alone counts as a release stamp only on a page's last lines (a letter dates its top).
FOOT_LINES = 3
# A line printed at a page edge on at least this share of pages (and on 3 or more) is furniture.
REPEATED_SHARE = 0.6
# Page numbers alone on a line count only at a page edge; in a body "2010" is text.
EDGE_FURNITURE = [
    re.compile(r"^\s*-?\s*\d{1,4}\s*-?\s*$"),
    # A release stamp's date on a line of its own ("Date: 05/13/2015"); an email's Date: has a time.
    re.compile(r"^\s*Date\s*:\s*\d{1,2}/\d{1,2}/\d{4}\s*$"),
]
FURNITURE = [
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"^\s*page\s+\d+\s*(?:of\s+\d+)?\s*$",
        r"^\s*(?:UNCLASSIFIED|CONFIDENTIAL|SECRET|SENSITIVE BUT UNCLASSIFIED|"
        r"LAW ENFORCEMENT SENSITIVE)(?:\s*//\s*[A-Z ]+)?\s*$",
        r"^\s*(?:UNCLASSIFIED\s*//\s*)?FOR OFFICIAL USE ONLY(?:\s*\(FOUO\))?\s*$",
        r"^\s*RELEASED?\s+IN\s+(?:PART|FULL)\b.*$",
        r"^.*\bCase\s+No\.?\s*[A-Z0-9-]+.*\bDoc\s+No\.?\s*[A-Z0-9-]+.*$",
        r"^\s*(?:U\.S\.\s+Department\s+of\s+State\s+)?Case\s+No\.?\s*[A-Z]?-?\d[\w-]*\s*$",
        r"^\s*Doc(?:ument)?\s+No\.?\s*[A-Z]?\d[\w-]*\s*(?:Date:\s*\d\d/\d\d/\d{4})?\s*$",
        r"^\s*\S.{0,80}?\s-\s*PRODUCED\s+TO\s+.{3,120}$",
        r"^\s*SUBJECT\s+TO\s+AGREEMENT\s+ON\s+SENSITIVE\s+INFORMATION\b.*$",
        r"^\s*(?:NO\s+FOIA\s+WAIVER\.?|PRODUCED\s+TO\s+.{3,120})\s*$",
        r"^\s*Released\s+to\s+\S.{1,60}\s+by\s+the\s+\S.{1,80}$",
    )
]
# A release date stamped alone on one of a page's last lines ("10/15/2009"): furniture there.
FOOT_DATE = re.compile(r"^\s*(?P<date>\d{1,2}/\d{1,2}/\d{4})\s*$")
_CASE = re.compile(r"\bCase\s+No\.?\s*(?P<value>[A-Z]{0,3}-?\d[\w-]*)", re.IGNORECASE)
_DOC = re.compile(r"\bDoc(?:ument)?\s+No\.?\s*(?P<value>[A-Z]{0,3}\d[\w-]*)", re.IGNORECASE)
_STAMP_DATE = re.compile(r"\bDate\s*:\s*(?P<value>\d{1,2}/\d{1,2}/\d{4})")
_RELEASE = re.compile(r"^\s*(?P<value>RELEASED?\s+IN\s+(?:PART|FULL)\b.*?)\s*$", re.IGNORECASE)
_WITHHELD = re.compile(r"\bwithheld\b|\bwithholding\b|\bexempt(?:ed)? in full\b", re.IGNORECASE)
# A withheld-in-full notice is short: what remains beside its wording and codes.
WITHHELD_NOTICE_CHARS = 400


@dataclass(frozen=True)
class CleanPage:
    number: int
    bates: str
    lines: tuple[str, ...]  # the page's text without furniture
    marked_exemptions: tuple[str, ...]  # codes printed in furniture, e.g. "RELEASE IN PART B6"
    withheld: bool
    withheld_exemptions: tuple[str, ...]
    stamps: Stamps = Stamps()


def clean_pages(pages: list[tuple[int, tuple[str, ...]]]) -> list[CleanPage]:
    """Strip furniture from every page of one file; ``pages`` is (number, lines)."""
    shapes: Counter[str] = Counter()
    for _, lines in pages:
        shapes.update(edge_shapes(lines))
    repeated = repeated_shapes(shapes, len(pages))
    return [clean_page(number, lines, repeated) for number, lines in pages]


def clean_page(number: int, lines: tuple[str, ...], repeated: set[str]) -> CleanPage:
    """One page without its furniture; ``repeated`` comes from ``repeated_shapes``."""
    kept: list[str] = []
    bates = ""
    marked: list[str] = []
    stamps = Stamps()
    edges = _edge_indexes(lines)
    foot = _foot_indexes(lines)
    for index, line in enumerate(lines):
        text = line.strip()
        if not text:
            kept.append("")
            continue
        at_edge = index in edges
        if at_edge and not bates and not label_of(text, strict=True):
            stamp = BATES.search(text)
            prefix = without_specks(text[: stamp.start()]) if stamp else ""
            # A letter or two of scanner specks before a stamp ("i ROSTON 00357") are noise, as
            # are the marks specks leave after a page number ("Page 1 of 1 > ICE...").
            if stamp and (len(prefix) <= STRAY_CHARS or _is_furniture(prefix, repeated, at_edge)):
                bates = _stamp_text(stamp)
                continue
        if _is_furniture(text, repeated, at_edge) or (index in foot and FOOT_DATE.match(text)):
            marked.extend(find_exemptions(text) if text.upper().startswith("RELEASE") else ())
            stamps = _stamped(stamps, text)
            continue
        kept.append(line)
    body = "\n".join(kept)
    withheld = bool(_WITHHELD.search(body)) and _is_notice(body)
    return CleanPage(
        number=number,
        bates=bates,
        lines=_trim_blank(kept),
        marked_exemptions=tuple(dict.fromkeys(marked)),
        withheld=withheld,
        withheld_exemptions=find_exemptions(body) if withheld else (),
        stamps=stamps,
    )


def _is_furniture(text: str, repeated: set[str], at_edge: bool) -> bool:
    stripped = text.strip()
    if any(pattern.match(stripped) for pattern in FURNITURE):
        return True
    if not at_edge:
        return False
    return _shape(stripped) in repeated or any(p.match(stripped) for p in EDGE_FURNITURE)


def _is_notice(body: str) -> bool:
    """A page that says it was withheld and says little else is a withheld-in-full notice."""
    if re.search(r"^\s*(?:From|Sent|Subject)\s*:", body, re.MULTILINE):
        return False
    return len(body.strip()) <= WITHHELD_NOTICE_CHARS


def edge_shapes(lines: tuple[str, ...]) -> set[str]:
    """The shapes (digits masked) of the lines at a page's edges that could be a running header
    or footer. A header label or a sender line above a header block is never furniture."""
    indexes = {
        *range(min(EDGE_LINES, len(lines))),
        *range(max(0, len(lines) - EDGE_LINES), len(lines)),
    }
    return {
        _shape(lines[index].strip())
        for index in indexes
        if lines[index].strip()
        and not label_of(lines[index], strict=True)
        and not (index + 1 < len(lines) and label_of(lines[index + 1], strict=True))
    }


# Letters and digits OCR takes for one another in a stamp ("ICE2010FO1A2674" for "...FOIA...").
_LOOKALIKES = str.maketrans("1lI|0OoQD5S8B2Z", "IIIIOOOOOSSBBZZ")
_STAMP_NUMBER = re.compile(r"\d{5,}$")


def bates_prefixes(lines: tuple[str, ...]) -> list[str]:
    """The prefixes of the Bates stamps printed at a page's edges (counted over a file, so that
    a prefix OCR misread on one page is spelled as the file's other pages spell it)."""
    found = []
    for index in _edge_indexes(lines):
        stamp = BATES.search(lines[index].strip())
        if stamp:
            found.append(_STAMP_NUMBER.sub("", _stamp_text(stamp)))
    return found


def _stamp_text(stamp: re.Match) -> str:
    """A Bates stamp as kept: single spaces, without a speck's letter before it."""
    return re.sub(r"^[A-Za-z]\s+(?=\S+\s*\S*\d)", "", " ".join(stamp["bates"].split()))


def usual_spelling(bates: str, prefixes: Counter[str]) -> str:
    """``bates`` with its prefix spelled as most of the file's pages spell it, when the two
    differ only by look-alike characters; else as printed."""
    number = _STAMP_NUMBER.search(bates)
    if not number:
        return bates
    prefix = bates[: number.start()]
    key = prefix.translate(_LOOKALIKES)
    alike = [
        (count, spelled)
        for spelled, count in prefixes.items()
        if spelled.translate(_LOOKALIKES) == key
    ]
    return (max(alike)[1] if alike else prefix) + number.group()


def repeated_shapes(shapes: Counter[str], page_count: int) -> set[str]:
    """Edge shapes counted over a file's pages that are printed on most of them."""
    if page_count < 3:
        return set()
    needed = max(3, int(page_count * REPEATED_SHARE))
    return {shape for shape, count in shapes.items() if count >= needed}


def _edge_indexes(lines: tuple[str, ...] | list[str]) -> set[int]:
    """The first and last EDGE_LINES printed (non-blank) lines of a page."""
    printed = [index for index, line in enumerate(lines) if line.strip()]
    return {*printed[:EDGE_LINES], *printed[-EDGE_LINES:]}


def _stamped(stamps: Stamps, line: str) -> Stamps:
    """``stamps`` with what a line of furniture adds; the first reading of each wins."""
    found = {}
    for name, pattern in (
        ("case_number", _CASE),
        ("document_number", _DOC),
        ("release_status", _RELEASE),
    ):
        match = pattern.search(line)
        if match and not getattr(stamps, name):
            found[name] = " ".join(match["value"].split())
    stamp_date = _STAMP_DATE.search(line) or FOOT_DATE.match(line)
    if stamp_date and stamps.release_date is None:
        found["release_date"] = _us_date(stamp_date.group(stamp_date.lastgroup))
    return replace(stamps, **found)


def _foot_indexes(lines: tuple[str, ...] | list[str]) -> set[int]:
    """The last FOOT_LINES printed lines of a page."""
    printed = [index for index, line in enumerate(lines) if line.strip()]
    return set(printed[-FOOT_LINES:])


def _us_date(text: str) -> date | None:
    month, day, year = (int(part) for part in text.split("/"))
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.split()))


def _trim_blank(lines: list[str]) -> tuple[str, ...]:
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return tuple(lines[start:end])
