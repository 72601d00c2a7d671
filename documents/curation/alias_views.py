"""Editors add and remove spellings of a person or a jurisdiction from its page."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from documents import roles
from documents.curation import aliases
from documents.models import Jurisdiction, JurisdictionAlias, Person, PersonAlias


@require_POST
@roles.requires(roles.EDIT_PERSON_ALIASES)
def add_person_alias(request, pk: int):
    person = get_object_or_404(Person, pk=pk)
    try:
        aliases.add_person_alias(person, request.POST.get("alias", ""), request.user)
    except aliases.AliasError as error:
        messages.error(request, str(error))
    return redirect("person", pk)


@require_POST
@roles.requires(roles.EDIT_PERSON_ALIASES)
def remove_person_alias(request, pk: int, alias_id: int):
    alias = get_object_or_404(PersonAlias, pk=alias_id, person_id=pk)
    aliases.remove_person_alias(alias, request.user)
    return redirect("person", pk)


@require_POST
@roles.requires(roles.EDIT_PLACE_ALIASES)
def add_place_alias(request, slug: str):
    place = get_object_or_404(Jurisdiction, slug=slug)
    try:
        aliases.add_place_alias(
            place,
            request.POST.get("alias", ""),
            bool(request.POST.get("abbreviation")),
            request.user,
        )
    except aliases.AliasError as error:
        messages.error(request, str(error))
    return redirect("jurisdiction", slug)


@require_POST
@roles.requires(roles.EDIT_PLACE_ALIASES)
def remove_place_alias(request, slug: str, alias_id: int):
    alias = get_object_or_404(JurisdictionAlias, pk=alias_id, jurisdiction__slug=slug)
    aliases.remove_place_alias(alias, request.user)
    return redirect("jurisdiction", slug)
