"""Parsed pages and emails to Pages, Documents, Recipients and Appearances: dedupe, people,
threads, places.

"One email, one Document": an email printed on its own, quoted in later replies, or found again
in another file or batch is matched to the Document it already is (by Message-ID, else by sender,
sent minute, normalized subject and the start of the body) and only gains an Appearance, which
keeps why it was matched (``Appearance.matched_by``). Two emails with different Message-IDs are
never one Document, however alike they are: only a printing without a Message-ID (a PDF page)
or a Document without one is matched by what it says.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC
from difflib import SequenceMatcher

from django.db import DatabaseError, transaction

from documents.fitting import fit, fit_address
from documents.imports.lookups import ChunkLookups
from documents.imports.outcomes import FileOutcome
from documents.imports.people import PersonResolver
from documents.ingest import (
    Address,
    Email,
    OtherDocument,
    PageRecord,
    PlaceIndex,
    normalize_subject,
)
from documents.ingest.exemptions import strip_exemption_codes
from documents.ingest.places import dominant_states
from documents.ingest.records import remove_nul
from documents.ingest.subjects import without_trailing_marks
from documents.models import (
    Appearance,
    Batch,
    Document,
    Page,
    Person,
    Recipient,
    SourceFile,
    Thread,
)

# How much of a body identifies it, and how alike two must be: a redacted copy differs from its
# original by the redaction codes, a quoted copy by its line wrapping and "> " marks.
BODY_START_CHARS = 200
SAME_BODY_RATIO = 0.75
# Pages, Appearances and jurisdiction mentions are inserted this many at a time.
ROWS_PER_INSERT = 500
# Printed emails written together: looked up in one query per kind (ChunkLookups) and inserted
# in one per table (NewRows), in one savepoint. When one of them cannot be stored, they are
# written again one savepoint each, so that only that one is lost.
EMAILS_PER_SAVEPOINT = 50
Mention = Document.jurisdictions.through


@dataclass
class _Staged:
    """What one printed email adds, kept apart until its savepoint succeeds."""

    appearances: list[Appearance] = field(default_factory=list)
    mentions: list = field(default_factory=list)
    created: int = 0
    thread_ids: set[int] = field(default_factory=set)
    document_ids: set[int] = field(default_factory=set)
    warnings: list[dict] = field(default_factory=list)


class DocumentWriter:
    """Writes the pages and emails of one source file as they are read; the caller holds the
    transaction and calls ``finish`` at the end."""

    def __init__(
        self,
        source_file: SourceFile,
        people: PersonResolver,
        places: PlaceIndex,
        outcome: FileOutcome,
    ):
        self.source_file = source_file
        self.people = people
        self.rows = people.rows  # what the emails and their people add, inserted per chunk
        self.lookups: ChunkLookups | None = None  # the answers for the chunk being written
        self.places = places
        self.bates: dict[int, str] = {}
        self.pages: list[Page] = []
        self.appearances: list[Appearance] = []
        self.mentions: list[Mention] = []
        self.outcome = outcome  # the file's pages, emails, threads and warnings, as written
        self.positions = 0  # appearances numbered in the order printed
        self.pending: list[Email | OtherDocument] = []  # printed, not yet written
        self.last_email: Document | None = None  # what an attachment printed next belongs to
        # The states the release is about so far, and those this file's places add.
        tally = Batch.objects.values_list("place_states", flat=True).get(pk=source_file.batch_id)
        self.release_states = dominant_states(tally)
        self.found_states: Counter[str] = Counter()

    def add(self, item: PageRecord | Email | OtherDocument) -> None:
        if isinstance(item, PageRecord):
            self.add_page(item)
        else:
            self.pending.append(item)
            if len(self.pending) >= EMAILS_PER_SAVEPOINT:
                self.write_pending()

    def add_page(self, page: PageRecord) -> None:
        cut: list[str] = []
        bates = fit(Page, "bates", page.bates, cut, "Bates number")
        stamps = page.stamps
        self.bates[page.number] = bates
        self.pages.append(
            Page(
                source_file=self.source_file,
                number=page.number,
                text=page.text.replace("\x00", ""),
                bates=bates,
                needs_ocr=page.needs_ocr,
                ocr_confidence=page.ocr_confidence,
                # PostgreSQL's jsonb, like its text, cannot hold NUL characters.
                words=[[*word[:4], word[4].replace("\x00", ""), *word[5:]] for word in page.words],
                withheld_in_full=page.withheld,
                withheld_exemptions=list(page.withheld_exemptions),
                case_number=fit(Page, "case_number", stamps.case_number, cut, "case number"),
                document_number=fit(
                    Page, "document_number", stamps.document_number, cut, "document number"
                ),
                release_date=stamps.release_date,
                release_status=fit(
                    Page, "release_status", stamps.release_status, cut, "release status"
                ),
            )
        )
        self.outcome.warnings += [{"text": t, "document": None, "page": page.number} for t in cut]
        self.outcome.pages += 1
        if len(self.pages) >= ROWS_PER_INSERT:
            self._insert()

    def finish(self) -> None:
        self.write_pending()
        self._insert()
        if self.found_states:
            batch = Batch.objects.select_for_update().get(pk=self.source_file.batch_id)
            tally = Counter(batch.place_states) + self.found_states
            Batch.objects.filter(pk=batch.pk).update(place_states=dict(tally))

    def _places(self, text: str, addresses: list[str]) -> list[int]:
        """The jurisdictions ``text`` names, read with the states its addresses and the release
        are in; their states are counted for the release."""
        context = self.places.states_of_addresses(addresses) | self.release_states
        found = self.places.find(text, context)
        self.found_states.update(self.places.state_of[place] for place in found)
        return found

    def _insert(self) -> None:
        Page.objects.bulk_create(self.pages)
        Appearance.objects.bulk_create(self.appearances)
        Mention.objects.bulk_create(self.mentions)
        self.pages.clear()
        self.appearances.clear()
        self.mentions.clear()

    def write_pending(self) -> None:
        """The printed emails and documents added since the last call, in one savepoint; if
        one of them cannot be stored, each again in a savepoint of its own (``write``)."""
        printed, self.pending = self.pending, []
        if not printed:
            return
        kept = (self.last_email, self.found_states.copy())
        written = [_Staged() for _ in printed]
        try:
            with transaction.atomic():
                self._write_chunk(printed, written)
        except DatabaseError:
            self._take_back(kept)
            for each in printed:
                self.write(each)
            return
        for staged in written:
            self._keep(staged)

    def _write_chunk(self, printed: list[Email | OtherDocument], staged: list[_Staged]) -> None:
        """Looked up together, written one after another in memory, inserted together."""
        emails = [e for each in printed if isinstance(each, Email) for e in (each, *each.quoted)]
        for email in emails:
            remove_nul(email)
            _fit_email(email)
        people = [a for e in emails for a in (e.sender, *e.to, *e.cc, *e.bcc) if a is not None]
        others = [document_fingerprint(p) for p in printed if not isinstance(p, Email)]
        self.lookups = ChunkLookups(emails, others, self.rows, self.people.prefetch(people))
        for each, its_staged in zip(printed, staged, strict=True):
            self._write_one(each, its_staged)
        self.rows.insert()

    def _take_back(self, kept: tuple) -> None:
        """Forget what a savepoint that was rolled back added."""
        self.rows.discard()
        self.people.forget()  # it may remember people the savepoint took back
        self.last_email, self.found_states = kept

    def _write_one(self, printed: Email | OtherDocument, staged: _Staged) -> None:
        if isinstance(printed, Email):
            self.last_email = self._write(printed, staged)
        else:
            self._other(printed, staged)

    def write(self, printed: Email | OtherDocument) -> None:
        """One printed email and the chain it quotes (or a document that is not an email), in a
        savepoint of its own: if it cannot be stored, nothing of it stays, the file's warnings
        say why, and the rest of the file goes on."""
        staged = _Staged()
        kept = (self.last_email, self.found_states.copy())
        try:
            with transaction.atomic():
                self._write_chunk([printed], [staged])
        except DatabaseError as error:
            self._take_back(kept)
            what = "an email" if isinstance(printed, Email) else f"a {printed.kind}"
            self.outcome.warnings.append(
                {
                    "text": f"{what} could not be stored ({type(error).__name__}: "
                    f"{str(error).strip()[:300]}); the rest of the file was",
                    "document": None,
                    "page": printed.first_page,
                }
            )
            return
        self._keep(staged)

    def _other(self, printed: OtherDocument, staged: _Staged) -> None:
        """A letter, memo or attachment: a Document of its kind; an attachment joins the email
        printed before it (its parent, in its thread). The same text printed again is matched."""
        # Fitted once: a document written again after its savepoint failed is warned of once.
        printed.date_raw = fit(Document, "date_raw", printed.date_raw, printed.warnings, "date")
        title_key = normalize_subject(printed.title)
        fingerprint_value = document_fingerprint(printed)
        document = self.lookups.with_fingerprint(fingerprint_value)
        matched_by = Appearance.Match.SAME_TEXT if document is not None else Appearance.Match.NEW
        if document is not None:
            staged.thread_ids.add(document.thread_id)
        else:
            parent = self.last_email if printed.kind == Document.Kind.ATTACHMENT else None
            thread_id = parent.thread_id if parent else self._new_thread(printed.title, title_key)
            document = Document(
                kind=printed.kind,
                thread_id=thread_id,
                parent=parent,
                sent_at=printed.sent_at,
                date_raw=printed.date_raw,
                subject=printed.title,
                normalized_subject=title_key,
                body=printed.body.replace("\x00", ""),
                fingerprint=fingerprint_value,
                exemptions=list(printed.exemptions),
                parse_warnings=printed.warnings,
            )
            self._add(document, set())
            staged.mentions.extend(
                Mention(document_id=document.id, jurisdiction_id=place)
                for place in self._places(f"{printed.title}\n{printed.body}", [])
            )
            staged.created += 1
            staged.thread_ids.add(thread_id)
        self._appear(document, printed, None, matched_by, staged)

    def _new_thread(self, subject: str, subject_key: str) -> int:
        return self.rows.add(Thread(subject=subject, normalized_subject=subject_key)).pk

    def _add(self, document: Document, participant_ids: set[int]) -> None:
        self.rows.add(document)
        self.lookups.add(document, participant_ids)

    def _keep(self, staged: _Staged) -> None:
        outcome = self.outcome
        outcome.new_emails += staged.created
        outcome.thread_ids |= staged.thread_ids
        outcome.document_ids |= staged.document_ids
        outcome.warnings += staged.warnings
        for appearance in staged.appearances:
            appearance.position = self.positions
            self.positions += 1
        self.appearances += staged.appearances
        self.mentions += staged.mentions
        if len(self.appearances) + len(self.mentions) >= ROWS_PER_INSERT:
            self._insert()

    def _write(self, email: Email, staged: _Staged) -> Document:
        chain = [email, *email.quoted]
        found: list[tuple[Document, str]] = []
        parent = None
        # Oldest first, so that each reply finds its parent's thread.
        for each in reversed(chain):
            document, matched_by = self._document(each, parent, staged)
            found.append((document, matched_by))
            parent = document
        found.reverse()
        top, top_matched_by = found[0]
        self._appear(top, email, None, top_matched_by, staged)
        for (document, matched_by), quoted in zip(found[1:], email.quoted, strict=True):
            if document.pk != top.pk:
                self._appear(document, quoted, top, matched_by, staged)
        return top

    def _document(
        self, email: Email, parent: Document | None, staged: _Staged
    ) -> tuple[Document, str]:
        """The Document ``email`` is, found or created, and why (an ``Appearance.Match``)."""
        sender = self.people.resolve(email.sender)
        redacted = bool(email.sender and email.sender.redacted)
        subject_key = normalize_subject(email.subject)
        existing, matched_by = self._existing(email, sender, redacted, subject_key)
        if existing is not None:
            self._complete(existing, email, parent)
            if (email.to or email.cc or email.bcc) and not self._has_recipients(existing):
                self._add_recipients(existing, self._recipients(email))
            staged.thread_ids.add(existing.thread_id)
            return existing, matched_by
        recipients = self._recipients(email)
        participants = {p.id for p in [sender, *(r[3] for r in recipients)] if p is not None}
        thread_id = self.lookups.find_thread(
            parent=parent,
            email=email,
            normalized_subject=subject_key,
            participant_ids=participants,
        ) or self._new_thread(email.subject, subject_key)
        document = Document(
            thread_id=thread_id,
            parent=parent,
            sender=sender,
            sender_raw=email.sender.raw if email.sender else "",
            sender_redacted=redacted,
            sent_at=email.sent_at,
            date_raw=email.date_raw,
            subject=email.subject,
            subject_inferred=email.subject_inferred,
            normalized_subject=subject_key,
            body=email.body,
            message_id=email.message_id,
            in_reply_to=email.in_reply_to,
            references=email.references,
            reference_ids=email.references.split(),
            fingerprint=fingerprint(sender, redacted, email, subject_key),
            exemptions=list(email.exemptions),
            attachments=email.attachments,
            parse_warnings=email.warnings,
        )
        self._add(document, participants)
        self._add_recipients(document, recipients)
        staged.mentions.extend(
            Mention(document_id=document.id, jurisdiction_id=place)
            for place in self._places(f"{email.subject}\n{email.body}", _addresses(email))
        )
        staged.created += 1
        staged.warnings += [
            {"text": text, "document": document.pk, "page": email.first_page}
            for text in email.warnings
        ]
        staged.thread_ids.add(thread_id)
        return document, Appearance.Match.NEW

    def _recipients(self, email: Email) -> list[tuple[str, int, Address, Person | None]]:
        return [
            (field_name, position, address, self.people.resolve(address))
            for field_name, addresses in (("to", email.to), ("cc", email.cc), ("bcc", email.bcc))
            for position, address in enumerate(addresses)
            if address.raw or address.redacted
        ]

    def _add_recipients(self, document: Document, recipients: list) -> None:
        for field_name, position, address, person in recipients:
            self.rows.add(
                Recipient(
                    document=document,
                    person=person,
                    field=field_name,
                    raw=address.raw or "(blank)",
                    redacted=address.redacted,
                    position=position,
                )
            )
        if recipients:
            self.lookups.with_recipients.add(document.pk)
            self.lookups.joined(document.thread_id, {r[3].pk for r in recipients if r[3]})

    def _has_recipients(self, document: Document) -> bool:
        if document.pk in self.lookups.with_recipients:
            return True
        return not self.rows.is_new(document) and document.recipient_entries.exists()

    def _existing(
        self, email: Email, sender: Person | None, redacted: bool, subject_key: str
    ) -> tuple[Document | None, str]:
        """The Document ``email`` already is, and why; (None, "") when it is a new one."""
        candidates = self.lookups.copies(email, sender and sender.pk, redacted, subject_key)
        for candidate in candidates:
            if email.message_id and candidate.message_id == email.message_id:
                return candidate, Appearance.Match.MESSAGE_ID
        for candidate in candidates:
            if same_body(candidate.body, email.body):
                return candidate, Appearance.Match.PRINTED_ALIKE
        return None, ""  # an equal fingerprint would have been one of the candidates

    def _complete(self, document: Document, email: Email, parent: Document | None) -> None:
        """A later copy may print what an earlier one lacked (a Message-ID, recipients, its own
        subject line)."""
        changed = []
        for name in ("message_id", "in_reply_to", "references"):
            if not getattr(document, name) and getattr(email, name):
                setattr(document, name, getattr(email, name))
                changed.append(name)
        if "references" in changed:
            document.reference_ids = document.references.split()
            changed.append("reference_ids")
        if document.sent_at is None and email.sent_at is not None:
            document.sent_at, document.date_raw = email.sent_at, email.date_raw[:200]
            changed += ["sent_at", "date_raw"]
        if document.subject_inferred and not email.subject_inferred and email.subject:
            # A copy printed with its Subject line replaces the subject taken from a reply.
            document.subject, document.subject_inferred = email.subject, False
            changed += ["subject", "subject_inferred"]
        elif _marked_copy_of(document.subject, email.subject):
            # The first copy's subject ended in a mark this one lacks: a speck on a scan adds
            # dots and dashes far more often than it hides a full stop.
            document.subject = email.subject
            changed.append("subject")
        if not document.attachments and email.attachments:
            document.attachments = email.attachments
            changed.append("attachments")
        if document.parent_id is None and parent is not None and parent.pk != document.pk:
            document.parent = parent
            changed.append("parent")
        extra = [code for code in email.exemptions if code not in document.exemptions]
        if extra:
            document.exemptions = [*document.exemptions, *extra]
            changed.append("exemptions")
        if changed and not self.rows.is_new(document):
            document.save(update_fields=changed)

    def _appear(
        self,
        document: Document,
        email: Email | OtherDocument,
        quoted_in: Document | None,
        matched_by: str,
        staged: _Staged,
    ) -> None:
        first, last = email.first_page, email.last_page
        staged.appearances.append(
            Appearance(
                document=document,
                source_file=self.source_file,
                kind=Appearance.Kind.QUOTED if quoted_in else Appearance.Kind.STANDALONE,
                quoted_in=quoted_in,
                matched_by=matched_by,
                first_page=first,
                last_page=last if first is not None else None,
                bates_start=self.bates.get(first, "") if first else "",
                bates_end=self.bates.get(last, "") if last else "",
            )
        )
        staged.document_ids.add(document.pk)


def _marked_copy_of(kept: str, other: str) -> bool:
    """``kept`` is ``other`` with marks after it: "Communities." and "Communities"."""
    extra = kept[len(other) :]
    return bool(other and extra) and kept.startswith(other) and not without_trailing_marks(extra)


def _addresses(email: Email) -> list[str]:
    """The addresses printed with an email: its sender's and its recipients'."""
    people = [email.sender, *email.to, *email.cc, *email.bcc]
    return [person.email for person in people if person is not None and person.email]


def _fit_email(email: Email) -> None:
    """Every value of ``email`` that goes into a column fits it; what was cut is a warning."""
    warnings = email.warnings
    email.date_raw = fit(Document, "date_raw", email.date_raw, warnings, "date")
    email.message_id = fit(Document, "message_id", email.message_id, warnings, "Message-ID")
    email.in_reply_to = fit(Document, "in_reply_to", email.in_reply_to, warnings, "In-Reply-To")
    if email.sender is not None:
        email.sender = fit_address(email.sender, Document, "sender_raw", warnings, "sender")
    for name in ("to", "cc", "bcc"):
        addresses = getattr(email, name)
        fitted = [fit_address(a, Recipient, "raw", warnings, name.capitalize()) for a in addresses]
        setattr(email, name, fitted)


def body_key(body: str) -> str:
    """The start of a body with redaction codes, quote marks, spacing and case removed."""
    text = strip_exemption_codes(body)
    return re.sub(r"[^a-z0-9]+", "", text.lower())[:BODY_START_CHARS]


def same_body(first: str, second: str) -> bool:
    a, b = body_key(first), body_key(second)
    if not a or not b or a.startswith(b) or b.startswith(a):
        return True
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= SAME_BODY_RATIO


def document_fingerprint(printed: OtherDocument) -> str:
    """The dedupe key of a document that is not an email: its title and the start of its text."""
    key = f"document|{normalize_subject(printed.title)}|{body_key(printed.body)}"
    return hashlib.sha256(key.encode()).hexdigest()


def fingerprint(sender: Person | None, redacted: bool, email: Email, subject_key: str) -> str:
    """The dedupe key stored on a Document; empty when too little is known to be sure. It holds
    the Message-ID when there is one, so that two alike emails with their own IDs both fit."""
    if email.sent_at is None or not (sender or redacted):
        return ""
    who = (
        f"person:{sender.id}"
        if sender
        else "redacted:" + (email.sender.raw if email.sender else "")
    )
    minute = email.sent_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M")
    text = f"{who}|{minute}|{subject_key}|{body_key(email.body)}"
    if email.message_id:
        text += f"|{email.message_id}"
    return hashlib.sha256(text.encode()).hexdigest()
