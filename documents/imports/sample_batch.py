"""A synthetic FOIA release on the Secure Communities theme, with its known truth.

PDF productions in the three print styles (Outlook memo, Lotus Notes, web-mail) with Bates stamps,
classification banners, redactions, quoted chains, a page withheld in full and emails broken across
pages; plus an .eml and an mbox. ``write_sample_batch`` returns what an import must find.
"""

from __future__ import annotations

import mailbox
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from zoneinfo import ZoneInfo

from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

ZONE = ZoneInfo("America/Los_Angeles")
BATES_PREFIX = "ICE2010FOIA2674.000"
LINES_PER_PAGE = 44
BANNER = "UNCLASSIFIED//FOR OFFICIAL USE ONLY"


@dataclass(frozen=True)
class Who:
    name: str  # "David Venturella"
    email: str
    org: str = "ICE/DHS"

    @property
    def last_first(self) -> str:
        if " " not in self.name:
            return self.name  # a redaction code
        first, last = self.name.rsplit(" ", 1)
        return f"{last}, {first}"

    @property
    def notes(self) -> str:
        return f"{self.name}/{self.org}@DHS"


VENTURELLA = Who("David Venturella", "david.venturella@dhs.gov")
RAPP = Who("Marc Rapp", "marc.rapp@dhs.gov")
GREENBERG = Who("Randi Greenberg", "randi.greenberg@dhs.gov")
SMITH = Who("Miguel Marquez", "miguel.marquez@cco.sccgov.org", "Santa Clara County")
HERRERA = Who("Dennis Herrera", "cityattorney@sfgov.org", "San Francisco")
REDACTED = Who("(b)(6)", "")


@dataclass
class SampleEmail:
    key: str
    sender: Who
    to: list[Who]
    sent: datetime
    subject: str
    body: list[str]
    cc: list[Who] = field(default_factory=list)
    quoted: list[SampleEmail] = field(default_factory=list)  # newest first
    exemptions: tuple[str, ...] = ()
    jurisdictions: tuple[str, ...] = ()  # jurisdiction slugs the body names


def _at(day: int, hour: int, minute: int, month: int = 5) -> datetime:
    return datetime(2010, month, day, hour, minute, tzinfo=ZONE)


def sample_emails() -> dict[str, SampleEmail]:
    request = SampleEmail(
        "request",
        SMITH,
        [VENTURELLA],
        _at(3, 9, 5),
        "Santa Clara County request to opt out of Secure Communities",
        [
            "Mr. Venturella,",
            "",
            "The Board of Supervisors of Santa Clara County voted to ask that the county not",
            "participate in Secure Communities. Please tell us how a county may opt out.",
            "",
            "Miguel Marquez, County Counsel",
        ],
        cc=[REDACTED],
        exemptions=("(b)(6)",),
        jurisdictions=("ca-county-santa-clara-county",),
    )
    forward = SampleEmail(
        "forward",
        VENTURELLA,
        [RAPP],
        _at(3, 11, 42),
        "FW: Santa Clara County request to opt out of Secure Communities",
        ["Marc - can you draft a reply for the Director? Keep the (b)(5) language out of it."],
        quoted=[request],
        exemptions=("(b)(5)",),
    )
    draft = SampleEmail(
        "draft",
        RAPP,
        [VENTURELLA],
        _at(4, 14, 14),
        "RE: Santa Clara County request to opt out of Secure Communities",
        [
            "David,",
            "",
            *[
                f"Point {n}: the deployment schedule for California runs through 2013 and the"
                " county's booking data is shared by the state with the FBI."
                for n in range(1, 31)
            ],
            "",
            "Marc",
        ],
        quoted=[forward, request],
    )
    notes_reply = SampleEmail(
        "notes_reply",
        GREENBERG,
        [VENTURELLA, RAPP],
        _at(5, 8, 30),
        "Re: Alameda County briefing",
        [
            "The Alameda County sheriff asked whether San Francisco has the same option.",
            "Call (b)(6) at the field office before Friday.",
        ],
        exemptions=("(b)(6)",),
        jurisdictions=("ca-county-alameda-county", "ca-city-san-francisco"),
    )
    web = SampleEmail(
        "web",
        HERRERA,
        [VENTURELLA],
        _at(17, 14, 14),
        "San Francisco and Secure Communities",
        [
            "Director Venturella,",
            "",
            "San Francisco asks to be removed from the program, as Santa Clara County did.",
        ],
        jurisdictions=("ca-city-san-francisco", "ca-county-santa-clara-county"),
    )
    web_reply = SampleEmail(
        "web_reply",
        VENTURELLA,
        [HERRERA],
        _at(18, 9, 2),
        "Re: San Francisco and Secure Communities",
        ["Mr. Herrera, thank you; we will meet with your office next week."],
        quoted=[web],
    )
    mbox_first = SampleEmail(
        "mbox_first",
        GREENBERG,
        [RAPP],
        _at(20, 16, 45),
        "Los Angeles County activation",
        ["Los Angeles County activates on June 1. No opt-out was requested."],
        jurisdictions=("ca-county-los-angeles-county",),
    )
    mbox_reply = SampleEmail(
        "mbox_reply",
        RAPP,
        [GREENBERG],
        _at(20, 17, 3),
        "RE: Los Angeles County activation",
        ["Thanks. Please copy the California DOJ liaison."],
        jurisdictions=("ca",),
    )
    return {
        email.key: email
        for email in (
            request,
            forward,
            draft,
            notes_reply,
            web,
            web_reply,
            mbox_first,
            mbox_reply,
        )
    }


