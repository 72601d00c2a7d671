"""Real releases from ../shared/corpus (skipped when the folder is not beside the checkout)."""

import re
import shutil

import pytest

from documents.models import Document, SourceFile
from tests.conftest import CORPUS, run_import

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside the checkout"),
]
BEGA = CORPUS / "dc-bega-emails" / "20180313-BEGA-JT"


def test_every_dc_bega_eml_imports(media_root, gazetteer_db):
    emls = sorted(CORPUS.glob("dc-bega-emails/**/*.eml"))
    report = run_import([CORPUS / "dc-bega-emails"], name="dc-bega", timezone="America/New_York")
    outcomes = {o.name: o for o in report.files}
    eml_outcomes = [o for name, o in outcomes.items() if name.endswith(".eml")]
    assert len(eml_outcomes) == len(emls) == 345
    # The release holds byte-identical copies under other names: each is listed as a duplicate.
    assert {o.status for o in eml_outcomes} <= {"imported", "duplicate"}
    copies = [o for o in eml_outcomes if o.status == "duplicate"]
    assert all("same content as" in o.reason for o in copies)
    # A converter left a header's continuation lines flush left; the MIME body must still parse.
    agendize = Document.objects.get(
        appearances__source_file__original_name="20180313-BEGA-JT/Request to Agendize Measures for the October 3  2017  Legislative Meeting.msg.eml"
    )
    assert agendize.body.startswith("Council of the District of Columbia")
    assert agendize.exemptions == []
    # Attachment part headers broken mid-word ("attachment;fi" / "lename=") keep their names.
    attachments = [a for doc in Document.objects.exclude(attachments=[]) for a in doc.attachments]
    assert len(attachments) > 100
    assert [a for a in attachments if a["name"] == "(unnamed)"] == []
    # A PDF portfolio: the email is in the PDF embedded in it, imported as a file of its own.
    portfolio = "20180313-BEGA-JT/Re_ Check in_Redacted.pdf"
    assert outcomes[portfolio].status == "imported"
    assert "PDF portfolio" in outcomes[portfolio].warnings[0]["text"]
    assert outcomes[f"{portfolio}/Re_ Check in.pdf"].status == "imported"
    assert outcomes[f"{portfolio}/Re_ Check in.pdf"].emails >= 1
    # Image-only scans are OCR'd during the import and become emails (issue 19).
    scanned = outcomes["20180227-COST-OOG/Emails/Grimaldi-emails.pdf"]
    assert scanned.status == "imported" and scanned.emails >= 3
    grimaldi = Document.objects.filter(
        appearances__source_file__original_name="20180227-COST-OOG/Emails/Grimaldi-emails.pdf"
    )
    assert any("Grimaldi" in (email.sender.name if email.sender else "") for email in grimaldi)
    # Pages that are not email are kept as the documents they are, searchable and citable.
    release = Document.objects.get(
        appearances__source_file__original_name="20180313-BEGA-JT/Carol Schwartz Press Release BEGA.pdf"
    )
    assert release.kind == "other"
    assert release.subject == "Carol Schwartz Announces Her Resignation from"
    assert release.sent_at.date().isoformat() == "2017-11-06"
    letter = Document.objects.get(
        appearances__source_file__original_name="20180227-COST-OOG/OOG and OAH Letters/"
        "# OOG-0002_2.6.18 Resolution of Complaint_Barber.pdf"
    )
    assert letter.kind == "letter"
    assert letter.subject == "# OOG-0002_2.6.18 Resolution of Complaint_COST"
    assert letter.sent_at.date().isoformat() == "2018-02-16"
    assert "Dear Ms. Barber" in letter.body


