"""What the emails of a chunk ask the archive, asked once for the whole chunk: their earlier
copies, the emails they name or that name them, the threads their subjects may continue.

The answers are kept with the emails the chunk adds as it goes (``NewRows``, inserted at its
end), and each email is answered from them by the same rules a query per email would apply:
as if every email before it had been stored."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Q

from documents.imports.new_rows import NewRows
from documents.ingest import Email, normalize_subject
from documents.models import Document, Person, Recipient, Thread
from documents.threads import THREAD_WINDOW

MINUTE = timedelta(minutes=1)


def references_of(email: Email) -> list[str]:
    """The Message-IDs an email names: its References, then its In-Reply-To."""
    found = [*re.findall(r"<[^<>\s]+>", email.references), email.in_reply_to]
    return [reference for reference in found if reference]


@dataclass
class _ThreadFacts:
    """A thread an email of the chunk may continue by its subject, as stored before the chunk,
    with the people of the chunk known to take part in it."""

    normalized_subject: str
    first_sent_at: datetime
    last_sent_at: datetime
    participants: set[int] = field(default_factory=set)


class ChunkLookups:
    def __init__(
        self, emails: list[Email], fingerprints: list[str], rows: NewRows, people_known: set[int]
    ) -> None:
        """``emails``: every email of the chunk, quoted ones too, their values fitted to the
        columns; ``fingerprints``: those of its documents that are not emails; ``people_known``:
        the people already in the archive its addresses name."""
        self._emails = emails
        self._fingerprints = fingerprints
        self._rows = rows
        self._people_known = people_known
        # The archive's emails the chunk's may be copies of, or name, or be named by; then the
        # chunk's own new ones. Changes made to them during the chunk are seen by later emails.
        self.documents: dict[int, Document] = {}
        self.with_recipients: set[int] = set()  # emails of the chunk given recipients
        self._threads: dict[int, _ThreadFacts] | None = None  # asked when first needed
        self._joined: dict[int, set[int]] = {}  # thread id: people the chunk's emails add
        self._people_asked: set[int] = set()
        self._fetch()

    def _fetch(self) -> None:
        """One query: by Message-ID either way, by sender minute and subject (the sender is
        compared in memory, as it may be a person the chunk adds), and by fingerprint."""
        ids = {email.message_id for email in self._emails if email.message_id}
        named = {reference for email in self._emails for reference in references_of(email)}
        wanted = Q(message_id__in=ids | named) if ids | named else Q()
        if self._fingerprints:
            wanted |= Q(fingerprint__in=self._fingerprints)
        if ids:
            wanted |= Q(in_reply_to__in=ids) | Q(reference_ids__overlap=list(ids))
        for email in self._emails:
            if email.sent_at is not None:
                minute = email.sent_at.replace(second=0, microsecond=0)
                wanted |= Q(
                    sent_at__gte=minute,
                    sent_at__lt=minute + MINUTE,
                    normalized_subject=normalize_subject(email.subject),
                )
        if wanted:
            # Unordered, so that the planner asks the indexes (see test_import_lookups).
            found = Document.objects.filter(wanted).order_by()
            self.documents = {document.pk: document for document in found}

    def add(self, document: Document, participant_ids: set[int]) -> None:
        """A new email or document of the chunk, with the people it names."""
        self.documents[document.pk] = document
        self.joined(document.thread_id, participant_ids)

    def joined(self, thread_id: int, participant_ids: set[int]) -> None:
        self._joined.setdefault(thread_id, set()).update(participant_ids)

    def copies(self, email: Email, sender_id: int | None, redacted: bool, subject_key: str):
        """The emails ``email`` may be a copy of, in the archive's order: the one with its
        Message-ID, and those of the same sender, minute and subject without one (a Document
        with another Message-ID is another email)."""
        minute = email.sent_at and email.sent_at.replace(second=0, microsecond=0)

        def alike(found: Document) -> bool:
            if email.message_id and found.message_id == email.message_id:
                return True
            return (
                minute is not None
                and found.sent_at is not None
                and minute <= found.sent_at < minute + MINUTE
                and found.normalized_subject == subject_key
                and found.sender_id == sender_id
                and found.sender_redacted == redacted
                and not (email.message_id and found.message_id)
            )

        return sorted(
            filter(alike, self.documents.values()),
            key=lambda found: (
                found.sent_at is None,
                found.sent_at and found.sent_at.timestamp(),
                found.pk,
            ),
        )

    def with_fingerprint(self, fingerprint: str) -> Document | None:
        return next((d for d in self.documents.values() if d.fingerprint == fingerprint), None)

    def find_thread(
        self,
        *,
        parent: Document | None,
        email: Email,
        normalized_subject: str,
        participant_ids: set[int],
    ) -> int | None:
        """The id of the existing thread for a new email, by evidence from strongest to
        weakest: the email quoting it, the emails it names or that name it, then a recent
        thread of the same subject that one of its people takes part in."""
        if parent is not None:
            return parent.thread_id
        thread_id = self._thread_by_message_ids(email.message_id, references_of(email))
        if thread_id is not None:
            return thread_id
        # An empty subject ("FW:" alone) is no evidence of a conversation.
        if not normalized_subject or email.sent_at is None or not participant_ids:
            return None
        return self._thread_by_subject(normalized_subject, email.sent_at, participant_ids)

    def _thread_by_message_ids(self, message_id: str, references: list[str]) -> int | None:
        """The thread of the newest email this one names, else of the first reply imported that
        names it."""
        named = [d for d in self.documents.values() if d.message_id and d.message_id in references]
        if named:
            newest = max(
                named, key=lambda d: (d.sent_at is not None, d.sent_at or datetime.min, -d.pk)
            )
            return newest.thread_id
        if not message_id:
            return None
        replies = [
            d
            for d in self.documents.values()
            if d.in_reply_to == message_id or message_id in d.reference_ids
        ]
        return min(replies, key=lambda d: d.pk).thread_id if replies else None

    def _thread_by_subject(
        self, subject: str, sent_at: datetime, participant_ids: set[int]
    ) -> int | None:
        candidates = [
            (thread_id, facts)
            for thread_id, facts in self._subject_threads().items()
            if facts.normalized_subject == subject
            and facts.first_sent_at <= sent_at + THREAD_WINDOW
            and facts.last_sent_at >= sent_at - THREAD_WINDOW
        ]
        if not candidates:
            return None
        self._ask_participants(participant_ids)
        taking_part = [
            (facts.last_sent_at, thread_id)
            for thread_id, facts in candidates
            if participant_ids & (facts.participants | self._joined.get(thread_id, set()))
        ]
        return max(taking_part)[1] if taking_part else None

    def _subject_threads(self) -> dict[int, _ThreadFacts]:
        """The dated threads whose subject an email of the chunk has, near enough in time to
        any of them: one query, when the chunk first needs it."""
        if self._threads is None:
            subjects = {normalize_subject(email.subject) for email in self._emails}
            times = [email.sent_at for email in self._emails if email.sent_at is not None]
            rows = Thread.objects.none()
            if times and subjects - {""}:
                rows = Thread.objects.filter(
                    normalized_subject__in=subjects - {""},
                    first_sent_at__lte=max(times) + THREAD_WINDOW,
                    last_sent_at__gte=min(times) - THREAD_WINDOW,
                ).order_by()
            self._threads = {
                pk: _ThreadFacts(subject, first, last)
                for pk, subject, first, last in rows.values_list(
                    "pk", "normalized_subject", "first_sent_at", "last_sent_at"
                )
            }
        return self._threads

    def _ask_participants(self, participant_ids: set[int]) -> None:
        """Which of the chunk's threads by subject these people (and, asked the first time,
        every person of the archive the chunk names) wrote or received an email in."""
        people = (participant_ids | self._people_known) - self._people_asked
        people = {pk for pk in people if not self._rows.is_new_id(Person, pk)}
        threads = self._subject_threads()
        if not people or not threads:
            return
        self._people_asked |= people
        sent = Document.objects.filter(thread_id__in=list(threads), sender_id__in=people)
        received = Recipient.objects.filter(
            document__thread_id__in=list(threads), person_id__in=people
        )
        for thread_id, person_id in [
            *sent.order_by().values_list("thread_id", "sender_id").distinct(),
            *received.order_by().values_list("document__thread_id", "person_id").distinct(),
        ]:
            threads[thread_id].participants.add(person_id)
