from django.shortcuts import get_object_or_404, render

from documents.models import Document
from documents.stats import archive_counts, recent_batches


def home(request):
    context = {"counts": archive_counts(), "recent_batches": recent_batches()}
    return render(request, "documents/home.html", context)


def document_detail(request, pk: int):
    """One email with where it was printed; released text is escaped by the template."""
    document = get_object_or_404(
        Document.objects.select_related("sender", "thread").prefetch_related(
            "recipient_entries__person", "jurisdictions", "appearances__source_file__batch"
        ),
        pk=pk,
    )
    entries = document.recipient_entries.all()
    recipients = [
        entry for field in ("to", "cc", "bcc") for entry in entries if entry.field == field
    ]
    return render(
        request, "documents/document.html", {"document": document, "recipients": recipients}
    )
