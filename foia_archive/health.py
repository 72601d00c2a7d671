"""Health of the parts a page needs: the database and the search index."""

from __future__ import annotations

from django.db import DatabaseError, connection

from search.index import index_status


def check_health() -> dict:
    """A report for /healthz: ``ok`` is true only when every part answered."""
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
    }
