"""The browsing pages: threads, people, jurisdictions and batches. Each view reads the URL,
asks a service module for what to show, and renders it."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode

from documents import roles
from documents.archive_cache import kept
from documents.browse import people_directory, places_directory
from documents.browse.paging import pages_around
from documents.browse.thread_list import list_threads, list_url
from documents.browse.timeline import draw, monthly_counts
from documents.imports.report import batch_report
from documents.models import Batch, Jurisdiction, Person, SourceFile


def thread_list(request):
    """Threads narrowed by the filters in the URL, sorted, a page at a time."""
    listing = list_threads(request.GET, request.GET.get("page"))
    return render(request, "documents/thread_list.html", {"listing": listing})


def people(request):
    name = request.GET.get("name", "")[:200]
    page, sort = people_directory.directory(
        name, request.GET.get("sort", ""), request.GET.get("page")
    )

    def url(**changes) -> str:
        values = {"name": name, "sort": sort if sort != "name" else ""} | changes
        query = urlencode({key: value for key, value in values.items() if value})
        return reverse("people") + (f"?{query}" if query else "")

    context = {
        "page": page,
        "name": name,
        "sort": sort,
        "sorts": [
            (label, url(sort=key, page=""), key == sort)
            for key, label in (
                ("name", "Name"),
                ("sent", "Most sent"),
                ("received", "Most received"),
            )
        ],
        "page_urls": pages_around(page, lambda number: url(page=number)),
    }
    return render(request, "documents/people.html", context)


def _profile_context(key: str, compute_profile, emails, threads_filter: dict) -> dict:
    """A person's or a place's figures (kept per revision of the archive), its emails per month
    linked to the threads of each month, and the address of all its threads."""
    profile, counts = kept(key, lambda: (compute_profile(), monthly_counts(emails())))
    return {
        "profile": profile,
        "timeline": draw(counts, lambda month: list_url(threads_filter, month=f"{month:%Y-%m}")),
        "threads_url": list_url(threads_filter),
    }


def _alias_editor(request, permission: str, aliases, url_name: str, key) -> dict | None:
    """What an editor's spelling list needs: each alias with its remove address."""
    if not request.user.has_perm(permission):
        return None
    rows = list(aliases)
    for alias in rows:
        alias.remove_url = reverse(f"{url_name}-remove", args=[key, alias.pk])
    return {"aliases": rows, "add_url": reverse(f"{url_name}-add", args=[key])}


def person_detail(request, pk: int):
    person = get_object_or_404(Person, pk=pk)
    context = _profile_context(
        f"person:{pk}",
        lambda: people_directory.profile(person),
        lambda: people_directory.emails_of(person),
        {"person": pk},
    )
    context |= {
        "alias_editor": _alias_editor(
            request, roles.EDIT_PERSON_ALIASES, person.aliases.all(), "person-alias", person.pk
        ),
        "person": person,
        "sent_url": list_url({"sender": pk}),
        "received_url": list_url({"recipient": pk}),
    }
    return render(request, "documents/person.html", context)


def jurisdictions(request):
    return render(request, "documents/jurisdictions.html", {"groups": places_directory.directory()})


def jurisdiction_detail(request, slug: str):
    place = get_object_or_404(Jurisdiction.objects.select_related("parent"), slug=slug)
    context = _profile_context(
        f"place:{place.pk}",
        lambda: places_directory.profile(place),
        lambda: places_directory.emails_about(place),
        {"place": slug},
    )
    context["place"] = place
    context["alias_editor"] = _alias_editor(
        request, roles.EDIT_PLACE_ALIASES, place.aliases.all(), "place-alias", slug
    )
    return render(request, "documents/jurisdiction.html", context)


def batches(request):
    return render(
        request,
        "documents/batches.html",
        {"batches": Batch.objects.order_by("-released_on", "name")},
    )


def files_needing_attention(request):
    """Every file of every batch that failed, is encrypted or needs OCR, by batch."""
    files = (
        SourceFile.objects.filter(status__in=SourceFile.NEEDS_ATTENTION)
        .select_related("batch")
        .order_by("batch__name", "original_name")
    )
    return render(request, "documents/files_attention.html", {"files": files})


def batch_detail(request, name: str):
    batch = get_object_or_404(Batch.objects.select_related("imported_by"), name=name)
    report = kept(f"batch-report:{batch.pk}", lambda: batch_report(batch))
    context = {"batch": batch, "report": report, "threads_url": list_url({"batch": name})}
    return render(request, "documents/batch.html", context)
