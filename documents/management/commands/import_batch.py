"""python manage.py import_batch PATH [PATH ...] --name NAME [...]"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from tqdm import tqdm

from documents.importer import BatchImporter, BatchOptions, FileOutcome, ImportReport
from documents.models import validate_time_zone


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
            "--workers", type=int, default=1, help="Processes that extract PDF pages in parallel."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Parse and report; save nothing."
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
        batch_options = BatchOptions(
            name=options["name"],
            title=options["title"],
            agency=options["agency"],
            request_number=options["request_number"],
            released_on=options["released_on"],
            timezone=options["timezone"],
            source_url=options["source_url"],
        )
        bar = _ProgressBar(options["verbosity"] > 0)
        try:
            if options["dry_run"]:
                report = self._dry_run(batch_options, options, bar)
            else:
                report = self._import(batch_options, options, bar, index=True)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        finally:
            bar.close()
        self.stdout.write(summary(report, dry_run=options["dry_run"]))
        if report.failed:
            sys.exit(1)

    def _import(self, batch_options, options, bar, index: bool) -> ImportReport:
        importer = BatchImporter(
            batch_options, workers=options["workers"], progress=bar.update, index=index
        )
        return importer.run(options["paths"])

    def _dry_run(self, batch_options, options, bar) -> ImportReport:
        with (
            tempfile.TemporaryDirectory() as media,
            override_settings(MEDIA_ROOT=media),
            transaction.atomic(),
        ):
            report = self._import(batch_options, options, bar, index=False)
            transaction.set_rollback(True)
        return report


class _ProgressBar:
    """Files and pages on stderr."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.bar = None
        self.pages = 0
        self.files = 0

    def update(self, name: str, outcome: FileOutcome | None, pages: int) -> None:
        if not self.enabled:
            return
        if self.bar is None:
            self.bar = tqdm(file=sys.stderr, unit=" files", dynamic_ncols=True, leave=True)
        if pages:
            self.pages += pages
        elif outcome is not None:
            self.files += 1
            self.bar.update(1)
        elif name:
            self.bar.set_description(_short(name))
        self.bar.set_postfix_str(
            f"{self.pages:,} pages", refresh=bool(pages) or outcome is not None
        )

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def summary(report: ImportReport, dry_run: bool = False) -> str:
    count = report.count
    lines = [
        f"{'Dry run — nothing saved. ' if dry_run else ''}Batch {report.batch.name}:",
        f"  files imported: {count('imported')}",
        f"  files skipped (already imported): {count('skipped')}",
        f"  files duplicating another batch's: {count('duplicate')}",
        f"  files failed: {len(report.failed)}",
        f"  pages: {report.pages:,} ({report.ocr_pages:,} need OCR)",
        f"  emails: {report.emails:,} ({report.new_emails:,} new to the archive)",
        f"  threads: {report.threads:,}",
        f"  warnings: {report.warnings:,}",
    ]
    if report.failed:
        lines.append("Failed files:")
        lines += [
            f"  {outcome.name}: {outcome.status} — {outcome.reason}" for outcome in report.failed
        ]
    return "\n".join(lines) + "\n"


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"--released-on {text!r}: expected YYYY-MM-DD") from error


def _short(name: str, width: int = 40) -> str:
    return name if len(name) <= width else "…" + name[-(width - 1) :]
