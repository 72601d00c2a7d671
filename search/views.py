"""The search results page (the header's search box lands here)."""

from django.core.paginator import Paginator
from django.shortcuts import render
from haystack.query import SearchQuerySet

from documents.models import Document
from search.index import index_exists

RESULTS_PER_PAGE = 20


def results(request):
    query = request.GET.get("q", "").strip()
    page = None
    # haystack would create a missing index on first search; the web process must never write it.
    if not index_exists():
        return render(request, "search/results.html", {"query": query, "index_missing": True})
    if query:
        hits = SearchQuerySet().models(Document).auto_query(query)
        page = Paginator(hits, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "search/results.html", {"query": query, "page": page})
