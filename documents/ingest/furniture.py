"""Page furniture: what a production prints on its pages that is not part of any email.

Bates stamps, "Page N of M", classification banners, case and document numbers, "RELEASE IN PART
B6" lines and lines repeated at the top or bottom of most pages are dropped from message text and
kept as data. A page withheld in full is recognised and recorded with its exemptions.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from documents.ingest.exemptions import find_exemptions
from documents.ingest.headers import label_of

# A Bates stamp: a prefix with letters, then a number of at least five digits, e.g.
# ICE2010FOIA2674.0003437, NIH-000960, DHS-ICE 0001234, ROSTON 00001.
BATES = re.compile(r"(?<![\w.-])(?P<bates>[A-Z][A-Za-z0-9]*(?:[ ._-][A-Z0-9]+)*?[ ._-]?\d{5,})\s*$")
# Only the first and last few lines of a page are searched for stamps and repeated furniture.
EDGE_LINES = 4
# A line printed at a page edge on at least this share of pages (and on 3 or more) is furniture.
REPEATED_SHARE = 0.6
# Page numbers alone on a line count only at a page edge; in a body "2010" is text.
EDGE_FURNITURE = [re.compile(r"^\s*-?\s*\d{1,4}\s*-?\s*$")]
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
    )
]
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
    edges = _edge_indexes(lines)
    for index, line in enumerate(lines):
        text = line.strip()
        if not text:
            kept.append("")
            continue
        at_edge = index in edges
        if at_edge and not bates and not label_of(text, strict=True):
            stamp = BATES.search(text)
            prefix = text[: stamp.start()].strip() if stamp else ""
            if stamp and (not prefix or _is_furniture(prefix, repeated, at_edge)):
                bates = " ".join(stamp["bates"].split())
                continue
        if _is_furniture(text, repeated, at_edge):
            marked.extend(find_exemptions(text) if text.upper().startswith("RELEASE") else ())
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


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.split()))


def _trim_blank(lines: list[str]) -> tuple[str, ...]:
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return tuple(lines[start:end])
