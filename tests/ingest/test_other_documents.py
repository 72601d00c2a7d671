"""Pages that are not email are kept, not failed or folded into an email: a letter alone, an
attachment printed after an email (linked to it), a memo before the first email."""

from datetime import date

import pytest
from reportlab.lib.pagesizes import letter as letter_size
from reportlab.pdfgen import canvas

from documents.ingest.records import Email, OtherDocument
from documents.models import Appearance, Document
from search import _service as service
from tests.conftest import run_import
from tests.printed import read_pages

LETTER = """BOARD OF ETHICS AND GOVERNMENT ACCOUNTABILITY
OFFICE OF OPEN GOVERNMENT
February 16, 2018
VIA ELECTRONIC MAIL
Claudia Barber
10 Oak Run Road
Laurel, MD 20724
RE: # OOG-0002_2.6.18 Resolution of Complaint_COST
Dear Ms. Barber:
The Office of Open Government (OOG), pursuant to the authority set forth in section 503(a)(2)
of the District of Columbia Administrative Procedure Act, has reviewed your complaint, assigned
file number OOG_0002_2.6.18, in which you raise Freedom of Information Act and Open Meetings Act
issues. The OOG lacks the legal authority to take the actions you request.
Sincerely,
Niquelle Allen, Esq."""

EMAIL = """From: Allen, Niquelle (BEGA)
Sent: Friday, February 16, 2018 3:12 PM
To: Claudia Barber
Subject: OOG-0002 Resolution of Complaint
Attachments: OOG-0002 Resolution.pdf
Ms. Barber, please find the resolution of your complaint attached."""

MEMO = """MEMORANDUM
TO: Board members
FROM: Director, Office of Open Government
DATE: November 13, 2017
RE: Commission on Selection and Tenure, open meetings review
The Commission on Selection and Tenure of Administrative Law Judges held a closed meeting on
July 13, 2016 without the notice the Open Meetings Act requires. This memo reviews the record
and recommends that the Board advise the Commission on its obligations going forward."""


def test_a_letter_alone_is_a_letter_with_its_title_and_date():
    (record,) = read_pages(LETTER)
    assert isinstance(record, OtherDocument)
    assert record.kind == "letter"
    assert record.title == "# OOG-0002_2.6.18 Resolution of Complaint_COST"
    assert record.sent_at.date() == date(2018, 2, 16)
    assert "Dear Ms. Barber:" in record.body


def test_an_attachment_printed_after_an_email_is_its_own_and_not_the_emails_body():
    email, attachment = read_pages(EMAIL, LETTER)
    assert isinstance(email, Email) and email.body.startswith("Ms. Barber")
    assert "Dear Ms. Barber" not in email.body and email.last_page == 1
    assert isinstance(attachment, OtherDocument) and attachment.kind == "attachment"
    assert (attachment.first_page, attachment.last_page) == (2, 2)


def test_a_memo_before_the_first_email_is_kept_and_the_email_follows():
    memo, email = read_pages(MEMO, EMAIL)
    assert memo.kind == "memo" and memo.title.startswith("Commission on Selection and Tenure")
    assert memo.sent_at.date() == date(2017, 11, 13)
    assert isinstance(email, Email) and email.subject == "OOG-0002 Resolution of Complaint"


def test_an_email_continued_on_its_next_page_stays_one_email():
    (email,) = read_pages(EMAIL, "and the appendix is below.\nRegards, Niquelle")
    assert email.body.endswith("Regards, Niquelle") and email.last_page == 2


def write_pdf(path, pages: list[str]) -> None:
    drawing = canvas.Canvas(str(path), pagesize=letter_size)
    for text in pages:
        y = 740
        for line in text.splitlines():
            drawing.drawString(54, y, line)
            y -= 16
        drawing.showPage()
    drawing.save()


@pytest.mark.django_db
def test_a_release_of_an_email_and_its_attachment_is_searchable_and_citable(
    tmp_path, media_root, gazetteer_db
):
    write_pdf(tmp_path / "OOG-0002.pdf", [EMAIL, LETTER])
    write_pdf(tmp_path / "letter-alone.pdf", [LETTER])
    report = run_import(sorted(tmp_path.glob("*.pdf")))
    assert {o.name: o.status for o in report.files} == {
        "OOG-0002.pdf": "imported",
        "letter-alone.pdf": "imported",
    }
    attachment = Document.objects.get(kind="attachment")
    email = Document.objects.get(kind="email")
    assert attachment.parent == email and attachment.thread == email.thread
    # The same letter printed alone is the same document, printed twice.
    places = attachment.appearances.order_by("source_file__original_name")
    assert [(a.source_file.original_name, a.first_page) for a in places] == [
        ("OOG-0002.pdf", 2),
        ("letter-alone.pdf", 1),
    ]
    assert Appearance.objects.filter(document=email).get().last_page == 1
    assert attachment.pk in {hit.document.pk for hit in service.search("Barber complaint").hits}
