"""A PDF production's page text to emails: where each printed email starts, and its quoted chain.

A header block starts a new top-level email when it is the first, when a sender or subject line
is printed above it (Outlook memo and web-mail prints do that for the email a page is about), or
when it is dated later than the email it follows (a quoted email is never newer than the email
quoting it). Any other header block after body text is an earlier email quoted in the one above.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta, tzinfo
from functools import lru_cache
from itertools import pairwise

from documents.ingest.addresses import normalize_person_name, parse_address
from documents.ingest.chains import email_from_block, fill_text, quote_start, split_chain
from documents.ingest.dates import DateNotUnderstood, parse_date
from documents.ingest.furniture import CleanPage
from documents.ingest.headers import (
    QUOTE_SEPARATOR,
    HeaderBlock,
    Line,
    find_blocks,
    label_of,
    split_fields,
)
from documents.ingest.other_documents import last_opening, openings, other_documents
from documents.ingest.records import Email, OtherDocument

# Printed times lose seconds; a block this much later than the email above it is a new email.
LATER_BY = timedelta(minutes=1)


def emails_from_pages(
    pages: Iterable[CleanPage], zone: str | tzinfo
) -> Iterator[Email | OtherDocument]:
    """The top-level emails printed on the pages, in order, and the documents printed among them
    that are not email (a letter before the first email, an attachment after one). An email is
    yielded once a later one has started on an earlier page than the newest, so only the open
    email and the pages that may still change it are held: memory follows the longest email (or
    run of pages before the first), not the file's length."""
    lines: list[Line] = []
    marked: dict[int, tuple[str, ...]] = {}
    page_starts: list[int] = []
    leading = True  # lines before the first email are not yet given out
    for page in pages:
        page_starts = [*page_starts[-1:], len(lines)]  # the previous page's start, and this one's
        marked[page.number] = page.marked_exemptions
        if not page.withheld:
            lines.extend(
                Line(page.number, field) for text in page.lines for field in split_fields(text)
            )
        tops = _top_level(lines, zone)
        if leading and tops:
            leading = False
            yield from other_documents(lines[: tops[0][0]], zone, attached=False)
        settled = [top for top, after in pairwise(tops) if after[0] < page_starts[-1]]
        for start, header, end in settled:
            yield from _printed(lines, start, header, end, zone, marked)
        if tops:
            keep_from = tops[len(settled)][0]
        else:  # documents before any email, given out as soon as a later one has begun
            keep_from = last_opening(lines)
            yield from other_documents(lines[:keep_from], zone, attached=False)
        if keep_from:
            del lines[:keep_from]
            first_page = lines[0].page if lines else page.number
            marked = {number: codes for number, codes in marked.items() if number >= first_page}
            page_starts = [max(0, start - keep_from) for start in page_starts]
    tops = _top_level(lines, zone)
    yield from other_documents(lines[: tops[0][0]] if tops else lines, zone, attached=False)
    for start, header, end in tops:
        yield from _printed(lines, start, header, end, zone, marked)


def _printed(
    lines: list[Line], start: int, header: HeaderBlock, end: int, zone, marked
) -> Iterator[Email | OtherDocument]:
    """The email printed at ``lines[start:end]``, then what is printed after it on pages that
    open a document of their own (its attachments)."""
    after_header = [start + i for i in openings(lines[start:end]) if start + i >= header.end]
    cut = after_header[0] if after_header else end
    yield _email(lines, start, header, cut, zone, marked)
    yield from other_documents(lines[cut:end], zone, attached=True)


def _email(lines: list[Line], start: int, header: HeaderBlock, end: int, zone, marked) -> Email:
    """The email printed at ``lines[start:end]`` whose header block is ``header``."""
    email = email_from_block(header, zone)
    own, quoted = split_chain(lines[header.end : end], email.subject, zone)
    fill_text(email, own, lines[start : header.end])
    email.quoted = quoted
    printed = [line.page for line in lines[start:end] if line.text.strip()]
    email.first_page, email.last_page = min(printed), max(printed)
    for each in (email, *quoted):
        _add_marked_exemptions(each, marked)
    return email


def _top_level(lines: list[Line], zone) -> list[tuple[int, HeaderBlock, int]]:
    """(first line, header block, end line) of each top-level email."""
    tops: list[tuple[int, HeaderBlock]] = []
    current_date = None
    for block in find_blocks(lines):
        start, marked = _top_marker(lines, block)
        separated = quote_start(lines, block.start) != block.start
        date = _sent_at(block, zone)
        later = date is not None and current_date is not None and date > current_date + LATER_BY
        # Under "-----Original Message-----" a header is quoted, whatever its (zoneless) date.
        if not tops or (marked and not separated) or (later and not separated):
            tops.append((start, block))
            current_date = date
    return [
        (start, block, tops[index + 1][0] if index + 1 < len(tops) else len(lines))
        for index, (start, block) in enumerate(tops)
    ]


def _sent_at(block: HeaderBlock, zone) -> datetime | None:
    """The block's date alone: which emails are top-level is decided before any is built."""
    return _block_date(block.fields.get("date", ""), zone)


@lru_cache(maxsize=256)
def _block_date(raw: str, zone) -> datetime | None:
    """Cached: the open email's blocks are read again with each page added to it."""
    try:
        return parse_date(raw, zone)
    except DateNotUnderstood:
        return None


def _top_marker(lines: list[Line], block: HeaderBlock) -> tuple[int, bool]:
    """(start line, whether a top-level marker is printed above the block)."""
    if block.style == "owa":
        return block.start, True  # the subject line printed above the sender
    previous = block.start - 1
    while previous >= 0 and not lines[previous].text.strip():
        previous -= 1
    if previous < 0:
        return block.start, False
    text = lines[previous].text.strip()
    if QUOTE_SEPARATOR.match(text) or label_of(text, strict=True):
        return block.start, False
    sender = block.fields.get("from", "")
    if sender and normalize_person_name(parse_address(sender).name) == normalize_person_name(
        parse_address(text).name
    ):
        return previous, True  # Outlook memo: the sender's name above the header
    if (
        block.style == "rfc"
        and not block.has("subject")
        and block.has("date")
        and not block.dated_by_sent  # Outlook prints its user's name above, not the subject
    ):
        block.fields["subject"] = text  # web-mail print: the subject above the header
        return previous, True
    return block.start, False


def _add_marked_exemptions(email: Email, marked: dict[int, tuple[str, ...]]) -> None:
    if email.first_page is None:
        return
    codes = [
        code
        for page in range(email.first_page, email.last_page + 1)
        for code in marked.get(page, ())
    ]
    email.exemptions = tuple(dict.fromkeys([*email.exemptions, *codes]))