@pytest.mark.parametrize(
    ("pdf", "eml"),
    [
        (
            "My Resignation from the Board of Ethics and Government Accountability _Redacted.pdf",
            "My Resignation from the Board of Ethics and Government Accountability .msg.eml",
        ),
        (
            "Re_ possible to delay mtg a day or so_ _Redacted.pdf",
            "RE  possible to delay mtg a day or so   (1).msg.eml",
        ),
    ],
)
def test_outlook_pdf_emails_match_their_eml_copies(pdf, eml, tmp_path, media_root, gazetteer_db):
    release = tmp_path / "release"
    release.mkdir()
    shutil.copy(BEGA / pdf, release / pdf)
    shutil.copy(BEGA / eml, release / eml)
    report = run_import([release], timezone="America/New_York")
    assert report.needing_attention == []
    eml_document = Document.objects.get(
        appearances__source_file__original_name=eml, appearances__kind="standalone"
    )
    printed = Document.objects.filter(appearances__source_file__original_name=pdf)
    # The email the .eml holds is printed in the PDF too, and both are one Document.
    assert eml_document in printed
    assert eml_document.appearances.filter(source_file__original_name=pdf).exists()
    assert eml_document.sender.name and eml_document.sender.email.endswith("@dc.gov")
    names = {r.person.name for r in eml_document.recipient_entries.exclude(person=None)}
    assert names  # recipients resolved to people in both forms


def test_bad_pdfs_fail_with_reasons_and_the_rest_of_the_batch_imports(
    tmp_path, media_root, gazetteer_db
):
    release = tmp_path / "release"
    shutil.copytree(CORPUS / "bad-pdfs", release / "bad-pdfs")
    shutil.copy(BEGA / "Re_ BEGA_Redacted.pdf", release / "good.pdf")
    report = run_import([release])
    outcomes = {o.name: o for o in report.files}
    assert outcomes.pop("good.pdf").status == "imported"
    pdfs = {name for name in outcomes if name.endswith(".pdf")}
    assert len(pdfs) == len(list((CORPUS / "bad-pdfs").rglob("*.pdf")))
    # Files embedded in a PDF are taken out and reported on their own: here two XML files.
    sample = "bad-pdfs/pdfminer-samples/issue-625-identity-cmap.pdf"
    assert set(outcomes) - pdfs == {f"{sample}/01_UBL.xml", f"{sample}/02_EAN_UCC.xml"}
    assert "not a PDF, .eml or mbox" in outcomes[f"{sample}/01_UBL.xml"].reason
    for name, outcome in outcomes.items():
        if outcome.status == "imported":  # readable, if no email: kept as the documents it holds
            kinds = set(
                Document.objects.filter(appearances__source_file__original_name=name).values_list(
                    "kind", flat=True
                )
            )
            assert kinds and "email" not in kinds, name
        else:
            assert outcome.status in ("failed", "encrypted", "needs_ocr"), name
            assert outcome.reason, name
    assert (
        SourceFile.objects.get(original_name="bad-pdfs/pdfminer-samples/aes-256.pdf").status
        == "encrypted"
    )
    assert Document.objects.filter(appearances__source_file__original_name="good.pdf").exists()


def test_the_people_directory_of_an_imported_release_has_no_name_fragments(
    media_root, gazetteer_db
):
    """Every sender and recipient of the labeled releases, as the People directory lists them:
    no piece of a split name ("Fagerstrom", "Erika" beside "Erika Fagerstrom"), no OCR residue
    or address left in a name, no two names run together."""
    from documents.models import Person
    from tests.devset import load_releases

    for release in load_releases():
        folder = CORPUS / release.folder
        run_import([folder / n for n in release.files()], name=release.release)
    names = [(p.name, p.email) for p in Person.objects.all()]
    assert len(names) > 100
    full = [name for name, _ in names if " " in name]
    surnames = {name.split()[-1].lower() for name in full}
    fragments = [
        name
        for name, email in names
        if name != email
        and (
            re.search(r"mailto|[\[\]<>@©|]|\(cid:|\(|\.(?:com|net|org|gov|us)\b", name)
            or " " not in name
            and name.lower() in surnames
            or any(f"{a} {b}" == name for a in full for b in full)
        )
    ]
    assert fragments == []
