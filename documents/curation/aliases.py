"""Editors add and remove the spellings that name a person or a jurisdiction. New spellings are
used by imports from then on; emails already imported keep the person or place they have."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse

from documents import audit
from documents.fitting import nul_problem
from documents.ingest.addresses import parse_address, person_keys
from documents.ingest.gazetteer import normalize_place_name
from documents.models import AuditEntry, Jurisdiction, JurisdictionAlias, Person, PersonAlias

MAX_ALIAS_LENGTH = 250


class AliasError(ValueError):
    """A spelling that cannot be added, with a reason to show the editor."""


def _text(text: str) -> str:
    text = " ".join(text.split())
    if not text:
        raise AliasError("Give the spelling to add.")
    if len(text) > MAX_ALIAS_LENGTH:
        raise AliasError(f"A spelling is at most {MAX_ALIAS_LENGTH} characters.")
    if problem := nul_problem("A spelling", text):
        raise AliasError(problem)
    return text


def add_person_alias(person: Person, text: str, user) -> list[PersonAlias]:
    """The keys the importer matches people by ("email:…", "name:…") for this spelling; a key
    that already names someone else is refused, since one spelling cannot mean two people."""
    text = _text(text)
    address = parse_address(text)
    if address.redacted:
        raise AliasError("A redaction code names nobody.")
    keys = [key[:500] for key in person_keys(address)]
    if not keys:
        raise AliasError("That spelling holds no name or address to match.")
    taken = PersonAlias.objects.filter(normalized__in=keys).exclude(person=person).first()
    if taken:
        raise AliasError(f"“{text}” already names {taken.person}.")
    with transaction.atomic():
        added = [
            PersonAlias.objects.create(person=person, alias=text, normalized=key)
            for key in keys
            if not PersonAlias.objects.filter(normalized=key).exists()
        ]
        if added:
            audit.record(
                user,
                AuditEntry.Action.ALIAS_ADDED,
                str(person),
                reverse("person", args=[person.pk]),
                alias=text,
            )
    return added


def remove_person_alias(alias: PersonAlias, user) -> None:
    with transaction.atomic():
        audit.record(
            user,
            AuditEntry.Action.ALIAS_REMOVED,
            str(alias.person),
            reverse("person", args=[alias.person_id]),
            alias=alias.alias,
        )
        alias.delete()


def add_place_alias(place: Jurisdiction, text: str, abbreviation: bool, user) -> JurisdictionAlias:
    """``abbreviation``: a short form ("Co.", "Calif.") trusted only beside its state."""
    text = _text(text)
    normalized = normalize_place_name(text)
    if not normalized:
        raise AliasError("That spelling holds no words.")
    if place.aliases.filter(normalized=normalized).exists():
        raise AliasError(f"{place} is already known as “{text}”.")
    with transaction.atomic():
        alias = JurisdictionAlias.objects.create(
            jurisdiction=place, alias=text, normalized=normalized, is_abbreviation=abbreviation
        )
        audit.record(
            user,
            AuditEntry.Action.ALIAS_ADDED,
            str(place),
            reverse("jurisdiction", args=[place.slug]),
            alias=text,
        )
    return alias


def remove_place_alias(alias: JurisdictionAlias, user) -> None:
    with transaction.atomic():
        place = alias.jurisdiction
        audit.record(
            user,
            AuditEntry.Action.ALIAS_REMOVED,
            str(place),
            reverse("jurisdiction", args=[place.slug]),
            alias=alias.alias,
        )
        alias.delete()
