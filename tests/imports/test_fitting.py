"""One bad value never loses a file: every column filled from released text takes an oversized
value cut and flagged, and an email that cannot be stored is a warning while the rest imports."""

from datetime import UTC, datetime
from email.message import EmailMessage

import pytest
from django.db import connection

from documents.imports.outcomes import FileOutcome
from documents.imports.people import PersonResolver
from documents.imports.writer import DocumentWriter
from documents.ingest import Address, Email, OtherDocument, PageRecord, PlaceIndex
from documents.models import Appearance, Batch, Document, Page, Person, Recipient, SourceFile
from tests.conftest import run_import
from tests.factories import make_file

pytestmark = pytest.mark.django_db


MESSAGE_ID = "<" + "m" * 3_000 + "@ice.dhs.gov>"


def huge_address(letter: str) -> Address:
    return Address(
        raw=letter * 2_000,
        name=letter.upper() * 1_000,
        email=letter * 400 + "@agency.gov",
        organization="Office " * 100,
    )


def test_every_column_filled_from_released_text_takes_an_oversized_value(db):
    source = make_file()
    outcome = FileOutcome(source.original_name, SourceFile.Status.IMPORTED)
    writer = DocumentWriter(source, PersonResolver(), PlaceIndex([]), outcome)
    writer.add(PageRecord(number=1, text="page", bates="ICE" + "0" * 300))
    email = Email(
        sender=huge_address("s"),
        to=[huge_address("t")],
        cc=[huge_address("c")],
        bcc=[huge_address("b")],
        sent_at=datetime(2010, 5, 3, 16, 5, tzinfo=UTC),
        date_raw="Monday " * 100,
        subject="Opt out " * 2_000,
        body="Counties cannot opt out.",
        message_id=MESSAGE_ID,
        in_reply_to="<" + "r" * 3_000 + "@ice.dhs.gov>",
        first_page=1,
        last_page=1,
    )
    writer.add(email)
    writer.finish()

    document = Document.objects.get()
    limits = {
        name: Document._meta.get_field(name).max_length
        for name in ("sender_raw", "date_raw", "message_id", "in_reply_to")
    }
    assert {name: len(getattr(document, name)) for name in limits} == limits
    assert document.subject == email.subject  # a text column takes any length
    sender = document.sender
    assert len(sender.name) == Person._meta.get_field("name").max_length
    assert sender.email == "" and len(sender.organization) <= 200
    assert [len(r.raw) for r in Recipient.objects.all()] == [500] * 3
    assert len(Page.objects.get().bates) == Page._meta.get_field("bates").max_length
    assert len(Appearance.objects.get().bates_start) <= 100
    said = " ".join(document.parse_warnings)
    for what in (
        "sender as printed was 2,000 characters",
        "date was 700 characters",
        f"Message-ID was {len(MESSAGE_ID):,} characters",
        "To's name was 1,000",
        "is too long to be an address",
    ):
        assert what in said, what
    assert "As printed: " + "s" * 100 in said, "the printed text is kept in the warning"
    assert any("Bates number was" in w["text"] for w in outcome.warnings)


def test_an_email_file_with_an_endless_sender_imports(tmp_path, media_root, gazetteer_db):
    message = EmailMessage()
    # A display name run into the text after it, as OCR'd headers are.
    message["From"] = '"' + "Venturella David ICE ERO " * 40 + '" <david.venturella@ice.dhs.gov>'
    message["To"] = "marc.rapp@ice.dhs.gov"
    message["Subject"] = "Secure Communities"
    message["Date"] = "Mon, 03 May 2010 09:05:00 -0700"
    message["Message-ID"] = "<" + "x" * 2_000 + "@ice.dhs.gov>"
    message.set_content("Counties cannot opt out.")
    (tmp_path / "long.eml").write_bytes(message.as_bytes())
    report = run_import([tmp_path / "long.eml"])
    assert [o.status for o in report.files] == ["imported"]
    document = Document.objects.get()
    assert document.sender.email == "david.venturella@ice.dhs.gov"
    assert any("sender as printed was" in w for w in document.parse_warnings)
    assert len(document.sender.name) == Person._meta.get_field("name").max_length
    assert SourceFile.objects.get().warnings, "the cut is listed in the batch's report"


