"""Figures that take a scan of many emails (the month histogram, everyone's email counts, a
state's page), computed once per revision of the archive and kept in Django's cache.

The archive changes only through the import service, batch deletion and thread repair; each
calls ``archive_changed()`` inside its transaction, so a figure is never older than the emails
a reader can see. Reading the revision is one primary-key lookup.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db.models import F
from django.db.models.functions import Now

from documents.models import ArchiveRevision

T = TypeVar("T")
# A kept figure is dropped after this long even if the archive did not change, so a figure whose
# code changed in a deployment never lingers.
KEPT_SECONDS = 24 * 3600
REVISION_ROW = 1


def archive_changed() -> None:
    """Move the archive's revision on; call at the end of the transaction that changes its
    emails (the row, made by a migration, stays locked until that transaction ends)."""
    moved = ArchiveRevision.objects.filter(pk=REVISION_ROW).update(
        number=F("number") + 1, changed_at=Now()
    )
    if not moved:  # the table was emptied (a test database flushed between tests)
        ArchiveRevision.objects.get_or_create(pk=REVISION_ROW, defaults={"number": 1})


def revision() -> int:
    row = ArchiveRevision.objects.filter(pk=REVISION_ROW).values_list("number", flat=True).first()
    return row or 0


def kept(name: str, compute: Callable[[], T]) -> T:
    """``compute()``, or its result from earlier in this revision of the archive."""
    key = f"archive-figure:{revision()}:{name}"
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, KEPT_SECONDS)
    return found
