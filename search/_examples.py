"""Examples for the search help page, taken from what the archive holds (a busy sender, a
jurisdiction, a batch, a tag, a month), with fixed ones where the archive has none yet."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import TruncMonth
from taggit.models import Tag

from documents.models import Batch, Document, Jurisdiction, Person


@dataclass(frozen=True)
class Example:
    query: str
    meaning: str


def _quoted(value: str) -> str:
    return f'"{value}"' if " " in value else value


def archive_examples() -> list[Example]:
    sender = (
        Person.objects.annotate(n=Count("sent_documents"))
        .filter(n__gt=0)
        .order_by("-n", "name")
        .first()
    )
    surname = sender.name.split()[-1] if sender and sender.name.split() else "Venturella"
    place = (
        Jurisdiction.objects.annotate(n=Count("documents")).filter(n__gt=0).order_by("-n").first()
    )
    place_name = place.name if place else "Santa Clara County"
    batch = Batch.objects.order_by("-created_at").first()
    tag = Tag.objects.order_by("name").first()
    busiest = (
        Document.objects.exclude(sent_at=None)
        .annotate(month=TruncMonth("sent_at"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    month = busiest["month"] if busiest else None
    month_text = month.strftime("%Y-%m") if month else "2010-05"
    year = month_text[:4]
    examples = [
        Example("opt out county", "emails with all three words (in any form: county, counties)"),
        Example('"secure communities"', "the exact phrase"),
        Example("activation OR deployment", "either word"),
        Example("sheriff -draft", "sheriff, but not draft (NOT draft does the same)"),
        Example("(opt OR withdraw) AND county", "parentheses group alternatives"),
        Example("interoperab*", "words that begin with interoperab"),
        Example(f"from:{surname}", f"sent by {sender.name if sender else 'David Venturella'}"),
        Example(f"to:{surname} cc:ice", "sent to a person, with someone at ICE copied"),
        Example('subject:"opt out"', "the phrase in the subject line"),
        Example(f"jurisdiction:{_quoted(place_name)}", f"emails about {place_name}"),
        Example("exemption:b6", "emails with text withheld under FOIA exemption (b)(6)"),
        Example("exemption:(b)(7)(C)", "exemption codes as printed work too"),
        Example(f"date:{year}", f"sent in {year}"),
        Example(f"date:{month_text}", "sent in that month (the busiest of the archive)"),
        Example(f"date:{year}-01..{year}-06", "sent from January to June"),
        Example(f"batch:{batch.name if batch else 'ice-2010foia2674'}", "released in that batch"),
    ]
    if tag:
        examples.append(Example(f"tag:{_quoted(tag.name)}", "in threads tagged so by editors"))
    examples.append(Example("thread:12", "the emails of thread number 12"))
    return examples
