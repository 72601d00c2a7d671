"""Notes on threads and on passages of emails: who sees them, where their passages are, how
their Markdown is shown, and the CSV a thread's notes export to.

A passage is kept as its exact quote with up to ``QUOTE_CONTEXT`` characters before and after
(the W3C TextQuoteSelector idea), never as offsets alone: offsets break when the text is shown
differently, the quote and its context find the passage again. A quote no longer in the email
leaves the note "detached": still shown, with its quote, but pointing at nothing.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass

import nh3
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

from documents import audit, roles
from documents.fitting import nul_problem
from documents.models import Annotation, AuditEntry, Document, Thread

QUOTE_CONTEXT = 32  # characters kept before and after a quote
MAX_QUOTE = 2_000
MAX_NOTE = 20_000
NOTES_FOUND_SHOWN = 10
# What a note may be shown as once its Markdown is rendered; anything else is dropped.
ALLOWED_TAGS = {
    "p",
    "br",
    "em",
    "strong",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "hr",
    "del",
    "h3",
    "h4",
    "h5",
    "h6",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
LINK_SCHEMES = {"http", "https", "mailto"}
# Raw HTML in a note is shown as text (html=False); nh3 then keeps only ALLOWED_TAGS of what the
# Markdown made, which removes javascript: links and any tag a future option might let in.
_markdown = MarkdownIt("commonmark", {"html": False}).enable("strikethrough")
# Spreadsheets run cells starting with these as formulas; such cells get a leading apostrophe.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class NoteError(ValueError):
    """A note that cannot be saved, with a reason to show its author."""


def render_note(body: str) -> SafeString:
    html = _markdown.render(body)
    # Headings of a note sit inside a thread page: # and ## become h3.
    html = re.sub(r"<(/?)h[12]>", r"<\1h3>", html)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=LINK_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )
    return mark_safe(clean)  # noqa: S308 (sanitized by nh3 just above)


def locate(text: str, quote: str, prefix: str = "", suffix: str = "") -> tuple[int, int] | None:
    """Where ``quote`` is in ``text``: of every place it occurs (exactly, else with any run of
    spaces and line breaks in place of each), the one whose surroundings best match ``prefix``
    and ``suffix``. None when it is not there."""
    if not quote.strip():
        return None
    spans = [(m.start(), m.end()) for m in re.finditer(re.escape(quote), text)]
    if not spans:
        words = quote.split()
        loose = r"\s+".join(re.escape(word) for word in words)
        spans = [(m.start(), m.end()) for m in re.finditer(loose, text)]
    if not spans:
        return None

    def fit(span: tuple[int, int]) -> int:
        before, after = text[: span[0]], text[span[1] :]
        return _common_end(before, prefix) + _common_start(after, suffix)

    return max(spans, key=fit)


def _common_start(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_end(a: str, b: str) -> int:
    return _common_start(a[::-1], b[::-1])


def visible_to(user) -> Q:
    """The notes ``user`` may read: shared ones, and their own."""
    shared = Q(visibility=Annotation.Visibility.SHARED)
    return shared | Q(author_id=user.pk) if user.is_authenticated else shared


def may_change(user, note: Annotation) -> bool:
    return user.is_authenticated and note.author_id == user.pk


def may_delete(user, note: Annotation) -> bool:
    return may_change(user, note) or user.has_perm(roles.MODERATE)


def _checked(user, body: str, visibility: str) -> tuple[str, str]:
    body = body.strip()
    if not body:
        raise NoteError("Write something in the note.")
    if problem := nul_problem("A note", body):
        raise NoteError(problem)
    if len(body) > MAX_NOTE:
        raise NoteError(f"A note is at most {MAX_NOTE:,} characters.")
    if visibility not in Annotation.Visibility.values:
        raise NoteError("Choose who may read the note.")
    if visibility == Annotation.Visibility.SHARED and not user.has_perm(roles.SHARE):
        raise NoteError("Your account may keep private notes only; an editor can share.")
    return body, visibility


def _target(note: Annotation) -> tuple[str, str]:
    thread = note.thread
    where = f"thread {thread.pk}: {thread.subject or '(no subject)'}"
    return f"note {note.pk} on {where}", reverse("thread", args=[thread.pk]) + f"#note-{note.pk}"


def add_note(
    thread: Thread,
    user,
    body: str,
    visibility: str,
    *,
    document: Document | None = None,
    quote: str = "",
    prefix: str = "",
    suffix: str = "",
) -> Annotation:
    """A note on the thread, or on a passage of one of its emails (``document`` and ``quote``)."""
    body, visibility = _checked(user, body, visibility)
    if document is not None and document.thread_id != thread.pk:
        raise NoteError("That email is not in this thread.")
    if quote:
        if document is None:
            raise NoteError("A passage belongs to an email; choose one.")
        if len(quote) > MAX_QUOTE:
            raise NoteError(f"Choose a passage of at most {MAX_QUOTE:,} characters.")
        if problem := nul_problem("The passage", quote, prefix, suffix):
            raise NoteError(problem)
        if locate(document.body, quote, prefix, suffix) is None:
            raise NoteError("That passage is not in the email's text; select it again.")
    with transaction.atomic():
        note = Annotation.objects.create(
            thread=thread,
            document=document,
            author=user,
            body=body,
            visibility=visibility,
            quote=quote,
            quote_prefix=prefix[-QUOTE_CONTEXT:],
            quote_suffix=suffix[:QUOTE_CONTEXT],
        )
        audit.record(user, AuditEntry.Action.NOTE_ADDED, *_target(note), visibility=visibility)
    return note


def edit_note(note: Annotation, user, body: str, visibility: str) -> None:
    if not may_change(user, note):
        raise NoteError("Only its author may change a note.")
    note.body, note.visibility = _checked(user, body, visibility)
    with transaction.atomic():
        note.save(update_fields=["body", "visibility", "updated_at"])
        audit.record(user, AuditEntry.Action.NOTE_EDITED, *_target(note), visibility=visibility)


def delete_note(note: Annotation, user) -> None:
    if not may_delete(user, note):
        raise NoteError("Only its author or an admin may delete a note.")
    with transaction.atomic():
        audit.record(
            user, AuditEntry.Action.NOTE_DELETED, _target(note)[0], author=str(note.author)
        )
        note.delete()


@dataclass
class ThreadNotes:
    """A thread's notes as its page shows them."""

    on_thread: list[Annotation]  # not tied to one email
    by_email: dict[int, list[Annotation]]

    @property
    def count(self) -> int:
        return len(self.on_thread) + sum(len(notes) for notes in self.by_email.values())


