"""A generated archive written straight into PostgreSQL (no PDFs), for the search and browse
benchmarks: people, threads of one to eight emails, recipients, citations, exemptions, places, tags,
in the words of ``generated_words``. Seeded: the same size always gives the same archive.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from taggit.models import Tag, TaggedItem

from benchmarks.generated_words import (
    SPAN_DAYS,
    START,
    Writer,
    people,
)
from documents.models import (
    Appearance,
    Batch,
    Document,
    Jurisdiction,
    Person,
    Recipient,
    SourceFile,
    Thread,
)
from documents.threads import refresh_threads

EMAILS_PER_FILE = 500
EMAILS_PER_THREAD = 3.3  # 100,000 emails make about 30,000 threads
TAGS = ["opt-out", "timeline", "congressional", "follow-up", "legal-memo"]


def generate(emails: int, seed: int = 2010) -> Batch:
    """Write a batch of ``emails`` generated emails; returns it. The gazetteer must be loaded."""
    rng = random.Random(seed)
    writer = Writer(rng)
    with transaction.atomic():
        batch = Batch.objects.create(
            name=f"generated-{emails}",
            title=f"Generated archive of {emails:,} emails",
            agency="U.S. Immigration and Customs Enforcement",
            request_number="2010FOIA2674",
            status=Batch.Status.IMPORTED,
            email_count=emails,
        )
        people = _people(rng)
        places = list(
            Jurisdiction.objects.filter(slug__startswith="ca-").values_list("pk", flat=True)
        )
        files = SourceFile.objects.bulk_create(
            SourceFile(
                batch=batch,
                original_name=f"ICE 2010FOIA2674 part {n + 1:03}.pdf",
                sha256=f"{seed:08x}{n:056x}",
                size=10_000_000,
                detected_type="pdf",
                page_count=EMAILS_PER_FILE * 2,
                status=SourceFile.Status.IMPORTED,
            )
            for n in range(-(-emails // EMAILS_PER_FILE))
        )
        made = 0
        while made < emails:
            chunk = min(2_000, emails - made)
            _write_threads(rng, writer, people, places, files, made, chunk)
            made += chunk
        _tag_threads(rng)
        refresh_threads(set(Thread.objects.values_list("pk", flat=True)))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics, as autovacuum would gather in time
    return batch


def _people(rng: random.Random) -> list[Person]:
    return Person.objects.bulk_create(
        Person(name=name, organization=organization, email=email)
        for name, email, organization in people(rng)
    )


def _write_threads(rng, writer, people, places, files, first_number: int, count: int) -> None:
    """``count`` emails numbered from ``first_number``, in threads of their own."""
    senders = rng.choices(people, weights=[1 / (n + 1) for n in range(len(people))], k=count)
    documents, threads, sizes = [], [], []
    number = first_number
    while number < first_number + count:
        size = min(rng.randint(1, int(EMAILS_PER_THREAD * 2) - 1), first_number + count - number)
        subject = writer.sentence()[:-1][:80]
        started = START + timedelta(days=rng.random() * SPAN_DAYS)
        thread = Thread(subject=subject, normalized_subject=subject.lower(), message_count=size)
        sent = started
        for position in range(size):
            sent += timedelta(hours=rng.random() * 30)
            sender = senders[number - first_number]
            redacted = rng.random() < 0.03
            documents.append(
                Document(
                    thread=thread,
                    sender=None if redacted else sender,
                    sender_redacted=redacted,
                    sender_raw="(b)(6)" if redacted else f"{sender.name} <{sender.email}>",
                    sent_at=sent,
                    date_raw=sent.strftime("%A, %B %d, %Y %I:%M %p"),
                    subject=("RE: " if position else "") + subject,
                    normalized_subject=subject.lower(),
                    body=writer.body(),
                    fingerprint=f"generated-{number}",
                )
            )
            number += 1
        thread.first_sent_at = documents[-size].sent_at
        thread.last_sent_at = documents[-1].sent_at
        threads.append(thread)
        sizes.append(size)
    Thread.objects.bulk_create(threads)
    for document in documents:
        document.thread_id = document.thread.pk
        document.exemptions = (
            ["(b)(6)", "(b)(7)(C)"] if "(b)(6)" in document.body or document.sender_redacted else []
        )
    Document.objects.bulk_create(documents, batch_size=1_000)
    _links(rng, people, places, files, documents, first_number)


def _links(rng, people, places, files, documents, first_number: int) -> None:
    recipients, appearances, mentions = [], [], []
    for offset, document in enumerate(documents):
        for field, many in (("to", rng.randint(1, 3)), ("cc", rng.randint(0, 3))):
            for position, person in enumerate(rng.sample(people, many)):
                recipients.append(
                    Recipient(
                        document=document,
                        person=person,
                        field=field,
                        raw=f"{person.name} <{person.email}>",
                        position=position,
                    )
                )
        number = first_number + offset
        page = (number % EMAILS_PER_FILE) * 2 + 1
        appearances.append(
            Appearance(
                document=document,
                source_file=files[number // EMAILS_PER_FILE],
                position=number % EMAILS_PER_FILE,
                first_page=page,
                last_page=page + 1,
                bates_start=f"ICE2010FOIA2674.{number * 2 + 1:07}",
                bates_end=f"ICE2010FOIA2674.{number * 2 + 2:07}",
            )
        )
        if rng.random() < 0.6:
            for place in rng.sample(places[:60], rng.randint(1, 2)):
                mentions.append(
                    Document.jurisdictions.through(document_id=document.pk, jurisdiction_id=place)
                )
    Recipient.objects.bulk_create(recipients, batch_size=2_000)
    Appearance.objects.bulk_create(appearances, batch_size=2_000)
    Document.jurisdictions.through.objects.bulk_create(mentions, batch_size=2_000)


def _tag_threads(rng: random.Random) -> None:
    tags = [Tag.objects.get_or_create(name=name, slug=name)[0] for name in TAGS]
    kind = ContentType.objects.get_for_model(Thread)
    thread_ids = list(Thread.objects.values_list("pk", flat=True))
    TaggedItem.objects.bulk_create(
        TaggedItem(tag=rng.choice(tags), content_type=kind, object_id=pk)
        for pk in rng.sample(thread_ids, len(thread_ids) // 20)
    )
