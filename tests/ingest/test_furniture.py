"""Release banners are page furniture: never a subject or body line, kept as the page's stamps."""

from collections import Counter
from datetime import date

from documents.ingest.furniture import bates_prefixes, clean_page, clean_pages, usual_spelling
from tests.ingest.test_headers import EASTERN, STATE_RELEASE
from tests.printed import every_email, read_pages


def clean_one(text: str):
    (page,) = clean_pages([(1, tuple(text.splitlines()))])
    return page


def test_a_state_department_banner_is_stamps_not_text():
    page = clean_one(STATE_RELEASE)
    assert page.stamps.case_number == "F-2014-20439"
    assert page.stamps.document_number == "C05765911"
    assert page.stamps.release_date == date(2015, 8, 31)
    assert page.stamps.release_status == "RELEASE IN PART B6"
    assert page.marked_exemptions == ("(b)(6)",)
    text = "\n".join(page.lines)
    assert "UNCLASSIFIED" not in text and "RELEASE IN PART" not in text
    emails = every_email(read_pages(STATE_RELEASE, zone=EASTERN))
    assert all("Case No." not in e.subject + e.body for e in emails)


def test_production_banners_of_a_single_page_are_furniture():
    page = clean_one(
        "HHS - PRODUCED TO HOUSE OVERSIGHT AND REFORM\n"
        "SUBJECT TO AGREEMENT ON SENSITIVE INFORMATION & REDACTIONS. NO FOIA WAIVER.\n"
        "From: Doe, John H\n"
        "Sent: Tue, 11 Feb 2020 20:10:45 +0000\n"
        "To: Roe, Jane\n"
        "Subject: RE: Budget call\n"
        "Jane, the call moved.\n"
        "NIH-000960"
    )
    assert page.lines[0] == "From: Doe, John H" and page.lines[-1] == "Jane, the call moved."
    assert page.bates == "NIH-000960"


def test_a_release_stamp_at_the_foot_is_the_pages_release_date_not_text():
    (email,) = read_pages(
        "Unknown\n"
        "From: Ivy Frye [Ivy_Frye@gov.state.ak.us]\n"
        "Sent: Wednesday, May 09, 2007 9:50 AM\n"
        "To: Todd Palin\n"
        "Subject: FW:\n"
        "FYI\n"
        "ROSTON 00081\n"
        "10/15/2009\n"
        "Released to msnbc.com by the state of Alaska and presented by Crivella West"
    )
    assert email.body == "FYI"
    page = clean_one(
        "From: Ivy Frye\nSent: Wednesday, May 09, 2007 9:50 AM\nSubject: FW:\nFYI\n"
        "ROSTON 00081\n10/15/2009\nReleased to msnbc.com by the state of Alaska and presented by "
        "Crivella West"
    )
    assert page.bates == "ROSTON 00081" and page.stamps.release_date == date(2009, 10, 15)


def test_a_date_at_the_top_of_a_letter_stays_its_text():
    page = clean_one("10/15/2009\nDear Mr. Adams,\nThank you for your letter.\nSincerely,\nJ. Doe")
    assert page.lines[0] == "10/15/2009" and page.stamps.release_date is None


def test_scanner_specks_beside_a_bates_stamp_are_not_part_of_it():
    for foot in ("i ROSTON 00357", "Z ROSTON 00205", "ROSTON 00357"):
        page = clean_one(f"From: Kris Perry\nSent: Monday, June 11, 2007 12:50 PM\nHello\n{foot}")
        assert page.bates == " ".join(foot.split()[-2:]), foot
        assert page.lines[-1] == "Hello"


def test_a_bates_stamp_beside_a_page_number_and_a_speck_is_found():
    """OCR joins a footer's row ("Page 1 of 1" left, the stamp right) and reads a speck between
    them as a mark."""
    for foot in (
        "Page 1 of 1 > ICE2010FOIA2674.0003500",
        "Page 1 of 1 ~ . ICE2010FOIA2674.0003500",
    ):
        page = clean_one(f"From: Randi Greenberg\nSent: 05/05/2010 08:30 AM\nHello\n{foot}")
        assert page.bates == "ICE2010FOIA2674.0003500", foot
        assert page.lines[-1] == "Hello"


def test_a_bates_prefix_misread_on_one_page_is_spelled_as_the_files_other_pages_spell_it():
    pages = [
        ("From: Marc Rapp", "Hello", "Page 1 of 3 ICE2010FOIA2674.0003437"),
        ("Hello again", "Page 2 of 3 ICE2010FO1A2674.0003438"),  # I read as 1
        ("More", "Page 3 of 3 ICE2010FOIA2674.0003439"),
    ]
    prefixes = Counter(prefix for lines in pages for prefix in bates_prefixes(lines))
    stamps = [
        usual_spelling(clean_page(n, lines, set()).bates, prefixes)
        for n, lines in enumerate(pages, 1)
    ]
    assert stamps == [f"ICE2010FOIA2674.000343{n}" for n in (7, 8, 9)]
    # A different prefix is another production's, kept as printed.
    assert usual_spelling("DHS-ICE 0001234", prefixes) == "DHS-ICE 0001234"
