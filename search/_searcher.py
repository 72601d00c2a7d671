"""One searcher per process, shared by every search, reopened only when the index has changed.

haystack's own search path opens a new searcher for every query (and two per search), which at
100,000 emails costs more than the search itself.

A damaged index raises ``IndexUnavailable`` here, so that search pages can say search is being
repaired while every other page goes on working.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from whoosh.index import TOC
from whoosh.searching import Searcher

from search._index import INDEX_NAME, IndexUnavailable, index_damage, index_path, open_storage
from search._limits import TooBroad

_lock = threading.Lock()
_searcher: Searcher | None = None
_folder: Path | None = None  # the folder _searcher reads
# The last index checked after a search failed: (folder, generation, its damage or "").
_checked: tuple[Path, int, str] | None = None


@contextmanager
def shared_searcher() -> Iterator[Searcher]:
    """The process's searcher, reopened when a writer has committed since it was opened or the
    index was rebuilt elsewhere. Searches take turns: reopening closes what the older searcher
    reads."""
    global _searcher, _folder
    with _lock:
        folder = index_path()
        if _searcher is not None and (
            folder != _folder
            or _searcher._ix.latest_generation() != _searcher.reader().generation()
        ):
            # Not Searcher.refresh(): it reuses the readers of unchanged segments, and so
            # keeps showing emails deleted from them since.
            _searcher.close()
            _searcher = None
        if _searcher is None:
            storage = open_storage(folder)
            _raise_if_known_damaged(folder, storage)
            try:
                _searcher = storage.open_index().searcher()
            except Exception as error:  # a table of contents or segment that does not read
                raise IndexUnavailable(f"search index unreadable: {error!r}") from error
            _folder = folder
        try:
            yield _searcher
        except (TooBroad, IndexUnavailable):
            raise
        except Exception as error:
            damage = _damage_after_failure(folder)
            if damage:
                _searcher.close()
                _searcher = None
                raise IndexUnavailable(f"search index unreadable: {damage}") from error
            raise


def _raise_if_known_damaged(folder: Path, storage) -> None:
    if _checked and _checked[:2] == (folder, _generation(storage)) and _checked[2]:
        raise IndexUnavailable(f"search index unreadable: {_checked[2]}")


def _damage_after_failure(folder: Path) -> str:
    """Whether a search failed on damaged files (the index is read whole to tell), remembered
    per index generation: a damaged index is read whole once, not on every search."""
    global _checked
    generation = _generation(open_storage(folder))
    if not (_checked and _checked[:2] == (folder, generation)):
        _checked = (folder, generation, index_damage(folder))
    return _checked[2]


def _generation(storage) -> int:
    """The index's latest generation, from its files' names (its contents may not read)."""
    return TOC._latest_generation(storage, INDEX_NAME)


def forget_searcher() -> None:
    """Drop the shared searcher (the index was deleted or rebuilt from scratch)."""
    global _searcher, _checked
    with _lock:
        if _searcher is not None:
            _searcher.close()
        _searcher = None
        _checked = None
