"""What a batch's page reports: its provenance, and what the import made of each file."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from documents.models import Appearance, Batch, Page, SourceFile

# Files whose import went wrong, listed first and with their reason.
PROBLEM_STATUSES = (
    SourceFile.Status.FAILED,
    SourceFile.Status.ENCRYPTED,
    SourceFile.Status.NEEDS_OCR,
    SourceFile.Status.PENDING,
)


@dataclass
class BatchReport:
    batch: Batch
    files: int
    problems: list[SourceFile]  # failed, encrypted, needing OCR, not yet imported
    imported: list[SourceFile]  # imported and duplicates
    by_status: list[tuple[str, int]]  # status label, number of files
    pages: int
    ocr_pages: int
    withheld_pages: int
    emails: int

    @property
    def failed(self) -> int:
        """Files a retry would read again."""
        retried = (SourceFile.Status.FAILED, SourceFile.Status.PENDING)
        return sum(source.status in retried for source in self.problems)


def batch_report(batch: Batch) -> BatchReport:
    emails = (
        Appearance.objects.filter(source_file=OuterRef("pk"))
        .order_by()
        .values("source_file")
        .annotate(n=Count("document", distinct=True))
        .values("n")
    )
    files = list(
        batch.files.annotate(
            emails=Coalesce(Subquery(emails, output_field=IntegerField()), Value(0))
        ).order_by("original_name")
    )
    pages = Page.objects.filter(source_file__batch=batch).aggregate(
        total=Count("id"),
        ocr=Count("id", filter=Q(needs_ocr=True)),
        withheld=Count("id", filter=Q(withheld_in_full=True)),
    )
    statuses = dict(SourceFile.Status.choices)
    tally: dict[str, int] = {}
    for source in files:
        tally[source.status] = tally.get(source.status, 0) + 1
    return BatchReport(
        batch=batch,
        files=len(files),
        problems=[f for f in files if f.status in PROBLEM_STATUSES],
        imported=[f for f in files if f.status not in PROBLEM_STATUSES],
        by_status=[(statuses[status], n) for status, n in tally.items()],
        pages=pages["total"],
        ocr_pages=pages["ocr"],
        withheld_pages=pages["withheld"],
        emails=Appearance.objects.filter(source_file__batch=batch)
        .values("document")
        .distinct()
        .count(),
    )
