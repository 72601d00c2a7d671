"""Plain-word queries scored from posting blocks (``search._postings``) against Whoosh's own
scoring of the same query: the same emails, the same scores, the same order of hits."""

import zoneinfo

import pytest

from search._matching import _best
from search._postings import docs_of, scores_of
from search._query import QueryTranslator
from search._searcher import shared_searcher

QUERIES = [
    "county",
    "opt AND county",
    "county OR activation",
    "sheriff deployment interoperability",
    '"secure communities"',
    '"opt out" sheriff',
    "from:venturella",
    "to:rapp OR cc:rapp",
    "subject:activation",
]


def whoosh_scores(searcher, query) -> dict[int, float]:
    return {hit.docnum: hit.score for hit in searcher.search(query, limit=None)}


def ranking(scored) -> list[int]:
    """Emails by score, then index order; scores compared to nine decimals (a sum of the same
    terms may differ in its last bit when added in another order)."""
    return [docnum for docnum, score in sorted(scored, key=lambda p: (-round(p[1], 9), p[0]))]


def test_scores_and_order_are_whooshs_own(archive):
    with shared_searcher() as searcher:
        translator = QueryTranslator(searcher.schema, zoneinfo.ZoneInfo("UTC"))
        for text in QUERIES:
            query = translator.translate(text).query
            ours, theirs = scores_of(searcher, query), whoosh_scores(searcher, query)
            assert theirs, f"the archive holds the words of {text}"
            assert docs_of(searcher, query) == set(theirs), text
            assert ours.keys() == theirs.keys(), text
            for docnum, score in theirs.items():
                assert ours[docnum] == pytest.approx(score, rel=1e-12), text
            assert ranking(ours.items()) == ranking(theirs.items()), text
            assert [d for d, _ in _best(ours, 10)] == ranking(theirs.items())[:10], text


def test_a_single_word_scores_exactly_as_whoosh_scores_it(archive):
    from whoosh import query as q

    with shared_searcher() as searcher:
        for term in (q.Term("text", "counti"), q.Term("subject", "activ", boost=2.0)):
            assert scores_of(searcher, term) == whoosh_scores(searcher, term)


def test_a_word_of_one_email(archive):
    from whoosh import query as q

    with shared_searcher() as searcher:
        reader = searcher.reader()
        word = next(w for w in reader.lexicon("text") if reader.doc_frequency("text", w) == 1)
        query = q.AndMaybe(q.Term("text", word.decode()), q.Term("subject", word.decode()))
        assert len(scores_of(searcher, query)) == 1
        assert scores_of(searcher, query) == whoosh_scores(searcher, query)


def test_a_word_no_email_holds_scores_nothing(archive):
    from whoosh import query as q

    with shared_searcher() as searcher:
        absent = q.AndMaybe(q.Term("text", "zzyzx"), q.Term("subject", "zzyzx"))
        assert scores_of(searcher, absent) == {} == whoosh_scores(searcher, absent)


def test_a_search_of_an_empty_index_finds_nothing(db):
    from search import _service as service
    from search._index import ensure_index

    ensure_index()
    assert service.search('"opt out" county').total == 0


def test_scores_among_allowed_emails_only(archive):
    from whoosh import query as q

    with shared_searcher() as searcher:
        query = q.AndMaybe(q.Term("text", "counti"), q.Term("subject", "counti", boost=2.0))
        everything = scores_of(searcher, query)
        allowed = set(sorted(everything)[::3])
        assert scores_of(searcher, query, allowed) == {d: everything[d] for d in allowed}


def test_queries_that_are_not_plain_words_are_left_to_whoosh(archive):
    with shared_searcher() as searcher:
        translator = QueryTranslator(searcher.schema, zoneinfo.ZoneInfo("UTC"))
        for text in ("interoperab*", '"opt out of secure communities"', "county -sheriff"):
            query = translator.translate(text).query
            assert scores_of(searcher, query) is None
            assert docs_of(searcher, query) is None
