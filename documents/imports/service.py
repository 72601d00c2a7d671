"""The import service: the one way files enter the archive (command line, worker and tests).

Each source file is parsed outside the database, then written in one transaction, so an
interrupted import leaves only whole files behind. A file whose content (sha256) is already
imported is skipped; a file that failed before is retried. Every file given is reported, each
under its own name: an empty file, a link, a copy of a file that failed, a name too long to keep
whole.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import shutil
import tempfile
import time
import zoneinfo
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from itertools import chain
from multiprocessing import get_context
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

import search
from documents import audit
from documents.archive_cache import archive_changed
from documents.imports import isolation
from documents.imports.outcomes import SKIPPED, FileOutcome, ImportReport
from documents.imports.people import FoldedNames, PersonResolver
from documents.imports.report import batch_thread_count, update_batch_counters
from documents.imports.writer import DocumentWriter
from documents.ingest import (
    HEAD_BYTES,
    LARGE_CITY_POPULATION,
    OcrLanguageError,
    OcrOptions,
    OcrUnavailable,
    ParsedFile,
    PdfPage,
    PlaceIndex,
    PlaceRef,
    SourceInput,
    check_languages,
    count_pages,
    error_reason,
    expand,
    extract_page_list,
    extract_pages,
    ocr_status,
    parse_file,
    read_mbox_elsewhere,
    readable_reason,
    sniff,
)
from documents.models import AuditEntry, Batch, Jurisdiction, JurisdictionAlias, SourceFile
from documents.threads import refresh_threads

logger = logging.getLogger(__name__)
# Emails imported between two writes to the index: a write per file would cost a commit each,
# and from 1,000 emails on the index is written in several processes (search._indexing).
INDEX_EVERY = 2_000

# Pages handed to a worker process at a time when --workers spreads one PDF over several cores,
# and the size from which a PDF is worth starting them for (about a second of work per process).
PAGES_PER_TASK = 8
PARALLEL_FROM_PAGES = 4 * PAGES_PER_TASK
NAME_CHARS = SourceFile._meta.get_field("original_name").max_length
# A longer name keeps its start and end (folders, then the file's own name) around a digest of
# the whole, so that two long names that differ only in the middle stay two files.
_NAME_END_CHARS = (NAME_CHARS - 14) // 2
EMPTY_FILE = "empty (0 bytes): there is nothing in it to import"


@dataclass
class BatchOptions:
    name: str
    title: str = ""
    agency: str = ""
    request_number: str = ""
    released_on: date | None = None
    timezone: str = ""
    source_url: str = ""
    notes: str = ""
    # Which pages Tesseract reads (one of OCR_MODES) and in which languages; "" keeps the
    # batch's own setting (auto, and the OCR_LANGUAGE setting, for a new batch).
    ocr: str = ""
    ocr_languages: str = ""


class Watcher:
    """What a run tells the one watching it (the command line's progress bar, a job's progress
    row); the default watches nothing."""

    def starting(self, entry: SourceInput) -> None:
        """A file (with the files embedded in it) is about to be read."""

    def pages(self, count: int) -> None:
        """``count`` more pages were read."""

    def ocr_pages(self, count: int) -> None:
        """``count`` more pages were read by OCR (slower: a page takes a second or two)."""

    def tick(self) -> None:
        """About once a second while a file is read in a child process: the run is alive."""

    def finished(self, entry: SourceInput, outcomes: list[FileOutcome]) -> None:
        """The file's outcomes (its own, then those of the files embedded in it)."""


