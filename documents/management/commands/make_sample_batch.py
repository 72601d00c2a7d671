"""python manage.py make_sample_batch DIR"""

from pathlib import Path

from django.core.management.base import BaseCommand

from documents.imports.sample_batch import write_sample_batch


class Command(BaseCommand):
    help = "Write a synthetic Secure Communities release (PDF productions, .eml, mbox) to DIR."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory: Path, **options):
        truth = write_sample_batch(directory)
        self.stdout.write(
            f"Wrote {len(truth.files)} files to {directory}: {', '.join(truth.files)}"
        )
