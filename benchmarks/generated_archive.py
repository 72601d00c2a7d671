"""A generated archive written straight into PostgreSQL (no PDFs), for the search and browse
benchmarks: people, threads of one to eight emails, recipients, citations, exemptions, places, tags.

Words follow a Zipf-like curve over a vocabulary of the Secure Communities releases plus invented
rarer words, so common, rare and phrase queries behave as they do on real text. Seeded: the same
size always gives the same archive.
"""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from taggit.models import Tag, TaggedItem

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
PEOPLE = 400
FIRST = [
    "David",
    "Marc",
    "Sarah",
    "Maria",
    "John",
    "Linda",
    "Robert",
    "Karen",
    "James",
    "Susan",
    "Daniel",
    "Laura",
    "Miguel",
    "Ana",
]
LAST = [
    "Venturella",
    "Rapp",
    "Brandt",
    "Lopez",
    "Nguyen",
    "Smith",
    "Garcia",
    "Chen",
    "Patel",
    "Kim",
    "Johnson",
    "Rivera",
    "Baker",
    "Ortiz",
    "Hughes",
    "Morales",
    "Reyes",
    "Cooper",
    "Flores",
    "Ward",
]
ORGANIZATIONS = [
    "ICE",
    "DHS",
    "FBI CJIS",
    "California DOJ",
    "Santa Clara County Sheriff",
    "San Francisco Sheriff",
    "Los Angeles County Sheriff",
    "Arlington County",
]
# Common words of the releases, most frequent first.
DOMAIN = [
    "the",
    "of",
    "to",
    "and",
    "a",
    "in",
    "for",
    "is",
    "on",
    "that",
    "with",
    "be",
    "this",
    "as",
    "county",
    "we",
    "will",
    "by",
    "are",
    "secure",
    "communities",
    "ice",
    "sheriff",
    "state",
    "jurisdiction",
    "activation",
    "deployment",
    "opt",
    "out",
    "meeting",
    "please",
    "call",
    "data",
    "fingerprints",
    "interoperability",
    "schedule",
    "memo",
    "request",
    "law",
    "enforcement",
    "agency",
    "california",
    "department",
    "justice",
    "board",
    "supervisors",
    "policy",
    "question",
    "response",
    "draft",
    "briefing",
    "detainer",
    "removal",
    "criminal",
    "aliens",
    "office",
    "director",
    "office",
    "program",
    "office",
    "update",
    "today",
    "tomorrow",
    "week",
    "letter",
    "staff",
    "officials",
    "attached",
    "thanks",
    "discuss",
    "concerns",
    "public",
    "records",
    "congressional",
]
# Sentences of the releases, so phrase queries find something.
PHRASES = [
    "The county asked whether it may opt out of Secure Communities.",
    "Secure Communities activation is scheduled for the county next week.",
    "The sheriff wants to discuss the opt out letter before the board meeting.",
    "Please send the deployment schedule for Secure Communities in California.",
    "Fingerprints are shared with ICE through the interoperability of the databases.",
]
RARE_WORD = "quarantelli"  # in one email of a thousand: the benchmark's rare term
INVENTED = 20_000
TAGS = ["opt-out", "timeline", "congressional", "follow-up", "legal-memo"]
START = datetime(2009, 1, 5, tzinfo=UTC)
SPAN_DAYS = 3 * 365


def _invented_words(rng: random.Random) -> list[str]:
    syllables = [
        "ba",
        "ce",
        "di",
        "fo",
        "gu",
        "ha",
        "je",
        "ki",
        "lo",
        "mu",
        "na",
        "pe",
        "qui",
        "ro",
        "su",
        "ta",
        "ve",
        "wi",
        "xo",
        "ya",
        "ze",
        "tor",
        "ran",
        "mel",
    ]
    words = set()
    while len(words) < INVENTED:
        words.add("".join(rng.choices(syllables, k=rng.randint(2, 4))))
    return sorted(words)


class Writer:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.vocabulary = DOMAIN + _invented_words(rng)
        weights = [1 / (rank + 1) ** 1.05 for rank in range(len(self.vocabulary))]
        self.cumulative = list(itertools.accumulate(weights))

    def sentence(self) -> str:
        words = self.rng.choices(
            self.vocabulary, cum_weights=self.cumulative, k=self.rng.randint(6, 18)
        )
        return " ".join(words).capitalize() + "."

    def body(self) -> str:
        sentences = [self.sentence() for _ in range(self.rng.randint(4, 14))]
        if self.rng.random() < 0.4:
            sentences.insert(self.rng.randrange(len(sentences)), self.rng.choice(PHRASES))
        if self.rng.random() < 0.001:
            sentences.insert(1, f"Ask {RARE_WORD.capitalize()} about the schedule.")
        if self.rng.random() < 0.3:
            sentences.append("Names withheld under (b)(6), (b)(7)(C).")
        return "\n".join(" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3))


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


def people(rng: random.Random) -> list[tuple[str, str, str]]:
    """(name, address, organization) of the archive's people."""
    pairs = list(itertools.product(FIRST, LAST))
    rng.shuffle(pairs)
    return [
        (f"{first} {last}", f"{first}.{last}{n}@example.gov".lower(), rng.choice(ORGANIZATIONS))
        for n, (first, last) in enumerate(pairs[:PEOPLE])
    ]


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
