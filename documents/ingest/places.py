"""Jurisdictions mentioned in an email: gazetteer aliases found in its subject and own text.

A name alone is weak evidence: "Jackson" and "Washington" are surnames, "Orange" a fruit. So:
- counties need their designator ("County", "Parish", "Co.") or a state after them;
- a state's full name counts when capitalized; "Washington" and "Georgia" only as
  "State of ...", "... State" or with a city before them;
- a city name of two or more words counts when only one city bears it, or one in a state the
  email mentions; a one-word city name only in a state the email mentions or when it is a large
  city's ("Phoenix", "Seattle"), and never next to another capitalized word ("Gregory Jackson",
  "Judge Jackson") unless punctuation, a line break or a date word stands between
  ("Depart: Anchorage (ANC)", "Juneau Sunday");
- abbreviations ("CA", "Calif.") never count alone; they tell which state is meant.
"""

from __future__ import annotations

import re
from calendar import day_abbr, day_name, month_abbr, month_name
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from documents.ingest.gazetteer import normalize_place_name

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
# A one-word city name this large is read without its state ("in Phoenix", "Seattle/Portland"),
# unless it is also a common personal name.
LARGE_CITY_POPULATION = 500_000
PERSONAL_NAMES = frozenset({"austin", "charlotte", "dallas", "denver", "houston", "raleigh"})
# Words of dates, which may follow a place without making it part of a name ("Juneau Sunday").
CALENDAR_WORDS = frozenset(
    name.lower()
    for name in (*day_name, *day_abbr, *month_name[1:], *month_abbr[1:], "Tues", "Thurs", "Sept")
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
# Words before "of <place>" that make the whole the place itself or its government ("State of
# Alaska", "City of Juneau", "Attorney General of Alaska", "the People of California").
OWNED_BY_PLACES = frozenset(
    ["city", "county", "municipality", "borough", "district", "commonwealth", "people", "general"]
)
# Words before a place's name that name a part of it, not an organization ("Southeast Alaska").
REGION_WORDS = frozenset(
    [
        "north",
        "south",
        "east",
        "west",
        "northern",
        "southern",
        "eastern",
        "western",
        "central",
        "southeast",
        "southwest",
        "northeast",
        "northwest",
        "southcentral",
        "interior",
        "rural",
        "downtown",
        "greater",
        "all",
    ]
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
    large: bool = False  # a city whose bare name is known nationwide


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
                PlaceRef(ref.id, ref.kind, ref.state_code, ref.is_abbreviation, strong, ref.large)
            )
        self.max_words = max((len(key.split()) for key in self.by_key), default=1)
        self.state_of = {ref.id: ref.state_code for refs in self.by_key.values() for ref in refs}

    def find(self, text: str, context_states: Iterable[str] = ()) -> list[int]:
        """Ids of the jurisdictions ``text`` mentions, in order of first mention.
        ``context_states``: states known from elsewhere (the sender's government address, the
        states the release is about)."""
        words = _words(text)
        matches = self._matches(words.keys, words.capitals)
        states = self._context_states(matches, words.keys) | set(context_states)
        place_ends = {match.start + match.words for match in matches}
        found: dict[int, None] = {}
        for match in matches:
            if _inside_an_organization(words, match, place_ends):
                continue  # "University of Alaska", "Port of Seattle", "BP Alaska"
            accepted = self._accept(match, words, states)
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
    def _accept(match: _Match, words: _Words, states: set[str]):
        refs = [ref for ref in match.refs if not ref.is_abbreviation]
        if not refs:
            return []
        after = match.start + match.words
        state_refs = [ref for ref in refs if ref.kind == "state"]
        if state_refs:  # "Washington, D.C." is the District, not also its city
            if match.key in AMBIGUOUS_STATE_NAMES:
                following = words.keys[after] if after < len(words.keys) else ""
                return state_refs[:1] if following == "state" else []
            if _names_an_organization(words, after):
                return []  # "Alaska Airlines", "University of Alaska Press"
            return state_refs[:1]
        if len(refs) > 1:
            in_context = [ref for ref in refs if ref.state_code in states]
            large = [ref for ref in refs if ref.large]
            refs = in_context or large
            if len(refs) != 1:
                return []
        ref = refs[0]
        if ref.strong:
            return [ref]
        if _names_an_organization(words, after):
            return []  # "Mat-Su Miners", "Anchorage Daily News"
        # A bare city or town name.
        if match.words == 1:
            if words.names_a_person(match.start - 1) or words.names_a_person(after, before=False):
                return []
            known = ref.large and match.key not in PERSONAL_NAMES
            return [ref] if ref.state_code in states or known else []
        return [ref]


def _names_an_organization(words: _Words, after: int) -> bool:
    """A state's name followed by a capitalized word that is not its government's is the name
    of an organization ("Alaska Airlines", "Alaska State Fair"); "Alaska Department of Law" and
    "State of Alaska" name the state."""
    index = after
    if index < len(words.keys) and words.keys[index] == "state" and words.joined(index):
        index += 1
    if index >= len(words.keys) or not words.joined(index) or not words.capitals[index]:
        return False
    return words.keys[index] not in GOVERNMENT_WORDS | FUNCTION_WORDS | STATE_WORDS | CALENDAR_WORDS


def _inside_an_organization(words: _Words, match: _Match, place_ends: set[int]) -> bool:
    """A place's name that ends an organization's: "<Name> of <place>" where the name is not a
    government's ("University of Alaska", "Republican Party of Alaska"), or a state's name after
    a capitalized word that is neither a place nor a region ("BP Alaska", "NEA-Alaska"); a bare
    town's is checked for names around it when it is accepted."""
    start = match.start
    before = start - 1
    if before < 0 or not words.joined(start):
        return False
    if words.keys[before] == "of":
        owner = before - 1
        return (
            owner >= 0
            and words.joined(before)
            and words.capitals[owner]
            and words.keys[owner] not in GOVERNMENT_WORDS | FUNCTION_WORDS | OWNED_BY_PLACES
        )
    return (
        words.breaks[start] == NO_BREAK
        and any(ref.kind == "state" for ref in match.refs)
        and words.capitals[before]
        and before + 1 not in place_ends
        and words.keys[before] not in FUNCTION_WORDS | CALENDAR_WORDS | REGION_WORDS
        and not words.keys[before].isdigit()
    )


NO_BREAK, LINE_BREAK, PUNCTUATION = range(3)


@dataclass
class _Words:
    """The words of a text as matching keys, whether each was printed capitalized, and what
    stands before it: punctuation (then it is not part of a name with the word before: "Depart:
    Anchorage (ANC)", "Anch, Juneau"), a line break (a name may start there, as in an address
    block, but prose wraps anywhere, so a name may also go on) or nothing."""

    keys: list[str]
    capitals: list[bool]
    breaks: list[int]  # NO_BREAK, LINE_BREAK or PUNCTUATION

    def joined(self, index: int) -> bool:
        """Whether the word at ``index`` may go on a name from the word before it."""
        return self.breaks[index] != PUNCTUATION

    def names_a_person(self, index: int, before: bool = True) -> bool:
        """Whether the word at ``index`` joins a place next to it into a longer proper name
        ("Gregory Jackson", "Judge Jackson"); ``before``: the word stands before the place."""
        if index < 0 or index >= len(self.keys):
            return False
        joined = self.breaks[index + 1] == NO_BREAK if before else self.joined(index)
        key = self.keys[index]
        return joined and self.capitals[index] and key not in FUNCTION_WORDS | CALENDAR_WORDS


# What separates two words without breaking a name ("Mat-Su", "Texas A&M").
_JOINING = re.compile(r"[\s&-]*")
_POSSESSIVE = re.compile(r"['’]s$")
# Punctuation at a token's end, which ends a name ("Juneau.", "Anch,") unless it is a title's.
_TAIL = re.compile(r"[^A-Za-z0-9'’]+$")
TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "gov",
        "sen",
        "rep",
        "lt",
        "gen",
        "col",
        "capt",
        "sgt",
        "hon",
        "rev",
        "st",
        "mt",
        "ft",
        "jr",
        "sr",
    ]
)


