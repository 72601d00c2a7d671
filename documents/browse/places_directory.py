"""The jurisdictions the emails mention: a directory grouped by state, and a page per place with
its emails over time, its threads and the people who wrote about it most.

A state stands for itself and its counties and cities: "California" finds the emails about
Santa Clara County too, as the threads list's filter does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from documents.archive_cache import kept
from documents.models import Document, Jurisdiction, Person, Thread

RECENT_THREADS = 20
TOP_WRITERS = 10

ThreadPlace = Thread.jurisdictions.through
DocumentPlace = Document.jurisdictions.through


@dataclass
class PlaceCount:
    place: Jurisdiction
    threads: int


@dataclass
class StateGroup:
    state: Jurisdiction
    threads: int  # threads about the state or any place in it
    places: list[PlaceCount] = field(default_factory=list)  # the state itself first


def _threads_per_state() -> dict[str, int]:
    """Threads about each state or a place in it, by USPS code."""
    return dict(
        ThreadPlace.objects.values_list("jurisdiction__state_code")
        .annotate(n=Count("thread", distinct=True))
        .order_by()
    )


def states_with_threads() -> list[PlaceCount]:
    """The states with threads about them or their places, kept per revision of the archive."""
    return kept("states-with-threads", _states_with_threads)


def _states_with_threads() -> list[PlaceCount]:
    per_state = _threads_per_state()
    states = Jurisdiction.objects.filter(kind=Jurisdiction.Kind.STATE, state_code__in=per_state)
    return [PlaceCount(state, per_state[state.state_code]) for state in states.order_by("name")]


def places_with_threads(places: QuerySet, *ordering: str) -> list[PlaceCount]:
    """``places`` that threads mention, with how many, in ``ordering`` (``n`` is the count)."""
    counted = places.annotate(n=Count("threads")).filter(n__gt=0).order_by(*ordering)
    return [PlaceCount(place, place.n) for place in counted]


def directory() -> list[StateGroup]:
    """Every state with threads about it or its places, with each place's thread count; kept
    per revision of the archive."""
    return kept("places-directory", _directory)


def _directory() -> list[StateGroup]:
    per_place = (
        Jurisdiction.objects.annotate(n=Count("threads"))
        .filter(n__gt=0)
        .select_related("parent")
        .order_by("state_code", "kind", "name")
    )
    per_state = _threads_per_state()
    groups: dict[str, StateGroup] = {}
    for place in per_place:
        state = place if place.kind == Jurisdiction.Kind.STATE else place.parent
        group = groups.setdefault(state.state_code, StateGroup(state, per_state[state.state_code]))
        group.places.append(PlaceCount(place, place.n))
    return sorted(groups.values(), key=lambda group: (-group.threads, group.state.name))


def covered(place: Jurisdiction) -> QuerySet:
    """The place, and for a state its counties and cities too."""
    if place.kind == Jurisdiction.Kind.STATE:
        return Jurisdiction.objects.filter(Q(pk=place.pk) | Q(parent=place))
    return Jurisdiction.objects.filter(pk=place.pk)


def emails_about(place: Jurisdiction) -> QuerySet:
    mentions = DocumentPlace.objects.filter(
        document=OuterRef("pk"), jurisdiction__in=covered(place)
    )
    return Document.objects.filter(Exists(mentions))


def threads_about(place: Jurisdiction) -> QuerySet:
    mentions = ThreadPlace.objects.filter(thread=OuterRef("pk"), jurisdiction__in=covered(place))
    return Thread.objects.filter(Exists(mentions))


@dataclass
class Writer:
    person: Person
    count: int


@dataclass
class PlaceProfile:
    place: Jurisdiction
    emails: int
    threads: list[Thread]
    thread_count: int
    writers: list[Writer]
    places: list[PlaceCount]  # a state's counties and cities with threads
    aliases: list[str]


def _other_names(name: str, aliases) -> list[str]:
    """The spellings that differ from the name shown as the page's heading."""
    return [alias for alias in aliases if alias.casefold() != name.casefold()]


def profile(place: Jurisdiction) -> PlaceProfile:
    emails = emails_about(place)
    threads = threads_about(place)
    top = list(
        emails.filter(sender__isnull=False)
        .values("sender")
        .annotate(n=Count("*"))
        .order_by("-n", "sender__name", "sender")[:TOP_WRITERS]
    )
    people = Person.objects.in_bulk([row["sender"] for row in top])
    inside = []
    if place.kind == Jurisdiction.Kind.STATE:
        inside = places_with_threads(place.children.all(), "-n", "name")
    return PlaceProfile(
        place=place,
        emails=emails.count(),
        threads=list(threads.order_by("-last_sent_at", "-id")[:RECENT_THREADS]),
        thread_count=threads.count(),
        writers=[Writer(people[row["sender"]], row["n"]) for row in top],
        places=inside,
        aliases=_other_names(
            place.name, place.aliases.filter(is_abbreviation=False).values_list("alias", flat=True)
        ),
    )
