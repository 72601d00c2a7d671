"""Editors add and remove spellings of people and places from their pages; imports use them."""

import pytest
from django.urls import reverse

from documents.curation.aliases import AliasError, add_person_alias, add_place_alias
from documents.imports.gazetteer import resolve
from documents.imports.people import PersonResolver
from documents.ingest.addresses import parse_address
from documents.models import AuditEntry, Jurisdiction, PersonAlias
from tests.factories import make_person, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(db):
    return make_user("editor", "Editor")


def test_a_new_spelling_of_a_person_is_matched_by_later_imports(editor):
    person = make_person("David Venturella", "david.venturella@ice.dhs.gov")
    add_person_alias(person, "Venturella, Dave <dventurella@dhs.gov>", editor)
    assert set(person.aliases.values_list("normalized", flat=True)) >= {"email:dventurella@dhs.gov"}
    assert PersonResolver().resolve(parse_address("dventurella@dhs.gov")) == person
    assert AuditEntry.objects.get().action == "alias_added"


def test_a_spelling_that_names_someone_else_or_nobody_is_refused(editor):
    david = make_person("David Venturella", "david.venturella@ice.dhs.gov")
    marc = make_person("Marc Rapp", "marc.rapp@dhs.gov")
    PersonAlias.objects.create(person=marc, alias="Rapp, Marc", normalized="name:marc rapp")
    with pytest.raises(AliasError, match="already names Marc Rapp"):
        add_person_alias(david, "Marc Rapp", editor)
    with pytest.raises(AliasError, match="redaction"):
        add_person_alias(david, "(b)(6)", editor)
    with pytest.raises(AliasError):
        add_person_alias(david, "   ", editor)


def test_a_place_spelling_is_resolved_and_can_be_removed_from_its_page(
    editor, gazetteer_db, client
):
    county = Jurisdiction.objects.get(slug="ca-county-santa-clara-county")
    add_place_alias(county, "Cnty of Santa Clara", False, editor)
    assert county in resolve("cnty of santa clara")
    with pytest.raises(AliasError, match="already known"):
        add_place_alias(county, "CNTY of Santa  Clara", False, editor)
    client.force_login(editor)
    page = client.get(reverse("jurisdiction", args=[county.slug])).content.decode()
    assert "Edit spellings" in page and "Cnty of Santa Clara" in page
    alias = county.aliases.get(alias="Cnty of Santa Clara")
    client.post(reverse("place-alias-remove", args=[county.slug, alias.pk]))
    assert county not in resolve("cnty of santa clara")


def test_the_person_page_form_adds_a_spelling_and_reports_a_clash(editor, client):
    david = make_person("David Venturella", "david.venturella@ice.dhs.gov")
    marc = make_person("Marc Rapp", "marc.rapp@dhs.gov")
    PersonAlias.objects.create(
        person=marc, alias="marc.rapp@dhs.gov", normalized="email:marc.rapp@dhs.gov"
    )
    client.force_login(editor)
    done = client.post(
        reverse("person-alias-add", args=[david.pk]),
        {"alias": "D. Venturella/ICE/DHS"},
        follow=True,
    )
    assert "D. Venturella/ICE/DHS" in done.content.decode()
    clash = client.post(
        reverse("person-alias-add", args=[david.pk]), {"alias": "<marc.rapp@dhs.gov>"}, follow=True
    )
    assert "already names Marc Rapp" in clash.content.decode()
    client.force_login(make_user("reader", "Reader"))
    assert "Edit spellings" not in client.get(reverse("person", args=[david.pk])).content.decode()
