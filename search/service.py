"""Searching the archive: the one read path behind the results page and /api/search.

One search per page on the process's shared searcher: the page of hits, the total and the facet
counts come from the same pass. Hits are loaded from PostgreSQL, and their snippets highlighted
from the database's text, escaped.
"""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from whoosh import highlight, sorting
from whoosh import query as q

from documents.models import Document, Jurisdiction, Person
from search.backend import shared_searcher
from search.query import QueryTranslator
from search.search_indexes import REDACTED

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
# Fewer hits than this and a spelling suggestion is offered.
SUGGEST_BELOW = 5


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


def search(
    text: str, filters: list[tuple[str, str]] = (), sort: str = "relevance", page: int = 1
) -> SearchResult:
    """Search ``text`` (the search box's language) narrowed by facet ``filters`` such as
    ("sender", "12") or ("year", "2010")."""
    sort = sort if sort in SORTS else "relevance"
    result = SearchResult(text=text.strip(), sort=sort, page=max(1, page))
    with shared_searcher() as searcher:
        reader = searcher.reader()
        zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        translator = QueryTranslator(
            searcher.schema, zone, lambda name: [t.decode() for t in reader.lexicon(name)]
        )
        parsed = translator.translate(result.text) if result.text else None
        result.notes = list(dict.fromkeys(parsed.notes)) if parsed else []
        query = parsed.query if parsed and not parsed.is_empty else None
        if query is None and result.text and not result.notes:
            result.notes.append("Only very common words were typed; they are not searched.")
        narrow = _filter_query(filters)
        if query is None and narrow is None:
            return result
        sortedby, reverse = SORTS[sort] or (None, False)
        found = searcher.search_page(
            query or q.Every(),
            result.page,
            pagelen=PER_PAGE,
            filter=narrow,
            sortedby=sortedby,
            reverse=reverse,
            groupedby=_facets(),
            terms=True,
        )
        result.total = found.total
        result.page = min(result.page, result.pages)
        documents = _documents([int(hit["django_id"]) for hit in found])
        result.hits = [
            Hit(documents[int(hit["django_id"])], hit.score, _snippet(hit, documents))
            for hit in found
            if int(hit["django_id"]) in documents
        ]
        result.facets, result.months = _facet_values(found.results)
        if result.text and result.total < SUGGEST_BELOW:
            result.suggestion = _suggestion(searcher, result.text)
    return result


def _filter_query(filters) -> q.Query | None:
    terms = []
    for name, value in filters:
        if name == "year":
            terms.append(q.Prefix("month", f"{value}-"))
        elif name in FACETS:
            terms.append(q.Term(FACETS[name], value))
    return q.And(terms) if terms else None


def _facets() -> dict[str, sorting.FieldFacet]:
    """Counted in the same pass as the hits; multi-valued fields count each value."""
    return {
        name: sorting.FieldFacet(
            index_field,
            allow_overlap=index_field not in ("month", "sender_key"),
            maptype=sorting.Count,
        )
        for name, index_field in FACETS.items()
    }


def _documents(ids: list[int]) -> dict[int, Document]:
    documents = (
        Document.objects.filter(pk__in=ids)
        .select_related("sender", "thread")
        .prefetch_related("appearances__source_file__batch")
    )
    return {document.pk: document for document in documents}


def _snippet(hit, documents: dict[int, Document]) -> SafeString:
    document = documents[int(hit["django_id"])]
    hit.results.highlighter.formatter = _Marker()
    hit.results.highlighter.fragmenter = highlight.ContextFragmenter(maxchars=240, surround=60)
    marked = hit.highlights("text", text=document.body, top=3)
    if marked:
        return mark_safe(marked)  # noqa: S308 (every piece was escaped by _Marker)
    opening = " ".join(document.body.split())
    return mark_safe(escape(opening[:240] + ("…" if len(opening) > 240 else "")))  # noqa: S308


def _facet_values(results) -> tuple[dict[str, list[FacetValue]], list[FacetValue]]:
    counts = {name: _decoded(results.groups(name)) for name in FACETS}
    labels = _labels(counts)

    def values(name: str, pairs) -> list[FacetValue]:
        return [FacetValue(value, labels[name].get(value, value), count) for value, count in pairs]

    facets = {
        name: values(name, sorted(groups.items(), key=lambda item: -item[1])[:FACET_VALUES_SHOWN])
        for name, groups in counts.items()
    }
    years: dict[str, int] = defaultdict(int)
    for month, count in counts["month"].items():
        years[month[:4]] += count
    facets["year"] = [FacetValue(year, year, count) for year, count in sorted(years.items())]
    return facets, values("month", sorted(counts["month"].items()))


def _decoded(groups: dict) -> dict[str, int]:
    return {
        (key.decode() if isinstance(key, bytes) else str(key)): count
        for key, count in groups.items()
        if key
    }


def _labels(counts: dict[str, dict[str, int]]) -> dict[str, dict[str, str]]:
    """What a person reads for each facet value: names for ids and slugs, "May 2010" for months."""
    senders = [int(value) for value in counts["sender"] if value.isdigit()]
    people = dict(Person.objects.filter(pk__in=senders).values_list("pk", "name"))
    places = Jurisdiction.objects.filter(slug__in=list(counts["jurisdiction"]))
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    labels["sender"] = {str(pk): name for pk, name in people.items()} | {REDACTED: "Redacted"}
    labels["jurisdiction"] = {place.slug: str(place) for place in places}
    labels["month"] = {
        month: date(int(month[:4]), int(month[5:7]), 1).strftime("%b %Y")
        for month in counts["month"]
    }
    return labels


def _suggestion(searcher, text: str) -> str:
    """The typed text with words the archive does not hold replaced by close ones it does."""
    corrector = searcher.corrector("text")
    words = []
    changed = False
    for word in text.split():
        plain = word.isalpha() and word not in ("AND", "OR", "NOT")
        best = corrector.suggest(word.lower(), limit=1) if plain else []
        if (
            best
            and best[0] != word.lower()
            and not searcher.reader().doc_frequency("spell_text", word.lower())
        ):
            words.append(best[0])
            changed = True
        else:
            words.append(word)
    return " ".join(words) if changed else ""
