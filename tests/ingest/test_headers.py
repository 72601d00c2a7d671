"""Header blocks as agencies' prints and OCR leave them: run together on one line, labels in one
line and their values in the next, labels without colons, empty Subject lines."""

from datetime import datetime
from zoneinfo import ZoneInfo

from tests.printed import PACIFIC, every_email, read_pages

EASTERN = ZoneInfo("America/New_York")
# Two pages of a State Department release as its OCR text layer reads (public domain, released
# 2015): the top email's labels in one line and its values in the next, the quoted ones run
# together on one line each, one "[mailto" cut at the line's end.
STATE_RELEASE = """UNCLASSIFIED U.S. Department of State Case No. F-2014-20439 Doc No. C05765911 Date: 08/31/2015
From: Sent: To: Subject:
Mills, Cheryl D <MillsCD@state.gov> Friday, December 4, 2009 9:35 AM H FW: Frm SecState Trip to Middle East
RELEASE IN PART B6
From: Macmanus, Joseph E Sent: Friday, December 04, 2009 9:09 AM To: Mills, Cheryl D; Abedin, Huma; Burns, William J; Kennedy, Patrick F; Boswell, Eric J,. Feltman, Jeffrey D Subject: Frm SecState Trip to Middle East
From: Colby Cooper [mailto Sent: Friday, December 04, 2009 8:56 AM To: Macmanus, Joseph E Cc: Anne Lyons; Colby Cooper Subject: CR Trip to Middle East
Joe -
Just wanted to give you a heads-up that former Secretary Rice will be traveling to the UAE and Saudi Arabia December 11-14.
Hope all is well.
Best, Colby
UNCLASSIFIED U.S. Department of State Case No. F-2014-20439 Doc No. C05765911 Date: 08/31/2015"""


def test_a_release_whose_headers_run_together():
    emails = every_email(read_pages(STATE_RELEASE, zone=EASTERN))
    assert [(e.sender.name, e.sent_at, e.subject) for e in emails] == [
        (
            "Cheryl D Mills",
            datetime(2009, 12, 4, 9, 35, tzinfo=EASTERN),
            "FW: Frm SecState Trip to Middle East",
        ),
        (
            "Joseph E Macmanus",
            datetime(2009, 12, 4, 9, 9, tzinfo=EASTERN),
            "Frm SecState Trip to Middle East",
        ),
        ("Colby Cooper", datetime(2009, 12, 4, 8, 56, tzinfo=EASTERN), "CR Trip to Middle East"),
    ]
    top, forwarded, original = emails
    assert top.sender.email == "millscd@state.gov"
    assert [a.name for a in top.to] == ["H"]
    assert [a.name for a in forwarded.to] == [
        "Cheryl D Mills",
        "Huma Abedin",
        "William J Burns",
        "Patrick F Kennedy",
        "Eric J Boswell",
        "Jeffrey D Feltman",
    ]
    assert original.sender.email == "" and "mailto" not in original.sender.name
    assert [a.name for a in original.to] == ["Joseph E Macmanus"]
    assert [a.name for a in original.cc] == ["Anne Lyons", "Colby Cooper"]
    assert original.body.startswith("Joe -\nJust wanted")
    assert "UNCLASSIFIED" not in original.body and "Case No." not in original.body


def test_every_label_inside_a_line_starts_a_field():
    (email,) = read_pages(
        "From: Doe, John H\n"
        "Sent: Tue, 11 Feb 2020 20:10:45 +0000 To: Roe, Jane; Poe, Edgar Subject: RE: Budget call\n"
        "Jane, the call moved to Thursday."
    )
    assert email.sent_at == datetime(2020, 2, 11, 20, 10, 45, tzinfo=ZoneInfo("UTC"))
    assert [a.name for a in email.to] == ["Jane Roe", "Edgar Poe"]
    assert email.subject == "RE: Budget call"
    assert email.body == "Jane, the call moved to Thursday."


