"""Searching the archive: the one read path behind the results page and /api/search.

One search per page on the process's shared searcher: the page of hits, the total and the facet
counts come from the same pass. Hits are loaded from PostgreSQL, and their snippets highlighted
from the database's text, escaped.
"""

from __future__ import annotations

import functools
import zoneinfo
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Prefetch
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from whoosh import highlight
from whoosh import query as q
from whoosh.analysis import CompositeAnalyzer, RegexTokenizer

from documents.models import Appearance, Document, Jurisdiction, Person
from search._index import IndexUnavailable, index_exists
from search._index_cache import cache_for
from search._limits import TooBroad, bound_expansions, budget
from search._matching import find
from search._query import QueryTranslator
from search._searcher import shared_searcher
from search.search_indexes import PAIRS_FIELD, REDACTED

PER_PAGE = 20
SORTS = {"relevance": None, "newest": ("sent_at", True), "oldest": ("sent_at", False)}
# Facet name in URLs and the API -> index field; "year" narrows by the month field's prefix.
FACETS = {
    "sender": "sender_key",
    "jurisdiction": "jurisdictions",
    "month": "month",
    "exemption": "exemptions",
    "tag": "tags",
    "batch": "batches",
}
FACET_VALUES_SHOWN = 12
# Words searched in these fields are marked in snippets of the body.
HIGHLIGHT_FIELDS = {"text", "subject", "sender", "to", "cc", "places", "files"}

# Words of released text kept with their analysis, to tell quickly which bodies hold a search's
# words: about 10 MB at most, and more than the distinct words of a 15,000-page release.
ANALYZED_WORDS_KEPT = 50_000
# Fewer hits than this and a spelling suggestion is offered.
SUGGEST_BELOW = 5
# Words taken from an email to find others like it.
SIMILAR_TERMS = 12
# Suggestions share this many first letters with the typed word: most typos are later in a word,
# and comparing against every word of a large index would take seconds.
SPELLING_PREFIX = 2


@dataclass
class FacetValue:
    value: str
    label: str
    count: int


@dataclass
class Hit:
    document: Document
    score: float | None
    snippet: SafeString
    subject: SafeString = SafeString("")  # the subject with the searched words marked


@dataclass
class SearchResult:
    text: str
    sort: str
    page: int
    total: int = 0
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    months: list[FacetValue] = field(default_factory=list)  # every month with hits, in order
    notes: list[str] = field(default_factory=list)
    suggestion: str = ""
    too_broad: bool = False  # stopped past its time budget or refused; the reason is in notes

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PER_PAGE))


class _Marker(highlight.Formatter):
    """Matched words in <mark>; everything else escaped."""

    between = " … "

    def format_token(self, text, token, replace=False):
        return f"<mark>{escape(highlight.get_text(text, token, replace))}</mark>"

    def _text(self, text):
        return escape(text)


@dataclass
class Located:
    """What the index says of a search: the page's email ids and scores, and the facet counts."""

    result: SearchResult
    on_page: list[tuple[int, float | None]] = field(default_factory=list)
    counts: dict[str, Counter] = field(default_factory=dict)
    words: frozenset[str] = frozenset()
    analyzer: object = None


def search(
    text: str, filters: list[tuple[str, str]] = (), sort: str = "relevance", page: int = 1
) -> SearchResult:
    """Search ``text`` (the search box's language) narrowed by facet ``filters`` such as
    ("sender", "12") or ("year", "2010")."""
    located = locate(text, filters, sort, page)
    result = located.result
    if not located.counts:
        return result
    # The rows, snippets and labels come from PostgreSQL, outside the searcher's lock.
    documents = _documents([pk for pk, _ in located.on_page])
    words, analyzer = located.words, located.analyzer
    result.hits = [
        Hit(
            document,
            score,
            _snippet(document, words, analyzer),
            _marked_whole(document.subject, words, analyzer),
        )
        for pk, score in located.on_page
        if (document := documents.get(pk))
    ]
    result.facets, result.months = _facet_values(located.counts)
    return result


