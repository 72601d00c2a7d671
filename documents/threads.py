"""The facts each Thread rolls up from its emails, and how near in time a thread's emails are
(which thread a new email joins is found with its chunk's lookups, documents.imports.lookups)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import (
    Case,
    Count,
    F,
    Max,
    Min,
    OuterRef,
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