# --- printing -----------------------------------------------------------------------------------

Row = tuple[str, str, str]  # (left column, middle column, right column)


def _outlook(email: SampleEmail, quoted: bool) -> list[Row]:
    rows: list[Row] = [] if quoted else [(email.sender.last_first, "", "")]
    if quoted:
        rows.append(("-----Original Message-----", "", ""))
    rows += [
        ("From:", email.sender.last_first, ""),
        ("Sent:", email.sent.strftime("%A, %B %d, %Y %I:%M %p").replace(" 0", " "), ""),
        ("To:", "; ".join(p.last_first for p in email.to), ""),
    ]
    if email.cc:
        rows.append(("Cc:", "; ".join(p.last_first for p in email.cc), ""))
    rows += [("Subject:", email.subject, ""), ("", "", "")]
    rows += [(line, "", "") for line in email.body]
    rows.append(("", "", ""))
    for earlier in email.quoted[:1]:
        rows += _outlook(earlier, quoted=True)
    return rows


def _notes(email: SampleEmail) -> list[Row]:
    rows: list[Row] = [
        (email.sender.notes, "To", ", ".join(p.notes for p in email.to)),
        (email.sent.strftime("%m/%d/%Y %I:%M %p"), "cc", ""),
        ("", "Subject", email.subject),
        ("", "", ""),
    ]
    return rows + [(line, "", "") for line in email.body] + [("", "", "")]


def _webmail(email: SampleEmail) -> list[Row]:
    rows: list[Row] = [
        (email.subject, "", ""),
        ("From:", f"{email.sender.name} <{email.sender.email}>", ""),
        ("Date:", email.sent.strftime("%a, %b %d, %Y at %I:%M %p").replace(" 0", " "), ""),
        ("To:", ", ".join(f"{p.name} <{p.email}>" for p in email.to), ""),
        ("", "", ""),
    ]
    rows += [(line, "", "") for line in email.body] + [("", "", "")]
    for earlier in email.quoted[:1]:
        when = earlier.sent.strftime("%a, %b %d, %Y at %I:%M %p").replace(" 0", " ")
        rows.append((f"On {when}, {earlier.sender.name} <{earlier.sender.email}> wrote:", "", ""))
        rows += [(f"> {line}", "", "") for line in earlier.body]
    return rows + [("", "", "")]


WITHHELD_PAGE = object()


def _draw_pdf(path: Path, blocks: list, first_bates: int) -> list[tuple[int, str]]:
    """Draw rows onto pages with furniture; returns (page, bates) per page. A block is a list of
    rows, or WITHHELD_PAGE."""
    pages: list[list[Row]] = [[]]
    for block in blocks:
        if block is WITHHELD_PAGE:
            pages.append(
                [("WITHHELD IN FULL", "", ""), ("Pursuant to FOIA Exemption (b)(5)", "", "")]
            )
            pages.append([])
            continue
        for row in block:
            if len(pages[-1]) >= LINES_PER_PAGE:
                pages.append([])
            pages[-1].append(row)
    pages = [page for page in pages if page]
    pdf = canvas.Canvas(str(path), pagesize=letter)
    stamps = []
    for number, rows in enumerate(pages, start=1):
        pdf.setFont("Helvetica-Bold", 9)
        pdf.drawCentredString(306, 760, BANNER)
        pdf.setFont("Helvetica", 10)
        y = 730
        for left, middle, right in rows:
            if left:
                pdf.drawString(72, y, left)
            if middle:
                # A value beside a label ("From:"), else a Notes label beside a value ("cc").
                beside_label = right == "" and (not left or left.endswith(":"))
                pdf.drawString(150 if beside_label else 330, y, middle)
            if right:
                pdf.drawString(380, y, right)
            y -= 15
        bates = f"{BATES_PREFIX}{first_bates + number - 1:04d}"
        pdf.setFont("Helvetica", 8)
        pdf.drawString(72, 40, f"Page {number} of {len(pages)}")
        pdf.drawRightString(540, 40, bates)
        stamps.append((number, bates))
        pdf.showPage()
    pdf.save()
    return stamps


