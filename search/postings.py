"""The set of emails a query of plain words matches, read a whole posting block at a time.

Whoosh hands out matches one id per Python call; a posting list of 60,000 emails takes tens of
milliseconds that way. Its W3 codec stores ids in blocks, so whole blocks go into the set at C
speed. Queries made of terms joined by AND, OR and AND-MAYBE are read so; anything else (phrases,
prefixes) returns None and is matched by Whoosh itself.
"""

from __future__ import annotations

from whoosh import query as q
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.searching import Searcher


def docs_of(searcher: Searcher, query: q.Query) -> set[int] | None:
    """Every email ``query`` matches, or None when it is not made of plain terms."""
    if isinstance(query, q.Term):
        return _term_docs(searcher, query.fieldname, query.text)
    if isinstance(query, q.AndMaybe):
        return docs_of(searcher, query.a)
    if isinstance(query, q.And | q.Or) and query.subqueries:
        parts = [docs_of(searcher, part) for part in query.subqueries]
        if any(part is None for part in parts):
            return None
        if isinstance(query, q.And):
            return set.intersection(*sorted(parts, key=len))
        return set().union(*parts)
    return None


def _term_docs(searcher: Searcher, fieldname: str, text) -> set[int] | None:
    docs: set[int] = set()
    for leaf, offset in searcher.leaf_searchers():
        reader = leaf.reader()
        try:
            matcher = reader.postings(fieldname, text)
        except TermNotFound:
            continue
        deleted = None
        if isinstance(matcher, FilterMatcher):
            deleted, matcher = matcher._ids, matcher.child
        if not isinstance(matcher, W3LeafMatcher):
            return None
        found: set[int] = set()
        while matcher.is_active():
            if matcher._ids is None:
                matcher._read_ids()
            found.update(matcher._ids)
            matcher._next_block()
        if deleted:
            found -= set(deleted)
        docs.update(map(offset.__add__, found) if offset else found)
    return docs
