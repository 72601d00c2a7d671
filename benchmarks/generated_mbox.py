"""A generated mbox for the import benchmarks: the generated archive's people and words, in
threads of one to six messages that answer each other by In-Reply-To and References, with To,
Cc, dates and plain bodies. Seeded: the same size and seed give the same mbox; its people are
the generated archive's, so an import into that archive finds them there."""

from __future__ import annotations

import random
from datetime import timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path

from benchmarks.generated_words import SPAN_DAYS, START, Writer, people

ARCHIVE_SEED = 2010  # generated_archive's: the same people


def write_mbox(path: Path, messages: int, seed: int = 1) -> None:
    archive = random.Random(ARCHIVE_SEED)
    writer = Writer(archive)
    everyone = people(archive)
    rng = writer.rng = random.Random(seed)
    weights = [1 / (n + 1) for n in range(len(everyone))]
    number = 0
    with path.open("wb") as out:
        while number < messages:
            size = min(rng.randint(1, 6), messages - number)
            subject = writer.sentence()[:-1][:80]
            sent = START + timedelta(days=rng.random() * SPAN_DAYS)
            chain: list[str] = []
            for position in range(size):
                sent += timedelta(hours=rng.random() * 30)
                sender, *others = rng.choices(everyone, weights=weights, k=rng.randint(2, 6))
                message = EmailMessage()
                message["From"] = formataddr(sender[:2])
                message["To"] = ", ".join(formataddr(person[:2]) for person in others[:2])
                if others[2:]:
                    message["Cc"] = ", ".join(formataddr(person[:2]) for person in others[2:])
                message["Subject"] = ("RE: " if position else "") + subject
                message["Date"] = format_datetime(sent)
                message["Message-ID"] = f"<{seed}.{number}@example.gov>"
                if chain:
                    message["In-Reply-To"] = chain[-1]
                    message["References"] = " ".join(chain)
                chain.append(message["Message-ID"])
                message.set_content(writer.body())
                out.write(f"From {sender[1]} {sent.strftime('%a %b %d %H:%M:%S %Y')}\n".encode())
                out.write(_escaped(message.as_bytes()))
                out.write(b"\n")
                number += 1


def _escaped(data: bytes) -> bytes:
    """mboxrd: a body line starting "From " (or ">From ") gains a ">"."""
    lines = data.split(b"\n")
    return b"\n".join(
        b">" + line if line.lstrip(b">").startswith(b"From ") else line for line in lines
    )
