"""Editors repair the threading: merge two threads, or move an email into another thread or a
new one. Every repair is a ThreadChange that can be undone, an audit entry, a new archive
revision, and a re-index of the threads it touched (through the task worker).

A thread left without emails is deleted, so lists never show empty threads; its number, subject
and tags are kept in the change, undoing brings it back under the same number, and its address
meanwhile leads to the thread its emails went to (``merged_into``). Notes follow their emails;
notes on a deleted thread as a whole go with its emails.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

import search
from documents import audit
from documents.archive_cache import archive_changed
from documents.fitting import nul_problem
from documents.models import Annotation, AuditEntry, Document, Thread, ThreadChange
from documents.threads import THREAD_WINDOW, refresh_threads

CANDIDATES_SHOWN = 8
# How far ``merged_into`` follows a merged thread's successors (A into B, B into C, ...).
MAX_MERGE_CHAIN = 20


class RepairError(ValueError):
    """A repair that cannot be made, with a reason to show the editor."""


def _label(thread: Thread) -> str:
    return f"thread {thread.pk}: {thread.subject or '(no subject)'}"


def merge_threads(source: Thread, target: Thread, user, reason: str = "") -> ThreadChange:
    """Every email of ``source`` goes to ``target``; ``source`` is deleted."""
    if source.pk == target.pk:
        raise RepairError("A thread cannot be merged into itself.")
    _check_reason(reason)
    with transaction.atomic():
        _lock(source, target)
        moves = [[pk, source.pk, target.pk] for pk in source.documents.values_list("pk", flat=True)]
        merged = _label(source)  # before the thread is deleted
        change = _apply(
            ThreadChange.Kind.MERGE, moves, source, target, user, reason, created_target=False
        )
        audit.record(
            user,
            AuditEntry.Action.THREADS_MERGED,
            _label(target),
            reverse("thread", args=[target.pk]),
            merged=merged,
            emails=len(moves),
            change=change.pk,
        )
    return change


def move_email(document: Document, target: Thread | None, user, reason: str = "") -> ThreadChange:
    """``document`` goes to ``target``, or to a new thread of its own when ``target`` is None."""
    _check_reason(reason)
    with transaction.atomic():
        document = Document.objects.select_related("thread").get(pk=document.pk)  # as it is now
        source = document.thread
        if target is not None and target.pk == source.pk:
            raise RepairError("The email is already in that thread.")
        created = target is None
        if created:
            target = Thread.objects.create(
                subject=document.subject, normalized_subject=document.normalized_subject
            )
        _lock(source, target)
        change = _apply(
            ThreadChange.Kind.MOVE,
            [[document.pk, source.pk, target.pk]],
            source,
            target,
            user,
            reason,
            created_target=created,
        )
        audit.record(
            user,
            AuditEntry.Action.EMAIL_MOVED,
            f"email {document.pk}: {document.subject}",
            reverse("document", args=[document.pk]),
            from_thread=source.pk,
            to_thread=target.pk,
            new_thread=created,
            change=change.pk,
        )
    return change


def _check_reason(reason: str) -> None:
    if problem := nul_problem("The reason", reason):
        raise RepairError(problem)


def _lock(*threads: Thread) -> None:
    list(Thread.objects.select_for_update().filter(pk__in=[t.pk for t in threads]).order_by("pk"))


def _apply(kind, moves, source: Thread, target: Thread, user, reason, *, created_target):
    moved_ids = [pk for pk, _, _ in moves]
    Document.objects.filter(pk__in=moved_ids).update(thread=target)
    notes = Annotation.objects.filter(thread=source, document_id__in=moved_ids)
    emptied = not source.documents.exists()
    if emptied:  # the thread's own notes go with its emails
        notes = Annotation.objects.filter(thread=source)
    moved_notes = [[pk, source.pk] for pk in notes.values_list("pk", flat=True)]
    notes.update(thread=target)
    removed, added_tags = [], []
    if emptied:
        have = {tag.name.casefold() for tag in target.tags.all()}
        tags = [tag.name for tag in source.tags.all()]
        added_tags = [name for name in tags if name.casefold() not in have]
        removed.append(
            {
                "id": source.pk,
                "subject": source.subject,
                "normalized_subject": source.normalized_subject,
                "tags": tags,
            }
        )
        if added_tags:
            target.tags.add(*added_tags)
        source.delete()
    refresh_threads({target.pk} | (set() if emptied else {source.pk}))
    change = ThreadChange.objects.create(
        kind=kind,
        target=target,
        target_number=target.pk,
        created_target=created_target,
        moves=moves,
        removed_threads=removed,
        added_tags=added_tags,
        moved_annotations=moved_notes,
        reason=reason[:500],
        made_by=user,
    )
    _changed({target.pk} | (set() if emptied else {source.pk}))
    return change


def _changed(thread_ids: set[int]) -> None:
    archive_changed()
    search.follow(threads=thread_ids)


def undo(change: ThreadChange, user) -> None:
    """Put every email, note and tag back where the change found them."""
    with transaction.atomic():
        change = ThreadChange.objects.select_for_update().get(pk=change.pk)
        if change.undone_at:
            raise RepairError("This change was undone already.")
        emails = dict(
            Document.objects.filter(pk__in=[pk for pk, _, _ in change.moves]).values_list(
                "pk", "thread_id"
            )
        )
        if any(emails.get(pk, after) != after for pk, _, after in change.moves):
            raise RepairError(
                "An email of this change has been moved again since; undo the later change first."
            )
        for kept in change.removed_threads:
            fields = {"subject": kept["subject"], "normalized_subject": kept["normalized_subject"]}
            thread, made = Thread.objects.get_or_create(pk=kept["id"], defaults=fields)
            if made and kept["tags"]:
                thread.tags.add(*kept["tags"])
        # One update per thread the emails and notes came from, not one per email.
        for before, pks in _by_origin((pk, before) for pk, before, _ in change.moves).items():
            Document.objects.filter(pk__in=pks).update(thread_id=before)
        for before, pks in _by_origin(change.moved_annotations).items():
            Annotation.objects.filter(pk__in=pks, thread_id=change.target_number).update(
                thread_id=before
            )
        touched = {before for _, before, _ in change.moves}
        target = Thread.objects.filter(pk=change.target_number).first()
        if target is not None:
            if change.added_tags:
                target.tags.remove(*change.added_tags)
            if change.created_target and not target.documents.exists():
                # notes written on the new thread since go back with its first email
                Annotation.objects.filter(thread=target).update(thread_id=change.moves[0][1])
                target.delete()
            else:
                touched.add(target.pk)
        refresh_threads(touched)
        change.undone_at, change.undone_by = timezone.now(), user
        change.save(update_fields=["undone_at", "undone_by"])
        audit.record(
            user,
            AuditEntry.Action.REPAIR_UNDONE,
            str(change),
            reverse("thread-changes"),
            change=change.pk,
        )
        _changed(touched)


def _by_origin(pairs) -> dict[int, list[int]]:
    """``[id, thread before]`` pairs grouped by the thread."""
    grouped: dict[int, list[int]] = defaultdict(list)
    for pk, before in pairs:
        grouped[before].append(pk)
    return grouped


def merged_into(thread_id: int) -> int | None:
    """The thread that now holds the emails of a thread deleted by a repair, if any."""
    current, seen = thread_id, set()
    for _ in range(MAX_MERGE_CHAIN):
        seen.add(current)
        change = (
            ThreadChange.objects.filter(removed_threads__contains=[{"id": current}], undone_at=None)
            .order_by("-made_at", "-pk")
            .first()
        )
        if change is None:
            return None
        current = change.target_number
        if current in seen:
            return None
        if Thread.objects.filter(pk=current).exists():
            return current
    return None


def merge_candidates(thread: Thread) -> list[Thread]:
    """Threads an editor may mean to merge this one with: the same subject first, then threads
    sharing a participant within the threading window of this one's dates."""
    others = Thread.objects.exclude(pk=thread.pk)
    same = list(
        others.filter(normalized_subject=thread.normalized_subject).exclude(normalized_subject="")[
            :CANDIDATES_SHOWN
        ]
    )
    if len(same) >= CANDIDATES_SHOWN or thread.first_sent_at is None:
        return same
    near = (
        others.filter(
            participants__in=thread.participants.all(),
            first_sent_at__lte=thread.last_sent_at + THREAD_WINDOW,
            last_sent_at__gte=thread.first_sent_at - THREAD_WINDOW,
        )
        .exclude(pk__in=[t.pk for t in same])
        .distinct()
        .order_by("first_sent_at")[: CANDIDATES_SHOWN - len(same)]
    )
    return same + list(near)
