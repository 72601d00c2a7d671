"""The pipeline's records: what a parsed file hands to the import service."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from pathlib import Path


@dataclass(frozen=True)
class Address:
    """One sender or recipient as printed, and what could be read from it."""

    raw: str
    name: str = ""
    email: str = ""
    organization: str = ""
    redacted: bool = False

    @property
    def label(self) -> str:
        return self.name or self.email or self.raw


@dataclass
class Email:
    """One email as found in a file; ``quoted`` holds the earlier emails printed inside it,
    newest first (each quotes the next)."""

    sender: Address | None = None
    to: list[Address] = field(default_factory=list)
    cc: list[Address] = field(default_factory=list)
    bcc: list[Address] = field(default_factory=list)
    sent_at: datetime | None = None
    date_raw: str = ""
    subject: str = ""
    subject_inferred: bool = False  # no Subject line printed: the quoting email's, unprefixed
    body: str = ""
    message_id: str = ""
    in_reply_to: str = ""
    references: str = ""
    attachments: list[dict] = field(default_factory=list)
    exemptions: tuple[str, ...] = ()
    first_page: int | None = None
    last_page: int | None = None
    warnings: list[str] = field(default_factory=list)
    quoted: list[Email] = field(default_factory=list)


@dataclass
class OtherDocument:
    """A printed document that is not an email: a letter, a memo, a press release, or one printed
    after an email (its attachment). Kept so its pages are searchable and citable."""

    kind: str  # "letter", "memo", "attachment" or "other"
    title: str = ""
    sent_at: datetime | None = None  # the date printed on it, at midnight
    date_raw: str = ""
    body: str = ""
    exemptions: tuple[str, ...] = ()
    first_page: int | None = None
    last_page: int | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Stamps:
    """What a release stamped on a page about the page (not about an email): for citations."""

    case_number: str = ""  # "F-2014-20439"
    document_number: str = ""  # "C05765911"
    release_date: date | None = None  # the stamp's date ("Date: 08/31/2015")
    release_status: str = ""  # "RELEASE IN PART B6"


@dataclass(frozen=True)
class PageRecord:
    """One page of a PDF: its text as extracted, its Bates stamp, and what was withheld."""

    number: int
    text: str
    bates: str = ""
    needs_ocr: bool = False
    withheld_exemptions: tuple[str, ...] = ()
    withheld: bool = False
    stamps: Stamps = Stamps()
    ocr_confidence: float | None = None  # the mean word confidence when the text is OCR's
    words: list = field(default_factory=list)  # pdf_text.Word lists: where each word is printed


@dataclass
class ParsedFile:
    """Everything read from one source file. ``status`` is one of SourceFile's statuses.

    ``items`` yields the file's pages, emails and other documents in file order, each after the
    pages it is printed on, and may be read lazily so a long file is never held whole in memory.
    Read it once; ``status``, ``error`` and ``warnings`` are final after that.
    """

    detected_type: str
    status: str = "imported"
    error: str = ""
    items: Iterable[PageRecord | Email | OtherDocument] = ()
    warnings: list[str] = field(default_factory=list)
    # A PDF whose scanned pages were OCR'd: itself with the OCR text laid over them, as a
    # temporary file for the caller to keep (or delete); None otherwise.
    searchable_pdf: Path | None = None
    # ``items`` come from another process as it reads them: the caller may write each while
    # the next ones are read.
    streamed: bool = False


def remove_nul(email: Email) -> None:
    """PostgreSQL text cannot hold NUL characters, which damaged messages do contain."""
    for item in fields(email):
        value = getattr(email, item.name)
        if isinstance(value, str):
            setattr(email, item.name, value.replace("\x00", ""))
    if email.sender is not None:
        email.sender = _clean_address(email.sender)
    for name in ("to", "cc", "bcc"):
        setattr(email, name, [_clean_address(address) for address in getattr(email, name)])
    email.attachments = [
        {
            key: value.replace("\x00", "") if isinstance(value, str) else value
            for key, value in a.items()
        }
        for a in email.attachments
    ]
    email.warnings = [warning.replace("\x00", "") for warning in email.warnings]


def _clean_address(address: Address) -> Address:
    return replace(
        address,
        raw=address.raw.replace("\x00", ""),
        name=address.name.replace("\x00", ""),
        email=address.email.replace("\x00", ""),
        organization=address.organization.replace("\x00", ""),
    )
