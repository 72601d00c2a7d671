"""Subjects: reply and forward prefixes recognised for threading, OCR damage included, while the
printed subject is kept as printed."""

import pytest

from documents.ingest.subjects import (
    normalize_subject,
    strip_reply_prefix,
    tidy_spacing,
    tidy_subject,
)
from tests.printed import read_pages


@pytest.mark.parametrize(
    "printed",
    [
        "FW: County update",
        "FVV: County update",
        "Fvv: County update",
        "Fw; County update",
        "RE; County update",
        "RE. County update",
        "RE: FVV: Re: County update",
        "[EXTERNAL] RE: County update",
        # A full stop typed or not, or a speck on a scanned subject line read as a mark.
        "RE: County update.",
        "County update -",
        "County update —",
        "County update ..",
    ],
)
def test_damaged_prefixes_thread_with_the_clean_subject(printed):
    assert normalize_subject(printed) == "county update"


def test_the_printed_subject_is_kept_as_printed():
    (email,) = read_pages(
        "From: Rapp, Marc\nSent: Monday, May 17, 2010 2:14 PM\nTo: Marquez, Miguel\n"
        "Subject: FVV: County update\nSee below."
    )
    assert email.subject == "FVV: County update"
    assert strip_reply_prefix(email.subject) == "County update"


def test_words_that_only_start_like_prefixes_stay():
    assert normalize_subject("Reentry program") == "reentry program"
    assert normalize_subject("Fwd planning: Q3") == "fwd planning: q3"
    assert normalize_subject("Re. the county letter") == "the county letter"
    assert normalize_subject("Opt-out: Santa Clara...April 21") == "opt-out: santa clara...april 21"
    assert normalize_subject("...") == ""  # nothing to thread by


@pytest.mark.parametrize(
    ("ocr", "printed"),
    [
        (
            "Re: Mike Chenault , ADN 5-30-07 by Steve Cleary",
            "Re: Mike Chenault, ADN 5-30-07 by Steve Cleary",
        ),
        ("RE: Fwd: Emailing : DSC_0011.JPG", "RE: Fwd: Emailing: DSC_0011.JPG"),
        (
            "Re: Alaska State Fair and the Governor' s schedule",
            "Re: Alaska State Fair and the Governor's schedule",
        ),
        ("Mat -Su Miners Baseball", "Mat-Su Miners Baseball"),
        ("[ Fwd: Re : ARG PLANNING GROUP-Mat Maid]", "[Fwd: Re: ARG PLANNING GROUP-Mat Maid]"),
        ("alaskaair .com Itinerary", "alaskaair.com Itinerary"),
        ("Budget - draft two", "Budget - draft two"),
    ],
)
def test_ocr_spacing_is_taken_out_of_subjects(ocr, printed):
    assert tidy_spacing(ocr) == printed


@pytest.mark.parametrize(
    ("ocr", "printed"),
    [
        # 433.pdf and 502.pdf: a forwarded subject's closing bracket read as a look-alike.
        (
            "[Fwd: Alliance Juneau Update for April 131",
            "[Fwd: Alliance Juneau Update for April 13]",
        ),
        ("[Fwd: Re: ARG PLANNING GROUP-Mat Maid)", "[Fwd: Re: ARG PLANNING GROUP-Mat Maid]"),
        ("Re: [Fwd: Budget review|", "Re: [Fwd: Budget review]"),
        # What is printed that way stays.
        ("[Fwd: Meeting (room 1)", "[Fwd: Meeting (room 1)"),
        ("Meeting in room 1", "Meeting in room 1"),
        ("[EXTERNAL] Budget 2011", "[EXTERNAL] Budget 2011"),
    ],
)
def test_a_forwarded_subjects_closing_bracket_misread_by_ocr(ocr, printed):
    assert tidy_subject(ocr) == printed


@pytest.mark.django_db
def test_a_subject_taken_from_a_reply_gives_way_to_the_printed_one(tmp_path, media_root):
    """501.pdf: an email first met quoted under "On ... wrote:" takes its reply's subject without
    the prefix; its own printing, with "Subject: Re: Daycare", shows what it really said."""
    from documents.models import Document
    from tests.conftest import run_import

    (tmp_path / "1-reply.eml").write_text(
        "From: Karen Rehfeld <karen@example.gov>\nTo: gov.sarah@yahoo.com\n"
        "Subject: Re: Daycare\nDate: Sun, 10 Jun 2007 13:30:00 -0800\n\n"
        "A terrific idea.\n\n"
        "On Sun, Jun 10, 2007 at 10:04 AM, gov.sarah@yahoo.com wrote:\n"
        "> The First Gentleman is game for June 16.\n"
    )
    (tmp_path / "2-original.eml").write_text(
        "From: gov.sarah@yahoo.com\nTo: Karen Rehfeld <karen@example.gov>\n"
        "Subject: Re: Daycare\nDate: Sun, 10 Jun 2007 10:04:00 -0700\n\n"
        "The First Gentleman is game for June 16.\n"
    )
    run_import([tmp_path / "1-reply.eml"])
    quoted = Document.objects.get(body__startswith="The First Gentleman")
    assert (quoted.subject, quoted.subject_inferred) == ("Daycare", True)
    run_import([tmp_path / "2-original.eml"], name="second")
    quoted.refresh_from_db()
    assert Document.objects.filter(body__startswith="The First Gentleman").count() == 1
    assert (quoted.subject, quoted.subject_inferred) == ("Re: Daycare", False)
