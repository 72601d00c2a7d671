"""The import job as a task of the worker (`manage.py db_worker`), never run by a web request."""

from __future__ import annotations

import logging

from django.utils import timezone
from django_tasks import task

from documents.import_jobs import run_job
from documents.ingest import error_reason
from documents.models import ImportJob

logger = logging.getLogger(__name__)


@task()
def run_import_job(job_id: int) -> None:
    """A job stopped by a bug (not by a bad file, which is only reported) says so on its page."""
    try:
        run_job(job_id)
    except Exception as error:
        logger.exception("import job %s stopped", job_id)
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportJob.Status.FAILED,
            error=error_reason(error),
            finished_at=timezone.now(),
        )
        raise
