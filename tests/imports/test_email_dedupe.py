"""Two different emails are never merged: emails with different Message-IDs are two Documents
however alike they are; dedupe without Message-IDs stays; every merge says why where the email
is cited."""

import pytest
from django.urls import reverse

from documents.models import Appearance, Document
from tests.conftest import run_import

pytestmark = pytest.mark.django_db

EML = """From: David Venturella <david.venturella@ice.dhs.gov>
To: Miguel Marquez <miguel.marquez@cco.sccgov.org>
Subject: Status of the opt out request
Date: Tue, 4 May 2010 16:30:{second:02d} -0700
{message_id}X-Copy: {copy}

Counties cannot opt out of information sharing. Please call me tomorrow.
"""


def write_eml(folder, name, message_id="", copy="", second=0):
    header = f"Message-ID: {message_id}\n" if message_id else ""
    path = folder / name
    path.write_text(EML.format(message_id=header, copy=copy, second=second))
    return path


def test_alike_emails_with_different_message_ids_are_two_documents(
    tmp_path, media_root, gazetteer_db, client
):
    first = write_eml(tmp_path, "first.eml", "<a1@ice.dhs.gov>")
    second = write_eml(tmp_path, "second.eml", "<b2@ice.dhs.gov>", second=30)
    report = run_import([first, second])

    assert [o.status for o in report.files] == ["imported", "imported"]
    assert [o.new_emails for o in report.files] == [1, 1]
    emails = Document.objects.order_by("message_id")
    assert [e.message_id for e in emails] == ["<a1@ice.dhs.gov>", "<b2@ice.dhs.gov>"]
    assert all("Counties cannot opt out" in e.body for e in emails)
    for email in emails:
        page = client.get(reverse("document", args=[email.pk])).content.decode()
        assert "found again by" not in page
        assert [a.matched_by for a in email.appearances.all()] == [Appearance.Match.NEW]


def test_the_same_message_id_in_two_files_is_one_document_that_says_why(
    tmp_path, media_root, gazetteer_db, client
):
    first = write_eml(tmp_path, "first.eml", "<a1@ice.dhs.gov>")
    again = write_eml(tmp_path, "again.eml", "<a1@ice.dhs.gov>", copy="from the county")
    run_import([first, again])

    email = Document.objects.get()
    by_file = {a.source_file.original_name: a.matched_by for a in email.appearances.all()}
    assert by_file == {"first.eml": Appearance.Match.NEW, "again.eml": Appearance.Match.MESSAGE_ID}
    page = client.get(reverse("document", args=[email.pk])).content.decode()
    assert "found again by its Message-ID" in page


def test_alike_emails_without_message_ids_are_still_one_document(
    tmp_path, media_root, gazetteer_db, client
):
    first = write_eml(tmp_path, "first.eml")
    again = write_eml(tmp_path, "again.eml", copy="from the county", second=30)
    run_import([first, again])

    email = Document.objects.get()
    by_file = {a.source_file.original_name: a.matched_by for a in email.appearances.all()}
    assert by_file == {
        "first.eml": Appearance.Match.NEW,
        "again.eml": Appearance.Match.PRINTED_ALIKE,
    }
    page = client.get(reverse("document", args=[email.pk])).content.decode()
    assert "found again by the same sender, minute, subject and start of text" in page


def test_a_printing_without_message_id_joins_the_email_that_has_one(
    tmp_path, media_root, gazetteer_db
):
    with_id = write_eml(tmp_path, "with-id.eml", "<a1@ice.dhs.gov>")
    printed = write_eml(tmp_path, "printed.eml", copy="printed")
    other = write_eml(tmp_path, "other.eml", "<b2@ice.dhs.gov>")
    run_import([with_id, printed, other])

    assert Document.objects.count() == 2
    first = Document.objects.get(message_id="<a1@ice.dhs.gov>")
    assert sorted(a.source_file.original_name for a in first.appearances.all()) == [
        "printed.eml",
        "with-id.eml",
    ]