class BatchImporter:
    def __init__(
        self,
        options: BatchOptions,
        *,
        workers: int = 1,
        watcher: Watcher | None = None,
        user=None,
        index: bool = True,
    ):
        self.options = options
        self.index = index
        self.workers = max(1, workers)
        self.watcher = watcher or Watcher()
        self.user = user
        self.places = place_index()
        self.batch = self._batch()
        self.zone = zoneinfo.ZoneInfo(self.batch.timezone)
        self.tesseract = ocr_status() if self.batch.ocr_mode != "never" else None
        self.ocr = OcrOptions(
            self.batch.ocr_mode, self._ocr_languages(), self.workers, on_page=self._page_ocrd
        )
        self.folded_names = FoldedNames()

    def _ocr_languages(self) -> str:
        """The batch's OCR languages, refused before any file is read when they are not
        installed (without Tesseract, files needing OCR only stay so)."""
        if self.tesseract is None:
            return self.batch.ocr_languages  # OCR is off for this batch
        try:
            return check_languages(self.batch.ocr_languages, self.tesseract)
        except OcrUnavailable:
            return self.batch.ocr_languages
        except OcrLanguageError as error:
            raise ValidationError(f"Batch {self.batch.name}: {error}") from error

    def run(
        self,
        entries: Iterable[SourceInput],
        limits: isolation.Limits | None = None,
        *,
        unindexed: Iterable[int] = (),
        **audited,
    ) -> ImportReport:
        """The one batch runner (command line, worker, tests): each entry (see ``iter_entries``)
        with the files embedded in it, read in a child process under ``limits`` (in this
        process without them: a dry run, a test's transaction), the index written as it goes,
        the run recorded in the audit log with ``audited`` details."""
        report = ImportReport(self.batch)
        Batch.objects.filter(pk=self.batch.pk).update(status=Batch.Status.IMPORTING)
        pending = set(unindexed)
        for entry in entries:
            self.watcher.starting(entry)
            if limits is None:
                outcomes = [self.import_source(source) for source in expand(entry)]
            else:
                outcomes = isolation.import_entry(self, entry, limits)
            report.files += outcomes
            self.watcher.finished(entry, outcomes)
            update_batch_counters(self.batch)
            for outcome in outcomes:
                pending |= outcome.document_ids
            if len(pending) >= INDEX_EVERY:
                self.index_now(pending, report)
        self.index_now(pending, report)
        update_batch_counters(self.batch)  # also when every entry was skipped
        self.batch.refresh_from_db()
        report.threads = batch_thread_count(self.batch)
        audit.record(
            self.user,
            AuditEntry.Action.BATCH_IMPORTED,
            self.batch.name,
            reverse("batch", args=[self.batch.name]),
            files=len(report.files),
            needing_attention=len(report.needing_attention),
            new_emails=report.new_emails,
            **audited,
        )
        return report

    def _page_ocrd(self) -> None:
        self.watcher.ocr_pages(1)  # the watcher of the process reading the file

    def _settled(self, existing: SourceFile) -> bool:
        """Whether a re-run leaves an earlier import of the same bytes alone: a file that needed
        OCR is read again once this run can OCR it."""
        if existing.status == SourceFile.Status.NEEDS_OCR:
            return self.tesseract is None or not self.tesseract.available
        return existing.status in SourceFile.FINAL

    def index_now(self, ids: set[int], report: ImportReport) -> None:
        """Index what the files just imported; a failure leaves the database whole, and
        ``check_index --fix`` catches up later."""
        if self.index and ids:
            started = time.perf_counter()
            try:
                search.follow(emails=ids, now=True)
            except Exception:
                logger.exception("could not index %d emails; run check_index --fix", len(ids))
            report.index_seconds += time.perf_counter() - started
        ids.clear()

    def import_source(self, source: SourceInput) -> FileOutcome:
        """Import one file; never raises for bad input (KeyboardInterrupt still stops the run)."""
        if source.refused:
            return self._record_failure(
                source, _sha256(b"refused:" + source.name.encode()), 0, source.refused
            )
        try:
            data = source.read()
        except (OSError, ValueError) as error:
            return self._record_failure(
                source,
                _sha256(b"unreadable:" + source.name.encode()),
                0,
                f"cannot be read: {error}",
            )
        if not data:  # empty files share one sha256: each is reported under its own
            return self._record_failure(
                source, _sha256(b"empty:" + source.name.encode()), 0, EMPTY_FILE
            )
        sha = _sha256(data)
        existing = (
            SourceFile.objects.filter(sha256=sha)
            .exclude(status=SourceFile.Status.DUPLICATE)
            .first()
        )
        if existing is not None and (
            self._settled(existing) or _other_file_of(existing, self.batch, source)
        ):
            return self._already_imported(source, existing)
        detected = sniff(data[:HEAD_BYTES])
        stored = store_copy(data, sha, detected)
        try:
            started = time.perf_counter()
            parsed = self._parse(stored, detected)
            searchable = keep_searchable_copy(parsed.searchable_pdf, sha)
            # Read to the end before the transaction opens, which then only writes; a file read
            # by another process is written as it comes, while the next items are read.
            waited = _Waited(parsed.items if parsed.streamed else _read_ahead(parsed.items))
            read = time.perf_counter()
            with transaction.atomic():
                if existing is not None:
                    existing.delete()  # a failed or unfinished earlier attempt
                SourceFile.objects.filter(
                    batch=self.batch, original_name=stored_name(source.name)
                ).delete()
                outcome = self._write(
                    source, sha, len(data), detected, stored, parsed, waited, searchable
                )
                archive_changed()  # figures kept for the archive as it was are out of date
            writing = time.perf_counter() - read - waited.seconds
            outcome.seconds = {"reading": read - started + waited.seconds, "writing": writing}
            return outcome
        except Exception as error:  # a refusal or a bug: report the file, keep the batch going
            logger.exception("could not import %s", source.name)
            return self._record_failure(
                source,
                sha,
                len(data),
                f"could not be imported: {error_reason(error)}",
                detected,
            )

    def _parse(self, stored: Path, detected: str) -> ParsedFile:
        if detected == "mbox" and self.workers > 1:
            return read_mbox_elsewhere(stored, self.zone)  # written while it is read
        if detected != "pdf":
            return parse_file(stored, detected, self.zone, None, self.ocr)
        total = self._page_count(stored) if self.workers > 1 else 0
        if total < PARALLEL_FROM_PAGES:
            return parse_file(
                stored, detected, self.zone, self._counted(extract_pages(stored)), self.ocr
            )
        # "spawn": the worker processes import only the pure ingest package, never a live
        # database connection; started per large PDF, as a child process cannot share a pool.
        with ProcessPoolExecutor(self.workers, mp_context=get_context("spawn")) as pool:
            chunks = [
                list(range(start, min(start + PAGES_PER_TASK, total + 1)))
                for start in range(1, total + 1, PAGES_PER_TASK)
            ]
            pages = chain.from_iterable(
                pool.map(extract_page_list, [str(stored)] * len(chunks), chunks)
            )
            return parse_file(stored, detected, self.zone, self._counted(pages), self.ocr)

    @staticmethod
    def _page_count(stored: Path) -> int:
        try:
            return count_pages(stored)
        except Exception:
            return 0  # read one page after another: parse_pdf reports the reason

    def _counted(self, pages: Iterable[PdfPage]) -> Iterator[PdfPage]:
        for page in pages:
            self.watcher.pages(1)
            yield page

    def _write(self, source, sha, size, detected, stored, parsed, items, searchable) -> FileOutcome:
        source_file = SourceFile.objects.create(
            batch=self.batch,
            original_name=stored_name(source.name),
            sha256=sha,
            size=size,
            detected_type=detected if detected in SourceFile.FileType.values else "unknown",
            stored_file=_media_name(stored),
            searchable_file=_media_name(searchable) if searchable else "",
            imported_at=timezone.now(),
        )
        outcome = FileOutcome(source.name, SourceFile.Status.IMPORTED)
        # A fresh resolver per file: what a rolled-back file created must not be remembered.
        writer = DocumentWriter(
            source_file, PersonResolver(self.folded_names), self.places, outcome
        )
        for item in items:
            writer.add(item)
        writer.finish()
        # Final once the items are read (an mbox may be read while it is written).
        outcome.status = SourceFile.Status(parsed.status)
        outcome.reason = readable_reason(parsed.error)
        outcome.warnings[:0] = name_warnings(source.name) + [
            {"text": text, "document": None, "page": None} for text in parsed.warnings
        ]
        source_file.status, source_file.error = outcome.status, outcome.reason
        source_file.page_count = outcome.pages or None
        source_file.warnings = outcome.warnings
        source_file.save(update_fields=["status", "error", "page_count", "warnings"])
        refresh_threads(outcome.thread_ids)
        return outcome

    def _already_imported(self, source: SourceInput, existing: SourceFile) -> FileOutcome:
        name = stored_name(source.name)
        if existing.batch_id == self.batch.pk and existing.original_name == name:
            return FileOutcome(source.name, SKIPPED, "already imported")
        # A copy under another name (or in place of a file of that name that failed).
        SourceFile.objects.update_or_create(
            batch=self.batch,
            original_name=name,
            defaults={
                "sha256": existing.sha256,
                "size": existing.size,
                "detected_type": existing.detected_type,
                "status": SourceFile.Status.DUPLICATE,
                "duplicate_of": existing,
                "imported_at": timezone.now(),
                "error": "",
                "warnings": name_warnings(source.name),
            },
        )
        failed = f", which failed: {existing.error}" if existing.needs_attention else ""
        return FileOutcome(
            source.name,
            SourceFile.Status.DUPLICATE,
            f"same content as {existing.original_name} in batch {existing.batch.name}{failed}",
        )

    def fail(self, source: SourceInput, reason: str) -> FileOutcome:
        """Record ``source`` as failed for a reason found outside its import (a time limit),
        unless its content was imported after all."""
        try:
            data = source.read()
        except (OSError, ValueError):
            data = b"unreadable:" + source.name.encode()
        sha = _sha256(data)
        done = SourceFile.objects.filter(sha256=sha, status__in=SourceFile.FINAL).first()
        if done is not None:
            return FileOutcome(source.name, done.status, "imported before it was stopped")
        detected = sniff(data[:HEAD_BYTES])
        kind = detected if detected in SourceFile.FileType.values else "unknown"
        return self._record_failure(source, sha, len(data), reason, kind)

    def _record_failure(self, source, sha, size, reason, detected="unknown") -> FileOutcome:
        reason = readable_reason(reason)
        with transaction.atomic():
            SourceFile.objects.filter(sha256=sha).exclude(
                status=SourceFile.Status.DUPLICATE
            ).delete()
            SourceFile.objects.update_or_create(
                batch=self.batch,
                original_name=stored_name(source.name),
                defaults={
                    "sha256": sha,
                    "size": size,
                    "detected_type": detected,
                    "status": SourceFile.Status.FAILED,
                    "error": reason,
                    "duplicate_of": None,
                    "warnings": name_warnings(source.name),
                },
            )
        return FileOutcome(source.name, SourceFile.Status.FAILED, reason)

    def _batch(self) -> Batch:
        options = self.options
        values = {
            "title": options.title,
            "agency": options.agency,
            "request_number": options.request_number,
            "released_on": options.released_on,
            "timezone": options.timezone,
            "source_url": options.source_url,
            "notes": options.notes,
            "ocr_mode": options.ocr,
            "ocr_languages": options.ocr_languages,
        }
        batch, created = Batch.objects.get_or_create(
            name=options.name,
            defaults={
                **{key: value for key, value in values.items() if value},
                "title": options.title or options.name,
                "timezone": options.timezone or settings.TIME_ZONE,
                "imported_by": self.user,
            },
        )
        if not created:
            changed = [
                key for key, value in values.items() if value and getattr(batch, key) != value
            ]
            for key in changed:
                setattr(batch, key, values[key])
            if changed:
                batch.full_clean()
                batch.save(update_fields=changed)
        return batch


