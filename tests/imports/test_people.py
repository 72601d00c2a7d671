"""Senders and recipients to People: one person per human, under the spelling a reader expects."""

import pytest

from documents.imports.people import PersonResolver
from documents.ingest.addresses import parse_address
from documents.models import Person

pytestmark = pytest.mark.django_db


def test_a_clean_spelling_printed_later_replaces_the_ocr_damaged_one():
    first, later = PersonResolver(), PersonResolver()  # two files of one release
    damaged = first.resolve(parse_address("Rarnos, Sarah <sramos@state.gov>"))
    clean = later.resolve(parse_address("Sarah Ramos [mailto:sramos@state.gov]"))
    assert clean.pk == damaged.pk
    assert Person.objects.get().name == "Sarah Ramos"
    # The damaged spelling printed again does not take the name back.
    PersonResolver().resolve(parse_address("Rarnos, Sarah <sramos@state.gov>"))
    assert Person.objects.get().name == "Sarah Ramos"


def test_a_name_the_address_does_not_spell_keeps_the_first_spelling():
    PersonResolver().resolve(parse_address("Kari Spencer <kspencer@gov.state.ak.us>"))
    PersonResolver().resolve(parse_address("Karl Spencer <kspencer@gov.state.ak.us>"))
    assert Person.objects.get().name == "Kari Spencer"


def test_a_name_ocr_misread_without_an_address_is_the_person_printed_cleanly():
    """412.pdf prints "Karl Spencer" where the rest of the release prints "Kari Spencer"."""
    kari = PersonResolver().resolve(parse_address("Kari Spencer <kari_spencer@gov.state.ak.us>"))
    assert PersonResolver().resolve(parse_address("Karl Spencer")).pk == kari.pk
    # Printed in the other order, the clean spelling the address spells wins.
    PersonResolver().resolve(parse_address("Rarnos, Sarah"))
    ramos = PersonResolver().resolve(parse_address("Sarah Ramos <sramos@state.gov>"))
    assert ramos.name == "Sarah Ramos"
    assert Person.objects.count() == 2


def test_look_alike_names_with_addresses_of_their_own_stay_two_people():
    PersonResolver().resolve(parse_address("Kari Spencer <kari@example.org>"))
    PersonResolver().resolve(parse_address("Karl Spencer <karl@example.com>"))
    assert sorted(Person.objects.values_list("name", flat=True)) == ["Kari Spencer", "Karl Spencer"]
