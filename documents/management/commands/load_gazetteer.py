from django.core.management.base import BaseCommand

from documents.imports.gazetteer import load_gazetteer


class Command(BaseCommand):
    help = "Load US states, territories, counties and cities of 50,000+ (idempotent)."

    def handle(self, *args, **options) -> None:
        self.stdout.write(str(load_gazetteer()))
