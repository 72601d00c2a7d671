"""The search index, seen from the rest of the archive. Everything else in this package is
private (its modules start with "_"); Whoosh is imported nowhere else.

Reads: ``search`` (a query, its facets and page of hits), ``locate`` (where a query's words
fall in one email), ``similar`` (emails like one), ``text_marker`` (marks a query's words in a
text). Writes: ``follow`` (the one entry for every change the index must follow),
``check_index`` (find and mend damage), ``rebuild_index`` (everything again, in a new folder),
``ensure_index`` and ``index_status`` (for start-up and health). Names are loaded on first
use, so importing ``search`` loads no models.
"""

from importlib import import_module

_FACE = {
    "search": "search._service",
    "locate": "search._service",
    "similar": "search._service",
    "text_marker": "search._service",
    "follow": "search._changes",
    "check_index": "search._indexing",
    "rebuild_index": "search._indexing",
    "ensure_index": "search._index",
    "index_status": "search._index",
    "IndexUnavailable": "search._index",
}
__all__ = sorted(_FACE)


def __getattr__(name: str):
    if name not in _FACE:
        raise AttributeError(f"module 'search' has no attribute {name!r}")
    return getattr(import_module(_FACE[name]), name)
