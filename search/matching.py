"""Which emails a query matches, and which of them fill the page asked for.

The matched set is computed once per search: dates and "everything" come from the searcher's
cached tables, words and phrases from Whoosh. Its size is the total, the facets count it, and
the page is taken from it: by relevance through Whoosh's top-N collector (which may skip blocks
that cannot reach the page), or by date from the cached date order.
"""

from __future__ import annotations

from whoosh import query as q
from whoosh.searching import Searcher

from search.index_cache import DATE_FIELD, IndexCache
from search.search_indexes import EXACT_FIELDS, PAIRS_FIELD

# Parts of a query that narrow without saying anything about relevance.
FILTER_FIELDS = {*EXACT_FIELDS, DATE_FIELD, "thread"}


def with_word_pairs(query: q.Query) -> q.Query:
    """Phrases of the full text looked up in the word-pair field: "secure communities" is one
    term there. Longer phrases keep the position check, run only on emails that hold every
    pair."""
    if isinstance(query, q.Phrase) and query.fieldname == "text" and query.slop == 1:
        words = query.words
        pairs = [q.Term(PAIRS_FIELD, f"{a} {b}") for a, b in zip(words, words[1:], strict=False)]
        if len(words) > 2:
            pairs.append(query)
        return q.And(pairs, boost=query.boost) if len(pairs) > 1 else pairs[0]
    return query if query.is_leaf() else query.apply(with_word_pairs)


def matching(searcher: Searcher, cache: IndexCache, query: q.Query) -> set[int]:
    """The document numbers ``query`` matches."""
    if isinstance(query, q.Every):
        return set(cache.live)
    if isinstance(query, q.DateRange) and query.fieldname == DATE_FIELD and _half_open(query):
        return cache.sent_between(query.startdate, query.enddate)
    if isinstance(query, q.And):
        wanted = [part for part in query.subqueries if not isinstance(part, q.Not)]
        unwanted = [part.query for part in query.subqueries if isinstance(part, q.Not)]
        found: set[int] | None = None
        for part in wanted:
            docs = matching(searcher, cache, part)
            found = docs if found is None else found & docs
            if not found:
                return set()
        if found is None:
            found = set(cache.live)
        for part in unwanted:
            found -= matching(searcher, cache, part)
        return found
    if isinstance(query, q.Or) and not any(isinstance(p, q.Not) for p in query.subqueries):
        found = set()
        for part in query.subqueries:
            found |= matching(searcher, cache, part)
        return found
    return set(searcher.docs_for_query(query))


def _half_open(query: q.DateRange) -> bool:
    return not query.startexcl and (query.endexcl or query.enddate is None)


def scoring_part(query: q.Query) -> q.Query | None:
    """The words and phrases of ``query`` that rank hits; None when it only narrows."""
    if isinstance(query, q.And):
        parts = [scoring_part(part) for part in query.subqueries]
        parts = [part for part in parts if part is not None]
        return q.And(parts) if len(parts) > 1 else (parts[0] if parts else None)
    if isinstance(query, q.Every | q.Not | type(q.NullQuery)):
        return None
    fields = {leaf.field() for leaf in query.leaves()}
    if fields <= FILTER_FIELDS:
        return None
    return query


def top(
    searcher: Searcher,
    cache: IndexCache,
    query: q.Query,
    docs: set[int],
    count: int,
    sort: tuple[str, bool] | None,
) -> list[tuple[int, float | None]]:
    """The first ``count`` of ``docs`` as (docnum, score): by relevance to ``query`` unless
    ``sort`` is given (or the query has no words), else by date."""
    if not docs:
        return []  # Whoosh reads an empty filter as no filter at all
    ranking = scoring_part(query) if sort is None else None
    if ranking is None:
        newest = sort[1] if sort else True
        return [(docnum, None) for docnum in cache.by_date(docs, count, newest)]
    results = searcher.search(ranking, limit=count, filter=docs)
    return [(hit.docnum, hit.score) for hit in results]
