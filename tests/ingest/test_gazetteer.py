"""The gazetteer: every state, county and large city; aliases that resolve; safe reloads."""

import pytest

from documents.imports.gazetteer import load_gazetteer, resolve
from documents.ingest.gazetteer import build_gazetteer, normalize_place_name
from documents.models import Jurisdiction, JurisdictionAlias

# 50 states + DC, and 3,143 counties and county-equivalents in them (Census 2020).
STATES = 50
COUNTIES_IN_STATES_AND_DC = 3143


@pytest.fixture(scope="module")
def gazetteer():
    return build_gazetteer()


@pytest.fixture
def loaded(gazetteer_db):
    """The gazetteer as the test database holds it (loaded once per test session)."""


def test_every_state_dc_and_territory(gazetteer):
    state_level = {p.state_code: p for p in gazetteer if p.kind == "state"}
    assert len(state_level) == STATES + 1 + 5
    assert {"DC", "PR", "GU", "VI", "AS", "MP"} <= state_level.keys()
    assert state_level["CA"].fips == "06"


def test_every_county_and_county_equivalent_with_its_fips(gazetteer):
    counties = [p for p in gazetteer if p.kind == "county"]
    in_states = [p for p in counties if p.state_code not in {"PR", "GU", "VI", "AS", "MP"}]
    assert len(in_states) == COUNTIES_IN_STATES_AND_DC
    california = {p.name: p.fips for p in counties if p.state_code == "CA"}
    assert len(california) == 58
    assert california["Santa Clara County"] == "06085"
    names = {p.name for p in counties}
    # County-equivalents: parishes, boroughs, independent cities.
    assert {"Orleans Parish", "Juneau City and Borough", "Richmond city"} <= names


def test_cities_of_fifty_thousand_or_more(gazetteer):
    cities = {(p.state_code, p.name): p for p in gazetteer if p.kind == "city"}
    assert len(cities) > 700
    assert all(p.population >= 50_000 for p in cities.values())
    assert {("CA", "San Jose"), ("CA", "Fresno"), ("DC", "Washington")} <= cities.keys()
    assert ("CA", "Alpine") not in cities  # a small place is not a city here


def test_matching_keys_ignore_case_punctuation_accents_and_a_leading_the():
    assert normalize_place_name("L.A. County") == "la county"
    assert (
        normalize_place_name("the City and County of San Francisco")
        == "city and county of san francisco"
    )
    assert normalize_place_name("Mayagüez") == "mayaguez"
    assert normalize_place_name("Arlington, Va.") == "arlington va"


@pytest.mark.parametrize(
    ("alias", "kind", "fips_or_name"),
    [
        ("Santa Clara Co.", "county", "06085"),
        ("County of Santa Clara", "county", "06085"),
        ("santa clara county, calif.", "county", "06085"),
        ("L.A. County", "county", "06037"),
        ("the City and County of San Francisco", "city", "San Francisco"),
        ("St. Louis city", "county", "29510"),
        ("Saint Louis County", "county", "29189"),
        ("Shannon County, S.D.", "county", "46102"),  # renamed Oglala Lakota County in 2015
        ("Charles City County", "county", "51036"),
        ("Calif.", "state", "06"),
        ("Va.", "state", "51"),
        ("D.C.", "state", "11"),
        ("Arlington, Va.", "county", "51013"),  # no city government: the county governs it
        ("Arlington, Texas", "city", "Arlington"),
        ("City of San Jose", "city", "San Jose"),
    ],
)
def test_aliases_resolve(loaded, alias, kind, fips_or_name):
    matches = [j for j in resolve(alias) if j.kind == kind]
    assert matches, f"{alias!r} resolved to nothing of kind {kind}"
    assert fips_or_name in {j.fips for j in matches} | {j.name for j in matches}


def test_an_ambiguous_name_resolves_to_every_place_it_may_mean(loaded):
    assert {j.fips for j in resolve("St. Louis County")} == {"29189", "27137"}
    assert {j.state_code for j in resolve("Orange County")} >= {"CA", "FL", "NY"}


def test_abbreviations_are_marked_as_needing_context(loaded):
    assert JurisdictionAlias.objects.get(jurisdiction__fips="06", normalized="ca").is_abbreviation
    assert not JurisdictionAlias.objects.get(
        jurisdiction__fips="06", normalized="california"
    ).is_abbreviation


def test_counties_and_cities_hang_under_their_state(loaded):
    county = Jurisdiction.objects.get(fips="06085")
    assert county.parent.name == "California"
    assert (
        Jurisdiction.objects.get(kind="city", state_code="CA", name="San Jose").parent
        == county.parent
    )


def test_a_first_load_creates_every_place(db, gazetteer):
    JurisdictionAlias.objects.all().delete()
    Jurisdiction.objects.exclude(kind="state").delete()
    Jurisdiction.objects.all().delete()
    report = load_gazetteer(gazetteer)
    assert report.created == len(gazetteer)
    assert report.aliases_created == sum(len(place.aliases) for place in gazetteer)
    assert Jurisdiction.objects.count() == len(gazetteer)


def test_loading_twice_changes_nothing(loaded, gazetteer):
    jurisdictions = Jurisdiction.objects.count()
    aliases = JurisdictionAlias.objects.count()
    again = load_gazetteer(gazetteer)
    assert (again.created, again.updated, again.aliases_created) == (0, 0, 0)
    assert Jurisdiction.objects.count() == jurisdictions
    assert JurisdictionAlias.objects.count() == aliases


def test_a_reload_repairs_an_edited_place_and_keeps_its_identity(loaded, gazetteer):
    county = Jurisdiction.objects.get(fips="06085")
    Jurisdiction.objects.filter(pk=county.pk).update(name="Santa Clara Cnty (typo)")
    report = load_gazetteer(gazetteer)
    assert report.updated == 1
    assert Jurisdiction.objects.get(pk=county.pk).name == "Santa Clara County"
