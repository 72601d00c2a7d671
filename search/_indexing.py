"""Writing the search index: in batches, by the import service and the task worker only.

PostgreSQL is the source of truth; ``check_index`` compares the index with it and repairs, and
rebuilds from it an index whose files are damaged.
"""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from haystack import connections
from haystack.constants import ID
from whoosh import query as q

from documents.models import Document
from search._backend import ArchiveWhooshBackend
from search._index import INDEX_NAME, POINTER, index_damage, index_exists, index_path, point_to
from search._searcher import forget_searcher, shared_searcher

# Emails written per index commit when the index is in use: a commit releases the lock, so the
# worker's small writes (a tag, a repair) wait for one commit at most. Each writing process
# keeps its share of a commit's postings in memory up to WRITER_MB and spills them to disk
# beyond it; 1,250 emails of usual length each stay within it (at 5,000 a commit spilled, and
# an mbox's emails took half as long again to index).
DOCUMENTS_PER_COMMIT = 2_500
# Emails read from PostgreSQL and prepared at once.
DOCUMENTS_PER_QUERY = 500
# From this many emails in a commit on, the writer works in several processes: starting them
# costs more than it saves on a small write.
MULTIPROCESS_FROM = 1_000

# Called with the number of emails written so far, after each query's worth.
Progress = Callable[[int], None]


def _backend_and_index():
    backend = connections["default"].get_backend()
    return backend, connections["default"].get_unified_index().get_index(Document)


def index_documents(
    ids: Iterable[int], backend=None, *, fresh: bool = False, progress: Progress | None = None
) -> int:
    """(Re)index these emails; returns how many were written. ``fresh``: the index is new and
    nobody else writes to it (a rebuild), so nothing is looked up to be replaced and all goes
    into one commit."""
    default_backend, search_index = _backend_and_index()
    backend = backend or default_backend
    ordered = sorted(set(ids))
    per_commit = len(ordered) if fresh else DOCUMENTS_PER_COMMIT
    written = 0
    for start in range(0, len(ordered), per_commit or 1):
        commit = ordered[start : start + per_commit]
        procs = settings.INDEX_WORKERS if len(commit) >= MULTIPROCESS_FROM else 1
        with backend.writing(procs) as writer:
            for first in range(0, len(commit), DOCUMENTS_PER_QUERY):
                chunk = commit[first : first + DOCUMENTS_PER_QUERY]
                if not fresh:  # replaced or gone: their old entries go first
                    writer.delete_by_query(q.Or([q.Term(ID, _identifier(pk)) for pk in chunk]))
                documents = search_index.index_queryset().filter(pk__in=chunk)
                for document in documents:
                    writer.add_document(**backend.fields(search_index, document))
                    written += 1
                if progress:
                    progress(written)
    return written


def _identifier(pk: int) -> str:
    return f"documents.document.{pk}"


def remove_documents(ids: Iterable[int], backend=None) -> None:
    """Drop the entries of emails that no longer exist."""
    identifiers = [_identifier(pk) for pk in sorted(set(ids))]
    if identifiers:
        (backend or _backend_and_index()[0]).remove_ids(identifiers)


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
    damage: str = ""  # what could not be read in the index's files
    rebuilt: Path | None = None  # the folder a damaged index was rebuilt in

    @property
    def ok(self) -> bool:
        return not self.missing and not self.stray and not self.damage


def check_index(fix: bool = False) -> IndexCheck:
    """Compare the index with the database; with ``fix``, index the missing, drop the stray.
    A damaged index is reported; with ``fix`` it is rebuilt from the database beside the old
    one and switched to, then checked again for emails written meanwhile."""
    damage = index_damage() if index_exists() else ""
    if damage:
        if not fix:
            return IndexCheck(Document.objects.count(), 0, damage=damage)
        folder = rebuild_index()  # and catches up what was written meanwhile
        return dataclasses.replace(_compare(fix=False), rebuilt=folder)
    return _compare(fix)


def _compare(fix: bool) -> IndexCheck:
    """The emails missing from the index and its stray entries; with ``fix``, mended."""
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


def rebuild_index(progress: Progress | None = None) -> Path:
    """Index every email into a new folder beside the current index, then point to it; the
    old index serves (or search says it is being repaired) until the switch, and what imports
    wrote or deleted meanwhile is then caught up. A rebuild that fails leaves no folder behind.
    Returns the new folder."""
    root = Path(settings.WHOOSH_PATH)
    old = index_path(root)
    root.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f"index-{time.strftime('%Y%m%d-%H%M%S')}-", dir=root))
    fresh.chmod(root.stat().st_mode & 0o777)  # readable as the old index was, not 0700
    try:
        backend = ArchiveWhooshBackend("default", PATH=str(fresh))
        backend.setup()  # creates the empty index with the current schema
        ids = Document.objects.values_list("pk", flat=True)
        index_documents(ids, backend=backend, fresh=True, progress=progress)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    point_to(root, fresh)
    forget_searcher()
    _remove_old(root, old)
    _compare(fix=True)  # emails imported or deleted while it was being built
    return fresh


def _remove_old(root: Path, old: Path) -> None:
    """Delete the index switched away from; a process still reading it keeps its open files."""
    if old != root:
        shutil.rmtree(old, ignore_errors=True)
        return
    for path in root.iterdir():  # an index kept in WHOOSH_PATH itself, before any rebuild
        if path.is_file() and path.name != POINTER and INDEX_NAME in path.name:
            path.unlink(missing_ok=True)
