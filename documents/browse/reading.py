"""What the reading pages show of each email: its text escaped, with the words of a search and
the redaction codes marked; the earlier emails it quotes; and where it was printed, as citations
that link to the page of the original file and to the page's text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import F, Prefetch, Q, QuerySet
from django.db.models.functions import Length, Substr
from django.urls import reverse
from django.utils import dateformat
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime

from documents.ingest import EXEMPTIONS, exemption_spans
from documents.models import Appearance, Document, Page, Recipient, SourceFile, Thread

# How much of an email's text one page shows. A release may hold an email of megabytes (a log
# or a data dump pasted into a body); a page shows this much of it and links to the rest, part
# by part, so that no page costs the web worker more than a bounded share of it.
BODY_PART_CHARS = 100_000
# A part ends at a line break when there is one in its last half, so that no line is cut.
BODY_PART_MIN_CHARS = BODY_PART_CHARS // 2
# No text in PostgreSQL is longer (1 GB); a part asked for beyond it is the empty end.
LONGEST_TEXT = 2**30

# What an email's page and a thread page fetch with each email, in a fixed number of queries.
APPEARANCES = Appearance.objects.select_related("source_file__batch").order_by(
    "source_file__batch__name", "source_file__original_name", "position"
)
QUOTED = (
    Appearance.objects.select_related("document__sender")
    .defer("document__body")
    .annotate(
        body_head=Substr("document__body", 1, BODY_PART_CHARS),
        body_length=Length("document__body"),
    )
    .order_by("position")
)


def with_body_part(documents: QuerySet, start: int = 0) -> QuerySet:
    """The emails without their text, each with the part of it that starts at character
    ``start`` (``body_head``) and its length (``body_length``): the database cuts the part."""
    return documents.defer("body").annotate(
        body_head=Substr("body", start + 1, BODY_PART_CHARS), body_length=Length("body")
    )


def with_reading_relations(documents: QuerySet) -> QuerySet:
    """The emails with what their pages show, each with the first part of its text."""
    return with_body_part(documents.select_related("sender", "thread")).prefetch_related(
        Prefetch("recipient_entries", queryset=Recipient.objects.select_related("person")),
        "jurisdictions",
        Prefetch("appearances", queryset=APPEARANCES),
        Prefetch("quoted_appearances", queryset=QUOTED),
    )


@dataclass(frozen=True)
class BodyPart:
    """A part of an email's text: characters ``start`` to ``end`` of ``length``."""

    text: str
    start: int
    end: int
    length: int

    @property
    def rest(self) -> int | None:
        """Where the rest of the text starts; None when this part is the end of it."""
        return self.end if self.end < self.length else None


def body_part(fetched: str, start: int, length: int) -> BodyPart:
    """The part of a text of ``length`` characters that starts at ``start``, out of the
    ``fetched`` characters from there (at most ``BODY_PART_CHARS``)."""
    start, text = min(start, length), fetched
    if start + len(fetched) < length:
        line_end = fetched.rfind("\n", BODY_PART_MIN_CHARS)
        if line_end >= 0:
            text = fetched[: line_end + 1]
    return BodyPart(text=text, start=start, end=start + len(text), length=length)


def mark_redactions(text: str) -> SafeString:
    """``text`` escaped (unless it is already safe, such as text with search words marked) with
    each FOIA exemption code set apart and explained. The codes hold no character that escaping
    changes, so they are found in the escaped text."""
    html = conditional_escape(text)
    pieces, last = [], 0
    for start, end, code in exemption_spans(html):
        pieces.append(html[last:start])
        title = escape(f"{code} {EXEMPTIONS.get(code, '')}".strip())
        pieces.append(f'<span class="redaction-code" title="{title}">{html[start:end]}</span>')
        last = end
    pieces.append(html[last:])
    return mark_safe("".join(pieces))  # noqa: S308 (escaped above; the spans are ours)


@dataclass(frozen=True)
class Citation:
    """Where an email was printed, as a reader cites it."""

    text: str  # the place: batch, file, pages, Bates
    full: str  # what "Copy citation" copies: who, when, what, the release, the place, a link
    quoted: bool
    pdf_url: str  # the original file, opened at the first page; "" when there is none
    ocr_pdf_url: str  # the same with the OCR text over its scanned pages; "" when none was OCR'd
    page_url: str  # the first page's text; "" when the file has no pages
    matched_by: str  # why this printing is this email, when it was found again; else ""


def pdf_url(source: SourceFile, page: int | None, with_ocr_text: bool = False) -> str:
    """The stored PDF opened at ``page`` (browsers' PDF viewers read ``#page=``), as released or
    ``with_ocr_text`` laid over its scanned pages; "" when there is no such PDF."""
    stored = source.searchable_file if with_ocr_text else source.stored_file
    if not stored or source.detected_type != SourceFile.FileType.PDF:
        return ""
    url = reverse("source-searchable" if with_ocr_text else "source-original", args=[source.pk])
    return f"{url}#page={page}" if page else url


def stamp_label(page: Page | None) -> str:
    """What a release stamped on a page, as a citation gives it: "Case No. F-2014-20439, Doc No.
    C05765911, RELEASE IN PART B6 (08/31/2015)"; "" for an unstamped page."""
    if page is None:
        return ""
    parts = [
        f"Case No. {page.case_number}" if page.case_number else "",
        f"Doc No. {page.document_number}" if page.document_number else "",
        page.release_status,
    ]
    label = ", ".join(part for part in parts if part)
    if page.release_date:
        label += (
            f" ({page.release_date:%m/%d/%Y})" if label else f"stamped {page.release_date:%m/%d/%Y}"
        )
    return label


