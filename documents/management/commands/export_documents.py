"""python manage.py export_documents [--batch NAME] [--format jsonl|csv]"""

from __future__ import annotations

import csv
import json

from django.core.management.base import BaseCommand, CommandError

from documents.browse.export import CSV_COLUMNS, document_records, flatten
from documents.models import Batch


class Command(BaseCommand):
    help = "Write one record per email (Document) to stdout, as JSON lines or CSV."

    def add_arguments(self, parser):
        parser.add_argument("--batch", help="Only emails that appear in this batch.")
        parser.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")

    def handle(self, *args, batch=None, format="jsonl", **options):
        if batch and not Batch.objects.filter(name=batch).exists():
            raise CommandError(f"no batch named {batch!r}")
        records = document_records(batch)
        if format == "csv":
            writer = csv.DictWriter(self.stdout, fieldnames=CSV_COLUMNS, lineterminator="\n")
            writer.writeheader()
            for record in records:
                writer.writerow(flatten(record))
        else:
            for record in records:
                self.stdout.write(json.dumps(record, ensure_ascii=False))
