"""The people of the archive: a directory with how many emails each sent and received, and a
page per person with their emails over time, their threads and the people they wrote to most."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet

from documents.archive_cache import kept
from documents.models import Document, Person, Recipient, Thread

PEOPLE_PER_PAGE = 50
# Correspondents and threads shown on a person's page (the threads list has the rest).
TOP_CORRESPONDENTS = 10
RECENT_THREADS = 20
DIRECTORY_SORTS = ("name", "sent", "received")


def email_counts() -> dict[int, tuple[int, int]]:
    """Each person's emails sent and received (a person in both To and Cc of an email received
    it once): two scans of the archive, kept per revision by the directory."""
    sent = dict(
        Document.objects.exclude(sender=None)
        .values_list("sender")
        .annotate(n=Count("*"))
        .order_by()
    )
    received = dict(
        Recipient.objects.exclude(person=None)
        .values_list("person")
        .annotate(n=Count("document", distinct=True))
        .order_by()
    )
    return {pk: (sent.get(pk, 0), received.get(pk, 0)) for pk in sent.keys() | received.keys()}


def directory(name: str, sort: str, page_number) -> tuple[object, str]:
    """A page of people whose name, address or a printed spelling holds ``name``, each with
    ``sent`` and ``received``."""
    people = Person.objects.all()
    name = name.strip()
    if name:
        people = people.filter(
            Q(name__icontains=name) | Q(email__icontains=name) | Q(aliases__alias__icontains=name)
        ).distinct()
    sort = sort if sort in DIRECTORY_SORTS else "name"
    counts = kept("people-email-counts", email_counts)
    if sort == "name":
        page = Paginator(people.order_by("name", "email", "id"), PEOPLE_PER_PAGE).get_page(
            page_number
        )
        shown = list(page.object_list)
    else:
        column = 0 if sort == "sent" else 1
        rows = people.values_list("pk", "name")
        ranked = sorted(rows, key=lambda row: (-counts.get(row[0], (0, 0))[column], row[1], row[0]))
        page = Paginator([pk for pk, _ in ranked], PEOPLE_PER_PAGE).get_page(page_number)
        found = Person.objects.in_bulk(page.object_list)
        shown = [found[pk] for pk in page.object_list]
    for person in shown:
        person.sent, person.received = counts.get(person.pk, (0, 0))
    page.object_list = shown
    return page, sort


@dataclass
class Correspondent:
    person: Person
    count: int


@dataclass
class PersonProfile:
    person: Person
    sent: int
    received: int
    threads: list[Thread]
    thread_count: int
    wrote_to: list[Correspondent]
    heard_from: list[Correspondent]
    aliases: list[str]


def emails_of(person: Person) -> QuerySet:
    """Every email the person sent or received."""
    received = Recipient.objects.filter(person=person).values("document_id")
    return Document.objects.filter(Q(sender=person) | Q(pk__in=received))


def profile(person: Person) -> PersonProfile:
    threads = Thread.objects.filter(participants=person)
    wrote_to = (
        Recipient.objects.filter(document__sender=person, person__isnull=False)
        .exclude(person=person)
        .values("person")
        .annotate(n=Count("document", distinct=True))
        .order_by("-n", "person__name", "person")[:TOP_CORRESPONDENTS]
    )
    heard_from = (
        Document.objects.filter(recipient_entries__person=person, sender__isnull=False)
        .exclude(sender=person)
        .values("sender")
        .annotate(n=Count("id", distinct=True))
        .order_by("-n", "sender__name", "sender")[:TOP_CORRESPONDENTS]
    )
    wrote_to, heard_from = list(wrote_to), list(heard_from)
    named = Person.objects.in_bulk(
        [r["person"] for r in wrote_to] + [r["sender"] for r in heard_from]
    )
    return PersonProfile(
        person=person,
        sent=Document.objects.filter(sender=person).count(),
        received=Recipient.objects.filter(person=person).values("document").distinct().count(),
        threads=list(threads.order_by("-last_sent_at", "-id")[:RECENT_THREADS]),
        thread_count=threads.count(),
        wrote_to=[Correspondent(named[r["person"]], r["n"]) for r in wrote_to],
        heard_from=[Correspondent(named[r["sender"]], r["n"]) for r in heard_from],
        aliases=list(person.aliases.values_list("alias", flat=True)),
    )