def thread_notes(thread: Thread, documents: list[Document], user) -> ThreadNotes:
    """The notes ``user`` may read, each with ``html``, ``span`` (where its passage is in the
    first part of the email's text that a page shows, or None), ``detached`` and what the user
    may do with it. ``documents`` come from ``reading.with_reading_relations``."""
    emails = {document.pk: document for document in documents}
    notes = ThreadNotes([], {})
    notes_here = Annotation.objects.filter(thread=thread).filter(visible_to(user))
    for note in prepared(with_relations(notes_here).order_by("created_at", "pk"), user):
        email = emails.get(note.document_id)
        note.span = (
            locate(email.body_head, note.quote, note.quote_prefix, note.quote_suffix)
            if note.quote and email is not None
            else None
        )
        note.detached = bool(note.quote) and note.span is None and not _in_rest(email, note.quote)
        if email is not None:
            notes.by_email.setdefault(note.document_id, []).append(note)
        else:
            notes.on_thread.append(note)
    return notes


def _in_rest(email: Document | None, quote: str) -> bool:
    """Whether ``quote`` is in the part of a long email's text that its page does not show,
    asked of the database so that the whole text is never fetched."""
    if email is None or email.body_length <= len(email.body_head):
        return False
    return Document.objects.filter(pk=email.pk, body__contains=quote).exists()


def with_relations(notes: QuerySet) -> QuerySet:
    """The notes with their author, thread and email, without the email's text (a note on an
    email of megabytes must not fetch it)."""
    return notes.select_related("author", "thread", "document").defer("document__body")


def prepared(notes: Iterable[Annotation], user) -> list[Annotation]:
    """The notes with ``html``, ``may_change`` and ``may_delete`` set."""
    rows = list(notes)
    for note in rows:
        note.html = render_note(note.body)
        note.may_change = may_change(user, note)
        note.may_delete = may_delete(user, note)
    return rows


def search_notes(text: str, user) -> list[Annotation]:
    """Notes ``user`` may read whose text or quote holds the words of ``text`` (PostgreSQL
    full-text search, English stemming; search operators such as ``from:`` are left out)."""
    words = " ".join(word for word in text.split() if ":" not in word)
    if not words.strip():
        return []
    query = SearchQuery(words, search_type="websearch", config="english")
    found = (
        with_relations(Annotation.objects.filter(visible_to(user)))
        .annotate(found=SearchVector("body", "quote", config="english"))
        .filter(found=query)
        .order_by("-updated_at")[:NOTES_FOUND_SHOWN]
    )
    return prepared(found, user)


CSV_COLUMNS = [
    "note_id",
    "created",
    "updated",
    "author",
    "visibility",
    "thread_id",
    "thread_subject",
    "email_id",
    "email_date",
    "email_from",
    "email_subject",
    "quote",
    "detached",
    "note",
    "batch",
    "file",
    "pages",
    "bates",
    "all_citations",
    "url",
]


def notes_csv(thread: Thread, documents: list[Document], notes: ThreadNotes, base_url: str) -> str:
    """One row per note, with where its email was printed: the first standalone printing in
    batch/file/pages/bates, and every printing in ``all_citations``."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    emails = {document.pk: document for document in documents}
    in_email_order = [note for email in documents for note in notes.by_email.get(email.pk, [])]
    for note in notes.on_thread + in_email_order:
        email = emails.get(note.document_id)
        row = [
            note.pk,
            note.created_at.isoformat(),
            note.updated_at.isoformat(),
            note.author.get_username(),
            note.visibility,
            thread.pk,
            thread.subject,
            *_email_cells(email),
            note.quote,
            "yes" if note.detached else "",
            note.body,
            *_citation_cells(list(email.appearances.all()) if email else []),
            f"{base_url}{reverse('thread', args=[thread.pk])}#note-{note.pk}",
        ]
        writer.writerow([_cell(value) for value in row])
    return out.getvalue()


def _email_cells(email: Document | None) -> list:
    if email is None:
        return ["", "", "", ""]
    sent = email.sent_at.isoformat() if email.sent_at else ""
    return [email.pk, sent, email.sender_raw, email.subject]


def _citation_cells(printed: list) -> list:
    """Batch, file, pages and Bates of the first standalone printing (else the first), then
    every printing."""
    if not printed:
        return ["", "", "", "", ""]
    first = next((a for a in printed if a.kind == a.Kind.STANDALONE), printed[0])
    return [
        first.source_file.batch.name,
        first.source_file.original_name,
        first.pages_label,
        first.bates_label,
        "; ".join(str(a) for a in printed),
    ]


def _cell(value) -> str:
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text
