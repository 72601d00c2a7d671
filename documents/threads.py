"""Which Thread an email belongs to, and the facts each Thread rolls up from its emails."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import (
    Case,
    Count,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Now

from documents.models import Document, Recipient, Thread

# Emails with the same subject and a shared participant are one conversation when they fall
# within this many days of the thread's first or last email.
THREAD_WINDOW = timedelta(days=30)
# Threads recomputed together, in one set of queries.
THREADS_PER_REFRESH = 500
# The distinct exemption codes of a thread's emails, sorted as Python sorts them.
_THREAD_EXEMPTIONS = (
    f'ARRAY(SELECT DISTINCT code COLLATE "C" FROM {Document._meta.db_table} d, '
    f"unnest(d.exemptions) AS code WHERE d.thread_id = {Thread._meta.db_table}.id ORDER BY 1)"
)


def find_thread(
    *,
    parent: Document | None,
    message_id: str,
    references: list[str],
    normalized_subject: str,
    sent_at: datetime | None,
    participant_ids: set[int],
) -> int | None:
    """The id of the existing thread for a new email, by evidence from strongest to weakest."""
    if parent is not None:
        return parent.thread_id
    thread_id = _thread_by_message_ids(message_id, references)
    if thread_id is not None:
        return thread_id
    # An empty subject ("FW:" alone) is no evidence of a conversation.
    if not normalized_subject or sent_at is None or not participant_ids:
        return None
    return (
        Thread.objects.filter(
            normalized_subject=normalized_subject,
            first_sent_at__lte=sent_at + THREAD_WINDOW,
            last_sent_at__gte=sent_at - THREAD_WINDOW,
        )
        .filter(
            Q(documents__sender_id__in=participant_ids)
            | Q(documents__recipient_entries__person_id__in=participant_ids)
        )
        .order_by("-last_sent_at")
        .values_list("pk", flat=True)
        .first()
    )


def _thread_by_message_ids(message_id: str, references: list[str]) -> int | None:
    """The thread of the newest email this one refers to, else of the first reply imported that
    refers to it."""
    lookup = related_by_message_ids(message_id, references)
    if lookup is None:
        return None
    found = list(lookup.values_list("pk", "thread_id", "message_id", "sent_at"))
    referred = [row for row in found if row[2] and row[2] in references]
    if referred:
        newest = max(
            referred, key=lambda row: (row[3] is not None, row[3] or datetime.min, -row[0])
        )
        return newest[1]
    return min(found)[1] if found else None  # the first reply imported


def related_by_message_ids(message_id: str, references: list[str]):
    """The emails a new one refers to and those that refer to it, in one query, unordered: the
    planner then asks the Message-ID and reply indexes however large the archive (ordered by
    date, it may walk the date index through the whole table). None when there is nothing to
    ask."""
    wanted = Q(message_id__in=references) if references else Q()
    if message_id:
        wanted |= Q(in_reply_to=message_id) | Q(reference_ids__contains=[message_id])
    return Document.objects.filter(wanted).order_by() if wanted else None


def refresh_threads(thread_ids: set[int]) -> None:
    """Recompute the dates, count, participants, jurisdictions and exemptions of threads, with a
    fixed number of queries per THREADS_PER_REFRESH threads, so memory stays flat."""
    ordered = sorted(thread_ids)
    for start in range(0, len(ordered), THREADS_PER_REFRESH):
        _refresh(set(ordered[start : start + THREADS_PER_REFRESH]))


def _refresh(thread_ids: set[int]) -> None:
    own = Document.objects.filter(thread_id=OuterRef("pk")).order_by().values("thread_id")
    Thread.objects.filter(id__in=thread_ids).update(
        message_count=Coalesce(Subquery(own.annotate(n=Count("id")).values("n")), 0),
        first_sent_at=Subquery(own.annotate(first=Min("sent_at")).values("first")),
        last_sent_at=Subquery(own.annotate(last=Max("sent_at")).values("last")),
        exemptions=RawSQL(_THREAD_EXEMPTIONS, ()),
        subject=Case(
            When(
                subject="",
                then=Coalesce(
                    Subquery(
                        Document.objects.filter(thread_id=OuterRef("pk"))
                        .exclude(subject="")
                        .order_by(F("sent_at").asc(nulls_last=True), "id")
                        .values("subject")[:1]
                    ),
                    Value(""),
                    output_field=TextField(),
                ),
            ),
            default=F("subject"),
        ),
        updated_at=Now(),
    )
    documents = Document.objects.filter(thread_id__in=thread_ids)
    participants = set(documents.exclude(sender=None).values_list("thread_id", "sender_id"))
    participants |= set(
        Recipient.objects.filter(document__thread_id__in=thread_ids)
        .exclude(person=None)
        .values_list("document__thread_id", "person_id")
    )
    places = set(
        Document.jurisdictions.through.objects.filter(
            document__thread_id__in=thread_ids
        ).values_list("document__thread_id", "jurisdiction_id")
    )
    _replace_links(Thread.participants.through, "person_id", thread_ids, participants)
    _replace_links(Thread.jurisdictions.through, "jurisdiction_id", thread_ids, places)


def _replace_links(through, target: str, thread_ids: set[int], pairs: set[tuple[int, int]]) -> None:
    through.objects.filter(thread_id__in=thread_ids).delete()
    through.objects.bulk_create(through(thread_id=t, **{target: other}) for t, other in pairs)
