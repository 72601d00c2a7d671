from django.shortcuts import render

from documents.stats import archive_counts, recent_batches


def home(request):
    context = {"counts": archive_counts(), "recent_batches": recent_batches()}
    return render(request, "documents/home.html", context)
