"""python manage.py import_batch PATH [PATH ...] --name NAME [...]"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.template.defaultfilters import pluralize
from django.test.utils import override_settings
from tqdm import tqdm

from documents.imports.isolation import Limits
from documents.imports.outcomes import SKIPPED, FileOutcome, ImportReport
from documents.imports.report import group_warnings
from documents.imports.service import BatchImporter, BatchOptions, Watcher
from documents.ingest import OCR_MODES, check_languages, iter_entries, ocr_status, pages_in
from documents.ingest.ocr import OcrError, OcrUnavailable
from documents.models import SourceFile, validate_time_zone


class Command(BaseCommand):
    help = (
        "Import a FOIA release: folders (recursive), ZIP archives or single PDF/.eml/mbox files. "
        "Files already imported are skipped; failed ones are retried."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        parser.add_argument("--name", required=True, help="The batch's short name (a slug).")
        parser.add_argument("--title", default="")
        parser.add_argument("--agency", default="")
        parser.add_argument("--request-number", default="")
        parser.add_argument("--released-on", type=_date, default=None, metavar="YYYY-MM-DD")
        parser.add_argument(
            "--timezone",
            default="",
            metavar="IANA",
            help="Zone of dates printed without one (default: the TIME_ZONE setting).",
        )
        parser.add_argument("--source-url", default="")
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help=(
                "Processes that extract a large PDF's pages, and pages OCR'd at once; from 2 on,"
                " an mbox is also read in a process of its own while its emails are written."
            ),
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Parse and report; save nothing."
        )
        parser.add_argument(
            "--ocr",
            choices=OCR_MODES,
            default="",
            help="auto: OCR pages without a usable text layer (a new batch's default); force: "
            "also pages whose text layer is garbled; never. Kept as the batch's setting.",
        )
        parser.add_argument(
            "--ocr-languages",
            default="",
            metavar="LANGS",
            help='Tesseract languages of the scans, joined by "+" (eng, eng+spa); kept as the '
            "batch's setting (a new batch's default: the OCR_LANGUAGE setting).",
        )

    def handle(self, *args, **options):
        for path in options["paths"]:
            if not path.exists():
                raise CommandError(f"{path}: no such file or folder")
        if options["timezone"]:
            try:
                validate_time_zone(options["timezone"])
            except ValidationError as error:
                raise CommandError(error.messages[0]) from error
        if options["ocr"] != "never":
            _check_ocr(options["ocr_languages"])
        batch_options = BatchOptions(
            ocr=options["ocr"],
            ocr_languages=options["ocr_languages"],
            name=options["name"],
            title=options["title"],
            agency=options["agency"],
            request_number=options["request_number"],
            released_on=options["released_on"],
            timezone=options["timezone"],
            source_url=options["source_url"],
        )
        entries = list(iter_entries(options["paths"]))
        bar = _ProgressBar(options["verbosity"] > 0)
        bar.plan(entries)
        try:
            if options["dry_run"]:
                report = self._dry_run(batch_options, options, bar, entries)
            else:
                # Each file in a child process under IMPORT_FILE_TIME_LIMIT and _MEMORY_LIMIT,
                # as the worker reads them: a file that hangs is stopped, the batch goes on.
                importer = self._importer(batch_options, options, bar, index=True)
                report = importer.run(entries, Limits.from_settings())
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        finally:
            bar.close()
        self.stdout.write(summary(report, dry_run=options["dry_run"]))
        if report.needing_attention:
            sys.exit(1)

    @staticmethod
    def _importer(batch_options, options, bar, index: bool) -> BatchImporter:
        return BatchImporter(batch_options, workers=options["workers"], watcher=bar, index=index)

    def _dry_run(self, batch_options, options, bar, entries) -> ImportReport:
        """In this process, inside a transaction rolled back at the end (a child's writes could
        not be taken back); the limits do not apply."""
        with (
            tempfile.TemporaryDirectory() as media,
            override_settings(MEDIA_ROOT=media),
            transaction.atomic(),
        ):
            report = self._importer(batch_options, options, bar, index=False).run(entries)
            transaction.set_rollback(True)
        return report


def _check_ocr(languages: str) -> None:
    """Say once, before any file, whether scanned pages can be read, and refuse languages that
    are misspelt or not installed before anything is written."""
    status = ocr_status()
    if not status.available:
        sys.stderr.write(f"{status.message}; pages without a text layer stay 'needs OCR'\n")
    try:
        if languages:
            check_languages(languages, status)
    except OcrUnavailable:
        pass
    except OcrError as error:
        raise CommandError(str(error)) from error


class _ProgressBar(Watcher):
    """Pages read of the release's total, with files done and the time left, on stderr. The
    totals are counted first (page counts, not text), so the estimate holds from the start."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.bar = None
        self.files = 0
        self.total_files = 0
        self.ocr = 0

    def plan(self, entries: list) -> None:
        if not self.enabled:
            return
        self.total_files = len(entries)
        pages = sum(pages_in(entry) for entry in entries)
        self.bar = tqdm(
            total=pages or None,
            file=sys.stderr,
            unit=" pages",
            dynamic_ncols=True,
            leave=True,
            bar_format=BAR_FORMAT if pages else NO_PAGES_FORMAT,
            postfix=self._files_done(),
        )

    def starting(self, entry) -> None:
        if self.bar is not None:
            self.bar.set_description(_short(entry.name), refresh=False)

    def pages(self, count: int) -> None:
        if self.bar is not None:
            self.bar.update(count)

    def ocr_pages(self, count: int) -> None:
        """OCR'd pages are counted apart: they are what makes a release slow, and the time left
        follows their rate once they come."""
        if self.bar is not None:
            self.ocr += count
            self.bar.set_postfix_str(self._files_done(), refresh=False)

    def finished(self, entry, outcomes: list[FileOutcome]) -> None:
        if self.bar is None:
            return
        self.files += len(outcomes)
        # Files embedded in a PDF portfolio are found as they are read.
        self.total_files = max(self.total_files, self.files)
        self.bar.set_postfix_str(self._files_done())

    def _files_done(self) -> str:
        ocr = f", OCR'd {self.ocr:,}" if self.ocr else ""
        return f"files {self.files:,}/{self.total_files:,}{ocr}"

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