class _Waited:
    """The items, and the time spent waiting for them: the share of reading in the time
    spent writing a file whose items are read as it is written."""

    def __init__(self, items: Iterable):
        self._items = iter(items)
        self.seconds = 0.0

    def __iter__(self) -> Iterator:
        return self

    def __next__(self):
        started = time.perf_counter()
        try:
            return next(self._items)
        finally:
            self.seconds += time.perf_counter() - started


def _read_ahead(items: Iterable) -> Iterator:
    """The items, all read now and kept in a temporary file (memory stays flat however long
    the file), then given back one by one in their order."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (closed when the items have been given back)
    try:
        for item in items:
            pickle.dump(item, spool, pickle.HIGHEST_PROTOCOL)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return _replay(spool)


def _replay(spool) -> Iterator:
    with spool:
        while True:
            try:
                yield pickle.load(spool)
            except EOFError:
                return


def place_index() -> PlaceIndex:
    rows = JurisdictionAlias.objects.values_list(
        "alias",
        "normalized",
        "jurisdiction_id",
        "jurisdiction__kind",
        "jurisdiction__state_code",
        "is_abbreviation",
        "jurisdiction__population",
    )
    return PlaceIndex(
        (alias, key, PlaceRef(pk, kind, state, abbreviation, large=_large(kind, population)))
        for alias, key, pk, kind, state, abbreviation, population in rows.iterator(chunk_size=5000)
    )


def stored_name(name: str) -> str:
    """A file's name as ``SourceFile.original_name`` keeps it: whole when it fits."""
    if len(name) <= NAME_CHARS:
        return name
    digest = _sha256(name.encode())[:12]
    return f"{name[:_NAME_END_CHARS]}…{digest}…{name[-_NAME_END_CHARS:]}"


