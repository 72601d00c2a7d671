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
# A state counts as what a release is about once this many of its places were found in the
# release, and at least this share of all.
RELEASE_STATE_MIN = 5
RELEASE_STATE_SHARE = 0.25
# Words after a state's name that make the whole a part of its government, not a company.
GOVERNMENT_WORDS = frozenset(
    (
        "department",
        "dept",
        "division",
        "office",
        "legislature",
        "legislative",
        "legislator",
        "legislators",
        "senate",
        "house",
        "governor",
        "governors",
        "lieutenant",
        "court",
        "courts",
        "supreme",
        "superior",
        "board",
        "commission",
        "commissioner",
        "police",
        "trooper",
        "troopers",
        "attorney",
        "attorneys",
        "delegation",
        "government",
        "capitol",
        "assembly",
        "council",
        "agency",
        "administration",
        "national",
        "guard",
        "dnr",
        "dot",
        "dhss",
        "doj",
        "dps",
        "dor",
        "dol",
        "dmv",
        "dhs",
        "law",
        "health",
        "corrections",
        "representatives",
        "senators",
        "state",
    )
)
# Words of state names, which may follow a place without a comma ("Juneau Alaska").
_STATE_NAME_WORDS = (
    "alabama alaska arizona arkansas california colorado connecticut delaware florida georgia "
    "hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts "
    "michigan minnesota mississippi missouri montana nebraska nevada new north ohio oklahoma "
    "oregon pennsylvania rhode south tennessee texas utah vermont virginia washington west "
    "wisconsin wyoming dc"
)
STATE_WORDS = frozenset(_STATE_NAME_WORDS.split())
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
            # "Santa Clara County", "Juneau, AK": the kind or the state is printed with the name.
            strong = "," in text or bool(_DESIGNATORS.search(key))
            self.by_key[key].append(
                PlaceRef(ref.id, ref.kind, ref.state_code, ref.is_abbreviation, strong)
            )
        self.max_words = max((len(key.split()) for key in self.by_key), default=1)
        self.state_of = {ref.id: ref.state_code for refs in self.by_key.values() for ref in refs}

    def find(self, text: str, context_states: Iterable[str] = ()) -> list[int]:
        """Ids of the jurisdictions ``text`` mentions, in order of first mention.
        ``context_states``: states known from elsewhere (the sender's government address, the
        states the release is about)."""
        tokens, capitals = _tokens(text)
        matches = self._matches(tokens, capitals)
        states = self._context_states(matches, tokens) | set(context_states)
        found: dict[int, None] = {}
        for match in matches:
            accepted = self._accept(match, tokens, capitals, states)
            for ref in accepted:
                found.setdefault(ref.id, None)
            if accepted and accepted[0].kind != "state":
                for state in self._state_named_last(match):  # "Juneau, Alaska" names Alaska
                    found.setdefault(state.id, None)
        return list(found)

    def _state_named_last(self, match: _Match) -> list[PlaceRef]:
        """The state a matched alias ends with when it is written out ("juneau alaska")."""
        words = match.key.split()
        for size in (1, 2, 3):
            if size < len(words):
                refs = self.by_key.get(" ".join(words[-size:]), [])
                named = [r for r in refs if r.kind == "state" and not r.is_abbreviation]
                if named:
                    return named[:1]
        return []

    def states_of_addresses(self, addresses: Iterable[str]) -> set[str]:
        """The states whose governments ``addresses`` belong to ("gov.state.ak.us",
        "alaska.gov", "dc.gov"): who writes says which state a bare town name is in."""
        found = set()
        for address in addresses:
            domain = address.lower().rpartition("@")[2]
            if match := _STATE_DOMAIN.search("." + domain):
                found.add(match["code"].upper())
            elif match := _STATE_GOV.search(domain):
                found |= {
                    r.state_code for r in self.by_key.get(match["name"], ()) if r.kind == "state"
                }
        return found

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
        after = match.start + match.words
        state_refs = [ref for ref in refs if ref.kind == "state"]
        if state_refs:  # "Washington, D.C." is the District, not also its city
            if match.key in AMBIGUOUS_STATE_NAMES:
                following = tokens[after] if after < len(tokens) else ""
                return state_refs[:1] if following == "state" else []
            if _names_an_organization(tokens, capitals, after):
                return []  # "Alaska Airlines", "University of Alaska Press"
            return state_refs[:1]
        if len(refs) > 1:
            refs = [ref for ref in refs if ref.state_code in states]
            if len(refs) != 1:
                return []
        ref = refs[0]
        if ref.strong:
            return [ref]
        if _names_an_organization(tokens, capitals, after):
            return []  # "Mat-Su Miners", "Anchorage Daily News"
        # A bare city or town name.
        if match.words == 1:
            before = match.start - 1
            name_before = before >= 0 and capitals[before] and tokens[before] not in FUNCTION_WORDS
            name_after = (
                after < len(tokens) and capitals[after] and tokens[after] not in FUNCTION_WORDS
            )
            if name_before or name_after:
                return []
            return [ref] if ref.state_code in states else []
        return [ref]


def _names_an_organization(tokens: list[str], capitals: list[bool], after: int) -> bool:
    """A state's name followed by a capitalized word that is not its government's is the name
    of an organization ("Alaska Airlines", "Alaska State Fair"); "Alaska Department of Law" and
    "State of Alaska" name the state."""
    index = after
    if index < len(tokens) and tokens[index] == "state":
        index += 1
    if index >= len(tokens) or not capitals[index] or not tokens[index]:
        return False
    return tokens[index] not in GOVERNMENT_WORDS | FUNCTION_WORDS | STATE_WORDS


def _tokens(text: str) -> tuple[list[str], list[bool]]:
    """Matching keys of the words of ``text`` and whether each was printed capitalized.

    Words inside addresses and links ("@", "/", "www.") are never places."""
    tokens: list[str] = []
    capitals: list[bool] = []
    for raw in _TOKEN.findall(text):
        if "@" in raw or "://" in raw or raw.startswith(("www.", "/")) or raw.count("/") > 1:
            tokens.append("")
            capitals.append(False)
            continue
        if "/" in raw:  # "Seattle/Portland": two names
            pieces = raw.split("/")
            for piece in pieces:
                more, up = _tokens(piece)
                tokens += more
                capitals += up
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


# Where a government address says which state its people work for: "gov.state.ak.us",
# "co.fairbanks.ak.us", "alaska.gov", "dc.gov".
_STATE_DOMAIN = re.compile(
    r"\.(?:state|co\.[a-z-]+|ci\.[a-z-]+|legis\.state)\.(?P<code>[a-z]{2})\.us$"
)
_STATE_GOV = re.compile(r"(?:^|[.@])(?P<name>[a-z]+)\.gov$")


def dominant_states(tally: dict[str, int]) -> set[str]:
    """The states a release is about: those with a good share of the places found so far in it
    (bare town names in its other emails are read in them)."""
    total = sum(tally.values())
    return {
        state
        for state, count in tally.items()
        if count >= RELEASE_STATE_MIN and count >= total * RELEASE_STATE_SHARE
    }
