"""One searcher per process, shared by every search, reopened only when the index has changed.

haystack's own search path opens a new searcher for every query (and two per search), which at
100,000 emails costs more than the search itself.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from whoosh.filedb.filestore import FileStorage
from whoosh.searching import Searcher

_lock = threading.Lock()
_searcher: Searcher | None = None


@contextmanager
def shared_searcher() -> Iterator[Searcher]:
    """The process's searcher, reopened when a writer has committed since it was opened.
    Searches take turns: reopening closes what the older searcher reads."""
    global _searcher
    with _lock:
        index = None
        if _searcher is not None:
            index = _searcher._ix
            if index.latest_generation() != _searcher.reader().generation():
                # Not Searcher.refresh(): it reuses the readers of unchanged segments, and so
                # keeps showing emails deleted from them since.
                _searcher.close()
                _searcher = None
        if _searcher is None:
            if index is None:
                storage = FileStorage(str(settings.WHOOSH_PATH), supports_mmap=False)
                index = storage.open_index()
            _searcher = index.searcher()
        yield _searcher


def forget_searcher() -> None:
    """Drop the shared searcher (the index was deleted or rebuilt from scratch)."""
    global _searcher
    with _lock:
        if _searcher is not None:
            _searcher.close()
        _searcher = None
