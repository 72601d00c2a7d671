"""Deleting a batch with everything that exists only because of it.

The emails printed only in this batch go, with their recipients and citations; emails also
printed in another batch stay, with that batch's citations. Threads left without emails and
people left without any email go too. The search index follows through the task worker: entries
of deleted emails are dropped, and emails that stay are re-indexed (their batch facet changed).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef

from documents import audit
from documents.archive_cache import archive_changed
from documents.models import Appearance, AuditEntry, Batch, Document, Person, Recipient, Thread
from documents.threads import refresh_threads
from search.tasks import index_emails, remove_emails


@dataclass(frozen=True)
class BatchDeletion:
    batch: str
    emails: int
    threads: int
    people: int
    emails_kept: int  # also printed in another batch


def delete_batch(batch: Batch, actor=None) -> BatchDeletion:
    """``actor``: who asked (for the audit log); None for the command line."""
    with transaction.atomic():
        in_batch = Appearance.objects.filter(source_file__batch=batch)
        elsewhere = Appearance.objects.filter(document=OuterRef("pk")).exclude(
            source_file__batch=batch
        )
        documents = Document.objects.filter(pk__in=in_batch.values("document_id"))
        only_here = set(documents.exclude(Exists(elsewhere)).values_list("pk", flat=True))
        kept = set(documents.values_list("pk", flat=True)) - only_here
        doomed = Document.objects.filter(pk__in=only_here)
        thread_ids = set(doomed.values_list("thread_id", flat=True))
        people = set(doomed.exclude(sender=None).values_list("sender_id", flat=True))
        people |= set(
            Recipient.objects.filter(document__in=doomed)
            .exclude(person=None)
            .values_list("person_id", flat=True)
        )
        name = batch.name
        archive_changed()
        batch.delete()  # its files, pages and citations
        doomed.delete()  # their recipients and remaining citations
        empty_threads = Thread.objects.filter(pk__in=thread_ids).exclude(
            Exists(Document.objects.filter(thread=OuterRef("pk")))
        )
        threads_gone = empty_threads.count()
        empty_threads.delete()
        kept_threads = Document.objects.filter(pk__in=kept).values_list("thread_id", flat=True)
        refresh_threads(thread_ids | set(kept_threads))
        unused = (
            Person.objects.filter(pk__in=people)
            .exclude(Exists(Document.objects.filter(sender=OuterRef("pk"))))
            .exclude(Exists(Recipient.objects.filter(person=OuterRef("pk"))))
        )
        people_gone = unused.count()
        unused.delete()
        removed, reindexed = sorted(only_here), sorted(kept)
        audit.record(
            actor,
            AuditEntry.Action.BATCH_DELETED,
            name,
            emails=len(only_here),
            threads=threads_gone,
            people=people_gone,
            emails_kept=len(kept),
        )
        if removed:
            transaction.on_commit(lambda: remove_emails.enqueue(removed))
        if reindexed:
            transaction.on_commit(lambda: index_emails.enqueue(reindexed))
    return BatchDeletion(name, len(only_here), threads_gone, people_gone, len(kept))
