"""Which Thread an email belongs to, and the facts each Thread rolls up from its emails."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Count, Max, Min, Q

from documents.models import Document, Recipient, Thread

# Emails with the same subject and a shared participant are one conversation when they fall
# within this many days of the thread's first or last email.
THREAD_WINDOW = timedelta(days=30)


def find_thread(
    *,
    parent: Document | None,
    message_id: str,
    references: list[str],
    normalized_subject: str,
    sent_at: datetime | None,
    participant_ids: set[int],
) -> Thread | None:
    """The existing thread for a new email, by evidence from strongest to weakest."""
    if parent is not None:
        return parent.thread
    if references:
        known = Document.objects.filter(message_id__in=references).order_by("-sent_at").first()
        if known:
            return known.thread
    if message_id:
        reply = Document.objects.filter(
            Q(in_reply_to=message_id) | Q(references__contains=message_id)
        ).first()
        if reply:
            return reply.thread
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
        .first()
    )


def refresh_threads(thread_ids: set[int]) -> None:
    """Recompute the dates, count, participants, jurisdictions and exemptions of threads."""
    for thread in Thread.objects.filter(id__in=thread_ids):
        documents = Document.objects.filter(thread=thread)
        facts = documents.aggregate(
            count=Count("id"),
            first=Min("sent_at"),
            last=Max("sent_at"),
        )
        thread.message_count = facts["count"]
        thread.first_sent_at, thread.last_sent_at = facts["first"], facts["last"]
        thread.exemptions = sorted(
            {code for codes in documents.values_list("exemptions", flat=True) for code in codes}
        )
        if not thread.subject:
            first = documents.exclude(subject="").order_by("sent_at", "id").first()
            thread.subject = first.subject if first else ""
        thread.save()
        senders = set(documents.exclude(sender=None).values_list("sender_id", flat=True))
        recipients = set(
            Recipient.objects.filter(document__thread=thread)
            .exclude(person=None)
            .values_list("person_id", flat=True)
        )
        thread.participants.set(senders | recipients)
        thread.jurisdictions.set(
            set(documents.exclude(jurisdictions=None).values_list("jurisdictions", flat=True))
        )


def delete_empty_threads(thread_ids: set[int]) -> None:
    Thread.objects.filter(id__in=thread_ids, documents=None).delete()