def test_date_and_cc_printed_across_columns():
    (email,) = read_pages(
        "From: Rapp, Marc\n"
        "Date: Mon, 17 May 2010 14:14:00 -0700 Cc: Venturella, David\n"
        "To: Marquez, Miguel\n"
        "Subject: Opt out\n"
        "Miguel, see the attached."
    )
    assert email.sent_at == datetime(2010, 5, 17, 14, 14, tzinfo=PACIFIC)
    assert [a.name for a in email.cc] == ["David Venturella"]
    assert [a.name for a in email.to] == ["Miguel Marquez"]


def test_a_subject_that_mentions_to_is_not_cut():
    (email,) = read_pages(
        "From: Rapp, Marc\n"
        "Sent: Monday, May 17, 2010 2:14 PM\n"
        "To: Marquez, Miguel\n"
        "Subject: Letter To: the Board Cc: counsel\n"
        "See the draft."
    )
    assert email.subject == "Letter To: the Board Cc: counsel"
    assert [a.name for a in email.cc] == []


def test_an_empty_subject_line_never_takes_the_next_line():
    """Palin release, 402.pdf (OCR text layer): the quoted email's Subject is printed empty."""
    (email,) = read_pages(
        "Unknown\n\n"
        "From : Ivy Frye [Ivy_Frye@gov.state, ak.us]\n"
        "Sent: Wednesday, May 09, 2007 9:50 AM\n"
        "To: 'Sarah Palin'; Todd Palin; joh n_bitney@gov. state. ak. us; Christopher Clark;\n"
        "mike_tibbles@gov.state. ak.us; Joe Balash; 'Meghan Stapleton'; Sharon Leighow; Kris Perry\n"
        "Subject: FW:\n\n"
        "From : Sonia Christensen [mailto:Sonia_Christensen@legis.state.ak.us]\n"
        "Sent : Wednesday, May 09, 2007 9:24 AM\n"
        "To. ivy_frye@gov.state.ak.us\n"
        "Subject:\n\n"
        "FYI.....:)\n"
        "Agia, the Greek word for saint (feminine form),",
        zone=PACIFIC,
    )
    assert email.sender.email == "ivy_frye@gov.state.ak.us"
    assert [(a.name, a.email) for a in email.to] == [
        ("Sarah Palin", ""),
        ("Todd Palin", ""),
        ("", "john_bitney@gov.state.ak.us"),
        ("Christopher Clark", ""),
        ("", "mike_tibbles@gov.state.ak.us"),
        ("Joe Balash", ""),
        ("Meghan Stapleton", ""),
        ("Sharon Leighow", ""),
        ("Kris Perry", ""),
    ]
    (quoted,) = email.quoted
    assert quoted.subject == "" and not quoted.subject_inferred
    assert quoted.body.startswith("FYI.....:)")


def test_a_web_mail_print_that_starts_with_its_subject_keeps_it():
    (email,) = read_pages(
        "Subject: Re: Council hearing on BEGA\n"
        "From: Jane Roe <jroe@dccouncil.us>\n"
        "Date: Tue, Feb 13, 2018 at 4:02 PM\n"
        "To: John Doe <jdoe@dc.gov>\n\n"
        "John, the hearing is on the 20th.",
        zone=EASTERN,
    )
    assert email.subject == "Re: Council hearing on BEGA"
    assert email.sender.email == "jroe@dccouncil.us"
    assert email.body == "John, the hearing is on the 20th."


def test_a_quoted_email_without_a_subject_line_takes_its_replys_marked_inferred():
    (email,) = read_pages(
        "From: Rapp, Marc\n"
        "Sent: Monday, May 17, 2010 2:14 PM\n"
        "To: Marquez, Miguel\n"
        "Subject: RE: Opt out\n"
        "Agreed.\n\n"
        "On Mon, May 17, 2010 at 1:02 PM, Miguel Marquez <mmarquez@sccgov.org> wrote:\n"
        "> Can the county opt out?",
    )
    (quoted,) = email.quoted
    assert quoted.subject == "Opt out" and quoted.subject_inferred
    assert not email.subject_inferred