def locate(
    text: str, filters: list[tuple[str, str]] = (), sort: str = "relevance", page: int = 1
) -> Located:
    """The index's part of a search: which emails fill the page, the total, the facet counts."""
    sort = sort if sort in SORTS else "relevance"
    result = SearchResult(text=text.strip(), sort=sort, page=max(1, page))
    with shared_searcher() as searcher:
        parsed = _translator(searcher).translate(result.text) if result.text else None
        result.notes = list(dict.fromkeys(parsed.notes)) if parsed else []
        query = parsed.query if parsed and not parsed.is_empty else None
        if query is None and result.text and not result.notes:
            result.notes.append("Only very common words were typed; they are not searched.")
        narrow = _filter_query(filters)
        if query is None and narrow is None:
            return Located(result)
        whole = q.And([part for part in (query, narrow) if part is not None])
        cache = cache_for(searcher)
        cache.warm(FACETS.values())
        try:
            with budget(settings.SEARCH_TIME_BUDGET):
                bound_expansions(searcher.reader(), whole)
                docs, ranked = find(searcher, cache, whole, result.page * PER_PAGE, SORTS[sort])
                result.total = len(docs)
                if result.page > result.pages:  # past the last page: show the last
                    result.page = result.pages
                    docs, ranked = find(searcher, cache, whole, result.page * PER_PAGE, SORTS[sort])
        except TooBroad as refusal:
            result.notes.append(refusal.message)
            result.too_broad, result.total = True, 0
            return Located(result)
        on_page = [
            (int(searcher.stored_fields(docnum)["django_id"]), score)
            for docnum, score in ranked[(result.page - 1) * PER_PAGE :]
        ]
        counts = {name: cache.table(field).count(docs) for name, field in FACETS.items()}
        if result.text and result.total < SUGGEST_BELOW:
            result.suggestion = _suggestion(searcher, result.text)
        return Located(
            result,
            on_page,
            counts,
            _highlight_words(searcher, query),
            searcher.schema["text"].analyzer,
        )


def _translator(searcher) -> QueryTranslator:
    reader = searcher.reader()
    return QueryTranslator(
        searcher.schema,
        zoneinfo.ZoneInfo(settings.TIME_ZONE),
        lambda name: [term.decode() for term in reader.lexicon(name)],
    )


def text_marker(query_text: str) -> Callable[[str], SafeString]:
    """A function that returns a text whole and escaped, with the words of the search
    ``query_text`` in <mark> (for reading an email or thread opened from the results)."""
    words: frozenset[str] = frozenset()
    analyzer = None
    if query_text.strip() and index_exists():
        try:
            with shared_searcher() as searcher:
                parsed = _translator(searcher).translate(query_text.strip())
                query = None if parsed.is_empty else parsed.query
                if query is not None:
                    bound_expansions(searcher.reader(), query)
                words = _highlight_words(searcher, query)
                analyzer = searcher.schema["text"].analyzer
        except (TooBroad, IndexUnavailable):
            words = frozenset()  # the text is shown unmarked

    return lambda text: _marked_whole(text, words, analyzer)


def _marked_whole(text: str, words: frozenset[str], analyzer) -> SafeString:
    marked = words and highlight.highlight(
        text, words, analyzer, highlight.WholeFragmenter(charlimit=None), _Marker(), top=1
    )
    return mark_safe(marked or escape(text))  # noqa: S308 (_Marker escapes every piece)


def similar(document: Document, count: int = PER_PAGE) -> list[Hit]:
    """Emails of other threads that share this one's most telling words ("more like this")."""
    with shared_searcher() as searcher:
        key_terms = searcher.key_terms_from_text(
            "text", f"{document.subject}\n{document.body}", numterms=SIMILAR_TERMS
        )
        if not key_terms:
            return []
        like = q.Or([q.Term("text", word, boost=weight) for word, weight in key_terms])
        own_thread = set(searcher.docs_for_query(q.Term("thread", document.thread_id)))
        found = searcher.search(like, limit=count, mask=own_thread)
        ranked = [(int(hit["django_id"]), hit.score) for hit in found]
        words = frozenset(word for word, _ in key_terms)
        analyzer = searcher.schema["text"].analyzer
    documents = _documents([pk for pk, _ in ranked])
    return [
        Hit(documents[pk], score, _snippet(documents[pk], words, analyzer))
        for pk, score in ranked
        if pk in documents
    ]


def _filter_query(filters) -> q.Query | None:
    terms = []
    for name, value in filters:
        if name == "year":
            terms.append(q.Prefix("month", f"{value}-"))
        elif name in FACETS:
            terms.append(q.Term(FACETS[name], value))
    return q.And(terms) if terms else None


def _documents(ids: list[int]) -> dict[int, Document]:
    citations = Appearance.objects.select_related("source_file__batch")
    documents = (
        Document.objects.filter(pk__in=ids)
        .select_related("sender", "thread")
        .prefetch_related(Prefetch("appearances", queryset=citations))
    )
    return {document.pk: document for document in documents}


def _highlight_words(searcher, query: q.Query | None) -> frozenset[str]:
    """The indexed forms of the words searched for in text fields, prefixes expanded."""
    if query is None:
        return frozenset()
    reader, words = searcher.reader(), set()
    # Whoosh's Query.existing_terms would do this, but it keeps only the first leaf's field (its
    # loop variable shadows its field argument), which dropped "sheriff" from '"opt out" sheriff'.
    for leaf in query.leaves():
        for name, text in leaf.expanded_terms(reader, phrases=True):
            if name != PAIRS_FIELD and name not in HIGHLIGHT_FIELDS:
                continue
            indexed = searcher.schema[name].to_bytes(text) if isinstance(text, str) else text
            if (name, indexed) not in reader:
                continue
            if name == PAIRS_FIELD:  # a phrase's pair of words, "secur commun"
                words.update(indexed.decode().split(" "))
            else:
                words.add(indexed.decode())
    return frozenset(words)


