"""Emails with Message-IDs find their thread whichever arrives first, through indexed lookups:
a reply's In-Reply-To or References, or the replies that name a new email."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents.imports.lookups import ChunkLookups
from documents.imports.new_rows import NewRows
from documents.ingest import Email
from documents.models import Document
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


def test_a_person_brought_into_a_thread_earlier_in_a_mailbox_takes_a_later_email_there(
    tmp_path, media_root, gazetteer_db
):
    """Kept a thread by its subject: a reply brings a new person into an earlier batch's
    thread, and that person's next email on the subject, naming nothing, joins the thread too,
    though both are written in one chunk, before either is stored."""
    first = eml(tmp_path, "first.eml", "<first@ice.dhs.gov>", "Jail data")
    run_import([first], name="earlier")

    def message(sender: str, to: str, day: int, message_id: str, in_reply_to: str = "") -> str:
        reply = f"In-Reply-To: {in_reply_to}\n" if in_reply_to else ""
        return (
            f"From {sender} Wed Sep 29 10:00:00 2010\nFrom: {sender}\nTo: {to}\n"
            f"Date: {day} Sep 2010 10:00:00 -0700\nSubject: RE: Jail data\n"
            f"Message-ID: {message_id}\n{reply}\nNumbers attached.\n\n"
        )

    box = tmp_path / "county.mbox"
    box.write_text(
        message(
            "clerk@sccgov.org", "marc.rapp@ice.dhs.gov", 29, "<b@sccgov.org>", "<first@ice.dhs.gov>"
        )
        + message("clerk@sccgov.org", "sheriff@sccgov.org", 30, "<c@sccgov.org>")
    )
    run_import([box], name="county")
    assert Document.objects.count() == 3
    assert len(set(Document.objects.values_list("thread_id", flat=True))) == 1


def test_what_a_chunk_asks_of_its_emails_and_documents_is_looked_up_through_indexes(db):
    """However large the archive: the planner can answer from the indexes, not a scan."""
    email = Email(
        message_id="<first@ice.dhs.gov>",
        references="<zero@ice.dhs.gov>",
        subject="Opt out",
        sent_at=datetime(2010, 9, 28, 16, 12, tzinfo=UTC),
    )
    with CaptureQueriesContext(connection) as queries:
        ChunkLookups([email], ["0" * 64], NewRows(), set())  # and a letter's fingerprint
    [query] = queries.captured_queries
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {query['sql']}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "document_reference_ids_gin" in plan and "in_reply_to" in plan, plan
    assert "sent_at" in plan and "document_fingerprint_unique" in plan, plan
    assert "Seq Scan" not in plan, plan