def name_warnings(name: str) -> list[dict]:
    """The warning a file whose name was cut carries (as ``SourceFile.warnings`` keeps them)."""
    if len(name) <= NAME_CHARS:
        return []
    text = (
        f"its name is {len(name):,} characters, more than the {NAME_CHARS:,} kept; its middle "
        f"was cut. Whole name: {name}"
    )
    return [{"text": text, "document": None, "page": None}]


def _other_file_of(existing: SourceFile, batch: Batch, source: SourceInput) -> bool:
    """Whether ``existing`` (a file that failed or is unfinished) is another file of this batch
    with the same content: this one is then its copy, and reading it again would take the
    other's report away."""
    return existing.batch_id == batch.pk and existing.original_name != stored_name(source.name)


def _large(kind: str, population: int | None) -> bool:
    return kind == Jurisdiction.Kind.CITY and (population or 0) >= LARGE_CITY_POPULATION


def store_copy(data: bytes, sha: str, detected: str) -> Path:
    """Keep the original under MEDIA_ROOT, named by content, so pages can link to it."""
    suffix = {"pdf": ".pdf", "eml": ".eml", "mbox": ".mbox"}.get(detected, ".bin")
    target = Path(settings.MEDIA_ROOT) / "sources" / sha[:2] / f"{sha}{suffix}"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as handle:
            handle.write(data)
        shutil.move(handle.name, target)
    return target


def keep_searchable_copy(copy: Path | None, sha: str) -> Path | None:
    """Keep the PDF with its OCR text beside the original, named by the original's content;
    a later OCR of the same file replaces it whole."""
    if copy is None:
        return None
    target = Path(settings.MEDIA_ROOT) / "searchable" / sha[:2] / f"{sha}.pdf"
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    shutil.move(copy, partial)
    os.replace(partial, target)  # a download under way keeps the copy it opened
    return target


def _media_name(path: Path) -> str:
    """A FileField's name for a file under MEDIA_ROOT; "" for one elsewhere (a dry run)."""
    media = Path(settings.MEDIA_ROOT)
    return str(path.relative_to(media)) if path.is_relative_to(media) else ""


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