def _snippet(document: Document, words: frozenset[str], analyzer) -> SafeString:
    """Up to three passages of the body around the searched words, marked and escaped."""
    marked = _holds_any(document.body, words, analyzer) and highlight.highlight(
        document.body,
        words,
        analyzer,
        highlight.ContextFragmenter(maxchars=240, surround=60),
        _Marker(),
        top=3,
    )
    if marked:
        return mark_safe(marked)  # noqa: S308 (every piece was escaped by _Marker)
    opening = " ".join(document.body.split())
    return escape(opening[:240] + ("…" if len(opening) > 240 else ""))


def _holds_any(text: str, words: frozenset[str], analyzer) -> bool:
    """Whether a word of ``text`` analyzes to one of ``words``, each word's analysis looked up
    in a cache: a body that does not hold the searched words (from:, jurisdiction:, a date)
    costs a tenth of highlighting it."""
    tokenizer = analyzer.items[0] if isinstance(analyzer, CompositeAnalyzer) else None
    if not words or not isinstance(tokenizer, RegexTokenizer) or tokenizer.gaps:
        return bool(words)
    analyzed = _word_analysis(analyzer)
    return any(analyzed(match.group()) in words for match in tokenizer.expression.finditer(text))


_analysis: tuple[object, Callable[[str], str | None]] | None = None


def _word_analysis(analyzer) -> Callable[[str], str | None]:
    """A word as printed -> as ``analyzer`` indexes it (None for a stop word), the most used
    kept; a new searcher brings its own analyzer, and a new cache."""
    global _analysis
    if _analysis is None or _analysis[0] is not analyzer:

        @functools.lru_cache(maxsize=ANALYZED_WORDS_KEPT)
        def analyzed(word: str) -> str | None:
            return next((token.text for token in analyzer(word)), None)

        _analysis = (analyzer, analyzed)
    return _analysis[1]


def _facet_values(
    counts: dict[str, Counter],
) -> tuple[dict[str, list[FacetValue]], list[FacetValue]]:
    """The values shown for each facet (the most frequent; every month from the first to the
    last with hits, empty ones included, so the histogram's gaps show), labelled."""
    shown = {
        name: sorted(groups.items(), key=lambda item: -item[1])[:FACET_VALUES_SHOWN]
        for name, groups in counts.items()
        if name != "month"
    }
    shown["month"] = _every_month(counts["month"])
    labels = _labels({name: [value for value, _ in pairs] for name, pairs in shown.items()})
    facets = {
        name: [FacetValue(value, labels[name].get(value, value), n) for value, n in pairs]
        for name, pairs in shown.items()
    }
    years: dict[str, int] = defaultdict(int)
    for month, count in counts["month"].items():
        years[month[:4]] += count
    facets["year"] = [FacetValue(year, year, count) for year, count in sorted(years.items())]
    return facets, facets["month"]


def _every_month(counts: Counter) -> list[tuple[str, int]]:
    """("2010-05", hits) for every month from the first to the last with hits."""
    if not counts:
        return []
    first, last = min(counts), max(counts)
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        key = f"{year:04d}-{month:02d}"
        months.append((key, counts.get(key, 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _labels(values: dict[str, list[str]]) -> dict[str, dict[str, str]]:
    """What a person reads for each facet value: names for ids and slugs, "May 2010" for months."""
    senders = [int(value) for value in values["sender"] if value.isdigit()]
    people = dict(Person.objects.filter(pk__in=senders).values_list("pk", "name"))
    places = Jurisdiction.objects.filter(slug__in=values["jurisdiction"])
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    labels["sender"] = {str(pk): name for pk, name in people.items()} | {REDACTED: "Redacted"}
    labels["jurisdiction"] = {place.slug: str(place) for place in places}
    labels["month"] = {
        month: date(int(month[:4]), int(month[5:7]), 1).strftime("%b %Y")
        for month in values["month"]
    }
    return labels


def _suggestion(searcher, text: str) -> str:
    """The typed text with words the archive does not hold replaced by close ones it does."""
    corrector = searcher.corrector("text")
    reader = searcher.reader()
    words = []
    for word in text.split():
        lowered = word.lower()
        unknown = (
            word.isalpha()
            and len(lowered) > SPELLING_PREFIX  # Whoosh's suggester fails on shorter words
            and word not in ("AND", "OR", "NOT")
            and not reader.doc_frequency("spell_text", lowered)
        )
        best = corrector.suggest(lowered, limit=1, prefix=SPELLING_PREFIX) if unknown else []
        words.append(best[0] if best else word)
    suggestion = " ".join(words)
    return suggestion if suggestion != " ".join(text.split()) else ""