# "ICE-1.pdf  42%|████▏     | 420/1,000 pages [00:21<00:29, 20 pages/s, files 3/8]"
BAR_FORMAT = (
    "{desc} {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt}{unit} "
    "[{elapsed}<{remaining}, {rate_fmt}{postfix}]"
)
NO_PAGES_FORMAT = "{desc} [{elapsed}{postfix}]"


def summary(report: ImportReport, dry_run: bool = False) -> str:
    """The figures of the batch as every page shows them (``batch_report``), then what this run
    did, the files needing attention and the warnings, by file."""
    batch = report.batch
    attention = report.needing_attention
    imported = report.count(SourceFile.Status.IMPORTED)
    duplicates = report.count(SourceFile.Status.DUPLICATE)
    lines = [
        f"{'Dry run — nothing saved. ' if dry_run else ''}Batch {batch.name}:",
        f"  files: {batch.file_count:,} (this run: {imported:,} imported, "
        f"{report.count(SKIPPED):,} already imported, {duplicates:,} "
        f"duplicate{pluralize(duplicates)} of other files, {len(attention):,} needing "
        "attention)",
        "  files needing attention (failed, encrypted or needing OCR): "
        f"{batch.attention_file_count:,}",
        f"  pages: {batch.page_count:,} ({batch.ocr_page_count:,} need OCR)",
        f"  emails: {batch.email_count:,} in {report.threads:,} thread{pluralize(report.threads)} "
        f"({report.new_emails:,} new to the archive)",
        f"  warnings: {report.warnings:,}"
        + (
            " (what could not be read in full: a missing date, sender or subject, a damaged "
            "header; listed below)"
            if report.warnings
            else ""
        ),
    ]
    spent = report.seconds
    if any(spent.values()):
        lines.append(
            "  time: " + ", ".join(f"{phase} {seconds:,.1f} s" for phase, seconds in spent.items())
        )
    if attention:
        lines.append("Files needing attention:")
        lines += [f"  {o.name}: {_status(o.status)} — {o.reason}" for o in attention]
    warned = [outcome for outcome in report.files if outcome.warnings]
    if warned:
        lines.append("Warnings by file:")
        for outcome in warned:
            lines.append(f"  {outcome.name}:")
            lines += [
                f"    {group.text}" + (f" ({_emails(group)})" if group.documents else "")
                for group in group_warnings(outcome.warnings)
            ]
    return "\n".join(lines) + "\n"


def _status(status: str) -> str:
    return str(SourceFile.Status(status).label).lower()


def _emails(group) -> str:
    pages = sorted({page for _, page in group.documents if page})
    where = f", p. {', '.join(map(str, pages))}" if pages else ""
    n = len(group.documents)
    return f"{n} email{pluralize(n)}{where}"


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"--released-on {text!r}: expected YYYY-MM-DD") from error


def _short(name: str, width: int = 40) -> str:
    return name if len(name) <= width else "…" + name[-(width - 1) :]
