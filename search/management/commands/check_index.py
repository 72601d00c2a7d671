from django.core.management.base import BaseCommand

from search import check_index

SHOWN_IDS = 20


class Command(BaseCommand):
    help = (
        "Compare the search index with the database: damaged index files, counts, emails missing "
        "from the index and stray entries of emails that no longer exist. --fix indexes the "
        "missing and drops the stray; a damaged index is rebuilt from the database in a new "
        "folder and switched to."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--fix", action="store_true", help="repair what differs")

    def handle(self, *args, fix: bool, **options) -> None:
        check = check_index(fix=fix)
        if check.damage:
            self.stderr.write(
                f"The search index is damaged: {check.damage}\n"
                "Search pages say search is being repaired. Run check_index --fix to rebuild "
                "the index from the database."
            )
            raise SystemExit(1)
        if check.rebuilt:
            self.stdout.write(
                self.style.SUCCESS(
                    f"The search index was damaged; rebuilt from the database in {check.rebuilt}."
                )
            )
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
