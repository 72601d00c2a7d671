"""Figures about the archive as a whole, for the home page."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from documents.models import Batch, Document, Page, Person, SourceFile, Thread


@dataclass(frozen=True)
class ArchiveCounts:
    batches: int
    files: int
    attention_files: int  # failed, encrypted or needing OCR
    pages: int
    ocr_pages: int
    emails: int
    threads: int
    people: int


def archive_counts() -> ArchiveCounts:
    files = SourceFile.objects.aggregate(
        total=Count("id"), attention=Count("id", filter=Q(status__in=SourceFile.NEEDS_ATTENTION))
    )
    pages = Page.objects.aggregate(total=Count("id"), ocr=Count("id", filter=Q(needs_ocr=True)))
    return ArchiveCounts(
        batches=Batch.objects.count(),
        files=files["total"],
        attention_files=files["attention"],
        pages=pages["total"],
        ocr_pages=pages["ocr"],
        emails=Document.objects.count(),
        threads=Thread.objects.count(),
        people=Person.objects.count(),
    )


def recent_batches(limit: int = 5) -> list[Batch]:
    return list(Batch.objects.order_by("-created_at")[:limit])
