"""Senders and recipients to People: one person per human, under the spelling a reader expects."""

import pytest

from documents.imports.people import PersonResolver
from documents.ingest.addresses import parse_address
from documents.models import Person, PersonAlias
from tests.factories import make_person

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


def test_what_one_spelling_completes_the_next_spelling_of_that_person_sees():
    """A person stored without an address, spelled two ways. One chunk of a file prints the
    first spelling; the next prints it with an address, then the other spelling with another
    address: the person keeps the address it was first given."""
    person = make_person("John Smith")
    for key in ("name:john smith", "name:johnny smith"):
        PersonAlias.objects.create(person=person, normalized=key, alias="John Smith")
    resolver = PersonResolver()
    first = parse_address("John Smith")
    resolver.prefetch([first])
    resolver.resolve(first)
    later = [parse_address("John Smith <js@a.gov>"), parse_address("Johnny Smith <jsmith@b.gov>")]
    resolver.prefetch(later)  # the next chunk, asked ahead before either is resolved
    assert {resolver.resolve(address).pk for address in later} == {person.pk}
    resolver.rows.insert()
    assert Person.objects.get().email == "js@a.gov"


def test_spellings_alike_in_all_the_characters_a_spelling_keeps_are_one_person():
    """A spelling keeps its first 500 characters (a name of ligatures grows when folded to
    letters): two that differ only after them are one person, as they are one stored key."""
    long = "ﬄ" * 200
    resolver = PersonResolver()
    first = resolver.resolve(parse_address(f"Ann {long}x"))
    assert resolver.resolve(parse_address(f"Ann {long}y")) is first
    resolver.rows.insert()
    assert Person.objects.count() == 1
