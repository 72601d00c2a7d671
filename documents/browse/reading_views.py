"""The reading pages: an email, a thread, a page of a released file, the file itself, and a
thread's exports. Released text is escaped by ``documents.browse.reading`` and the templates."""

from __future__ import annotations

import json

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from documents import roles
from documents.browse import reading
from documents.browse.stats import archive_counts, recent_batches
from documents.browse.thread_export import thread_json, thread_mbox
from documents.browse.thread_list import list_url
from documents.browse.timeline import archive_months, draw
from documents.curation import annotations
from documents.curation.tagging import TAG_ORDER
from documents.curation.thread_repair import merge_candidates, merged_into
from documents.models import Annotation, Document, Page, SourceFile, Thread
from search import text_marker

# How a stored file is sent: PDFs open in the browser's viewer, anything else is downloaded.
INLINE_TYPES = {SourceFile.FileType.PDF: "application/pdf"}


def home(request):
    timeline = draw(archive_months(), lambda month: list_url({}, month=f"{month:%Y-%m}"))
    context = {"counts": archive_counts(), "recent_batches": recent_batches(), "timeline": timeline}
    return render(request, "documents/home.html", context)


def _query(request) -> str:
    return request.GET.get("q", "")[:1000]


def document_detail(request, pk: int):
    """One email with where it was printed."""
    document = get_object_or_404(reading.with_reading_relations(Document.objects.all()), pk=pk)
    query = _query(request)
    reading.prepare([document], text_marker(query) if query else None, request.build_absolute_uri)
    notes = annotations.thread_notes(document.thread, [document], request.user)
    context = {"document": document, "query": query, "notes": notes.by_email.get(document.pk)}
    return render(request, "documents/document.html", context)


def document_text(request, pk: int):
    """One part of a long email's text, from character ``?from=`` on, with a link to the next
    part: only that part is fetched, however long the text is."""
    given = request.GET.get("from", "")
    start = min(int(given), reading.LONGEST_TEXT) if given.isascii() and given.isdigit() else 0
    document = get_object_or_404(
        reading.with_body_part(Document.objects.select_related("sender"), start), pk=pk
    )
    part = reading.body_part(document.body_head, start, document.body_length)
    query = _query(request)
    marker = text_marker(query) if query else None
    context = {
        "document": document,
        "part": part,
        "text": reading.mark_redactions(marker(part.text) if marker else part.text),
        "query": query,
    }
    return render(request, "documents/document_text.html", context)


def thread_detail(request, pk: int):
    """A thread's emails in order with the notes the reader may see beside them; ``?q=`` marks
    the words of a search in every email. A thread merged away leads to the one it went into."""
    thread = Thread.objects.filter(pk=pk).first()
    if thread is None:
        successor = merged_into(pk)
        if successor is None:
            raise Http404("No such thread.")
        query = request.GET.urlencode()
        return redirect(reverse("thread", args=[successor]) + (f"?{query}" if query else ""))
    documents = list(reading.with_reading_relations(thread.documents.all()))
    query = _query(request)
    reading.prepare(documents, text_marker(query) if query else None, request.build_absolute_uri)
    notes = annotations.thread_notes(thread, documents, request.user)
    for document in documents:
        document.notes = notes.by_email.get(document.pk, [])
    may = roles.abilities(request.user)
    previous, following = reading.thread_neighbours(thread)
    context = {
        "thread": thread,
        "tags": thread.tags.order_by(*TAG_ORDER),
        "documents": documents,
        "holds_other_kinds": any(d.kind != Document.Kind.EMAIL for d in documents),
        "notes": notes,
        "may": may,
        "visibilities": Annotation.Visibility.choices,
        "candidates": merge_candidates(thread) if may["repair"] else [],
        "query": query,
        "previous": previous,
        "next": following,
    }
    return render(request, "documents/thread.html", context)


def thread_export_json(request, pk: int):
    thread = get_object_or_404(Thread, pk=pk)
    body = json.dumps(thread_json(thread), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="thread-{pk}.json"'
    return response


def thread_export_mbox(request, pk: int):
    thread = get_object_or_404(Thread, pk=pk)
    response = HttpResponse(thread_mbox(thread), content_type="application/mbox")
    response["Content-Disposition"] = f'attachment; filename="thread-{pk}.mbox"'
    return response


def source_original(request, pk: int):
    """The file as the agency released it: a PDF opens in the browser (at ``#page=N``)."""
    source = get_object_or_404(SourceFile, pk=pk)
    if not source.stored_file:
        raise Http404("No copy of this file is stored.")
    return _released_file(source, source.stored_file, source.original_name.rsplit("/", 1)[-1])


def source_searchable(request, pk: int):
    """The released PDF with the OCR text laid over its scanned pages: searchable, selectable."""
    source = get_object_or_404(SourceFile, pk=pk)
    if not source.searchable_file:
        raise Http404("No page of this file was OCR'd.")
    stem = source.original_name.rsplit("/", 1)[-1].removesuffix(".pdf").removesuffix(".PDF")
    return _released_file(source, source.searchable_file, f"{stem} (with OCR text).pdf")


def _released_file(source: SourceFile, stored, filename: str) -> FileResponse:
    inline = source.detected_type in INLINE_TYPES
    response = FileResponse(
        stored.open("rb"),
        as_attachment=not inline,
        filename=filename,
        content_type=INLINE_TYPES.get(source.detected_type, "application/octet-stream"),
    )
    # Released files are untrusted: no script of theirs runs in the archive's origin.
    response["Content-Security-Policy"] = "sandbox"
    return response


def page_text(request, pk: int, number: int):
    """One page's extracted text, with its Bates number and the emails printed on it."""
    page = get_object_or_404(
        Page.objects.select_related("source_file__batch"), source_file_id=pk, number=number
    )
    source = page.source_file
    printed = (
        reading.APPEARANCES.filter(
            source_file=source, first_page__lte=number, last_page__gte=number
        )
        .select_related("document__sender")
        .defer("document__body")
    )
    around = source.pages.filter(number__in=(number - 1, number + 1))
    pages = set(around.values_list("number", flat=True))
    context = {
        "page": page,
        "source": source,
        "text": reading.mark_redactions(page.text),
        "stamps": reading.stamp_label(page),
        "printed": list(printed),
        "previous": number - 1 if number - 1 in pages else None,
        "next": number + 1 if number + 1 in pages else None,
        "pdf_url": reading.pdf_url(source, number),
        "ocr_pdf_url": reading.pdf_url(source, number, with_ocr_text=True),
    }
    return render(request, "documents/page.html", context)
