"""Emails are written in chunks, looked up together and inserted together. A reader sees exactly
what writing them one at a time gives: the same emails, copies, threads, people and recipients,
on a real release (dc-bega's .eml messages put in one mailbox, and its PDFs)."""

import mailbox

import pytest
from django.db import transaction

from documents.imports import writer
from documents.models import Document, Person, Recipient, SourceFile
from tests.conftest import CORPUS, run_import

BEGA = CORPUS / "dc-bega-emails"
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not BEGA.is_dir(), reason="../shared/corpus is not beside the checkout"),
]


def one_mailbox(target):
    """The release's .eml messages in one mbox, in their folders' order: hundreds of emails,
    their copies and replies, in one file."""
    box = mailbox.mbox(target)
    for path in sorted(BEGA.glob("**/*.eml")):
        box.add(mailbox.mboxMessage(path.read_bytes()))
    box.flush()
    box.close()
    return target


def what_a_reader_sees() -> dict:
    """The archive without its ids: each email with its sender, recipients, quoting parent and
    places printed; which emails share a thread; the people; the files' warnings."""

    def key(document: Document) -> tuple:
        return (document.message_id, document.subject, document.sender_raw, document.sent_at)

    documents = Document.objects.select_related("sender", "parent")
    recipients = Recipient.objects.select_related("person").order_by("field", "position")
    emails, threads = {}, {}
    for document in documents:
        printed = [
            (r.field, r.raw, r.person and r.person.email)
            for r in recipients.filter(document=document)
        ]
        emails[key(document)] = (
            document.kind,
            document.body,
            document.sender and (document.sender.name, document.sender.email),
            document.parent and key(document.parent),
            printed,
            sorted(document.exemptions),
            document.appearances.count(),
        )
        threads.setdefault(document.thread_id, set()).add(key(document))
    return {
        "emails": emails,
        "threads": sorted(sorted(map(str, members)) for members in threads.values()),
        "people": sorted(Person.objects.values_list("name", "email", "organization")),
        "warnings": sorted(
            (name, w["text"], w["page"], w["document"] is not None)
            for name, warnings in SourceFile.objects.values_list("original_name", "warnings")
            for w in warnings
        ),
    }


def imported(paths, emails_per_chunk: int, monkeypatch) -> dict:
    monkeypatch.setattr(writer, "EMAILS_PER_SAVEPOINT", emails_per_chunk)
    with transaction.atomic():
        run_import(paths, name="dc-bega", timezone="America/New_York", ocr="never")
        seen = what_a_reader_sees()
        transaction.set_rollback(True)  # the next import starts from an empty archive
    return seen


def test_emails_written_in_chunks_are_what_writing_them_one_by_one_gives(
    tmp_path, media_root, gazetteer_db, monkeypatch
):
    paths = [one_mailbox(tmp_path / "bega.mbox"), *sorted(BEGA.glob("**/*.[pP][dD][fF]"))]
    in_chunks = imported(paths, 50, monkeypatch)
    one_by_one = imported(paths, 1, monkeypatch)
    assert len(in_chunks["emails"]) > 200
    assert len(in_chunks["threads"]) < len(in_chunks["emails"]), "replies joined threads"
    for part in ("emails", "threads", "people", "warnings"):
        assert in_chunks[part] == one_by_one[part], part
