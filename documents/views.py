from django.shortcuts import get_object_or_404, render

from documents.models import Document, Thread
from documents.stats import archive_counts, recent_batches
from search.service import text_marker

# What an email's page and a thread page show of each email, fetched in a fixed number of queries.
EMAIL_RELATIONS = ["recipient_entries__person", "jurisdictions", "appearances__source_file__batch"]


def home(request):
    context = {"counts": archive_counts(), "recent_batches": recent_batches()}
    return render(request, "documents/home.html", context)


def _mark(documents, query: str) -> None:
    """Words of the search the reader came from, marked in each body (escaped all the same)."""
    mark = text_marker(query)
    for document in documents:
        document.marked_subject = mark(document.subject) if query and document.subject else None
        document.marked_body = mark(document.body) if query else None


def document_detail(request, pk: int):
    """One email with where it was printed; released text is escaped by the template."""
    document = get_object_or_404(
        Document.objects.select_related("sender", "thread").prefetch_related(*EMAIL_RELATIONS),
        pk=pk,
    )
    query = request.GET.get("q", "")[:1000]
    _mark([document], query)
    return render(request, "documents/document.html", {"document": document, "query": query})


def thread_detail(request, pk: int):
    """A thread's emails in order; ``?q=`` marks the words of a search in every body."""
    thread = get_object_or_404(Thread, pk=pk)
    documents = list(thread.documents.select_related("sender").prefetch_related(*EMAIL_RELATIONS))
    query = request.GET.get("q", "")[:1000]
    _mark(documents, query)
    context = {"thread": thread, "documents": documents, "query": query}
    return render(request, "documents/thread.html", context)
