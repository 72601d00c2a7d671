"""Index writes run by the task worker (`manage.py db_worker`), never by a web request."""

from __future__ import annotations

from django_tasks import task

from documents.models import Document
from search._indexing import index_documents, remove_documents


@task()
def index_threads(thread_ids: list[int]) -> int:
    """Re-index every email of these threads (their tags changed); returns how many."""
    ids = Document.objects.filter(thread_id__in=thread_ids).values_list("pk", flat=True)
    return index_documents(ids)


@task()
def index_emails(document_ids: list[int]) -> int:
    return index_documents(document_ids)


@task()
def remove_emails(document_ids: list[int]) -> None:
    """Drop the entries of deleted emails."""
    remove_documents(document_ids)
