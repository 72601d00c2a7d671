"""Jurisdictions mentioned in an email: gazetteer aliases found in its subject and own text.

A name alone is weak evidence: "Jackson" and "Washington" are surnames, "Orange" a fruit. So:
- counties need their designator ("County", "Parish", "Co.") or a state after them;
- a state's full name counts when capitalized; "Washington" and "Georgia" only as
  "State of ...", "... State" or with a city before them;
- a city name of two or more words counts when only one city bears it, or one in a state the
  email mentions; a one-word city name only in a state the email mentions, and never next to
  another capitalized word ("Gregory Jackson", "Judge Jackson");
- abbreviations ("CA", "Calif.") never count alone; they tell which state is meant.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from documents.gazetteer import normalize_place_name

# State names that are also common surnames or first names.
AMBIGUOUS_STATE_NAMES = frozenset({"washington", "georgia"})
# Capitalized words that may stand before a place without making it part of a longer name.
FUNCTION_WORDS = frozenset(
    [
        "in",
        "at",
        "of",
        "to",
        "from",
        "for",
        "and",
        "or",
        "the",
        "on",
        "by",
        "with",
        "near",
        "about",
        "as",
        "than",
        "into",
        "over",
        "under",
        "since",
        "between",
        "within",
        "across",
        "outside",
        "inside",
    ]
)
_TOKEN = re.compile(r"\S+")
_STRIP = str.maketrans("", "", ".'’")
_PUNCT = re.compile(r"[^a-z0-9]+")
_DESIGNATORS = re.compile(
    r"\b(?:county|co|cnty|parish|borough|census area|municipality|municipio"
    r"|city of|city and county)\b"
)


@dataclass(frozen=True)
class PlaceRef:
    """One jurisdiction an alias may name."""

    id: int
    kind: str  # "state", "county" or "city"
    state_code: str
    is_abbreviation: bool = False
    strong: bool = False  # the alias names its kind or its state ("X County", "X, CA")


@dataclass(frozen=True)
class _Match:
    start: int  # token index
    words: int
    key: str
    refs: tuple[PlaceRef, ...]


class PlaceIndex:
    """Aliases by matching key; built once per import from the Jurisdiction tables."""

    def __init__(self, aliases: Iterable[tuple[str, str, PlaceRef]]):
        """``aliases``: (alias as written, its normalized key, the place)."""
        self.by_key: dict[str, list[PlaceRef]] = defaultdict(list)
        for text, key, ref in aliases:
            strong = ref.kind == "county" or "," in text or bool(_DESIGNATORS.search(key))
            self.by_key[key].append(
                PlaceRef(ref.id, ref.kind, ref.state_code, ref.is_abbreviation, strong)
            )
        self.max_words = max((len(key.split()) for key in self.by_key), default=1)

    def find(self, text: str) -> list[int]:
        """Ids of the jurisdictions ``text`` mentions, in order of first mention."""
        tokens, capitals = _tokens(text)
        matches = self._matches(tokens, capitals)
        states = self._context_states(matches, tokens)
        found: dict[int, None] = {}
        for match in matches:
            for ref in self._accept(match, tokens, capitals, states):
                found.setdefault(ref.id, None)
        return list(found)

    def _matches(self, tokens: list[str], capitals: list[bool]) -> list[_Match]:
        matches = []
        index = 0
        while index < len(tokens):
            if not capitals[index]:
                index += 1
                continue
            for words in range(min(self.max_words, len(tokens) - index), 0, -1):
                key = " ".join(tokens[index : index + words])
                refs = self.by_key.get(key)
                if refs:
                    matches.append(_Match(index, words, key, tuple(refs)))
                    index += words
                    break
            else:
                index += 1
        return matches

    @staticmethod
    def _context_states(matches: list[_Match], tokens: list[str]) -> set[str]:
        states = set()
        for match in matches:
            for ref in match.refs:
                if (
                    ref.strong
                    and len(match.refs) == 1
                    or ref.kind == "state"
                    and (not ref.is_abbreviation or "." in match.key)
                ):
                    states.add(ref.state_code)
                elif ref.kind == "state" and ref.is_abbreviation and len(match.key) > 2:
                    states.add(ref.state_code)  # AP style: "Calif.", "Ariz."
        return states

    @staticmethod
    def _accept(match: _Match, tokens: list[str], capitals: list[bool], states: set[str]):
        refs = [ref for ref in match.refs if not ref.is_abbreviation]
        if not refs:
            return []
        kind = refs[0].kind
        if kind == "state":
            if match.key in AMBIGUOUS_STATE_NAMES:
                after = tokens[match.start + 1] if match.start + 1 < len(tokens) else ""
                return refs[:1] if after == "state" else []
            return refs[:1]
        if len(refs) > 1:
            refs = [ref for ref in refs if ref.state_code in states]
            if len(refs) != 1:
                return []
        ref = refs[0]
        if ref.strong:
            return [ref]
        # A bare city name.
        if match.words == 1:
            before = match.start - 1
            after = match.start + match.words
            name_before = before >= 0 and capitals[before] and tokens[before] not in FUNCTION_WORDS
            name_after = (
                after < len(tokens) and capitals[after] and tokens[after] not in FUNCTION_WORDS
            )
            if name_before or name_after:
                return []
            return [ref] if ref.state_code in states else []
        return [ref]


def _tokens(text: str) -> tuple[list[str], list[bool]]:
    """Matching keys of the words of ``text`` and whether each was printed capitalized.

    Words inside addresses and links ("@", "/", "www.") are never places."""
    tokens: list[str] = []
    capitals: list[bool] = []
    for raw in _TOKEN.findall(text):
        if "@" in raw or "/" in raw or raw.startswith("www."):
            tokens.append("")
            capitals.append(False)
            continue
        if raw.isascii():
            words = _PUNCT.sub(" ", raw.lower().replace("&", " and ").translate(_STRIP)).split()
        else:
            words = normalize_place_name(raw).split()
        capital = next((char.isupper() for char in raw if char.isalpha()), False)
        for position, word in enumerate(words):
            tokens.append(word)
            capitals.append(capital if position == 0 else word[:1].isalpha() and capital)
    return tokens, capitals
