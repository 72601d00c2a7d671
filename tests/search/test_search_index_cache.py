"""The searcher's in-memory tables (``search._index_cache``) against Whoosh reading the same
index: date ranges, the date order and facet counts, on an index of several segments with
undated and deleted emails, as built and after a change (when the tables of the segments that
stayed are reused)."""

from datetime import UTC, datetime

import pytest
from whoosh import query as q
from whoosh import sorting

from documents.models import Document
from search._index_cache import cache_for
from search._indexing import index_documents, remove_documents
from search._searcher import shared_searcher
from search._service import FACETS


def segment_tables(cache) -> dict:
    return {
        reader.segment().segment_id(): tables
        for (reader, _), tables in zip(cache.leaves, cache.segments, strict=True)
    }


@pytest.fixture(params=["as built", "after a change"])
def indexed(request, archive):
    """The archive's index; or, after a web worker built its tables, changed: emails re-indexed
    with new dates or none (entries deleted from the old segments, a new segment), others
    removed."""
    if request.param == "after a change":
        with shared_searcher() as searcher:
            cache_for(searcher).warm(FACETS.values())
        Document.objects.filter(pk__in=archive[7::30]).update(sent_at=None)
        moved = archive[9::30]
        Document.objects.filter(pk__in=moved).update(sent_at=datetime(2009, 6, 15, 12, tzinfo=UTC))
        index_documents(archive[7::30] + moved + archive[1::40])
        remove_documents(archive[2::50])
    return archive


def test_after_a_change_the_tables_of_the_segments_that_stayed_are_reused(archive):
    with shared_searcher() as searcher:
        before = cache_for(searcher)
        before.warm(FACETS.values())
        kept = segment_tables(before)
    index_documents(archive[:3])
    with shared_searcher() as searcher:
        after = cache_for(searcher)
        after.warm(FACETS.values())
        now = segment_tables(after)
    assert after is not before
    stayed = set(now) & set(kept)
    assert stayed and all(now[segment] is kept[segment] for segment in stayed)
    assert set(now) - set(kept), "the change wrote a new segment"


RANGES = [
    (datetime(2009, 3, 1), datetime(2009, 9, 1)),
    (None, datetime(2009, 6, 15, 12, 30)),
    (datetime(2010, 1, 1), None),
    (datetime(2009, 5, 1), datetime(2009, 5, 1)),  # empty
]


def test_date_ranges_are_whooshs_own(indexed):
    with shared_searcher() as searcher:
        cache = cache_for(searcher)
        for start, end in RANGES:
            whoosh = set(searcher.docs_for_query(q.DateRange("sent_at", start, end, endexcl=True)))
            assert cache.sent_between(start, end) == whoosh, (start, end)
        assert cache.sent_between(*RANGES[0]), "the archive has emails in the first range"


def test_dated_emails_in_date_order_then_the_undated(indexed):
    with shared_searcher() as searcher:
        cache = cache_for(searcher)
        everything = set(cache.live)
        undated = everything - cache.sent_between(None, None)
        assert undated, "the archive has undated emails"
        assert not undated & set(searcher.docs_for_query(q.DateRange("sent_at", None, None)))
        oldest = cache.by_date(everything, len(everything), newest=False)
        newest = cache.by_date(everything, len(everything), newest=True)

        dates = searcher.reader().column_reader("sent_at")
        dated_oldest = [dates[docnum] for docnum in oldest[: -len(undated)]]
        assert dated_oldest == sorted(dated_oldest)
        assert set(oldest[-len(undated) :]) == undated == set(newest[-len(undated) :])
        assert newest[: -len(undated)] == sorted(
            oldest[: -len(undated)], key=lambda d: (dates[d], -d), reverse=True
        )


def test_facet_counts_are_whooshs_own(indexed):
    with shared_searcher() as searcher:
        cache = cache_for(searcher)
        some = set(list(cache.live)[::3])
        for field in FACETS.values():
            facet = sorting.FieldFacet(field, allow_overlap=True, maptype=sorting.Count)
            for docs in (set(cache.live), some):
                found = searcher.search(q.Every(), limit=None, groupedby=facet, filter=docs)
                whoosh = {key: n for key, n in found.groups().items() if key is not None}
                assert cache.table(field).count(docs) == whoosh, field
