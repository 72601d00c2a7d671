"""Documents as flat records for export_documents: the JSONL/CSV contract scripts rely on.

Field names are a contract (tests pin them): id, thread_id, batch, source_file, page_start,
page_end, bates_start, bates_end, appearances, sender, to, cc, bcc, sent_at, date_raw, subject,
body, exemptions, jurisdictions, tags, url.
"""

from __future__ import annotations

import json
import zoneinfo
from collections.abc import Iterator

from django.db.models import Prefetch, QuerySet
from django.urls import reverse

from documents.models import Appearance, Document, Recipient

FIELDS = (
    "id",
    "thread_id",
    "batch",
    "source_file",
    "page_start",
    "page_end",
    "bates_start",
    "bates_end",
    "appearances",
    "sender",
    "to",
    "cc",
    "bcc",
    "sent_at",
    "date_raw",
    "subject",
    "body",
    "exemptions",
    "jurisdictions",
    "tags",
    "url",
)


def export_queryset(batch_name: str | None = None) -> QuerySet[Document]:
    documents = Document.objects.all()
    if batch_name:
        documents = documents.filter(appearances__source_file__batch__name=batch_name).distinct()
    appearances = Appearance.objects.select_related("source_file__batch").order_by(
        "source_file__batch__created_at",
        "source_file__original_name",
        "position",
        "first_page",
        "id",
    )
    return (
        documents.order_by("sent_at", "id")
        .prefetch_related(
            Prefetch("appearances", queryset=appearances),
            Prefetch("recipient_entries", queryset=Recipient.objects.select_related("person")),
            "jurisdictions",
            "thread__tags",
        )
        .select_related("sender")
    )


def document_records(batch_name: str | None = None) -> Iterator[dict]:
    for document in export_queryset(batch_name).iterator(chunk_size=500):
        yield document_record(document, batch_name)


def document_record(document: Document, batch_name: str | None = None) -> dict:
    appearances = list(document.appearances.all())
    in_batch = (
        [a for a in appearances if a.source_file.batch.name == batch_name] if batch_name else []
    )
    first = (in_batch or appearances or [None])[0]
    batch = first.source_file.batch if first else None
    recipients = {"to": [], "cc": [], "bcc": []}
    for entry in document.recipient_entries.all():
        recipients[entry.field].append(
            {
                "name": ""
                if entry.redacted
                else (entry.person.name if entry.person else entry.raw),
                "email": entry.person.email if entry.person else "",
                "redacted": entry.redacted,
            }
        )
    sent_at = None
    if document.sent_at is not None:
        zone = zoneinfo.ZoneInfo(batch.timezone) if batch else None
        sent_at = document.sent_at.astimezone(zone).isoformat()
    return {
        "id": document.id,
        "thread_id": document.thread_id,
        "batch": batch.name if batch else None,
        "source_file": first.source_file.original_name if first else None,
        "page_start": first.first_page if first else None,
        "page_end": first.last_page if first else None,
        "bates_start": first.bates_start if first else "",
        "bates_end": first.bates_end if first else "",
        "appearances": [
            {
                "source_file": a.source_file.original_name,
                "page_start": a.first_page,
                "page_end": a.last_page,
                "bates_start": a.bates_start,
                "bates_end": a.bates_end,
                "quoted": a.kind == Appearance.Kind.QUOTED,
                "matched_by": a.matched_by,
            }
            for a in appearances
        ],
        "sender": {
            "name": "" if document.sender_redacted else _sender_name(document),
            "email": document.sender.email if document.sender else "",
            "redacted": document.sender_redacted,
        },
        **recipients,
        "sent_at": sent_at,
        "date_raw": document.date_raw,
        "subject": document.subject,
        "body": document.body,
        "exemptions": list(document.exemptions),
        "jurisdictions": [
            {
                "name": j.name,
                "kind": j.kind,
                "state": j.state_code,
            }
            for j in document.jurisdictions.all()
        ],
        "tags": sorted((tag.name for tag in document.thread.tags.all()), key=str.casefold),
        "url": reverse("document", args=[document.id]),
    }


def _sender_name(document: Document) -> str:
    if document.sender:
        return document.sender.name
    return document.sender_raw


def flatten(record: dict) -> dict:
    """A CSV row: lists and objects become JSON text, the sender its three columns."""
    row = {}
    for key in FIELDS:
        value = record[key]
        if key == "sender":
            for part in ("name", "email", "redacted"):
                row[f"sender_{part}"] = value[part]
        elif isinstance(value, list | dict):
            row[key] = json.dumps(value, ensure_ascii=False)
        else:
            row[key] = "" if value is None else value
    return row


CSV_COLUMNS = [
    column
    for key in FIELDS
    for column in (
        ("sender_name", "sender_email", "sender_redacted") if key == "sender" else (key,)
    )
]
