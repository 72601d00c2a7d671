"""Tags: added and removed inline on a thread page (htmx, or a plain form without script),
suggested while typing, and listed with a page per tag."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from taggit.models import Tag

from documents import roles
from documents.browse.paging import requested_page
from documents.browse.thread_list import list_url
from documents.curation import tagging
from documents.models import Thread

THREADS_PER_PAGE = 25


def _tags_fragment(request, thread: Thread, error: str = ""):
    context = {
        "thread": thread,
        "tags": thread.tags.order_by(*tagging.TAG_ORDER),
        "tag_error": error,
        "may": roles.abilities(request.user),
    }
    return render(request, "documents/_thread_tags.html", context)


def _answer(request, thread: Thread, error: str = ""):
    if request.htmx:
        return _tags_fragment(request, thread, error)  # htmx swaps only 2xx answers
    if error:
        messages.error(request, error)
    return redirect("thread", thread.pk)


@require_POST
@roles.requires(roles.TAG)
def add_tags(request, pk: int):
    thread = get_object_or_404(Thread, pk=pk)
    try:
        tagging.add_tags(thread, request.POST.get("tags", ""), request.user)
    except tagging.TagError as error:
        return _answer(request, thread, str(error))
    return _answer(request, thread)


@require_POST
@roles.requires(roles.TAG)
def remove_tag(request, pk: int, slug: str):
    thread = get_object_or_404(Thread, pk=pk)
    tagging.remove_tag(thread, slug, request.user)
    return _answer(request, thread)


@roles.requires(roles.TAG)
def suggestions(request):
    """``<option>``s for the tag field's datalist: the last name being typed."""
    typed = request.GET.get("tags", "").rsplit(",", 1)[-1]
    return render(request, "documents/_tag_options.html", {"tags": tagging.suggest(typed)})


def tag_index(request):
    return render(request, "documents/tags.html", {"tags": tagging.tags_in_use()})


def tag_detail(request, slug: str):
    tag = get_object_or_404(Tag, slug=slug)
    threads = Thread.objects.filter(tags=tag).order_by("-last_sent_at", "-pk")
    page, page_urls = requested_page(request, threads, THREADS_PER_PAGE)
    context = {
        "tag": tag,
        "page": page,
        "threads_url": list_url({"tag": slug}),
        "page_urls": page_urls,
    }
    return render(request, "documents/tag.html", context)
