from django.core.management.base import BaseCommand

from search import IndexUnavailable, ensure_index


class Command(BaseCommand):
    help = (
        "Create the search index if it does not exist (it is filled by imports and update_index)."
    )

    def handle(self, *args, **options) -> None:
        try:
            self.stdout.write(f"Search index ready: {ensure_index():,} emails indexed.")
        except IndexUnavailable as error:
            # The site still starts: only search pages wait for the repair.
            self.stderr.write(
                self.style.WARNING(
                    f"The search index is damaged ({error}); search pages say search is being "
                    "repaired until `manage.py check_index --fix` rebuilds it."
                )
            )
