"""Opening the Whoosh index: the only module outside haystack's backend that touches Whoosh.

The web process only reads. Creating the index is a write, done by `manage.py init_search_index`
(run by `make run`) or by the import service, never by a page view.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from haystack import connections
from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage


@dataclass(frozen=True)
class IndexStatus:
    ok: bool
    documents: int
    detail: str


def ensure_index() -> int:
    """Create the index with the current schema when it does not exist; return its size."""
    backend = connections["default"].get_backend()
    backend.setup()
    return backend.index.doc_count()


def index_exists() -> bool:
    return whoosh_index.exists_in(str(settings.WHOOSH_PATH))


def index_status() -> IndexStatus:
    """Whether the index can be opened for reading, without creating or changing anything."""
    path = str(settings.WHOOSH_PATH)
    try:
        if not index_exists():
            return IndexStatus(
                False, 0, f"no search index at {path}; run `manage.py init_search_index`"
            )
        # No mmap: each open would otherwise map every segment into the web worker's memory.
        storage = FileStorage(path, supports_mmap=False)
        with storage.open_index().searcher() as searcher:
            return IndexStatus(True, searcher.doc_count(), "ok")
    except Exception as error:  # any failure to read is what the health check must report
        return IndexStatus(False, 0, f"search index unreadable: {error}")
