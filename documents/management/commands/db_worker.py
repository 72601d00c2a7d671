"""django-tasks-db's worker, which first re-queues the imports a killed worker left unfinished
(``documents.imports.jobs.resume_interrupted``); then it works exactly as the original."""

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

from documents.imports.jobs import resume_interrupted


class Command(DatabaseWorker):
    help = f"{DatabaseWorker.help} Imports a killed worker left unfinished are queued again first."

    def handle(self, *args, **options):
        for job_id in resume_interrupted():
            self.stderr.write(
                f"Import job {job_id} was interrupted; it goes on from where it stopped."
            )
        return super().handle(*args, **options)
