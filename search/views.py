"""The search results page and the same search as JSON; the work is in search._service.

Whatever is typed gets an answer: control characters are dropped, an overlong query is cut with
a note, and a damaged index gives a 503 "search is being repaired" page, not an error.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db import DataError, InternalError, transaction
from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode

from documents.curation.annotations import NOTES_FOUND_SHOWN, search_notes
from documents.models import Document
from search import _service as service
from search._examples import archive_examples
from search._index import IndexUnavailable, index_exists

FILTER_NAMES = {*service.FACETS, "year"}
# Characters of a query kept; the search box's language needs no more.
QUERY_CHARS = 1000
# NUL and other control characters: PostgreSQL refuses NUL, and none means anything in a query.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
REPAIRING = (
    "Search is being repaired: the search index could not be read, and is being rebuilt from "
    "the archive. Reading, browsing and everything else work meanwhile; try searching again in "
    "a few minutes."
)


def _cleaned(text: str) -> str:
    return _CONTROL.sub(" ", text)


def _arguments(request: HttpRequest) -> dict:
    filters = []
    for raw in request.GET.getlist("f"):
        name, _, value = _cleaned(raw).partition(":")
        if name in FILTER_NAMES and value:
            filters.append((name, value))
    try:
        page = int(request.GET.get("page", 1))
    except ValueError:
        page = 1
    return {
        "text": _cleaned(request.GET.get("q", ""))[:QUERY_CHARS],
        "filters": filters,
        "sort": request.GET.get("sort", "relevance"),
        "page": page,
    }


def _url(text: str, filters, sort: str, page: int = 1) -> str:
    pairs = [("q", text), *(("f", f"{name}:{value}") for name, value in filters)]
    if sort != "relevance":
        pairs.append(("sort", sort))
    if page > 1:
        pairs.append(("page", page))
    return f"{reverse('search:results')}?{urlencode(pairs)}"


def _search(request: HttpRequest) -> service.SearchResult:
    typed = request.GET.get("q", "")
    result = service.search(**_arguments(request))
    if len(typed) > QUERY_CHARS:
        result.notes.append(
            f"The query was longer than {QUERY_CHARS:,} characters; only the first "
            f"{QUERY_CHARS:,} were searched."
        )
    return result


def _repairing(request: HttpRequest, template: str, context: dict):
    context = {**context, "index_broken": True, "repairing": REPAIRING}
    return render(request, template, context, status=503)


def _notes_found(text: str, user) -> list:
    """Notes holding the words; none when PostgreSQL refuses what was typed as a text search
    (its parser gives up on some, such as fifty minus signs in a row)."""
    try:
        with transaction.atomic():
            return search_notes(text, user)
    except (DataError, InternalError):
        return []


def results(request: HttpRequest):
    arguments = _arguments(request)
    # haystack would create a missing index on first search; the web process never writes it.
    if not index_exists():
        return render(
            request, "search/results.html", {"query": arguments["text"], "index_missing": True}
        )
    try:
        result = _search(request)
    except IndexUnavailable:
        return _repairing(request, "search/results.html", {"query": arguments["text"]})
    filters, text, sort = arguments["filters"], result.text, result.sort
    labels = {(name, v.value): v.label for name, values in result.facets.items() for v in values}
    context = {
        "query": text,
        "result": result,
        "chips": [
            {
                "label": f"{name}: {labels.get((name, value), value)}",
                "url": _url(text, [f for f in filters if f != (name, value)], sort),
            }
            for name, value in filters
        ],
        "facets": [
            (name, [(v, _url(text, [*filters, (name, v.value)], sort)) for v in values])
            for name, values in result.facets.items()
            if values and name != "month"
        ],
        "sorts": [(name, _url(text, filters, name)) for name in service.SORTS],
        "months": [(v, _url(text, [*filters, ("month", v.value)], sort)) for v in result.months],
        "busiest": max((v.count for v in result.months), default=0),
        "previous_url": _url(text, filters, sort, result.page - 1) if result.page > 1 else "",
        "next_url": _url(text, filters, sort, result.page + 1)
        if result.page < result.pages
        else "",
        "suggestion_url": _url(result.suggestion, filters, sort) if result.suggestion else "",
        # Notes are few and searched in PostgreSQL, so private notes never reach the index.
        "notes": _notes_found(text, request.user) if text and result.page == 1 else [],
        "notes_limit": NOTES_FOUND_SHOWN,
    }
    return render(request, "search/results.html", context)


def similar(request: HttpRequest, pk: int):
    """ "More like this": emails of other threads with the same telling words."""
    document = get_object_or_404(Document.objects.select_related("sender"), pk=pk)
    try:
        hits = service.similar(document) if index_exists() else []
    except IndexUnavailable:
        return _repairing(request, "search/similar.html", {"document": document, "hits": []})
    return render(request, "search/similar.html", {"document": document, "hits": hits})


def help_page(request: HttpRequest):
    """The query language, with examples from the archive."""
    context = {"examples": archive_examples(), "time_zone": settings.TIME_ZONE}
    return render(request, "search/help.html", context)


def api_search(request: HttpRequest) -> JsonResponse:
    """GET /api/search?q=...&f=sender:12&sort=newest&page=2: hits, facets and total as JSON."""
    if not index_exists():
        return JsonResponse({"error": "the search index has not been built"}, status=503)
    try:
        result = _search(request)
    except IndexUnavailable:
        return JsonResponse({"error": REPAIRING}, status=503)
    return JsonResponse(
        {
            "query": result.text,
            "total": result.total,
            "page": result.page,
            "pages": result.pages,
            "sort": result.sort,
            "notes": result.notes,
            "suggestion": result.suggestion,
            "too_broad": result.too_broad,
            "hits": [_hit_json(request, hit) for hit in result.hits],
            "facets": {
                name: [{"value": v.value, "label": v.label, "count": v.count} for v in values]
                for name, values in result.facets.items()
            },
        }
    )


def _hit_json(request: HttpRequest, hit: service.Hit) -> dict:
    document = hit.document
    return {
        "id": document.pk,
        "url": request.build_absolute_uri(reverse("document", args=[document.pk])),
        "subject": document.subject,
        "sender": str(document.sender) if document.sender else document.sender_raw,
        "sent_at": document.sent_at.isoformat() if document.sent_at else None,
        "thread_id": document.thread_id,
        "thread_url": request.build_absolute_uri(
            f"{reverse('thread', args=[document.thread_id])}#message-{document.pk}"
        ),
        "score": hit.score,
        "subject_html": str(hit.subject),
        "snippet_html": str(hit.snippet),
        "citations": [str(appearance) for appearance in document.appearances.all()],
    }
