"""Emails per month, drawn as bars of a server-rendered SVG: on the home page, the threads list
and each person's and jurisdiction's page. Every bar links to the threads of its month."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth

from documents.archive_cache import kept
from documents.models import Document

# The drawing's own units; CSS stretches it to the width of the page.
BAR_WIDTH = 10
BAR_GAP = 2
CHART_HEIGHT = 100


@dataclass(frozen=True)
class Bar:
    month: date
    count: int
    x: int
    y: float
    height: float
    url: str

    @property
    def label(self) -> str:
        return f"{self.month:%B %Y}: {self.count:,} email{'' if self.count == 1 else 's'}"


@dataclass(frozen=True)
class YearMark:
    year: int
    left_percent: float  # where its first month starts, across the chart

    @property
    def at_end(self) -> bool:
        """Too near the right edge for its label to follow it."""
        return self.left_percent > 95


@dataclass(frozen=True)
class Timeline:
    bars: list[Bar]  # every month of the years drawn
    years: list[YearMark]
    total: int
    busiest: Bar
    first: date  # the first and last months with emails
    last: date

    @property
    def width(self) -> int:
        return len(self.bars) * BAR_WIDTH

    @property
    def height(self) -> int:
        return CHART_HEIGHT

    @property
    def slot_width(self) -> int:
        return BAR_WIDTH

    @property
    def bar_width(self) -> int:
        return BAR_WIDTH - BAR_GAP

    @property
    def span(self) -> str:
        if self.first == self.last:
            return f"{self.first:%B %Y}"
        return f"{self.first:%B %Y} to {self.last:%B %Y}"

    @property
    def per_year(self) -> dict[int, int]:
        years: dict[int, int] = {}
        for bar in self.bars:
            years[bar.month.year] = years.get(bar.month.year, 0) + bar.count
        return years


def monthly_counts(documents: QuerySet) -> dict[date, int]:
    """How many of ``documents`` were sent in each month (archive time zone); undated left out."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    rows = (
        documents.filter(sent_at__isnull=False)
        .annotate(month=TruncMonth("sent_at", tzinfo=zone))
        .order_by()
        .values_list("month")
        .annotate(n=Count("*"))
    )
    return {month.date(): n for month, n in rows}


def archive_months() -> dict[date, int]:
    """Emails per month across the archive, kept per revision (a scan of every email)."""
    return kept("archive-months", lambda: monthly_counts(Document.objects.all()))


def draw(counts: dict[date, int], link: Callable[[date], str]) -> Timeline | None:
    """Bars for every month of the calendar years with emails, empty months included: whole
    years keep a bar a month wide, so a release of one month is not drawn as one wide block."""
    if not counts:
        return None
    first, last = min(counts), max(counts)
    months = _months_between(date(first.year, 1, 1), date(last.year, 12, 1))
    tallest = max(counts.values())
    bars = []
    for index, month in enumerate(months):
        count = counts.get(month, 0)
        height = CHART_HEIGHT * count / tallest if count else 0
        bars.append(
            Bar(month, count, index * BAR_WIDTH, CHART_HEIGHT - height, height, link(month))
        )
    years = [
        YearMark(bar.month.year, 100 * index / len(bars))
        for index, bar in enumerate(bars)
        if bar.month.month == 1 or index == 0
    ]
    busiest = max(bars, key=lambda bar: bar.count)
    return Timeline(bars, years, sum(counts.values()), busiest, first, last)


def _months_between(first: date, last: date) -> list[date]:
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months