def test_labels_printed_without_colons_in_a_column():
    (email,) = read_pages(
        "From\nSent\nTo\nSubject\n"
        "Rapp, Marc\nMonday, May 17, 2010 2:14 PM\nMarquez, Miguel\nOpt out\n\n"
        "Miguel, the county may not opt out."
    )
    assert email.sender.name == "Marc Rapp"
    assert email.sent_at == datetime(2010, 5, 17, 14, 14, tzinfo=PACIFIC)
    assert [a.name for a in email.to] == ["Miguel Marquez"] and email.subject == "Opt out"
    assert email.body == "Miguel, the county may not opt out."


def test_a_notes_reply_keeps_the_subject_line_under_its_attribution():
    (email,) = read_pages(
        "From: Rapp, Marc\n"
        "Sent: Wednesday, December 09, 2009 11:20 AM\n"
        "To: Venturella, David\n"
        "Subject: Re: Activation schedule\n"
        "Agreed, December 15.\n\n"
        "David Venturella/ICE/DHS wrote on 12/09/2009 11:04 AM:\n"
        "Subject: Activation schedule\n"
        "Can we activate Santa Clara on the 15th?"
    )
    (quoted,) = email.quoted
    assert quoted.subject == "Activation schedule" and not quoted.subject_inferred
    assert quoted.body == "Can we activate Santa Clara on the 15th?"
    assert quoted.sent_at == datetime(2009, 12, 9, 11, 4, tzinfo=PACIFIC)


def test_a_release_stamps_date_is_not_the_emails_date():
    (email,) = read_pages(
        "UNCLASSIFIED U.S. Department of State Case No. F-2014-20439 Doc No. C05765907\n"
        "Date: 05/13/2015\n"
        "From: Sullivan, Jacob J <SullivanJJ@state.gov>\n"
        "Sent: Friday, December 4, 2009 3:31 AM\n"
        "To: H\n"
        "Subject: Iran\n"
        "The EU meets in the coming days.",
        zone=EASTERN,
    )
    assert email.sent_at == datetime(2009, 12, 4, 3, 31, tzinfo=EASTERN)
    assert email.date_raw == "Friday, December 4, 2009 3:31 AM"


def test_a_quoted_header_that_opens_with_to_and_prints_a_cc_row_per_person():
    """474.pdf: a BlackBerry reply quotes its original without a From line, one Cc per row."""
    (email,) = read_pages(
        "From: gov.sarah@yahoo.com\nSent: Thursday, May 24, 2007 11:42 AM\n"
        "To: Todd Palin; Frye; Ivy J (GOV)\nSubject: Fw: Plane\n\nJust fyi\n\n"
        "------Original Message------\n\nTo: Meghan N Stapleton\n\nCc: Kristina Y Perry\n\n"
        "Cc: Michael A Tibbles\n\nCc: Kari L Spencer\n\nSent: May 24, 2007 11:41 AM\n\n"
        "Subject: Plane\n\nMy flight outta here is delayed.\n"
    )
    (original,) = email.quoted
    assert [a.name for a in original.to] == ["Meghan N Stapleton"]
    assert [a.name for a in original.cc] == [
        "Kristina Y Perry",
        "Michael A Tibbles",
        "Kari L Spencer",
    ]
    assert original.subject == "Plane" and original.sent_at == datetime(
        2007, 5, 24, 11, 41, tzinfo=PACIFIC
    )
    assert original.body.startswith("My flight")


def test_a_double_spaced_print_whose_cc_row_wraps_over_blank_lines():
    """506.pdf: every printed line is followed by a blank one, inside a wrapped Cc row too."""
    (email,) = read_pages(
        "From: Cayce, Sunny C (GOV) [mailto:sunny.cayce@alaska.gov]\n\n"
        "Sent: Monday, June 11, 2007 1:48 PM\n\nTo: gov.sarah@yahoo.com; Todd Palin\n\n"
        "Cc: Tibbles, Michael A (GOV); Joseph R Balash; Martha K\n\n"
        "Rutherford; John W Bitney; Spencer,\n\nKari L. (GOV)\n\nSubject: RE: matmaid\n\n\n"
        "Will do, it's down for Noon; Kris or Todd, will you\n\nlet me know?\n"
    )
    assert [a.name for a in email.cc] == [
        "Michael A Tibbles",
        "Joseph R Balash",
        "Martha K Rutherford",
        "John W Bitney",
        "Kari L. Spencer",
    ]
    assert email.subject == "RE: matmaid"
    assert email.body.startswith("Will do")


