"""Each pipeline step on realistic text, OCR damage included."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from documents.ingest.addresses import parse_address, parse_address_list
from documents.ingest.chains import split_chain
from documents.ingest.dates import DateNotUnderstood, parse_date
from documents.ingest.exemptions import find_exemptions
from documents.ingest.furniture import CleanPage, clean_pages
from documents.ingest.headers import Line, find_blocks
from documents.ingest.production import emails_from_pages
from documents.ingest.rfc822 import parse_eml
from documents.ingest.sniff import sniff
from documents.ingest.subjects import normalize_subject

PACIFIC = ZoneInfo("America/Los_Angeles")


def lines(text: str, page: int = 1) -> list[Line]:
    return [Line(page, line) for line in text.splitlines()]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Monday, May 17, 2010 2:14 PM", datetime(2010, 5, 17, 14, 14, tzinfo=PACIFIC)),
        ("Monday, May 17, 2010 12:05 AM", datetime(2010, 5, 17, 0, 5, tzinfo=PACIFIC)),
        ("Friday, January 12,2007 12:11 PM", datetime(2007, 1, 12, 12, 11, tzinfo=PACIFIC)),
        ("Mon, May 17, 2010 at 2:14 PM", datetime(2010, 5, 17, 14, 14, tzinfo=PACIFIC)),
        ("05/17/2010 02:14 PM", datetime(2010, 5, 17, 14, 14, tzinfo=PACIFIC)),
        ("May 17, 2010 l2 : 05 P M", datetime(2010, 5, 17, 12, 5, tzinfo=PACIFIC)),
        ("Tue 2/16/2018 9:59 PM", datetime(2018, 2, 16, 21, 59, tzinfo=PACIFIC)),
        ("Mon, 17 May 2010 14:14:00 -0400", datetime(2010, 5, 17, 11, 14, tzinfo=PACIFIC)),
        ("Wednesday, May 19, 2010 4:37 PM EDT", datetime(2010, 5, 19, 13, 37, tzinfo=PACIFIC)),
    ],
)
def test_dates(raw, expected):
    assert parse_date(raw, "America/Los_Angeles") == expected


@pytest.mark.parametrize("raw", ["Friday, May 14, 2010", "(b)(6)", "Sent by BlackBerry", ""])
def test_dates_never_guessed(raw):
    with pytest.raises(DateNotUnderstood):
        parse_date(raw, "UTC")


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("b6", ("(b)(6)",)),
        ("(b) (6), (b)(7)(c)", ("(b)(6)", "(b)(7)(C)")),
        ("B7(C) b7C", ("(b)(7)(C)",)),
        ("RELEASE IN PART B6", ("(b)(6)",)),
        ("the b6b cable and Web6", ()),
    ],
)
def test_exemption_variants(text, codes):
    assert find_exemptions(text) == codes


@pytest.mark.parametrize(
    ("raw", "name", "email", "organization"),
    [
        ("Venturella, David", "David Venturella", "", ""),
        ("David Venturella/ICE/DHS@DHS", "David Venturella", "", "ICE/DHS"),
        (
            "Venturella, David [mailto:David.Venturella@dhs.gov]",
            "David Venturella",
            "david.venturella@dhs.gov",
            "",
        ),
        ("Ivy Frye [Ivy_Frye@gov. state. ak. us]", "Ivy Frye", "ivy_frye@gov.state.ak.us", ""),
        ("Collier, Tameka (BEGA)", "Tameka Collier", "", "BEGA"),
        ("/O=DHS/OU=ICE/CN=RECIPIENTS/CN=DVENTURELLA", "DVENTURELLA", "", ""),
    ],
)
def test_addresses(raw, name, email, organization):
    address = parse_address(raw)
    assert (address.name, address.email, address.organization) == (name, email, organization)


def test_redacted_recipients_are_never_people():
    to = parse_address_list("(b)(6); Rapp, Marc; (b)(6), (b)(7)(C)")
    assert [(a.redacted, a.name) for a in to] == [(True, ""), (False, "Marc Rapp"), (True, "")]


def test_subjects():
    assert normalize_subject("RE: Fw: RE[2]:  Opt-out  question") == "opt-out question"
    assert normalize_subject("FW:") == ""


OCR_HEADER = """Unknown
From : Erika Fagerstrom [erika_fagerstrom@gov.state.ak.us]
Sent; Friday, January 12, 2007 12:11 PM
To Todd Palin;
  Kris Perry
