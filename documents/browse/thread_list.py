"""The threads list: filters that live in the URL (django-filter), its sort orders, and the
navigation beside it (years and months with counts, a state's counties and cities).

A date filter finds the threads with an email in the period (in the archive's time zone), so
a bar of the timeline (emails of a month) and the list it links to agree.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime

import django_filters
from django import forms
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.http import urlencode
from taggit.models import Tag, TaggedItem

from documents.archive_cache import kept
from documents.browse.paging import pages_around
from documents.browse.places_directory import PlaceCount, places_with_threads, states_with_threads
from documents.browse.timeline import Timeline, archive_months, draw, monthly_counts
from documents.curation.tagging import TAG_ORDER
from documents.models import EXEMPTION_CHOICES, Batch, Document, Jurisdiction, Person, Thread

# Sort orders a user picks in the URL, and the ordering they mean; undated threads come last
# (PostgreSQL would put them first when sorting newest first); ties: newest thread first.
SORTS = {
    "-last": ("Last email, newest", [F("last_sent_at").desc(nulls_last=True), "-id"]),
    "last": ("Last email, oldest", [F("last_sent_at").asc(nulls_last=True), "id"]),
    "-first": ("First email, newest", [F("first_sent_at").desc(nulls_last=True), "-id"]),
    "first": ("First email, oldest", [F("first_sent_at").asc(nulls_last=True), "id"]),
    "-size": ("Most emails", ["-message_count", F("last_sent_at").desc(nulls_last=True), "-id"]),
    "size": ("Fewest emails", ["message_count", F("last_sent_at").desc(nulls_last=True), "-id"]),
}
DEFAULT_SORT = "-last"
THREADS_PER_PAGE = 25
# People and places named on each row of the list; the rest are counted.
SHOWN_PER_ROW = 3
ThreadPerson = Thread.participants.through
ThreadPlace = Thread.jurisdictions.through


def archive_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def month_bounds(year: int, month: int | None = None) -> tuple[datetime, datetime]:
    """The first moment of a month (or year) and of the next, in the archive's time zone."""
    zone = archive_zone()
    if month is None:
        return datetime(year, 1, 1, tzinfo=zone), datetime(year + 1, 1, 1, tzinfo=zone)
    following = (year + month // 12, month % 12 + 1)
    return datetime(year, month, 1, tzinfo=zone), datetime(*following, 1, tzinfo=zone)


def _with_email(queryset: QuerySet, **document_filters) -> QuerySet:
    """Threads with at least one email matching ``document_filters``."""
    return queryset.filter(
        Exists(Document.objects.filter(thread=OuterRef("pk"), **document_filters))
    )


class MonthField(forms.CharField):
    """A month typed as 2010-05."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            year, month = (int(part) for part in value.split("-"))
            return date(year, month, 1)
        except ValueError as error:
            raise forms.ValidationError("Give a month as 2010-05.") from error


class MonthFilter(django_filters.Filter):
    field_class = MonthField


class ThreadFilter(django_filters.FilterSet):
    """Every filter of the threads list; each is a URL parameter, so a view can be shared."""

    year = django_filters.NumberFilter(method="filter_year", label="Year")
    month = MonthFilter(method="filter_month", label="Month")
    start = django_filters.DateFilter(
        method="filter_start", label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    end = django_filters.DateFilter(
        method="filter_end", label="To", widget=forms.DateInput(attrs={"type": "date"})
    )
    person = django_filters.ModelChoiceFilter(
        queryset=Person.objects.all(), field_name="participants", label="Participant"
    )
    who = django_filters.CharFilter(method="filter_who", label="Participant", max_length=200)
    sender = django_filters.ModelChoiceFilter(
        queryset=Person.objects.all(), method="filter_sender", label="Sender"
    )
    recipient = django_filters.ModelChoiceFilter(
        queryset=Person.objects.all(), method="filter_recipient", label="Recipient"
    )
    place = django_filters.ModelChoiceFilter(
        queryset=Jurisdiction.objects.all(),
        to_field_name="slug",
        method="filter_place",
        label="Jurisdiction",
    )
    tag = django_filters.ModelChoiceFilter(
        queryset=Tag.objects.all(), to_field_name="slug", field_name="tags", label="Tag"
    )
    batch = django_filters.ModelChoiceFilter(
        queryset=Batch.objects.all(), to_field_name="name", method="filter_batch", label="Batch"
    )
    exemption = django_filters.ChoiceFilter(
        choices=EXEMPTION_CHOICES, method="filter_exemption", label="Exemption", empty_label="Any"
    )
    sort = django_filters.ChoiceFilter(
        choices=[(key, label) for key, (label, _) in SORTS.items()],
        method="sort_threads",
        empty_label=None,
        label="Sort by",
    )

    class Meta:
        model = Thread
        fields: list[str] = []

    def filter_year(self, queryset, name, value):
        start, end = month_bounds(int(value))
        return _with_email(queryset, sent_at__gte=start, sent_at__lt=end)

    def filter_month(self, queryset, name, value):
        start, end = month_bounds(value.year, value.month)
        return _with_email(queryset, sent_at__gte=start, sent_at__lt=end)

    def filter_start(self, queryset, name, value):
        moment = datetime(value.year, value.month, value.day, tzinfo=archive_zone())
        return _with_email(queryset, sent_at__gte=moment)

    def filter_end(self, queryset, name, value):
        moment = datetime.fromordinal(value.toordinal() + 1).replace(tzinfo=archive_zone())
        return _with_email(queryset, sent_at__lt=moment)

    def filter_who(self, queryset, name, value):
        """Threads with a participant whose name, address or another spelling holds ``value``
        (typed in the form: "venturella", "sccgov.org")."""
        value = value.strip()
        if not value:
            return queryset
        people = Person.objects.filter(
            Q(name__icontains=value)
            | Q(email__icontains=value)
            | Q(aliases__alias__icontains=value)
        )
        return queryset.filter(
            Exists(ThreadPerson.objects.filter(thread=OuterRef("pk"), person__in=people))
        )

    def filter_sender(self, queryset, name, value):
        return _with_email(queryset, sender=value)

    def filter_recipient(self, queryset, name, value):
        return _with_email(queryset, recipient_entries__person=value)

    def filter_place(self, queryset, name, value):
        """A state finds the threads about it or about any of its counties and cities."""
        if value.kind == Jurisdiction.Kind.STATE:
            places = Jurisdiction.objects.filter(Q(pk=value.pk) | Q(parent=value))
            return queryset.filter(
                Exists(
                    Thread.jurisdictions.through.objects.filter(
                        thread=OuterRef("pk"), jurisdiction__in=places
                    )
                )
            )
        return queryset.filter(jurisdictions=value)

    def filter_batch(self, queryset, name, value):
        return _with_email(queryset, appearances__source_file__batch=value)

    def filter_exemption(self, queryset, name, value):
        return queryset.filter(exemptions__contains=[value])

    def sort_threads(self, queryset, name, value):
        return queryset  # applied last, in ``sorted_qs``

    @property
    def chosen(self) -> dict:
        """The filters that could be read; one that could not is left out, not the rest."""
        self.form.errors  # noqa: B018 (validates the form)
        return self.form.cleaned_data

    @property
    def chosen_sort(self) -> str:
        chosen = self.chosen.get("sort")
        return chosen if chosen in SORTS else DEFAULT_SORT

    @property
    def sorted_qs(self) -> QuerySet:
        return self.qs.order_by(*SORTS[self.chosen_sort][1])


DATE_FILTERS = ("year", "month", "start", "end")
# Filters set by following a link, not in the form's fields.
FORM_HIDDEN = ("person", "sender", "recipient", "year", "month")
# What each filter's chip says before the value.
CHIP_NAMES = {
    "year": "Year",
    "month": "Month",
    "start": "From",
    "end": "To",
    "person": "Participant",
    "who": "Participant",
    "sender": "From",
    "recipient": "To",
    "place": "Jurisdiction",
    "tag": "Tag",
    "batch": "Batch",
    "exemption": "Exemption",
}


@dataclass(frozen=True)
class Chip:
    label: str
    remove_url: str


@dataclass
class ThreadListing:
    """One page of the threads list with what is shown beside it."""

    filters: ThreadFilter
    page: object  # django.core.paginator.Page of Threads
    chips: list[Chip]
    timeline: Timeline | None
    years: list[tuple[int, int, str, bool]]  # year, emails, url, chosen
    months: list[tuple[str, int, str, bool]]  # the chosen year's months: label, emails, url, chosen
    states: list[PlaceCount]  # states with threads about them or their places
    places: list[PlaceCount]  # the chosen state's counties and cities with threads
    tags: list[Tag]
    batches: list[Batch]

    @property
    def page_urls(self) -> dict[str, str]:
        return pages_around(self.page, lambda number: list_url(self.filters.data, page=number))

    @property
    def kept_params(self) -> list[tuple[str, str]]:
        """Filters the form does not show (a person, a year or month chosen elsewhere), kept
        when the form is sent."""
        data = self.filters.data
        return [(name, data[name]) for name in FORM_HIDDEN if data.get(name)]


def list_url(params, **changes) -> str:
    """The threads list with ``params`` (a QueryDict or dict) changed; None removes one. A
    change of filters starts again at page 1."""
    values = {key: params.get(key) for key in params if key != "page" and params.get(key)}
    if values.get("sort") == DEFAULT_SORT:
        del values["sort"]
    if "page" in changes and changes["page"] == 1:
        changes = {**changes, "page": None}
    for key, value in changes.items():
        if value is None:
            values.pop(key, None)
        else:
            values[key] = str(value)
    query = urlencode(sorted(values.items()))
    return reverse("threads") + (f"?{query}" if query else "")


def list_threads(params, page_number) -> ThreadListing:
    filters = ThreadFilter(params, queryset=Thread.objects.all())
    people = Person.objects.order_by("name", "id")[:SHOWN_PER_ROW]
    places = Jurisdiction.objects.order_by("name", "id")[:SHOWN_PER_ROW]
    threads = filters.sorted_qs.prefetch_related(
        Prefetch("participants", queryset=people, to_attr="first_participants"),
        Prefetch("jurisdictions", queryset=places, to_attr="first_places"),
    )
    page = Paginator(threads, THREADS_PER_PAGE).get_page(page_number)
    page.object_list = list(page.object_list)
    ids = [thread.pk for thread in page.object_list]
    people_in, places_in = (
        _links_per_thread(through, ids) for through in (ThreadPerson, ThreadPlace)
    )
    tags = _tags_per_thread(ids)
    kinds = _other_kinds_per_thread(ids)
    for thread in page.object_list:
        thread.shown_tags = tags.get(thread.pk, [])
        thread.other_kinds = kinds.get(thread.pk, [])
        thread.more_participants = people_in.get(thread.pk, 0) - len(thread.first_participants)
        thread.more_places = places_in.get(thread.pk, 0) - len(thread.first_places)
    chosen = filters.chosen
    timeline = draw(
        _timeline_counts(params), lambda month: _period_url(params, month=f"{month:%Y-%m}")
    )
    month = chosen.get("month")
    year = chosen.get("year") or (month.year if month else None)
    years = [
        (y, n, _period_url(params, year=y), y == year and not month)
        for y, n in (timeline.per_year.items() if timeline else [])
    ]
    months = [
        (f"{bar.month:%b}", bar.count, bar.url, bar.month == month)
        for bar in (timeline.bars if timeline else [])
        if bar.month.year == year
    ]
    place = chosen.get("place")
    state = place if place is None or place.kind == Jurisdiction.Kind.STATE else place.parent
    return ThreadListing(
        filters=filters,
        page=page,
        chips=_chips(params, chosen),
        timeline=timeline,
        years=years,
        months=months,
        states=states_with_threads(),
        places=places_with_threads(state.children.all(), "kind", "name") if state else [],
        tags=list(
            Tag.objects.filter(taggit_taggeditem_items__isnull=False)
            .distinct()
            .order_by(*TAG_ORDER)
        ),
        batches=list(Batch.objects.order_by("name")),
    )


def _tags_per_thread(thread_ids: list[int]) -> dict[int, list[Tag]]:
    """The tags of these threads, by name, in one query (taggit's own prefetch builds a query
    for every thread: 1 ms each)."""
    items = TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(Thread), object_id__in=thread_ids
    ).select_related("tag")
    tags: dict[int, list[Tag]] = {}
    for item in items.order_by(Lower("tag__name"), "tag__name"):
        tags.setdefault(item.object_id, []).append(item.tag)
    return tags


def _other_kinds_per_thread(thread_ids: list[int]) -> dict[int, list[str]]:
    """The kinds of documents other than email in these threads (a letter, an attachment), in
    one query, so a row says what it holds."""
    rows = (
        Document.objects.filter(thread_id__in=thread_ids)
        .exclude(kind=Document.Kind.EMAIL)
        .values_list("thread_id", "kind")
        .distinct()
    )
    labels = dict(Document.Kind.choices)
    kinds: dict[int, list[str]] = {}
    for thread_id, kind in rows:
        kinds.setdefault(thread_id, []).append(labels[kind])
    return kinds


def _links_per_thread(through, thread_ids: list[int]) -> dict[int, int]:
    """How many people or places each of these threads has, counted on its link table."""
    links = through.objects.filter(thread_id__in=thread_ids).values_list("thread_id")
    return dict(links.annotate(n=Count("*")).order_by())


def _timeline_counts(params) -> dict[date, int]:
    """Emails per month of the threads the filters other than dates find (so another month is
    one click away); kept per revision of the archive and per set of filters."""
    others = [
        (key, params.get(key))
        for key in sorted(params)
        if key in CHIP_NAMES and key not in DATE_FILTERS and params.get(key)
    ]
    if not others:
        return archive_months()

    def count() -> dict[date, int]:
        threads = ThreadFilter(dict(others), queryset=Thread.objects.all()).qs
        return monthly_counts(Document.objects.filter(thread__in=threads.order_by().values("pk")))

    return kept("thread-months:" + urlencode(others), count)


def _period_url(params, **period) -> str:
    """The list narrowed to one year or month instead of any other period."""
    return list_url(params, **({name: None for name in DATE_FILTERS} | period))


def _chips(params, chosen: dict) -> list[Chip]:
    chips = []
    for key, name in CHIP_NAMES.items():
        value = chosen.get(key)
        if value in (None, ""):
            continue
        if isinstance(value, date) and key == "month":
            shown = f"{value:%B %Y}"
        elif isinstance(value, Jurisdiction):
            shown = str(value)
        elif isinstance(value, Person):
            shown = value.name or value.email
        else:
            shown = str(value)
        chips.append(Chip(f"{name}: {shown}", list_url(params, **{key: None})))
    return chips