def citation(
    document: Document, appearance: Appearance, link: str, page: Page | None = None
) -> Citation:
    """``page`` is the appearance's first page, for what the release stamped on it."""
    source, number = appearance.source_file, appearance.first_page
    stamps = stamp_label(page)
    return Citation(
        text=", ".join(part for part in (str(appearance), stamps) if part),
        full=full_citation(document, appearance, link, stamps),
        quoted=appearance.kind == Appearance.Kind.QUOTED,
        pdf_url=pdf_url(source, number),
        ocr_pdf_url=pdf_url(source, number, with_ocr_text=True),
        page_url=reverse("page-text", args=[source.pk, number]) if number else "",
        matched_by=(
            appearance.get_matched_by_display()
            if appearance.matched_by not in ("", Appearance.Match.NEW)
            else ""
        ),
    )


def full_citation(document: Document, appearance: Appearance, link: str, stamps: str = "") -> str:
    """A citation a journalist can paste: the email (sender, date, subject), the release (agency,
    request number, batch title and date), where it is printed (file, pages, Bates, what the
    release stamped on the page), and the email's permanent address ``link``.

    Example: Email from David Venturella, May 4, 2010, 4:30 p.m. PDT, “Opt out”. U.S.
    Immigration and Customs Enforcement, FOIA request 10-FOIA-2674, “ICE Secure Communities,
    part 1” (released Jan. 14, 2011), file production/ICE-1.pdf, p. 3, Bates ICE-0003437.
    https://archive.example.org/emails/12/
    """
    if document.sender_redacted:
        sender = f"a sender redacted as {document.sender_raw}"
    else:
        sender = (document.sender.name if document.sender else "") or document.sender_raw
    when = (
        dateformat.format(localtime(document.sent_at), "N j, Y, P T")
        if document.sent_at
        else (f"dated “{document.date_raw}”" if document.date_raw else "undated")
    )
    subject = document.subject or "(no subject)"
    email = f"Email from {sender or 'an unknown sender'}, {when}, “{subject}”."
    batch = appearance.source_file.batch
    release = f"“{batch.title or batch.name}”"
    if batch.released_on:
        release += f" (released {dateformat.format(batch.released_on, 'N j, Y')})"
    place = [f"file {appearance.source_file.original_name}", appearance.pages_label]
    if appearance.bates_label:
        place.append(f"Bates {appearance.bates_label}")
    place.append(stamps)
    if appearance.kind == Appearance.Kind.QUOTED:
        place.append("quoted in a later email")
    producer = [
        batch.agency,
        f"FOIA request {batch.request_number}" if batch.request_number else "",
    ]
    parts = [*producer, release, *place]
    return f"{email} {', '.join(part for part in parts if part)}. {link}"


def prepare(
    documents: list[Document],
    marker: Callable[[str], SafeString] | None,
    absolute: Callable[[str], str],
) -> None:
    """Give each email what the templates show: ``shown_subject``, ``shown_body`` (the first
    ``part`` of its text), ``quoted`` (the earlier emails it quotes, each with its
    ``shown_body`` and ``part``) and ``citations`` (each place it is printed once). The
    emails come from ``with_reading_relations``. ``absolute`` makes a path a full address
    (the request's)."""

    def shown(text: str) -> SafeString:
        return mark_redactions(marker(text) if marker else text)

    places = {document.pk: document.appearances_once for document in documents}
    pages = _first_pages([a for once in places.values() for a in once])
    for document in documents:
        document.shown_subject = shown(document.subject) if document.subject else ""
        part = body_part(document.body_head, 0, document.body_length)
        document.shown_body, document.part = shown(part.text), part
        link = absolute(reverse("document", args=[document.pk]))
        document.citations = [
            citation(document, a, link, pages.get((a.source_file_id, a.first_page)))
            for a in places[document.pk]
        ]
        document.quoted = []
        for appearance in document.quoted_appearances.all():
            earlier = appearance.document
            part = body_part(appearance.body_head, 0, appearance.body_length)
            earlier.shown_body, earlier.part = shown(part.text), part
            document.quoted.append(earlier)


def _first_pages(appearances: list[Appearance]) -> dict[tuple[int, int], Page]:
    """The first page of each appearance, in one query, for what the release stamped on it."""
    wanted = {(a.source_file_id, a.first_page) for a in appearances if a.first_page}
    if not wanted:
        return {}
    pages = Page.objects.filter(
        source_file_id__in={file for file, _ in wanted}, number__in={n for _, n in wanted}
    ).only(
        "source_file_id",
        "number",
        "case_number",
        "document_number",
        "release_date",
        "release_status",
    )
    return {
        (p.source_file_id, p.number): p for p in pages if (p.source_file_id, p.number) in wanted
    }


def thread_neighbours(thread: Thread) -> tuple[Thread | None, Thread | None]:
    """The threads just before and after this one by first email (undated threads last)."""
    first = thread.first_sent_at
    if first is None:
        before = Thread.objects.filter(Q(first_sent_at__isnull=False) | Q(pk__lt=thread.pk))
        after = Thread.objects.filter(first_sent_at__isnull=True, pk__gt=thread.pk)
    else:
        before = Thread.objects.filter(
            Q(first_sent_at__lt=first) | Q(first_sent_at=first, pk__lt=thread.pk)
        )
        after = Thread.objects.filter(
            Q(first_sent_at__gt=first)
            | Q(first_sent_at=first, pk__gt=thread.pk)
            | Q(first_sent_at__isnull=True)
        )
    previous = before.order_by(F("first_sent_at").desc(nulls_first=True), "-pk").first()
    following = after.order_by(F("first_sent_at").asc(nulls_last=True), "pk").first()
    return previous, following
