"""Which emails a query matches, and which of them fill the page asked for.

A query is split into its words (which rank) and the parts that only narrow (dates, exact
fields, exclusions). The narrowing parts become a set of emails from the searcher's cached
tables. Plain words are read as whole posting blocks (``search._postings``), which give the
matched set and every match's score at once; other queries (phrases, prefixes) are matched and
scored by Whoosh in one pass that gives both. Pages sorted by date come from the cached date
order. Whatever grows with the matches checks the search's time budget (``search._limits``).
"""

from __future__ import annotations

import heapq
from collections.abc import Collection

from whoosh import collectors
from whoosh import query as q
from whoosh.searching import Searcher

from search._index_cache import DATE_FIELD, IndexCache
from search._limits import AllDocs, WithinBudget, check
from search._postings import docs_of, scores_of
from search.search_indexes import EXACT_FIELDS

# Parts of a query that narrow without saying anything about relevance.
FILTER_FIELDS = {*EXACT_FIELDS, DATE_FIELD, "thread"}


def matching(searcher: Searcher, cache: IndexCache, query: q.Query) -> set[int]:
    """The document numbers ``query`` matches."""
    check()
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
    plain = docs_of(searcher, query)
    if plain is not None:
        return plain
    every = AllDocs()
    searcher.search_with_collector(query, WithinBudget(every))
    return every.docset


def _half_open(query: q.DateRange) -> bool:
    return not query.startexcl and (query.endexcl or query.enddate is None)


def split(query: q.Query) -> tuple[q.Query | None, list[q.Query]]:
    """The words and phrases of ``query`` that rank hits (None when there are none), and the
    parts that only narrow: dates, exact fields, exclusions."""
    parts = _conjuncts(query)
    words = [part for part in parts if not _narrows_only(part)]
    narrowing = [part for part in parts if _narrows_only(part)]
    return (q.And(words) if len(words) > 1 else (words[0] if words else None)), narrowing


def _conjuncts(query: q.Query) -> list[q.Query]:
    if isinstance(query, q.And):
        return [part for sub in query.subqueries for part in _conjuncts(sub)]
    return [query]


def _narrows_only(query: q.Query) -> bool:
    if isinstance(query, q.Every | q.Not | type(q.NullQuery) | q.NumericRange):
        return True
    return {leaf.field() for leaf in query.leaves()} <= FILTER_FIELDS


class _TopAndAll(collectors.TopCollector):
    """The best ``limit`` hits by score and the set of every hit, in one pass, for queries
    whose matches cannot be read as posting blocks (phrases, prefixes). Whoosh's top-N
    collector skips blocks and swaps matchers for cheaper ones that cannot reach the page (an
    OR becomes an AND), so counting with it takes a second pass; one pass over every match
    measured two to three times faster."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit=limit, usequality=False, replace=0)

    def _collect(self, global_docnum: int, score: float):
        self.docset.add(global_docnum)
        return super()._collect(global_docnum, score)


def _best(scores: dict[int, float], count: int) -> list[tuple[int, float]]:
    """The ``count`` best-scored emails, highest first; equal scores in index order, as Whoosh
    ranks them."""
    if len(scores) > count:
        lowest = heapq.nlargest(count, scores.values())[-1] if count else float("inf")
        scores = {docnum: score for docnum, score in scores.items() if score >= lowest}
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:count]


def find(
    searcher: Searcher,
    cache: IndexCache,
    query: q.Query,
    count: int,
    sort: tuple[str, bool] | None,
) -> tuple[Collection[int], list[tuple[int, float | None]]]:
    """Every email ``query`` matches, and the first ``count`` of them as (docnum, score): by
    relevance, or by date when ``sort`` asks for it or there are no words to rank by."""
    words, narrowing = split(query)
    allowed = matching(searcher, cache, q.And(narrowing)) if narrowing else None
    if allowed is not None and not allowed:
        return set(), []  # Whoosh reads an empty filter as no filter at all
    ranked = None
    if words is None:
        docs = allowed if allowed is not None else cache.live
    elif sort is None and (scores := scores_of(searcher, words, allowed)) is not None:
        docs = scores.keys()
        ranked = _best(scores, count)
    elif sort is not None and (plain := docs_of(searcher, words)) is not None:
        docs = plain if allowed is None else plain & allowed
    else:
        top = _TopAndAll(max(count, 1))
        budgeted = WithinBudget(top)
        collector = (
            budgeted if allowed is None else collectors.FilterCollector(budgeted, allow=allowed)
        )
        searcher.search_with_collector(words, collector)
        docs = top.docset
        ranked = [(hit.docnum, hit.score) for hit in collector.results()]
    if sort is not None or ranked is None:
        newest = sort[1] if sort else True
        ranked = [(docnum, None) for docnum in cache.by_date(docs, count, newest)]
    return docs, ranked[:count]
