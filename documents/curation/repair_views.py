"""Thread repair: merge a thread into another, move an email, see the changes and undo them."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from documents import roles
from documents.browse.paging import requested_page
from documents.curation import thread_repair
from documents.models import Document, Thread, ThreadChange

CHANGES_PER_PAGE = 50


def _thread_named(value: str) -> Thread | None:
    """A thread by its number, also written as "#123" or pasted as its address."""
    digits = value.strip().rstrip("/").rsplit("/", 1)[-1].lstrip("#")
    return (
        Thread.objects.filter(pk=int(digits)).first()
        if digits.isdecimal() and digits.isascii()
        else None
    )


@require_POST
@roles.requires(roles.REPAIR)
def merge(request, pk: int):
    source = get_object_or_404(Thread, pk=pk)
    typed = request.POST.get("other", "").strip()  # wins over a suggested thread ticked
    target = _thread_named(typed or request.POST.get("target", ""))
    if target is None:
        messages.error(request, "Choose the thread to merge into (its number or address).")
        return redirect("thread", pk)
    try:
        thread_repair.merge_threads(source, target, request.user, request.POST.get("reason", ""))
    except thread_repair.RepairError as error:
        messages.error(request, str(error))
        return redirect("thread", pk)
    messages.success(request, f"Thread {pk} was merged into this one. Undo it under Repairs.")
    return redirect("thread", target.pk)


@require_POST
@roles.requires(roles.REPAIR)
def move(request, pk: int):
    document = get_object_or_404(Document.objects.select_related("thread"), pk=pk)
    wanted = request.POST.get("target", "").strip()
    target = None
    if wanted != "new":
        target = _thread_named(wanted)
        if target is None:
            messages.error(request, "Choose the thread to move the email to, or a new thread.")
            return redirect("thread", document.thread_id)
    try:
        change = thread_repair.move_email(
            document, target, request.user, request.POST.get("reason", "")
        )
    except thread_repair.RepairError as error:
        messages.error(request, str(error))
        return redirect("thread", document.thread_id)
    messages.success(request, "The email was moved. Undo it under Repairs.")
    return redirect("thread", change.target_number)


@roles.requires(roles.REPAIR)
def changes(request):
    listed = ThreadChange.objects.select_related("made_by", "undone_by", "target")
    page, page_urls = requested_page(request, listed, CHANGES_PER_PAGE)
    context = {"page": page, "page_urls": page_urls}
    return render(request, "documents/thread_changes.html", context)


@require_POST
@roles.requires(roles.REPAIR)
def undo(request, pk: int):
    change = get_object_or_404(ThreadChange, pk=pk)
    try:
        thread_repair.undo(change, request.user)
    except thread_repair.RepairError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Undone: {change}.")
    return redirect("thread-changes")