def _words(text: str) -> _Words:
    """The words of ``text``. Words inside addresses and links ("@", "/", "www.") are never
    places."""
    words = _Words([], [], [])
    pending_break = PUNCTUATION
    end = 0  # of the token before
    for found in _TOKEN.finditer(text):
        if "\n" in text[end : found.start()]:
            pending_break = max(pending_break, LINE_BREAK)
        end = found.end()
        raw = found.group()
        if "@" in raw or "://" in raw or raw.startswith(("www.", "/")) or raw.count("/") > 1:
            words.keys.append("")
            words.capitals.append(False)
            words.breaks.append(PUNCTUATION)
            pending_break = PUNCTUATION
            continue
        for piece in raw.split("/"):  # "Seattle/Portland": two names
            pending_break = _add_piece(words, _POSSESSIVE.sub("", piece), pending_break)
            if "/" in raw:
                pending_break = PUNCTUATION
    return words


def _add_piece(words: _Words, raw: str, pending_break: int) -> int:
    """Add the words of one printed token; the break that follows it."""
    if raw.isascii():
        text = raw.replace("&", " and ").translate(_STRIP)
        end = 0
        for piece in re.finditer(r"[A-Za-z0-9]+", text):
            separator = text[end : piece.start()]
            if separator and not (end and _JOINING.fullmatch(separator)):
                pending_break = PUNCTUATION
            words.keys.append(piece.group().lower())
            words.capitals.append(piece.group()[0].isupper())
            words.breaks.append(pending_break)
            pending_break = NO_BREAK
            end = piece.end()
    else:
        keys = normalize_place_name(raw).split()
        capital = next((char.isupper() for char in raw if char.isalpha()), False)
        for position, key in enumerate(keys):
            words.keys.append(key)
            words.capitals.append(capital if position == 0 else key[:1].isalpha() and capital)
            words.breaks.append(pending_break if position == 0 else NO_BREAK)
        if keys:
            pending_break = NO_BREAK
    tail = _TAIL.search(raw)
    if not tail or tail.group() == "." and words.keys and words.keys[-1] in TITLES:
        return pending_break
    return PUNCTUATION


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