def test_a_quoted_subject_wrapped_by_a_narrow_print_is_made_whole_from_the_reply():
    """484.pdf: a double-spaced, ">"-quoted copy wraps its subject onto the next row."""
    (reply,) = read_pages(
        "From: Todd Palin [mailto:fek9wnr@yahoo.com]\nSent: Thursday, May 31, 2007 1:12 PM\n"
        "To: Perez, Linda J (GOV)\n"
        "Subject: RE: Select Benefits Members I Open Enrollment May 21-June 8, 2007\n\n"
        "Hello Linda, we'll continue with our current plan.\n\n"
        "> From: Retirement and Benefits\n\n> Sent: Monday, May 21, 2007 10:13 AM\n\n"
        "> To: undisclosed-recipients:\n\n> Subject: Select Benefits Members I Open Enrollment\n\n"
        "> May 21-June 8, 2007\n\n\n\n> This email is intended for employees who are covered\n"
    )
    (original,) = reply.quoted
    assert original.subject == "Select Benefits Members I Open Enrollment May 21-June 8, 2007"
    assert original.body.startswith("> This email is intended")
    # A body whose first line does not complete the reply's subject stays the body.
    (reply,) = read_pages(
        "From: Todd Palin\nSent: Thursday, May 31, 2007 1:12 PM\nTo: Linda Perez\n"
        "Subject: RE: Budget review for June\n\nFine by me.\n\n-----Original Message-----\n"
        "From: Linda Perez\nSent: Thursday, May 31, 2007 9:00 AM\nTo: Todd Palin\n"
        "Subject: Budget review\n\nMay I send the draft?\n"
    )
    (original,) = reply.quoted
    assert original.subject == "Budget review"
    assert original.body == "May I send the draft?"


def test_a_scanners_speck_between_a_wrapped_row_and_the_next_page_is_no_row():
    """501.pdf: a lone "i" the scan left above the page's stamp, inside a To row that goes on
    over the page break."""
    (email,) = read_pages(
        "From: gov.sarah @yahoo.com\n\nDate: Sun , 10 Jun 2007 21:23:45\n\n"
        'To:"Rehfeld, Karen J (GOV)" <karen.rehfeld@alaska.gov>,"Spencer, Kari\ni\n'
        "ROSTON 00350",
        'L (GOV)" < kari.spencer@ alaska.gov>\n\nCc:"Todd Palin" <fek9wnr@yahoo.com>\n\n'
        "Subject: Re: Daycare\n\n\n\nIn wasilla, on june 15, we need a cabinet mtg anyway.\n",
    )
    assert email.subject == "Re: Daycare" and not email.subject_inferred
    assert [a.email for a in email.to] == ["karen.rehfeld@alaska.gov", "kari.spencer@alaska.gov"]
    assert [a.email for a in email.cc] == ["fek9wnr@yahoo.com"]


def test_a_scanned_notes_header_whose_empty_cc_label_ocr_misread():
    """A Lotus Notes print OCR'd: a speck after the sender's domain, "cc" (with nothing after
    it) read as 'co"'; the email is still read, with its date."""
    (email,) = read_pages(
        "Randi Greenberg/ICE/DHS@DHS. To David Venturella/ICE/DHS@DHS, Marc Rapp/ICE/DHS@DHS\n"
        '05/05/2010 08:30 AM co"\n'
        "Subject Re: Alameda County briefing\n\n"
        "The Alameda County sheriff asked whether San Francisco has the same option."
    )
    assert email.sender.name == "Randi Greenberg"
    assert email.sent_at == datetime(2010, 5, 5, 8, 30, tzinfo=PACIFIC)
    assert email.subject == "Re: Alameda County briefing"
    assert [a.name for a in email.to] == ["David Venturella", "Marc Rapp"]
