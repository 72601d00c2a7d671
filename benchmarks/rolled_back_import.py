"""One production imported as ``import_batch`` would, inside a transaction rolled back at the end,
so a benchmark leaves the archive as it was; the search index is left to make bench-search."""

from __future__ import annotations

import os
from pathlib import Path


def import_and_roll_back(pdf: Path, workers: int) -> tuple[int, int]:
    """The production's (pages, emails) as the import counted them."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "foia_archive.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from documents.imports.service import BatchImporter, BatchOptions
    from documents.ingest import iter_entries

    call_command("migrate", verbosity=0)  # a fresh machine's archive has no tables yet
    with transaction.atomic():
        importer = BatchImporter(
            BatchOptions(name="bench", timezone="UTC"), workers=workers, index=False
        )
        report = importer.run(iter_entries([pdf]))
        counts = report.batch.page_count, report.batch.email_count
        transaction.set_rollback(True)
    return counts
