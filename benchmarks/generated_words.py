"""The generated archive's people and words, without Django: Words follow a Zipf-like curve over
a vocabulary of the Secure Communities releases plus invented rarer words, so common, rare and
phrase queries behave as they do on real text."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime

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


def people(rng: random.Random) -> list[tuple[str, str, str]]:
    """(name, address, organization) of the archive's people."""
    pairs = list(itertools.product(FIRST, LAST))
    rng.shuffle(pairs)
    return [
        (f"{first} {last}", f"{first}.{last}{n}@example.gov".lower(), rng.choice(ORGANIZATIONS))
        for n, (first, last) in enumerate(pairs[:PEOPLE])
    ]
