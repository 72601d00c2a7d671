from django.core.management.base import BaseCommand

from search.index import ensure_index


class Command(BaseCommand):
    help = (
        "Create the search index if it does not exist (it is filled by imports and update_index)."
    )

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"Search index ready: {ensure_index():,} emails indexed.")