@pytest.fixture
def poison(db):
    """The database refuses emails with the subject "Poison", as it would a value breaking a
    constraint the writer did not foresee (in this test's transaction only)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "ALTER TABLE documents_document ADD CONSTRAINT test_poison CHECK (subject <> 'Poison')"
        )


def test_an_email_that_cannot_be_stored_is_a_warning_and_the_rest_of_the_file_imports(
    tmp_path, media_root, gazetteer_db, poison
):
    lines = []
    for n, subject in enumerate(["First", "Poison", "Third"]):
        lines += [
            f"From sender{n}@ice.dhs.gov Mon May  3 09:0{n}:00 2010",
            f"From: Sender {n} <sender{n}@ice.dhs.gov>",
            "To: marc.rapp@ice.dhs.gov",
            f"Subject: {subject}",
            f"Date: Mon, 03 May 2010 09:0{n}:00 -0700",
            "",
            f"Body {n}: Santa Clara County asked to opt out.",
            "",
        ]
    (tmp_path / "box.mbox").write_text("\n".join(lines))
    report = run_import([tmp_path / "box.mbox"])
    assert [o.status for o in report.files] == ["imported"]
    assert sorted(Document.objects.values_list("subject", flat=True)) == ["First", "Third"]
    assert Appearance.objects.count() == 2, "nothing of the refused email stays"
    assert Person.objects.filter(email="sender1@ice.dhs.gov").exists() is False
    warnings = SourceFile.objects.get().warnings
    assert any(
        w["text"].startswith("an email could not be stored (IntegrityError") for w in warnings
    )
    # The places of the release are counted once for each email stored, however often written.
    assert Batch.objects.get().place_states == {"CA": 2}


def test_an_attachment_first_in_a_savepoint_that_fails_keeps_the_email_before_it(
    gazetteer_db, poison
):
    """The emails of a savepoint that failed are written again one by one: an attachment among
    them still joins the email printed before it, not one the failed savepoint took back."""
    source = make_file()
    outcome = FileOutcome(source.original_name, SourceFile.Status.IMPORTED)
    writer = DocumentWriter(source, PersonResolver(), PlaceIndex([]), outcome)

    def email(subject: str, minute: int) -> Email:
        return Email(
            sender=Address(raw="a@ice.dhs.gov", email="a@ice.dhs.gov"),
            sent_at=datetime(2010, 5, 3, 16, minute, tzinfo=UTC),
            subject=subject,
            body=f"{subject} body.",
            first_page=1,
            last_page=1,
        )

    writer.add(email("Activation plan", 1))
    writer.write_pending()  # its savepoint is done
    writer.add(OtherDocument(kind=Document.Kind.ATTACHMENT, title="Plan.pdf", body="Phases."))
    writer.add(email("Opt-out request", 2))
    writer.add(email("Poison", 3))
    writer.add(OtherDocument(kind=Document.Kind.ATTACHMENT, title="Map.pdf", body="Counties."))
    writer.finish()

    parents = dict(
        Document.objects.filter(kind=Document.Kind.ATTACHMENT).values_list(
            "subject", "parent__subject"
        )
    )
    assert parents == {"Plan.pdf": "Activation plan", "Map.pdf": "Opt-out request"}
    assert not Document.objects.filter(subject="Poison").exists()


def test_a_document_written_again_after_its_savepoint_failed_is_warned_of_once(
    gazetteer_db, poison
):
    """A chunk that fails is written again one email at a time: a letter in it whose printed
    date was cut carries that warning once, not once per writing."""
    source = make_file()
    outcome = FileOutcome(source.original_name, SourceFile.Status.IMPORTED)
    writer = DocumentWriter(source, PersonResolver(), PlaceIndex([]), outcome)
    writer.add(
        Email(
            sender=Address(raw="a@ice.dhs.gov", email="a@ice.dhs.gov"),
            sent_at=datetime(2010, 5, 3, 16, 1, tzinfo=UTC),
            subject="Poison",
            body="Refused.",
        )
    )
    writer.add(
        OtherDocument(
            kind=Document.Kind.LETTER,
            title="Letter to the county",
            body="The county may not opt out.",
            date_raw="May 3, 2010 " + "x" * 300,
        )
    )
    writer.finish()
    letter = Document.objects.get(kind=Document.Kind.LETTER)
    assert len([w for w in letter.parse_warnings if w.startswith("date was")]) == 1
