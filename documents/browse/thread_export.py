"""A thread taken away: as an mbox any mail program opens, or as JSON with every citation.

The mbox keeps what was released and says where: each message carries its citations in
``X-FOIA-Citation`` headers, a date that could not be read stays as printed in
``X-FOIA-Date-As-Printed``, and a redacted sender or recipient stays redacted.
"""

from __future__ import annotations

import mailbox
import tempfile
import zoneinfo
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from django.conf import settings

from documents.browse.export import document_record, export_queryset
from documents.models import Document, Recipient, Thread

# The domain of the Message-IDs made up for emails printed without one, and of the address
# given to a name printed without one (a header needs an address; "<>" breaks mail programs).
LOCAL_MESSAGE_DOMAIN = "foia-archive.invalid"
NO_ADDRESS = "address-not-printed"


def thread_documents(thread: Thread) -> list[Document]:
    return list(export_queryset().filter(thread=thread).select_related("parent"))


def thread_json(thread: Thread) -> dict:
    documents = thread_documents(thread)
    return {
        "thread": {
            "id": thread.pk,
            "subject": thread.subject,
            "first_sent_at": thread.first_sent_at.isoformat() if thread.first_sent_at else None,
            "last_sent_at": thread.last_sent_at.isoformat() if thread.last_sent_at else None,
            "message_count": thread.message_count,
            "exemptions": list(thread.exemptions),
            "tags": sorted((tag.name for tag in thread.tags.all()), key=str.casefold),
        },
        "emails": [document_record(document) for document in documents],
    }


def thread_mbox(thread: Thread) -> bytes:
    """The thread's emails in date order, as the bytes of an mbox file."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "thread.mbox"
        box = mailbox.mbox(path)
        for document in thread_documents(thread):
            box.add(_mbox_message(document))
        box.flush()
        box.close()
        return path.read_bytes()


def message_id(document: Document) -> str:
    return document.message_id or f"<document-{document.pk}@{LOCAL_MESSAGE_DOMAIN}>"


def _mbox_message(document: Document) -> mailbox.mboxMessage:
    message = EmailMessage()
    message["From"] = _sender(document)
    for field, header in ((Recipient.Field.TO, "To"), (Recipient.Field.CC, "Cc")):
        entries = [e for e in document.recipient_entries.all() if e.field == field]
        if entries:
            message[header] = ", ".join(
                _person(entry.person, entry.raw, entry.redacted) for entry in entries
            )
    message["Subject"] = document.subject
    if document.sent_at:
        message["Date"] = format_datetime(document.sent_at.astimezone(_zone_of(document)))
    if document.date_raw and not document.sent_at:
        message["X-FOIA-Date-As-Printed"] = document.date_raw
    message["Message-ID"] = message_id(document)
    if document.parent_id:
        message["In-Reply-To"] = message_id(document.parent)
    for appearance in document.appearances.all():
        message["X-FOIA-Citation"] = str(appearance)
    if document.exemptions:
        message["X-FOIA-Exemptions"] = ", ".join(document.exemptions)
    message.set_content(document.body or "")
    boxed = mailbox.mboxMessage(message)
    sender = document.sender.email if document.sender and document.sender.email else "MAILER-DAEMON"
    boxed.set_from(sender, document.sent_at.utctimetuple() if document.sent_at else None)
    return boxed


def _zone_of(document: Document) -> zoneinfo.ZoneInfo:
    """The zone of the batch it was first printed in, as the JSON export gives its dates."""
    first = next(iter(document.appearances.all()), None)
    return zoneinfo.ZoneInfo(first.source_file.batch.timezone if first else settings.TIME_ZONE)


def _sender(document: Document) -> str:
    return _person(document.sender, document.sender_raw, document.sender_redacted)


def _person(person, raw: str, redacted: bool) -> str:
    """A header address: name and address where known, else the text as printed (quoted, so
    "Venturella, David" stays one name) at an address that says none was printed."""
    if person is not None and not redacted and "@" in person.email:
        local, _, domain = person.email.partition("@")
        try:
            return str(Address(person.name, local, domain))
        except (ValueError, IndexError):
            pass
    printed = " ".join((raw or (person.name if person else "") or "(redacted)").split())
    return str(Address(printed, NO_ADDRESS, LOCAL_MESSAGE_DOMAIN))
