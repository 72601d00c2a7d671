"""Queries of plain words read straight from their posting blocks: the set of emails they match,
and their relevance scores.

Whoosh hands out matches one id per Python call, and its top-N search scores each candidate
through a tree of matcher objects; for a word in 60,000 emails either takes hundreds of
milliseconds. Its W3 codec stores ids and weights in blocks of 128, so a whole block goes into a
set at C speed, and scoring it is one list comprehension. Scores are Whoosh's own BM25F, computed
with the same expression, so a term scores exactly as Whoosh scores it and hits rank alike.
Queries made of terms joined by AND, OR and AND-MAYBE are read so; anything else (phrases,
prefixes) returns None and is left to Whoosh.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterator, Sequence

from whoosh import query as q
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import SegmentReader, TermNotFound
from whoosh.scoring import BM25F
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from search._limits import check

# A segment's field lengths: one byte per email, in Whoosh's length coding.
Lengths = Sequence[int]


def docs_of(searcher: Searcher, query: q.Query) -> set[int] | None:
    """Every email ``query`` matches, or None when it is not made of plain terms."""
    if isinstance(query, q.Term):
        return _term_docs(searcher, query.fieldname, _indexed(searcher, query))
    if isinstance(query, q.AndMaybe):
        return docs_of(searcher, query.a)
    if _is_plain_compound(query):
        parts = [docs_of(searcher, part) for part in query.subqueries]
        if any(part is None for part in parts):
            return None
        if isinstance(query, q.And):
            return set.intersection(*sorted(parts, key=len))
        return set().union(*parts)
    return None


def _term_docs(searcher: Searcher, fieldname: str, text: bytes) -> set[int]:
    """Every email holding the term ``text`` (as indexed) in ``fieldname``."""
    docs: set[int] = set()
    for offset, ids, _weights, _lengths in _term_blocks(searcher, fieldname, text):
        docs.update(map(offset.__add__, ids) if offset else ids)
    return docs


def scores_of(
    searcher: Searcher, query: q.Query, allowed: Container[int] | None = None
) -> dict[int, float] | None:
    """Each email ``query`` matches (among ``allowed``, when given) and its score, or None when
    the query is not made of plain terms or the index is not scored by BM25F."""
    if not _is_plain(query) or type(searcher.weighting) is not BM25F:
        return None
    return _scores(searcher, query, allowed)


def _is_plain(query: q.Query) -> bool:
    if isinstance(query, q.Term):
        return True
    if isinstance(query, q.AndMaybe):
        return _is_plain(query.a) and _is_plain(query.b)
    return _is_plain_compound(query) and all(_is_plain(part) for part in query.subqueries)


def _is_plain_compound(query: q.Query) -> bool:
    if type(query) is q.Or:
        return bool(query.subqueries) and not query.minmatch and not query.scale
    return type(query) is q.And and bool(query.subqueries)


def _scores(searcher: Searcher, query: q.Query, allowed: Container[int] | None) -> dict:
    if isinstance(query, q.Term):
        return _term_scores(searcher, query, allowed)
    if isinstance(query, q.AndMaybe):
        found = _scores(searcher, query.a, allowed)
        extra = _scores(searcher, query.b, found)
        for docnum, score in extra.items():
            found[docnum] += score
        return found
    parts = [_scores(searcher, part, allowed) for part in query.subqueries]
    if isinstance(query, q.And):
        common = set.intersection(*(set(part) for part in sorted(parts, key=len)))
        found = {docnum: sum(part[docnum] for part in parts) for docnum in common}
    else:
        found = {}
        for part in parts:
            for docnum, score in part.items():
                found[docnum] = found.get(docnum, 0.0) + score
    if query.boost != 1.0:
        found = {docnum: score * query.boost for docnum, score in found.items()}
    return found


def _term_scores(searcher: Searcher, term: q.Term, allowed: Container[int] | None) -> dict:
    """BM25F as Whoosh's ``BM25FScorer`` computes it, idf * tf(K1+1) / (tf + K1(1-B+B*fl/avgfl)),
    in the same order of operations; field lengths are coded in a byte, so the denominator's
    length part is looked up. A boost multiplies the score, as Whoosh's wrapping matcher does."""
    fieldname = term.fieldname
    field = searcher.schema[fieldname]
    weighting = searcher.weighting
    text = _indexed(searcher, term)
    if (fieldname, text) not in searcher.reader():
        return {}  # Whoosh scores only terms it holds (an empty index has no idf to give)
    idf = searcher.idf(fieldname, text)
    avgfl = searcher.avg_field_length(fieldname) or 1
    big_b, k1 = weighting._field_B.get(fieldname, weighting.B), weighting.K1
    k1_plus_1 = k1 + 1
    norms = [k1 * ((1 - big_b) + big_b * byte_to_length(code) / avgfl) for code in range(256)]
    found: dict[int, float] = {}
    for offset, ids, weights, lengths in _term_blocks(searcher, fieldname, text):
        if allowed is not None:
            ids, weights = _kept(ids, weights, lambda d, offset=offset: d + offset in allowed)
        if not field.scorable:
            scores = list(weights)
        else:
            scores = [
                idf * ((w * k1_plus_1) / (w + norms[lengths[d]]))
                for d, w in zip(ids, weights, strict=True)
            ]
        found.update(zip(map(offset.__add__, ids) if offset else ids, scores, strict=True))
    if term.boost != 1.0:
        found = {docnum: score * term.boost for docnum, score in found.items()}
    return found


def _indexed(searcher: Searcher, term: q.Term) -> bytes:
    return searcher.schema[term.fieldname].to_bytes(term.text)


def _term_blocks(
    searcher: Searcher, fieldname: str, text: bytes
) -> Iterator[tuple[int, Sequence, Sequence, Lengths]]:
    """(segment offset, ids in the segment, their weights, the segment's field lengths) for each
    posting block of a term, deleted emails left out."""
    for leaf, offset in searcher.leaf_searchers():
        reader = leaf.reader()
        lengths = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        for ids, weights in segment_blocks(reader, fieldname, text):
            check()  # the search's time budget
            yield offset, ids, weights, lengths


def segment_blocks(
    reader: SegmentReader, fieldname: str, text: bytes
) -> Iterator[tuple[Sequence[int], Sequence[float]]]:
    """(ids, weights) of each posting block of a term in one segment, deleted emails left out."""
    try:
        matcher = reader.postings(fieldname, text)
    except TermNotFound:
        return
    deleted: frozenset[int] = frozenset()
    if isinstance(matcher, FilterMatcher):
        deleted, matcher = frozenset(matcher._ids), matcher.child
    for ids, weights in _posting_blocks(matcher):
        if deleted and not deleted.isdisjoint(ids):
            ids, weights = _kept(ids, weights, lambda d: d not in deleted)
        yield ids, weights


def _kept(ids, weights, keep: Callable[[int], bool]) -> tuple[list[int], list[float]]:
    """The postings of a block whose ids ``keep`` accepts."""
    pairs = [(d, w) for d, w in zip(ids, weights, strict=True) if keep(d)]
    return [d for d, _ in pairs], [w for _, w in pairs]


def _posting_blocks(matcher: W3LeafMatcher) -> Iterator[tuple[Sequence[int], Sequence[float]]]:
    while matcher.is_active():
        matcher._read_ids()
        matcher._read_weights()
        yield matcher._ids, matcher._weights
        matcher._next_block()
