"""Writing the search index: in batches, by the import service and the task worker only.

PostgreSQL is the source of truth; ``check_index`` compares the index with it and repairs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from haystack import connections

from documents.models import Document
from search.index import index_exists
from search.searcher import shared_searcher

# Emails written per index commit: a commit per email costs seconds on a large index.
DOCUMENTS_PER_COMMIT = 500


def _backend_and_index():
    backend = connections["default"].get_backend()
    return backend, connections["default"].get_unified_index().get_index(Document)


def index_documents(ids: Iterable[int]) -> int:
    """(Re)index these emails, DOCUMENTS_PER_COMMIT at a time; returns how many were written."""
    backend, search_index = _backend_and_index()
    ordered = sorted(set(ids))
    written = 0
    for start in range(0, len(ordered), DOCUMENTS_PER_COMMIT):
        chunk = ordered[start : start + DOCUMENTS_PER_COMMIT]
        documents = list(search_index.index_queryset().filter(pk__in=chunk))
        if documents:
            backend.update(search_index, documents)
        written += len(documents)
        gone = set(chunk) - {document.pk for document in documents}
        if gone:
            remove_documents(gone)
    return written


def remove_documents(ids: Iterable[int]) -> None:
    """Drop the entries of emails that no longer exist."""
    identifiers = [f"documents.document.{pk}" for pk in sorted(set(ids))]
    if identifiers:
        backend, _ = _backend_and_index()
        backend.remove_ids(identifiers)


def indexed_ids() -> set[int]:
    """The ids of the emails the index holds (deleted entries excluded)."""
    if not index_exists():
        return set()
    with shared_searcher() as searcher:
        return {int(fields["django_id"]) for fields in searcher.reader().all_stored_fields()}


@dataclass
class IndexCheck:
    in_database: int
    in_index: int
    missing: list[int] = field(default_factory=list)  # in the database, not in the index
    stray: list[int] = field(default_factory=list)  # in the index, not in the database

    @property
    def ok(self) -> bool:
        return not self.missing and not self.stray


def check_index(fix: bool = False) -> IndexCheck:
    """Compare the index with the database; with ``fix``, index the missing, drop the stray."""
    database = set(Document.objects.values_list("pk", flat=True))
    index = indexed_ids()
    check = IndexCheck(
        len(database), len(index), sorted(database - index), sorted(index - database)
    )
    if fix and not check.ok:
        connections["default"].get_backend().setup()  # creates the index when there is none
        index_documents(check.missing)
        remove_documents(check.stray)
    return check
