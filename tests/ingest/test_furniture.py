"""Release banners are page furniture: never a subject or body line, kept as the page's stamps."""

from datetime import date

from documents.ingest.furniture import clean_pages
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
