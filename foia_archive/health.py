"""Health of the parts a page needs (the database and the search index), and of the task
worker that `manage.py serve` keeps running."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection

from documents.ingest import ocr_status
from search import index_status


def check_health() -> dict:
    """A report for /healthz: ``ok`` is true only when every part answered. The worker is
    reported but not counted: a worker being restarted does not take the site down."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = {"ok": True, "detail": "ok"}
    except DatabaseError as error:
        database = {"ok": False, "detail": f"database unreachable: {error}"}
    index = index_status()
    search_index = {"ok": index.ok, "detail": index.detail, "documents": index.documents}
    return {
        "ok": database["ok"] and search_index["ok"],
        "database": database,
        "search_index": search_index,
        "worker": worker_status(),
        "ocr": ocr_report(),
    }


def ocr_report() -> dict:
    """Whether scanned pages can be read; not counted in ``ok``: without Tesseract the archive
    works and scans wait as "needs OCR"."""
    status = ocr_status()
    return {"available": status.available, "detail": status.summary}


def worker_status() -> dict:
    """``state`` (running / restarting) and ``restarts`` as `serve` last wrote them; a web
    server started some other way (a worker of its own under systemd) does not know."""
    if not settings.WORKER_STATE_FILE:
        return {"state": "unknown", "detail": "not started by manage.py serve"}
    try:
        return json.loads(Path(settings.WORKER_STATE_FILE).read_text())
    except (OSError, ValueError) as error:
        return {"state": "unknown", "detail": f"no state from serve: {error}"}
