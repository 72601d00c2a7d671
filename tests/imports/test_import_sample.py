"""End to end: the generated sample release imported, checked against what it is known to hold."""

import io
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse

from documents.imports.sample_batch import write_sample_batch
from documents.models import Appearance, Batch, Document, Page, SourceFile
from tests.conftest import run_import

PACIFIC = ZoneInfo("America/Los_Angeles")


@pytest.fixture
def sample(tmp_path, media_root, gazetteer_db):
    truth = write_sample_batch(tmp_path / "release")
    report = run_import([tmp_path / "release"], name="sample")
    return truth, report


def by_subject(subject: str) -> Document:
    return Document.objects.get(subject=subject)


def test_every_file_imports_and_the_batch_counts_them(sample):
    truth, report = sample
    assert report.needing_attention == []
    assert sorted(o.name for o in report.files) == truth.files
    batch = Batch.objects.get(name="sample")
    assert batch.status == Batch.Status.IMPORTED
    assert batch.file_count == 5 and batch.attention_file_count == 0
    assert batch.email_count == Document.objects.count() == len(truth.emails)
    detected = dict(SourceFile.objects.values_list("original_name", "detected_type"))
    assert detected["la-county.mbox"] == "mbox" and detected["web-original.eml"] == "eml"


def test_pages_keep_bates_numbers_and_the_withheld_page(sample):
    pages = Page.objects.filter(source_file__original_name="ICE-production-1-outlook.pdf")
    assert [p.bates for p in pages] == [f"ICE2010FOIA2674.000{n}" for n in range(3437, 3441)]
    withheld = pages.get(number=2)
    assert withheld.withheld_in_full and withheld.withheld_exemptions == ["(b)(5)"]
    assert not Appearance.objects.filter(first_page=2, last_page=2).exists()


def test_header_fields_of_each_print_style(sample):
    truth, _ = sample
    for key, expected in truth.emails.items():
        document = by_subject(expected.subject)
        assert document.sender.name == expected.sender.name, key
        assert document.sent_at == expected.sent, key
        to = [r.person.name for r in document.recipient_entries.filter(field="to")]
        assert to == [p.name for p in expected.to], key
    request = by_subject(truth.emails["request"].subject)
    cc = request.recipient_entries.get(field="cc")
    assert cc.redacted and cc.person is None and cc.raw == "(b)(6)"
    # 12-hour clock on both sides of noon
    assert by_subject(truth.emails["draft"].subject).sent_at.astimezone(PACIFIC).hour == 14
    assert by_subject(truth.emails["notes_reply"].subject).sent_at.astimezone(PACIFIC).hour == 8


def test_bodies_are_own_text_without_furniture_or_quotes(sample):
    truth, _ = sample
    forward = by_subject(truth.emails["forward"].subject)
    assert forward.body == truth.emails["forward"].body[0]
    draft = by_subject(truth.emails["draft"].subject)
    assert draft.body.startswith("David,") and draft.body.endswith("Marc")
    assert "Point 30:" in draft.body  # the email continues across the withheld page break
    for document in Document.objects.all():
        for furniture in ("UNCLASSIFIED", "Page 1 of", "ICE2010FOIA", "Original Message", "wrote:"):
            assert furniture not in document.body, (document.subject, furniture)


def test_quoted_copies_are_one_document_with_several_appearances(sample):
    truth, _ = sample
    request = by_subject(truth.emails["request"].subject)
    kinds = sorted(request.appearances.values_list("kind", flat=True))
    assert kinds == ["quoted", "quoted", "standalone"]
    standalone = request.appearances.get(kind="standalone")
    assert (standalone.first_page, standalone.bates_start) == (1, "ICE2010FOIA2674.0003437")
    draft = by_subject(truth.emails["draft"].subject)
    draft_print = draft.appearances.get()
    assert (draft_print.first_page, draft_print.last_page) == (3, 4)
    assert draft_print.bates_label == "ICE2010FOIA2674.0003439-ICE2010FOIA2674.0003440"
    web = by_subject(truth.emails["web"].subject)
    assert sorted(web.appearances.values_list("kind", flat=True)) == ["quoted", "standalone"]
    assert web.message_id  # the .eml copy filled in what the printed quote lacked


