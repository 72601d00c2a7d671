"""The one way the archive tells the index what changed: an import, a tag, a repair, a deletion."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from search._indexing import index_documents


def follow(
    emails: Iterable[int] = (),
    threads: Iterable[int] = (),
    removed: Iterable[int] = (),
    now: bool = False,
) -> None:
    """Bring the index in line with these emails (written or changed), every email of these
    threads (tags or membership changed) and these removed emails. ``now``: write before
    returning (an import, already in the worker); otherwise queue the work for the task worker
    once the caller's transaction commits, so a web request never waits on the index."""
    from search.tasks import index_emails, index_threads, remove_emails

    emails, threads, removed = sorted(set(emails)), sorted(set(threads)), sorted(set(removed))
    if now:
        if emails:
            index_documents(emails)
        return
    for work, ids in ((remove_emails, removed), (index_emails, emails), (index_threads, threads)):
        if ids:
            transaction.on_commit(lambda work=work, ids=ids: work.enqueue(ids))
