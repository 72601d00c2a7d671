"""Small builders for archive records, so each test states only what it is about."""

import hashlib
import itertools
from datetime import datetime
from zoneinfo import ZoneInfo

from documents.models import (
    Appearance,
    Batch,
    Document,
    Page,
    Person,
    Recipient,
    SourceFile,
    Thread,
)

_serial = itertools.count(1)
PACIFIC = ZoneInfo("America/Los_Angeles")


def make_batch(**fields) -> Batch:
    n = next(_serial)
    values = {
        "name": f"ice-foia-{n}",
        "title": f"ICE Secure Communities release {n}",
        "agency": "ICE",
    }
    return Batch.objects.create(**(values | fields))


def make_file(batch=None, **fields) -> SourceFile:
    n = next(_serial)
    values = {
        "batch": batch or make_batch(),
        "original_name": f"production/ICE2010FOIA2674-part{n}.pdf",
        "sha256": hashlib.sha256(f"file {n}".encode()).hexdigest(),
        "size": 120_000,
        "detected_type": SourceFile.FileType.PDF,
        "status": SourceFile.Status.IMPORTED,
    }
    return SourceFile.objects.create(**(values | fields))


def make_thread(**fields) -> Thread:
    values = {
        "subject": "RE: Santa Clara County opt out",
        "normalized_subject": "santa clara county opt out",
    }
    return Thread.objects.create(**(values | fields))


def make_document(thread=None, **fields) -> Document:
    values = {
        "thread": thread or make_thread(),
        "sender_raw": "Venturella, David",
        "subject": "RE: Santa Clara County opt out",
        "sent_at": datetime(2010, 5, 17, 14, 14, tzinfo=PACIFIC),
        "date_raw": "Monday, May 17, 2010 2:14 PM",
        "body": "We need to discuss the county's letter before Friday.",
    }
    return Document.objects.create(**(values | fields))


def make_page(source_file, number=1, **fields) -> Page:
    values = {"text": "From: Venturella, David", "bates": f"ICE2010FOIA2674.{number:07d}"}
    return Page.objects.create(source_file=source_file, number=number, **(values | fields))


def make_appearance(document, source_file, **fields) -> Appearance:
    values = {
        "first_page": 3,
        "last_page": 4,
        "bates_start": "ICE2010FOIA2674.0003437",
        "bates_end": "ICE2010FOIA2674.0003438",
    }
    return Appearance.objects.create(
        document=document, source_file=source_file, **(values | fields)
    )


def make_person(name: str, email: str = "", **fields) -> Person:
    return Person.objects.create(name=name, email=email, **fields)


def add_recipient(document, person, field="to", **fields) -> Recipient:
    position = document.recipient_entries.filter(field=field).count()
    values = {"raw": person.name if person else "(b)(6)", "position": position}
    return Recipient.objects.create(
        document=document, person=person, field=field, **(values | fields)
    )


def at(year, month, day, hour=12, minute=0) -> datetime:
    """A moment in the archive's default zone (America/Los_Angeles)."""
    return datetime(year, month, day, hour, minute, tzinfo=PACIFIC)


def make_user(username: str, role: str | None = None, **fields):
    """A user in one of the role groups (Reader, Editor, Admin), or in none."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(
        username, email=f"{username}@example.org", password="a long test passphrase", **fields
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user
