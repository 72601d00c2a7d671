"""The search box's language, translated to a Whoosh query by our own small parser.

Words, "exact phrases", AND / OR / NOT / -word, parentheses, prefix*, and the fields a user
types (from:, to:, cc:, subject:, jurisdiction:, tag:, exemption:, batch:, thread:, bates:,
file:, date:) mapped to index fields here, never passed to Whoosh raw. Whatever cannot be read
is searched as well as it can be and explained in ``notes``; parsing never raises.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo

from whoosh import query as q
from whoosh.fields import Schema

from documents.ingest import find_exemptions
from search._limits import MIN_PREFIX_LETTERS
from search.search_indexes import PAIRS_FIELD

# What a user types before ":" and the index field it searches.
TEXT_FIELDS = {
    "from": "sender",
    "to": "to",
    "cc": "cc",
    "subject": "subject",
    "jurisdiction": "places",
    "file": "files",
}
EXACT_FIELDS = {"tag": "tags", "batch": "batches"}
FIELD_NAMES = sorted([*TEXT_FIELDS, *EXACT_FIELDS, "exemption", "thread", "bates", "date"])
# Words without a field must be in the full text (which holds the subject too); found in the
# subject as well, they weigh more. (An OR of the two fields finds the same emails and costs
# twice as much to walk.) The full text keeps no positions: its phrases are word pairs.
FULL_TEXT, SUBJECT, SUBJECT_BOOST = "text", "subject", 2.0

_TOKEN = re.compile(
    r"""\s*(?P<neg>-(?=[^\s-]))?(?:
        (?P<code>\([bB]\)\s*\(\d\)(?:\s*\([A-Za-z]\))?) |
        (?P<open>\() | (?P<close>\)) |
        (?P<field>[A-Za-z_]+):(?=[^\s)]) |
        (?P<phrase>"[^"]*"?) |
        (?P<word>[^\s()"]+)
    )""",
    re.VERBOSE,
)
_KINDS = ("code", "open", "close", "field", "phrase", "word")
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")
# Parentheses nested deeper are read as if absent: each level is a few frames of the parser's
# recursion, and a few hundred "(" would exhaust Python's stack.
MAX_NESTING = 8


@dataclass
class Token:
    kind: str  # open, close, field, phrase, word
    text: str
    negated: bool = False


@dataclass
class ParsedQuery:
    query: q.Query
    notes: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return self.query is q.NullQuery


class QueryTranslator:
    """Turns the text of the search box into a Whoosh query for ``schema``.

    ``exact_values(field)`` lists the values an exact field holds, so tag:sanctuary finds the tag
    "Sanctuary"; ``zone`` is the zone dates typed by a user are read in.
    """

    def __init__(
        self,
        schema: Schema,
        zone: tzinfo,
        exact_values: Callable[[str], list[str]] = lambda name: [],
    ) -> None:
        self.schema, self.zone, self.exact_values = schema, zone, exact_values

    def translate(self, text: str) -> ParsedQuery:
        self.notes: list[str] = []
        self.tokens = self._flattened(self._tokenize(text))
        self.position = 0
        found = self._expression(field_name=None)
        while self.position < len(self.tokens):  # a ")" with no "(" before it
            self.notes.append('A ")" without a matching "(" was ignored.')
            self.position += 1
            more = self._expression(field_name=None)
            found = q.And([found, more]) if found is not q.NullQuery else more
        return ParsedQuery(_positive(found.normalize()), self.notes)

    # Grammar: expression = and ("OR" and)*; and = unary (["AND"] unary)*;
    # unary = ["NOT" | "-"] primary; primary = "(" expression ")" | [field:] (word | phrase | group)

    def _expression(self, field_name: str | None) -> q.Query:
        parts = [self._and(field_name)]
        while self._peek_word("OR"):
            self.position += 1
            if self._at_end():
                self.notes.append('"OR" at the end was ignored.')
                break
            parts.append(self._and(field_name))
        return _combine(q.Or, parts)

    def _and(self, field_name: str | None) -> q.Query:
        parts = []
        while not self._at_end() and not self._peek_word("OR"):
            if self._peek_word("AND"):
                self.position += 1
                if self._at_end() or self._peek_word("OR"):
                    self.notes.append('"AND" with nothing after it was ignored.')
                continue
            parts.append(self._unary(field_name))
        return _combine(q.And, parts)

    def _unary(self, field_name: str | None) -> q.Query:
        token = self.tokens[self.position]
        if token.kind == "word" and token.text == "NOT":
            self.position += 1
            if self._at_end():
                self.notes.append('"NOT" with nothing after it was ignored.')
                return q.NullQuery
            inner = self._unary(field_name)
            return q.Not(inner) if inner is not q.NullQuery else q.NullQuery
        inner = self._primary(field_name)
        return q.Not(inner) if token.negated and inner is not q.NullQuery else inner

    def _primary(self, field_name: str | None) -> q.Query:
        token = self.tokens[self.position]
        self.position += 1
        if token.kind == "open":
            inner = self._expression(field_name)
            if self.position < len(self.tokens) and self.tokens[self.position].kind == "close":
                self.position += 1
            else:
                self.notes.append('A "(" was never closed; it was closed at the end.')
            return inner
        if token.kind == "field":
            name = token.text.lower()
            if name not in FIELD_NAMES:
                self.notes.append(
                    f'"{token.text}:" is not a field, so it was searched as a word. '
                    f"Fields: {', '.join(f'{n}:' for n in FIELD_NAMES)}."
                )
                return q.And([self._words(token.text, None), self._primary(field_name)])
            following = self.tokens[self.position]
            following.negated = following.negated or token.negated
            return self._primary(name)
        if token.kind == "phrase":
            closed = len(token.text) > 1 and token.text.endswith('"')
            if not closed:
                self.notes.append("A quotation mark was never closed; it was closed at the end.")
            return self._phrase(token.text[1:-1] if closed else token.text[1:], field_name)
        return self._word(token.text, field_name)

    # Leaves: a word or phrase in the field it names.

    def _word(self, text: str, field_name: str | None) -> q.Query:
        if field_name == "date":
            return self._date(text)
        if field_name == "thread":
            if text.isascii() and text.isdigit() and int(text) <= self.schema["thread"].max_value:
                return q.Term("thread", int(text))
            self.notes.append(f'thread: takes a thread number, not "{text}".')
            return q.NullQuery
        if field_name == "exemption":
            return self._exemption(text)
        if field_name == "bates":
            stamp = text.lower()
            if not stamp.endswith("*"):
                return q.Term("bates", stamp)
            return self._prefix(stamp, lambda stem: q.Prefix("bates", stem))
        if field_name in EXACT_FIELDS:
            return self._exact(EXACT_FIELDS[field_name], text)
        if text.endswith("*"):
            return self._prefix(
                text.lower(),
                lambda stem: self._each_field(field_name, lambda name: q.Prefix(name, stem)),
            )
        return self._words(text, field_name)

    def _prefix(self, text: str, build: Callable[[str], q.Query]) -> q.Query:
        """A word ending in "*", refused when too short to stand for a few words only."""
        stem = text.rstrip("*")
        if len(stem) < MIN_PREFIX_LETTERS:
            self.notes.append(
                f'"{text}" was not searched: type at least {MIN_PREFIX_LETTERS} letters before a *.'
            )
            return q.NullQuery
        return build(stem)

    def _phrase(self, text: str, field_name: str | None) -> q.Query:
        if field_name in EXACT_FIELDS:
            return self._exact(EXACT_FIELDS[field_name], text)
        if field_name in ("date", "thread", "exemption", "bates"):
            return self._word(text.strip(), field_name)
        return self._words(text, field_name)

    def _words(self, text: str, field_name: str | None) -> q.Query:
        """Analyzed like the field's text: stemmed, stop words dropped, a phrase when several."""

        def build(name: str) -> q.Query:
            words = [token.text for token in self.schema[name].analyzer(text)]
            if not words:
                return q.NullQuery
            if len(words) == 1:
                return q.Term(name, words[0])
            return _word_pairs(words) if name == FULL_TEXT else q.Phrase(name, words)

        return self._each_field(field_name, build)

    def _each_field(self, field_name: str | None, build: Callable[[str], q.Query]) -> q.Query:
        if field_name is not None:
            return build(TEXT_FIELDS[field_name])
        anywhere, subject = build(FULL_TEXT), build(SUBJECT)
        if anywhere is q.NullQuery or subject is q.NullQuery:
            return anywhere
        if isinstance(subject, q.Phrase):
            # The subject only adds weight, so a phrase there can be its words: a subject
            # holding "opt" and "out" weighs more, without a position check per email.
            subject = q.And([q.Term(SUBJECT, word) for word in subject.words])
        subject.boost = SUBJECT_BOOST
        return q.AndMaybe(anywhere, subject)

    def _exact(self, index_field: str, text: str) -> q.Query:
        wanted = text.strip().casefold()
        matches = [value for value in self.exact_values(index_field) if value.casefold() == wanted]
        terms = [q.Term(index_field, value) for value in matches or [text.strip()]]
        return q.Or(terms) if len(terms) > 1 else terms[0]

    def _exemption(self, text: str) -> q.Query:
        codes = find_exemptions(text)
        if not codes:
            self.notes.append(
                f'exemption: takes a FOIA exemption such as b6 or (b)(7)(C), not "{text}".'
            )
            return q.NullQuery
        code = codes[0]
        # (b)(7) also finds its subparts, (b)(7)(C) and the others.
        return q.Or([q.Term("exemptions", code), q.Prefix("exemptions", code + "(")])

    def _date(self, text: str) -> q.Query:
        start_text, _, end_text = text.partition("..")
        start = self._date_bound(start_text, end=False) if start_text else None
        end = (
            self._date_bound(end_text or start_text, end=True) if (end_text or start_text) else None
        )
        if (start_text and start is None) or (end_text and end is None):
            self.notes.append(
                "date: takes 2010, 2010-05, 2010-05-07 or a range such as 2010-05..2010-07, "
                f'not "{text}".'
            )
            return q.NullQuery
        return q.DateRange("sent_at", start, end, endexcl=True)

    def _date_bound(self, text: str, end: bool) -> datetime | None:
        """The first moment of the year, month or day typed, or the first after it (``end``)."""
        match = _DATE.match(text.strip())
        if not match:
            return None
        year, month, day = (int(part) if part else None for part in match.groups())
        try:
            moment = datetime(year, month or 1, day or 1, tzinfo=self.zone)
            if end:
                if day:
                    moment = datetime.fromordinal(moment.toordinal() + 1).replace(tzinfo=self.zone)
                elif month:
                    moment = moment.replace(year=year + month // 12, month=month % 12 + 1)
                else:
                    moment = moment.replace(year=year + 1)
        except ValueError:
            return None
        return moment.astimezone(UTC).replace(tzinfo=None)

    # Tokens.

    @staticmethod
    def _tokenize(text: str) -> list[Token]:
        text = text.replace("\u201c", '"').replace("\u201d", '"')
        tokens = []
        for match in _TOKEN.finditer(text):
            kind = next(name for name in _KINDS if match.group(name) is not None)
            # An exemption code such as (b)(7)(C) is a word, not a group.
            tokens.append(
                Token(
                    "word" if kind == "code" else kind, match.group(kind), bool(match.group("neg"))
                )
            )
        return tokens

    def _flattened(self, tokens: list[Token]) -> list[Token]:
        """The tokens without the parentheses nested deeper than MAX_NESTING."""
        kept, depth, dropped = [], 0, []  # dropped: whether each open "(" was dropped
        for token in tokens:
            if token.kind == "open":
                depth += 1
                dropped.append(depth > MAX_NESTING)
                if dropped[-1]:
                    continue
            elif token.kind == "close" and dropped:
                depth -= 1
                if dropped.pop():
                    continue
            kept.append(token)
        if len(kept) < len(tokens):
            self.notes.append(
                f"Parentheses nested more than {MAX_NESTING} deep were read as if absent."
            )
        return kept

    def _peek_word(self, word: str) -> bool:
        return (
            self.position < len(self.tokens)
            and self.tokens[self.position].kind == "word"
            and self.tokens[self.position].text == word
        )

    def _at_end(self) -> bool:
        """The end of the text, or of the group being read (a stray ")" ends the top level)."""
        return self.position >= len(self.tokens) or self.tokens[self.position].kind == "close"


def _word_pairs(words: list[str]) -> q.Query:
    """A phrase of the full text as its pairs of neighbouring words: "secure communities" is one
    term of the pair field; a longer phrase is a phrase of pairs, each one position on."""
    pairs = [f"{first} {second}" for first, second in zip(words, words[1:], strict=False)]
    return q.Term(PAIRS_FIELD, pairs[0]) if len(pairs) == 1 else q.Phrase(PAIRS_FIELD, pairs)


def _combine(kind: type[q.CompoundQuery], parts: list[q.Query]) -> q.Query:
    """Parts joined by AND or OR; the parts that came to nothing (stop words) left out."""
    parts = [part for part in parts if part is not q.NullQuery]
    return kind(parts) if len(parts) > 1 else (parts[0] if parts else q.NullQuery)


def _positive(found: q.Query) -> q.Query:
    """A query of only exclusions ("NOT draft") means everything but those."""
    if isinstance(found, q.Not):
        return q.And([q.Every(), found])
    if (
        isinstance(found, q.And)
        and found.subqueries
        and all(isinstance(s, q.Not) for s in found.subqueries)
    ):
        return q.And([q.Every(), *found.subqueries])
    return found
