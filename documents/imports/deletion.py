"""Deleting a batch with everything that exists only because of it.

The emails printed only in this batch go, with their recipients and citations; emails also
printed in another batch stay, with that batch's citations. Threads left without emails, people
left without any email, and the notes on those threads or on the emails that go, go too. The
search index follows through the task worker: entries of deleted emails are dropped, and emails
that stay are re-indexed (their batch facet changed). ``plan_deletion`` says all this before
anything is deleted, for the confirmation page.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

import search
from documents import audit
from documents.archive_cache import archive_changed
from documents.models import (
    Annotation,
    Appearance,
    AuditEntry,
    Batch,
    Document,
    Person,
    Recipient,
    Thread,
)
from documents.threads import refresh_threads


@dataclass(frozen=True)
class BatchDeletion:
    batch: str
    emails: int
    threads: int
    people: int
    emails_kept: int  # also printed in another batch
    notes: int = 0


@dataclass
class DeletionPlan:
    """What deleting the batch would take with it."""

    batch: Batch
    emails: QuerySet  # printed only in this batch
    emails_kept: QuerySet  # also printed in another
    threads: QuerySet  # left without emails
    people: QuerySet  # left without any email
    notes: QuerySet  # on those threads, or on the emails that go


def plan_deletion(batch: Batch) -> DeletionPlan:
    in_batch = Appearance.objects.filter(source_file__batch=batch)
    elsewhere = Appearance.objects.filter(document=OuterRef("pk")).exclude(source_file__batch=batch)
    printed = Document.objects.filter(pk__in=in_batch.values("document_id"))
    doomed = printed.exclude(Exists(elsewhere))
    doomed_ids = doomed.values("pk")
    threads = Thread.objects.filter(pk__in=doomed.values("thread_id")).exclude(
        Exists(Document.objects.filter(thread=OuterRef("pk")).exclude(pk__in=doomed_ids))
    )
    people = (
        Person.objects.filter(
            Q(pk__in=doomed.values("sender_id"))
            | Q(pk__in=Recipient.objects.filter(document__in=doomed_ids).values("person_id"))
        )
        .exclude(Exists(Document.objects.filter(sender=OuterRef("pk")).exclude(pk__in=doomed_ids)))
        .exclude(
            Exists(Recipient.objects.filter(person=OuterRef("pk")).exclude(document__in=doomed_ids))
        )
    )
    notes = Annotation.objects.filter(
        Q(thread__in=threads.values("pk")) | Q(document__in=doomed_ids)
    ).select_related("author", "thread")
    return DeletionPlan(batch, doomed, printed.filter(Exists(elsewhere)), threads, people, notes)


def delete_batch(batch: Batch, actor=None) -> BatchDeletion:
    """``actor``: who asked (for the audit log); None for the command line."""
    with transaction.atomic():
        plan = plan_deletion(batch)
        only_here = set(plan.emails.values_list("pk", flat=True))
        kept = set(plan.emails_kept.values_list("pk", flat=True))
        thread_ids = set(plan.emails.values_list("thread_id", flat=True))
        people = list(plan.people.values_list("pk", flat=True))
        notes = plan.notes.count()
        name = batch.name
        archive_changed()
        batch.delete()  # its files, pages and citations
        Document.objects.filter(pk__in=only_here).delete()  # their recipients, notes on them
        empty_threads = Thread.objects.filter(pk__in=thread_ids).exclude(
            Exists(Document.objects.filter(thread=OuterRef("pk")))
        )
        threads_gone = empty_threads.count()
        empty_threads.delete()
        kept_threads = Document.objects.filter(pk__in=kept).values_list("thread_id", flat=True)
        refresh_threads(thread_ids | set(kept_threads))
        Person.objects.filter(pk__in=people).delete()
        audit.record(
            actor,
            AuditEntry.Action.BATCH_DELETED,
            name,
            emails=len(only_here),
            threads=threads_gone,
            people=len(people),
            emails_kept=len(kept),
            notes=notes,
        )
        search.follow(emails=kept, removed=only_here)
        uploads = Path(settings.MEDIA_ROOT) / "uploads" / name
        transaction.on_commit(lambda: shutil.rmtree(uploads, ignore_errors=True))
    return BatchDeletion(name, len(only_here), threads_gone, len(people), len(kept), notes)
