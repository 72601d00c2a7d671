"""Annotations: written on a thread page, edited and deleted by their authors, listed per
user, exported per thread as CSV."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from documents import roles
from documents.browse import reading
from documents.browse.paging import requested_page
from documents.curation import annotations
from documents.models import Annotation, Thread

NOTES_PER_PAGE = 50


def _note_url(note: Annotation) -> str:
    return reverse("thread", args=[note.thread_id]) + f"#note-{note.pk}"


@require_POST
@roles.requires(roles.NOTE)
def add_note(request, pk: int):
    thread = get_object_or_404(Thread, pk=pk)
    post = request.POST
    document = None
    if post.get("document"):
        document = thread.documents.filter(pk=post["document"]).first()
        if document is None:
            messages.error(request, "That email is not in this thread.")
            return redirect("thread", pk)
    try:
        note = annotations.add_note(
            thread,
            request.user,
            post.get("body", ""),
            post.get("visibility", ""),
            document=document,
            quote=post.get("quote", ""),
            prefix=post.get("prefix", ""),
            suffix=post.get("suffix", ""),
        )
    except annotations.NoteError as error:
        messages.error(request, f"The note was not saved: {error}")
        return redirect("thread", pk)
    messages.success(request, "Note saved.")
    return redirect(_note_url(note))


@roles.requires(roles.NOTE)
def edit_note(request, pk: int):
    note = get_object_or_404(Annotation.objects.select_related("thread", "document"), pk=pk)
    if not annotations.may_change(request.user, note):
        raise PermissionDenied("Only its author may change a note.")
    error = ""
    if request.method == "POST":
        try:
            annotations.edit_note(
                note, request.user, request.POST.get("body", ""), request.POST.get("visibility", "")
            )
        except annotations.NoteError as problem:
            error = str(problem)
        else:
            messages.success(request, "Note changed.")
            return redirect(_note_url(note))
    context = {
        "note": note,
        "error": error,
        "may": roles.abilities(request.user),
        "visibilities": Annotation.Visibility.choices,
    }
    return render(request, "documents/note_edit.html", context, status=400 if error else 200)


@require_POST
@roles.requires(roles.NOTE)
def delete_note(request, pk: int):
    note = get_object_or_404(Annotation.objects.select_related("thread", "author"), pk=pk)
    if not annotations.may_delete(request.user, note):
        raise PermissionDenied("Only its author or an admin may delete a note.")
    thread_id = note.thread_id
    annotations.delete_note(note, request.user)
    messages.success(request, "Note deleted.")
    return redirect("thread", thread_id)


def _notes_page(request, notes, owner, heading: str):
    ordered = annotations.with_relations(notes).order_by("-updated_at", "-pk")
    page, page_urls = requested_page(request, ordered, NOTES_PER_PAGE)
    page.object_list = annotations.prepared(page.object_list, request.user)
    context = {
        "page": page,
        "owner": owner,
        "heading": heading,
        "page_urls": page_urls,
    }
    return render(request, "documents/notes.html", context)


@roles.requires(roles.NOTE)
def my_notes(request):
    notes = Annotation.objects.filter(author=request.user)
    return _notes_page(request, notes, request.user, "My notes")


def user_notes(request, username: str):
    owner = get_object_or_404(get_user_model(), username=username)
    notes = Annotation.objects.filter(author=owner).filter(annotations.visible_to(request.user))
    return _notes_page(request, notes, owner, f"Notes by {owner.get_username()}")


def thread_notes_csv(request, pk: int):
    thread = get_object_or_404(Thread, pk=pk)
    documents = list(reading.with_reading_relations(thread.documents.all()))
    notes = annotations.thread_notes(thread, documents, request.user)
    base = request.build_absolute_uri("/").rstrip("/")
    body = annotations.notes_csv(thread, documents, notes, base)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="thread-{pk}-notes.csv"'
    return response
