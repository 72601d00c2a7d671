"""A batch's figures and its import report. Every page and the command line take their figures
from here: the counters kept on Batch (``update_batch_counters``) and what needs attention
(``SourceFile.NEEDS_ATTENTION``), so the progress page, the report, /batches/, the home page and
``import_batch`` agree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from documents.models import Appearance, Batch, Document, Page, SourceFile, Thread

# At most this many doubtful OCR'd pages are listed in a report, the worst first.
DOUBTFUL_LISTED = 200


def update_batch_counters(batch: Batch) -> None:
    """Count the batch's files, pages and emails again; called after each imported file."""
    facts = SourceFile.objects.filter(batch=batch).aggregate(
        file_count=Count("id"),
        attention=Count("id", filter=Q(status__in=SourceFile.NEEDS_ATTENTION)),
        pages=Sum("page_count"),
    )
    ocr = Page.objects.filter(source_file__batch=batch, needs_ocr=True).count()
    status = Batch.Status.IMPORTED_WITH_ERRORS if facts["attention"] else Batch.Status.IMPORTED
    Batch.objects.filter(pk=batch.pk).update(
        file_count=facts["file_count"],
        attention_file_count=facts["attention"],
        page_count=facts["pages"] or 0,
        ocr_page_count=ocr,
        email_count=batch_emails(batch).count(),
        status=status,
    )


def batch_emails(batch: Batch):
    """The emails printed in the batch, on their own or quoted: what "emails" counts."""
    return Document.objects.filter(appearances__source_file__batch=batch).distinct()


def batch_thread_count(batch: Batch) -> int:
    """Threads with an email printed in the batch (as the threads list filtered by batch)."""
    return Thread.objects.filter(documents__in=batch_emails(batch)).distinct().count()


@dataclass(frozen=True)
class WarningGroup:
    """One kind of warning in one file, with the emails it concerns (none for the file's own)."""

    text: str
    documents: list[tuple[int, int | None]]  # email id, page


@dataclass
class BatchReport:
    batch: Batch
    attention: list[SourceFile]  # failed, encrypted, needing OCR
    waiting: list[SourceFile]  # not yet imported (an import running, or one stopped)
    imported: list[SourceFile]  # imported and duplicates, each with ``emails``
    by_status: list[tuple[str, int]]  # status label, number of files
    withheld_pages: int
    warnings: list[tuple[SourceFile, list[WarningGroup]]]
    doubtful_ocr: list[Page]  # OCR'd pages under OCR_CONFIDENCE_FLOOR, worst first

    @property
    def ocr_floor(self) -> int:
        return settings.OCR_CONFIDENCE_FLOOR

    @property
    def needing_ocr(self) -> int:
        """Files "Run OCR" would read again."""
        return sum(s.status == SourceFile.Status.NEEDS_OCR for s in self.attention)

    @property
    def retriable(self) -> int:
        """Files a retry would read again."""
        return sum(s.status == SourceFile.Status.FAILED for s in self.attention) + len(self.waiting)

    @property
    def warning_count(self) -> int:
        return sum(len(source.warnings) for source, _ in self.warnings)


def batch_report(batch: Batch) -> BatchReport:
    emails = (
        Appearance.objects.filter(source_file=OuterRef("pk"))
        .order_by()
        .values("source_file")
        .annotate(n=Count("document", distinct=True))
        .values("n")
    )
    files = list(
        batch.files.select_related("duplicate_of__batch")
        .annotate(emails=Coalesce(Subquery(emails, output_field=IntegerField()), Value(0)))
        .order_by("original_name")
    )
    statuses = dict(SourceFile.Status.choices)
    tally: dict[str, int] = {}
    for source in files:
        tally[source.status] = tally.get(source.status, 0) + 1
    waiting = [f for f in files if f.status == SourceFile.Status.PENDING]
    return BatchReport(
        batch=batch,
        attention=[f for f in files if f.needs_attention],
        waiting=waiting,
        imported=[f for f in files if not f.needs_attention and f not in waiting],
        by_status=[(statuses[status], n) for status, n in tally.items()],
        withheld_pages=Page.objects.filter(source_file__batch=batch, withheld_in_full=True).count(),
        warnings=[(f, group_warnings(f.warnings)) for f in files if f.warnings],
        doubtful_ocr=list(
            Page.objects.filter(
                source_file__batch=batch, ocr_confidence__lt=settings.OCR_CONFIDENCE_FLOOR
            )
            .select_related("source_file")
            .defer("text", "words")
            .order_by("ocr_confidence", "source_file__original_name", "number")[:DOUBTFUL_LISTED]
        ),
    )


def group_warnings(warnings: list[dict]) -> list[WarningGroup]:
    """A file's warnings by text, in the order first met, each with the emails it concerns."""
    grouped: dict[str, list[tuple[int, int | None]]] = defaultdict(list)
    for warning in warnings:
        found = grouped[warning["text"]]
        if warning.get("document"):
            found.append((warning["document"], warning.get("page")))
    return [WarningGroup(text, documents) for text, documents in grouped.items()]
