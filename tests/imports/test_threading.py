"""Emails with Message-IDs find their thread whichever arrives first, through indexed lookups:
a reply's In-Reply-To or References, or the replies that name a new email."""

import pytest
from django.db import connection

from documents.models import Document
from documents.threads import related_by_message_ids
from tests.conftest import run_import

pytestmark = pytest.mark.django_db


def eml(folder, name, message_id, subject, *, in_reply_to="", references=""):
    headers = [
        "From: Marc Rapp <marc.rapp@ice.dhs.gov>",
        "To: David Venturella <david.venturella@ice.dhs.gov>",
        "Date: Tue, 28 Sep 2010 16:12:00 -0700",
        f"Subject: {subject}",
        f"Message-ID: {message_id}",
    ]
    if in_reply_to:
        headers.append(f"In-Reply-To: {in_reply_to}")
    if references:
        headers.append(f"References: {references}")
    path = folder / name
    path.write_text("\n".join(headers) + "\n\nSee the county's letter.\n")
    return path


def test_a_reply_imported_first_is_joined_by_the_email_it_names_in_references(
    tmp_path, media_root, gazetteer_db
):
    """The reply names the first email only in References (no In-Reply-To) and arrives in an
    earlier batch; the first email, its subject reworded, still joins the reply's thread."""
    reply = eml(
        tmp_path,
        "reply.eml",
        "<reply@ice.dhs.gov>",
        "RE: County letter",
        references="<other@ice.dhs.gov> <first@ice.dhs.gov>",
    )
    run_import([reply], name="replies")
    first = eml(tmp_path, "first.eml", "<first@ice.dhs.gov>", "Santa Clara opt-out letter")
    run_import([first], name="originals")
    threads = set(Document.objects.values_list("thread_id", flat=True))
    assert len(threads) == 1 and Document.objects.count() == 2
    stored = Document.objects.get(message_id="<reply@ice.dhs.gov>")
    assert stored.reference_ids == ["<other@ice.dhs.gov>", "<first@ice.dhs.gov>"]


def test_the_replies_of_a_new_email_are_looked_up_through_indexes(db):
    """However large the archive: the planner can answer from the indexes, not a scan."""
    lookup = related_by_message_ids("<first@ice.dhs.gov>", ["<zero@ice.dhs.gov>"])
    query = lookup.values_list("pk", "thread_id", "message_id", "sent_at")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = query.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "document_reference_ids_gin" in plan and "in_reply_to" in plan, plan
    assert "Seq Scan" not in plan, plan
