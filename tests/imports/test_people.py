"""Senders and recipients to People: one person per human, under the spelling a reader expects."""

import pytest

from documents.imports.people import PersonResolver
from documents.ingest.addresses import parse_address
from documents.models import Person

pytestmark = pytest.mark.django_db


def resolve(printed: str) -> Person:
    """The person of an address printed in a file of its own (a resolver per file); the people
    it adds are stored with the file's emails."""
    resolver = PersonResolver()
    person = resolver.resolve(parse_address(printed))
    resolver.rows.insert()
    return person


def test_a_clean_spelling_printed_later_replaces_the_ocr_damaged_one():
    damaged = resolve("Rarnos, Sarah <sramos@state.gov>")
    clean = resolve("Sarah Ramos [mailto:sramos@state.gov]")
    assert clean.pk == damaged.pk
    assert Person.objects.get().name == "Sarah Ramos"
    # The damaged spelling printed again does not take the name back.
    resolve("Rarnos, Sarah <sramos@state.gov>")
    assert Person.objects.get().name == "Sarah Ramos"


def test_a_name_the_address_does_not_spell_keeps_the_first_spelling():
    resolve("Kari Spencer <kspencer@gov.state.ak.us>")
    resolve("Karl Spencer <kspencer@gov.state.ak.us>")
    assert Person.objects.get().name == "Kari Spencer"


def test_a_name_ocr_misread_without_an_address_is_the_person_printed_cleanly():
    """412.pdf prints "Karl Spencer" where the rest of the release prints "Kari Spencer"."""
    kari = resolve("Kari Spencer <kari_spencer@gov.state.ak.us>")
    assert resolve("Karl Spencer").pk == kari.pk
    # Printed in the other order, the clean spelling the address spells wins.
    resolve("Rarnos, Sarah")
    ramos = resolve("Sarah Ramos <sramos@state.gov>")
    assert ramos.name == "Sarah Ramos"
    assert Person.objects.count() == 2


def test_look_alike_names_with_addresses_of_their_own_stay_two_people():
    resolve("Kari Spencer <kari@example.org>")
    resolve("Karl Spencer <karl@example.com>")
    assert sorted(Person.objects.values_list("name", flat=True)) == ["Kari Spencer", "Karl Spencer"]


def test_a_misread_name_printed_later_in_the_same_chunk_is_the_person_not_yet_stored():
    """People a file adds wait to be inserted with its chunk of emails; a misread spelling of
    one of them, further down the same chunk, is still that person."""
    resolver = PersonResolver()
    kari = resolver.resolve(parse_address("Kari Spencer <kari_spencer@gov.state.ak.us>"))
    assert resolver.resolve(parse_address("Karl Spencer")) is kari
    resolver.rows.insert()
    assert Person.objects.get().name == "Kari Spencer"
