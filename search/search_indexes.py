"""The message-level search index: one entry per Document.

Facet fields hold exact values, one per line, through an analyzer that neither stems nor splits
("Santa Clara County" stays whole; haystack's default would store "santa", "clara", "counti").
"""

from __future__ import annotations

import zoneinfo
from datetime import UTC

from django.conf import settings
from haystack import indexes
from whoosh.analysis import BiWordFilter, RegexTokenizer, StemmingAnalyzer

from documents.models import Document, Recipient

# Whole values, one per line, case kept: what facets count and filters match.
EXACT = RegexTokenizer(r"[^\n]+")
# The exact fields; every other field is analyzed text.
EXACT_FIELDS = ("month", "sender_key", "batches", "tags", "jurisdictions", "exemptions", "bates")
REDACTED = "redacted"
# Each pair of neighbouring words of the full text, as the text field analyzes them ("secur
# commun"), at the position of its first word: a phrase of two words is one term, a longer one
# a phrase of pairs ("opt out", "out secur", "secur commun"), checked only where all are.
PAIRS_FIELD = "pairs"
PAIRS = StemmingAnalyzer() | BiWordFilter(sep=" ")


def _lines(values) -> str:
    return "\n".join(dict.fromkeys(str(value) for value in values if value))


class DocumentIndex(indexes.SearchIndex, indexes.Indexable):
    text = indexes.CharField(document=True, use_template=True)
    subject = indexes.CharField(model_attr="subject", boost=2.0)
    sender = indexes.CharField()
    to = indexes.CharField()
    cc = indexes.CharField()
    places = indexes.CharField()
    files = indexes.CharField()
    sent_at = indexes.DateTimeField(null=True)
    thread = indexes.IntegerField(model_attr="thread_id")
    month = indexes.CharField(analyzer=EXACT)
    sender_key = indexes.CharField(analyzer=EXACT)
    batches = indexes.CharField(analyzer=EXACT)
    tags = indexes.CharField(analyzer=EXACT)
    jurisdictions = indexes.CharField(analyzer=EXACT)
    exemptions = indexes.CharField(analyzer=EXACT)
    bates = indexes.CharField(analyzer=EXACT)
    pairs = indexes.CharField(analyzer=PAIRS)  # the full text again, see prepare()

    def get_model(self):
        return Document

    def index_queryset(self, using=None):
        return Document.objects.select_related("sender", "thread").prefetch_related(
            "recipient_entries__person",
            "jurisdictions",
            "appearances__source_file__batch",
            "thread__tags",
        )

    def prepare(self, document: Document) -> dict:
        data = super().prepare(document)
        data[PAIRS_FIELD] = data["text"]
        return data

    def prepare_sender(self, document: Document) -> str:
        person = document.sender
        return " ".join(
            filter(None, [document.sender_raw, person and person.name, person and person.email])
        )

    def prepare_to(self, document: Document) -> str:
        return self._recipients(document, Recipient.Field.TO)

    def prepare_cc(self, document: Document) -> str:
        return self._recipients(document, Recipient.Field.CC)

    @staticmethod
    def _recipients(document: Document, field: str) -> str:
        return "\n".join(
            " ".join(
                filter(
                    None,
                    [
                        entry.raw,
                        entry.person and entry.person.name,
                        entry.person and entry.person.email,
                    ],
                )
            )
            for entry in document.recipient_entries.all()
            if entry.field == field
        )

    def prepare_places(self, document: Document) -> str:
        return "\n".join(str(place) for place in document.jurisdictions.all())

    def prepare_files(self, document: Document) -> str:
        return _lines(a.source_file.original_name for a in document.appearances.all())

    def prepare_sent_at(self, document: Document):
        # Whoosh compares naive datetimes: the index holds UTC.
        sent = document.sent_at
        return sent.astimezone(UTC).replace(tzinfo=None) if sent else None

    def prepare_month(self, document: Document) -> str:
        """The month in the archive's time zone, as ``date:2010-05`` reads it."""
        if not document.sent_at:
            return ""
        return document.sent_at.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE)).strftime("%Y-%m")

    def prepare_sender_key(self, document: Document) -> str:
        if document.sender_id:
            return str(document.sender_id)
        return REDACTED if document.sender_redacted else ""

    def prepare_batches(self, document: Document) -> str:
        return _lines(a.source_file.batch.name for a in document.appearances.all())

    def prepare_tags(self, document: Document) -> str:
        return _lines(tag.name for tag in document.thread.tags.all())

    def prepare_jurisdictions(self, document: Document) -> str:
        return _lines(place.slug for place in document.jurisdictions.all())

    def prepare_exemptions(self, document: Document) -> str:
        return _lines(document.exemptions)

    def prepare_bates(self, document: Document) -> str:
        return _lines(
            stamp.lower()
            for a in document.appearances.all()
            for stamp in (a.bates_start, a.bates_end)
        )
