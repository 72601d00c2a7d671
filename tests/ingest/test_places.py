"""Jurisdictions an email names, measured for precision and recall separately: streets, people
and organisations named like places are not places; a town's bare name is, where the sender's
address or the release says which state it is in."""

import pytest

from documents.imports.service import place_index
from documents.models import Jurisdiction

pytestmark = pytest.mark.django_db


@pytest.fixture
def find(gazetteer_db):
    """Read after the gazetteer is (re)loaded: a transactional test before this one may have
    emptied the tables, and a reload gives the places new keys."""
    index = place_index()
    slugs = dict(Jurisdiction.objects.values_list("id", "slug"))

    def found(text: str, addresses=(), release=()) -> set[str]:
        context = index.states_of_addresses(addresses) | set(release)
        return {slugs[pk] for pk in index.find(text, context)}

    return found


@pytest.mark.parametrize(
    ("text", "places"),
    [
        (
            "Office of the Governor\nJuneau, Alaska 99811",
            {"ak", "ak-county-juneau-city-and-borough"},
        ),
        ("Washington, DC 20004", {"dc"}),
        ("The hearing is in D.C. next week.", {"dc"}),
        ("The Alaska Department of Law agreed.", {"ak"}),
        ("Employees of the State of Alaska may attend.", {"ak"}),
        (
            "Santa Clara Co. voted; so did Contra Costa.",
            {"ca-county-santa-clara-county", "ca-county-contra-costa-county"},
        ),
        (
            "Pipeline talks in Matanuska-Susitna Borough and the Mat-Su Borough office",
            {"ak-county-matanuska-susitna-borough"},
        ),
        # A consolidated city-county is the city; a place its county governs is the county.
        ("the City and County of San Francisco", {"ca-city-san-francisco"}),
        ("ICE activated Arlington, Va. today", {"va-county-arlington-county"}),
    ],
)
def test_places_that_are_named(find, text, places):
    assert find(text) == places


@pytest.mark.parametrize(
    "text",
    [
        "Book it on Alaska Airlines, seat 13A.",
        "The Alaska State Fair opens in August.",
        "Tickets for the Mat-Su Miners game.",
        "Meet me at 1350 Pennsylvania Avenue, NW.",
        "Walk down Washington Street to the office.",
        "Georgia Smith and Jackson Browne will call.",
        "Mobile: 907-465-3500",
        "He studied at the University of Alaska and the University of Maine.",
        "She spoke for the Republican Party of Alaska.",
        "Tom Williams, BP Alaska; Dick Cattanach, contractors",
        "Scott Pattison, from the Port of Seattle, joined.",
        "Sam Houston was there; so was Charlotte.",
    ],
)
def test_names_that_only_look_like_places(find, text):
    assert find(text) == set()


@pytest.mark.parametrize(
    ("text", "places"),
    [
        # Punctuation ends a name: a label, a code in brackets, a list.
        ("Depart: Anchorage (ANC) at 7:50 p.m", {"ak-city-anchorage"}),
        ("travel Bethel, Anch, Juneau on King Air", {"ak-county-juneau-city-and-borough"}),
        (
            "a snowmachine club in Juneau. Scott Spickler runs it",
            {"ak-county-juneau-city-and-borough"},
        ),
        # OCR joined a comma and a letter; a day or a month follows a place without naming a person.
        ("I will not be going to Skagway,l guess", {"ak-county-skagway-municipality"}),
        ("I would like to return to Juneau Sunday May 13", {"ak-county-juneau-city-and-borough"}),
        # A possessive, a region of a state, a government "of" the state.
        ("the schedule from the North Slope Borough's office", {"ak-county-north-slope-borough"}),
        ("Flights across Southeast Alaska", {"ak"}),
        ("The Attorney General of Alaska said so.", {"ak"}),
        # An address block: a name may start a line.
        ("1350 Pennsylvania Avenue, NW 6th Floor\nWashington, DC 20004", {"dc"}),
    ],
)
def test_a_place_beside_other_words_in_an_alaska_release(find, text, places):
    assert find(text, release=["AK"]) == places


def test_a_large_citys_bare_name_needs_no_state(find):
    assert find("Back from Phoenix; then Seattle/Portland.") == {
        "az-city-phoenix",
        "wa-city-seattle",
        "or-city-portland",
    }
    assert find("Gregory Phoenix called.") == set()


def test_a_bare_town_is_read_in_the_state_its_sender_works_for(find):
    text = "Please book a flight to Juneau on Thursday."
    assert find(text) == set()
    assert find(text, addresses=["kari_spencer@gov.state.ak.us"]) == {
        "ak-county-juneau-city-and-borough"
    }
    assert find(text, addresses=["erika.fagerstrom@alaska.gov"]) == {
        "ak-county-juneau-city-and-borough"
    }


def test_a_bare_town_is_read_in_the_states_the_release_is_about(find):
    assert find("She lands in Anchorage tonight.", release=["AK"]) == {"ak-city-anchorage"}


def test_a_county_name_several_states_share_is_read_from_the_emails_other_places(find):
    assert find("Orange County deputies met in Santa Ana, Calif.") >= {"ca-county-orange-county"}
    assert "fl-county-orange-county" not in find("Orange County deputies met in Santa Ana, Calif.")
    assert find("Cook County is next", addresses=["jdoe@state.il.us"]) == {"il-county-cook-county"}
    assert find("Orange County is next") == set()


def test_the_release_remembers_its_states(tmp_path, media_root, gazetteer_db):
    """After the release's first emails, a bare "Juneau" in an email from a private address is
    read in Alaska too."""
    from documents.models import Batch, Document
    from tests.conftest import run_import

    for n in range(6):
        (tmp_path / f"{n}.eml").write_text(
            f"From: Kari Spencer <kari_spencer@gov.state.ak.us>\nTo: Todd Palin <t@yahoo.com>\n"
            f"Subject: Travel {n}\nDate: Mon, 05 Mar 2007 16:0{n}:00 -0900\n\n"
            "Flights from Anchorage to Juneau, Alaska are booked.\n"
        )
    (tmp_path / "9.eml").write_text(
        "From: Todd Palin <t@yahoo.com>\nTo: Erika <e@yahoo.com>\nSubject: Flight\n"
        "Date: Tue, 06 Mar 2007 09:00:00 -0900\n\nPlease book Juneau for Thursday.\n"
    )
    run_import(sorted(tmp_path.glob("*.eml")), name="palin")
    assert Batch.objects.get(name="palin").place_states["AK"] >= 5
    last = Document.objects.get(subject="Flight")
    assert set(last.jurisdictions.values_list("slug", flat=True)) == {
        "ak-county-juneau-city-and-borough"
    }
