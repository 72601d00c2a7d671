"""Page text as a PDF production prints it, read by the pipeline (furniture, headers, chains)
without a PDF: for tests of each class of damage on realistic strings."""

from zoneinfo import ZoneInfo

from documents.ingest.furniture import clean_pages
from documents.ingest.pdf_text import readable
from documents.ingest.production import emails_from_pages
from documents.ingest.records import Email

PACIFIC = ZoneInfo("America/Los_Angeles")


def read_pages(*pages: str, zone=PACIFIC) -> list[Email]:
    """The top-level emails of pages of text, each page's lines as pdfminer would give them."""
    numbered = [
        (number, tuple(readable(line) for line in text.splitlines()))
        for number, text in enumerate(pages, start=1)
    ]
    return list(emails_from_pages(clean_pages(numbered), zone))


def every_email(emails: list[Email]) -> list[Email]:
    """The emails and the earlier ones they quote, in print order."""
    found = []
    for email in emails:
        found.append(email)
        found += every_email(email.quoted)
    return found