Subject: Re: Update from the House
Hi Todd,"""


def test_ocr_damaged_header_block():
    [block] = find_blocks(lines(OCR_HEADER))
    assert block.fields["from"].startswith("Erika Fagerstrom")
    assert block.fields["date"] == "Friday, January 12, 2007 12:11 PM"
    assert block.fields["to"] == "Todd Palin; Kris Perry"
    assert block.fields["subject"] == "Re: Update from the House"


def test_labels_and_values_in_two_columns():
    text = "From:\nSent:\nTo:\nSubject:\nRapp, Marc\nMonday, May 17, 2010 2:14 PM\nVenturella, David\nOpt out\nBody"
    [block] = find_blocks(lines(text))
    assert block.fields == {
        "from": "Rapp, Marc",
        "date": "Monday, May 17, 2010 2:14 PM",
        "to": "Venturella, David",
        "subject": "Opt out",
    }


def test_prose_is_not_a_header():
    assert list(find_blocks(lines("To be clear, the county asked.\nFrom my side, nothing."))) == []


CHAIN = """Thanks, see below.
-----Original Message-----
From: Rapp, Marc
Sent: Monday, May 17, 2010 2:14 PM
To: Venturella, David
Subject: RE: Opt out
Draft attached.

On Fri, May 14, 2010 at 9:05 AM, Miguel Marquez <mm@sccgov.org> wrote:
> Can a county opt out?
> Thanks
Marc Rapp/ICE/DHS@DHS wrote on 05/13/2010 04:01:22 PM:
earliest text"""


def test_quoted_chain_in_all_forms():
    own, quoted = split_chain(lines(CHAIN), "RE: RE: Opt out", PACIFIC)
    assert [line.text for line in own] == ["Thanks, see below."]
    assert [q.sender.name for q in quoted] == ["Marc Rapp", "Miguel Marquez", "Marc Rapp"]
    assert quoted[0].body == "Draft attached."
    assert quoted[1].body == "Can a county opt out?\nThanks"
    assert quoted[1].sent_at == datetime(2010, 5, 14, 9, 5, tzinfo=PACIFIC)
    assert quoted[2].sent_at == datetime(2010, 5, 13, 16, 1, 22, tzinfo=PACIFIC)
    assert quoted[2].body == "earliest text"


def test_furniture_is_data_not_text():
    texts = ["The county asked.", "ICE replied.", "The state agreed."]
    pages = [
        (
            n,
            (
                "UNCLASSIFIED//FOR OFFICIAL USE ONLY",
                texts[n - 1],
                "RELEASE IN PART B6",
                f"Page {n} of 3",
                f"NIH-00096{n}",
            ),
        )
        for n in (1, 2, 3)
    ]
    cleaned = clean_pages(pages)
    assert [page.lines for page in cleaned] == [(text,) for text in texts]
    assert [page.bates for page in cleaned] == ["NIH-000961", "NIH-000962", "NIH-000963"]
    assert cleaned[0].marked_exemptions == ("(b)(6)",)


def test_withheld_page():
    [page] = clean_pages(
        [(7, ("Withheld pursuant to exemption", "(b)(5); (b)(7)(E)", "DHS-0001234"))]
    )
    assert page.withheld and page.withheld_exemptions == ("(b)(5)", "(b)(7)(E)")
    assert page.bates == "DHS-0001234"


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"%PDF-1.4\n", "pdf"),
        (b"PK\x03\x04rest", "zip"),
        (b"From someone Mon May 17 2010\nFrom: a@b.c\nSubject: x\n", "mbox"),
        (b"Received: by x\nFrom: a@b.c\nSubject: x\n\nbody", "eml"),
        (b"# README\nFrom: nobody", "unknown"),
    ],
)
def test_type_by_content(head, kind):
    assert sniff(head) == kind


def test_headers_broken_mid_word_by_a_converter():
    """A .msg-to-.eml converter broke header lines at a fixed width, flush left and mid-word, in
    the message's header and in an attachment's part header (as in the dc-bega release)."""
    raw = (
        b'From: "Judiciary (Council)" <Judiciary@DCCOUNCIL.US>\r\n'
        b"X-MS-Exchange-Diagnostics: 1;BY1PR09MB0359;27:Cq3Kx1f\r\n"
        b"Hq0Zy9/AbC==\r\n"
        b"Subject: Request to Agendize Measures\r\n"
        b"Date: Wed, 27 Sep 2017 16:35:30 -0400\r\n"
        b"MIME-Version: 1.0\r\n"
        b"Content-Type: multipart/mixed;\r\n"
        b'\tboundary="===============0598123402931719519=="\r\n'
        b"\r\n"
        b"--===============0598123402931719519==\r\n"
        b'Content-Type: text/plain; charset="us-ascii"\r\n'
        b"\r\n"
        b"Please place the attached on the agenda.\r\n"
        b"Content-Disposition: ignore this line, it is body text\r\n"
        b"\r\n"
        b"--===============0598123402931719519==\r\n"
        b"Content-Type: application/msword\r\n"
        b"Content-Transfer-Encoding: base64\r\n"
        b"Content-Disposition: attachment;fi\r\n"
        b'lename="Open+Meetings+Act+Regulations.doc"\r\n'
        b"MIME-Version: 1.0\r\n"
        b"\r\n"
        b"0M8R4KGxGuEAAAAA\r\n"
        b"--===============0598123402931719519==--\r\n"
    )
    [email] = parse_eml(raw, "America/New_York").items
    assert email.subject == "Request to Agendize Measures"
    assert email.body.startswith("Please place the attached on the agenda.")
    assert "Content-Disposition: ignore this line" in email.body  # a body stays a body
    assert email.attachments == [
        {
            "name": "Open+Meetings+Act+Regulations.doc",
            "content_type": "application/msword",
            "size": 12,
        }
    ]


def test_emails_stream_out_of_a_long_production():
    """Each email comes out once the next has started, so memory follows the open email; one
    email printed across two pages still comes out whole."""
    memos = [
        f"Rapp, Marc\nFrom: Rapp, Marc\nSent: Monday, May {10 + n}, 2010 2:14 PM\n"
        f"To: Venturella, David\nSubject: Activation {n}\nCounty {n} asked about opting out."
        for n in range(6)
    ]
    texts = [*memos[:3], memos[3] + "\nContinued overleaf:", "the rest of the answer.", *memos[4:]]
    pulled = []

    def pages():
        for number, text in enumerate(texts, start=1):
            pulled.append(number)
            yield CleanPage(number, "", tuple(text.splitlines()), (), False, ())

    stream = emails_from_pages(pages(), PACIFIC)
    first = next(stream)
    assert first.subject == "Activation 0" and pulled == [1, 2, 3]
    rest = list(stream)
    assert [email.subject for email in rest] == [f"Activation {n}" for n in range(1, 6)]
    long_one = rest[2]
    assert (long_one.first_page, long_one.last_page) == (4, 5)
    assert long_one.body.endswith("Continued overleaf:\nthe rest of the answer.")


def test_two_codes_side_by_side_are_a_redaction():
    from documents.ingest.exemptions import is_redaction

    assert is_redaction("(b)(6) (b)(6)") and is_redaction("(b)(6), (b)(7)(C)")
    assert not is_redaction("(b)(6) Jane Roe")
