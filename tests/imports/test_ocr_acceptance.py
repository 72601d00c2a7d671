"""A scanned release reads as well as the born-digital one: the sample release's PDFs,
photocopied to image-only scans (grey paper, each page turned a little, speckled, 200 dpi, built
here), import with at least 95% of the emails, senders, subjects, dates and Bates numbers that
the born-digital PDFs give, and with no more emails than those."""

import shutil
from collections import Counter

import pytest

from documents.imports.deletion import delete_batch
from documents.imports.sample_batch import write_sample_batch
from documents.models import Batch, Document, Page
from tests.conftest import run_import
from tests.scans import photocopy

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        shutil.which("tesseract") is None or shutil.which("pdftoppm") is None,
        reason="needs tesseract-ocr and poppler-utils",
    ),
]
TARGET = 0.95


def what_was_read(name):
    """Per field, the values the batch's emails and pages came out with (as multisets)."""
    emails = Document.objects.filter(
        kind=Document.Kind.EMAIL, appearances__source_file__batch__name=name
    ).distinct()
    return {
        "emails": Counter({"email": emails.count()}),
        "senders": Counter(
            (d.sender.name, d.sender.email) if d.sender else None
            for d in emails.select_related("sender")
        ),
        "subjects": Counter(emails.values_list("subject", flat=True)),
        "dates": Counter(emails.values_list("sent_at", flat=True)),
        "bates": Counter(
            Page.objects.filter(source_file__batch__name=name).values_list("bates", flat=True)
        ),
    }


def test_a_scanned_release_is_read_as_well_as_the_born_digital_one(
    tmp_path, media_root, gazetteer_db
):
    release = tmp_path / "release"
    write_sample_batch(release)
    printed = sorted(release.glob("*.pdf"))
    run_import(printed, name="born-digital")
    digital = what_was_read("born-digital")
    assert digital["emails"]["email"] >= 5 and sum(digital["bates"].values()) >= 5
    delete_batch(Batch.objects.get(name="born-digital"))  # the scans must not match its emails

    scans = tmp_path / "scans"
    scans.mkdir()
    for seed, pdf in enumerate(printed):
        photocopy(pdf, scans / pdf.name, seed)
    run_import(sorted(scans.iterdir()), name="scanned")
    scanned = what_was_read("scanned")

    shares = {
        field: sum((scanned[field] & wanted).values()) / sum(wanted.values())
        for field, wanted in digital.items()
    }
    assert min(shares.values()) >= TARGET, shares
    # And no more: a speck on a scanned line must not make a second copy of an email.
    precision = digital["emails"]["email"] / scanned["emails"]["email"]
    assert precision >= TARGET, (digital["emails"], scanned["emails"])
