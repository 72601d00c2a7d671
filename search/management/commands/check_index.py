from django.core.management.base import BaseCommand

from search.indexing import check_index

SHOWN_IDS = 20


class Command(BaseCommand):
    help = (
        "Compare the search index with the database: counts, emails missing from the index and "
        "stray entries of emails that no longer exist. --fix indexes the missing, drops the stray."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--fix", action="store_true", help="repair what differs")

    def handle(self, *args, fix: bool, **options) -> None:
        check = check_index(fix=fix)
        self.stdout.write(
            f"Database: {check.in_database:,} emails. Index: {check.in_index:,} entries."
        )
        for label, ids in (("Missing from the index", check.missing), ("Stray", check.stray)):
            if ids:
                shown = ", ".join(map(str, ids[:SHOWN_IDS]))
                more = f" and {len(ids) - SHOWN_IDS:,} more" if len(ids) > SHOWN_IDS else ""
                self.stdout.write(f"{label}: {len(ids):,} ({shown}{more})")
        if check.ok:
            self.stdout.write(self.style.SUCCESS("The index matches the database."))
        elif fix:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Fixed: indexed {len(check.missing):,}, removed {len(check.stray):,}."
                )
            )
        else:
            self.stderr.write("The index differs from the database; run with --fix to repair.")
            raise SystemExit(1)