def _message(email: SampleEmail, message_id: str, in_reply_to: str = "") -> EmailMessage:
    message = EmailMessage()
    message["From"] = f"{email.sender.name} <{email.sender.email}>"
    message["To"] = ", ".join(f"{p.name} <{p.email}>" for p in email.to)
    message["Subject"] = email.subject
    message["Date"] = format_datetime(email.sent)
    message["Message-ID"] = message_id
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = in_reply_to
    message.set_content("\n".join(email.body) + "\n")
    return message


@dataclass
class SampleTruth:
    emails: dict[str, SampleEmail]
    files: list[str]


def write_sample_batch(directory: Path) -> SampleTruth:
    directory.mkdir(parents=True, exist_ok=True)
    emails = sample_emails()
    outlook_rows = [
        _outlook(emails["request"], False),
        _outlook(emails["forward"], False),
        WITHHELD_PAGE,
        _outlook(emails["draft"], False),
    ]
    _draw_pdf(directory / "ICE-production-1-outlook.pdf", outlook_rows, 3437)
    _draw_pdf(directory / "ICE-production-2-notes.pdf", [_notes(emails["notes_reply"])], 3500)
    _draw_pdf(directory / "SF-production-webmail.pdf", [_webmail(emails["web_reply"])], 3600)
    web_id = make_msgid(domain="sfgov.org")
    (directory / "web-original.eml").write_bytes(bytes(_message(emails["web"], web_id)))
    box = mailbox.mbox(str(directory / "la-county.mbox"))
    first_id = make_msgid(domain="dhs.gov")
    box.add(_message(emails["mbox_first"], first_id))
    box.add(_message(emails["mbox_reply"], make_msgid(domain="dhs.gov"), in_reply_to=first_id))
    box.close()
    files = sorted(p.name for p in directory.iterdir())
    return SampleTruth(emails, files)


def write_generated_production(
    path: Path, emails: int, first: int = 0, mixed: bool = False
) -> None:
    """A long PDF production of ``emails`` distinct emails of about a page each, numbered from
    ``first`` (productions with other numbers hold other emails): for benchmarks and for tests
    that need a file which takes a while to read. ``mixed``: as a real release prints them, in
    the three print styles by turns, among five people, of a few lines to two pages, every
    fourth one quoting the one before."""
    people = [VENTURELLA, RAPP, GREENBERG, SMITH, HERRERA]
    blocks = []
    previous = None
    for n in range(first, first + emails):
        if mixed:
            sender, recipient = people[n % 5], people[(n * 3 + 1) % 5]
            lines = 4 + (n * 37) % 70
        else:
            sender, recipient = (VENTURELLA, RAPP) if n % 2 else (RAPP, VENTURELLA)
            lines = 30
        body = [
            f"Item {n}.{line}: Secure Communities deployment status for county {n % 58} of"
            " California; activation, opt-out questions and (b)(6) contacts."
            for line in range(lines)
        ]
        email = SampleEmail(
            f"e{n}",
            sender,
            [recipient],
            _at(1, 8, 0) + timedelta(minutes=7 * n),
            f"Deployment update {n // 3}",
            body,
            quoted=[previous] if mixed and previous and n % 4 == 0 else [],
        )
        if not mixed or n % 3 == 0:
            blocks.append(_outlook(email, quoted=False))
        else:
            blocks.append(_notes(email) if n % 3 == 1 else _webmail(email))
        previous = email
    _draw_pdf(path, blocks, 1 + first)


__all__ = ["SampleTruth", "write_generated_production", "write_sample_batch"]