def test_threads(sample):
    truth, report = sample
    emails = truth.emails

    def thread(key):
        return by_subject(emails[key].subject).thread_id

    assert thread("request") == thread("forward") == thread("draft")
    assert thread("web") == thread("web_reply")
    assert thread("mbox_first") == thread("mbox_reply")
    assert len({thread(k) for k in emails}) == 4 == report.threads
    assert by_subject(emails["draft"].subject).parent == by_subject(emails["forward"].subject)
    request_thread = by_subject(emails["request"].subject).thread
    assert request_thread.message_count == 3
    assert request_thread.exemptions == ["(b)(5)", "(b)(6)"]
    members = [emails[key] for key in ("request", "forward", "draft")]
    assert request_thread.first_sent_at == min(email.sent for email in members)
    assert request_thread.last_sent_at == max(email.sent for email in members)
    assert request_thread.subject == emails["request"].subject
    people = {person.name for person in request_thread.participants.all()}
    assert {email.sender.name for email in members if "@" in email.sender.email} <= people


def test_jurisdictions(sample):
    truth, _ = sample
    for key, expected in truth.emails.items():
        found = set(by_subject(expected.subject).jurisdictions.values_list("slug", flat=True))
        assert set(expected.jurisdictions) <= found, key
    notes = by_subject(truth.emails["notes_reply"].subject)
    assert set(notes.thread.jurisdictions.values_list("slug", flat=True)) >= {
        "ca-county-alameda-county",
        "ca-city-san-francisco",
    }


def test_running_again_skips_everything(sample, tmp_path):
    documents = Document.objects.count()
    appearances = Appearance.objects.count()
    report = run_import([tmp_path / "release"], name="sample")
    assert {o.status for o in report.files} == {"skipped"}
    assert (Document.objects.count(), Appearance.objects.count()) == (documents, appearances)


def test_export_contract(sample):
    truth, _ = sample
    out = io.StringIO()
    call_command("export_documents", "--batch", "sample", stdout=out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(records) == len(truth.emails)
    assert set(records[0]) == {
        "id",
        "thread_id",
        "batch",
        "source_file",
        "page_start",
        "page_end",
        "bates_start",
        "bates_end",
        "appearances",
        "sender",
        "to",
        "cc",
        "bcc",
        "sent_at",
        "date_raw",
        "subject",
        "body",
        "exemptions",
        "jurisdictions",
        "tags",
        "url",
    }
    draft = next(r for r in records if r["subject"] == truth.emails["draft"].subject)
    assert draft["sent_at"] == "2010-05-04T14:14:00-07:00"
    assert (draft["page_start"], draft["page_end"]) == (3, 4)
    assert draft["bates_start"] == "ICE2010FOIA2674.0003439"
    # "Rapp, Marc" printed in a PDF and "Marc Rapp <marc.rapp@dhs.gov>" in the mbox: one person
    assert draft["sender"] == {"name": "Marc Rapp", "email": "marc.rapp@dhs.gov", "redacted": False}
    request = next(r for r in records if r["subject"] == truth.emails["request"].subject)
    assert {"name": "", "email": "", "redacted": True} in request["cc"]
    assert {"name": "Santa Clara County", "kind": "county", "state": "CA"} in request[
        "jurisdictions"
    ]
    assert [a["quoted"] for a in request["appearances"]].count(True) == 2
    csv_out = io.StringIO()
    call_command("export_documents", "--format", "csv", stdout=csv_out)
    assert csv_out.getvalue().splitlines()[0].startswith("id,thread_id,batch,source_file")
    assert datetime.fromisoformat(draft["sent_at"]).tzinfo is not None


def test_email_page_lists_to_before_cc_cites_pages_and_escapes_text(sample, client):
    truth, _ = sample
    request = by_subject(truth.emails["request"].subject)
    request.body = "<script>alert('released')</script>"
    request.save(update_fields=["body"])
    html = client.get(reverse("document", args=[request.id])).content.decode()
    assert html.index("<dt>To</dt>") < html.index("<dt>Cc</dt>")
    assert "ICE2010FOIA2674.0003437" in html
    assert "&lt;script&gt;" in html and "<script>alert" not in html
