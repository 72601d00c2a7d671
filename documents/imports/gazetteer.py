"""Loading the gazetteer into Jurisdiction and its aliases, idempotently."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from documents.ingest.gazetteer import Place, build_gazetteer, normalize_place_name
from documents.models import Jurisdiction, JurisdictionAlias

_FIELDS = ("kind", "name", "state_code", "fips", "geonames_id", "population", "parent_id")
_BATCH_SIZE = 1000


@dataclass(frozen=True)
class GazetteerReport:
    places: int
    created: int
    updated: int
    aliases_created: int

    def __str__(self) -> str:
        return (
            f"Gazetteer: {self.places:,} places ({self.created:,} new, {self.updated:,} updated), "
            f"{self.aliases_created:,} new aliases."
        )


@transaction.atomic
def load_gazetteer(places: Iterable[Place] | None = None) -> GazetteerReport:
    """Create or update every place and add missing aliases; a second load changes nothing.

    Places are matched by slug. Jurisdictions no longer in the gazetteer are kept: documents may
    point at them.
    """
    places = list(build_gazetteer() if places is None else places)
    by_slug = {j.slug: j for j in Jurisdiction.objects.all()}
    created = updated = 0
    # States first: counties and cities need their parent's id.
    for level in (
        [p for p in places if p.parent_slug is None],
        [p for p in places if p.parent_slug],
    ):
        new, changed = [], []
        for place in level:
            values = _field_values(place, by_slug)
            current = by_slug.get(place.slug)
            if current is None:
                new.append(Jurisdiction(slug=place.slug, **values))
            elif any(getattr(current, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(current, name, value)
                changed.append(current)
        Jurisdiction.objects.bulk_create(new, batch_size=_BATCH_SIZE)
        Jurisdiction.objects.bulk_update(changed, _FIELDS, batch_size=_BATCH_SIZE)
        by_slug.update((j.slug, j) for j in new)
        created += len(new)
        updated += len(changed)

    known = {
        (jurisdiction_id, key): abbreviation
        for jurisdiction_id, key, abbreviation in JurisdictionAlias.objects.values_list(
            "jurisdiction_id", "normalized", "is_abbreviation"
        )
    }
    new_aliases = []
    for place in places:
        jurisdiction_id = by_slug[place.slug].pk
        for alias in place.aliases:
            if known.get((jurisdiction_id, alias.normalized), alias.is_abbreviation) != (
                alias.is_abbreviation
            ):  # the gazetteer changed its mind ("DC" is a name, not only an abbreviation)
                JurisdictionAlias.objects.filter(
                    jurisdiction_id=jurisdiction_id, normalized=alias.normalized
                ).update(is_abbreviation=alias.is_abbreviation)
                known[(jurisdiction_id, alias.normalized)] = alias.is_abbreviation
            if (jurisdiction_id, alias.normalized) not in known:
                known[(jurisdiction_id, alias.normalized)] = alias.is_abbreviation
                new_aliases.append(
                    JurisdictionAlias(
                        jurisdiction_id=jurisdiction_id,
                        alias=alias.text,
                        normalized=alias.normalized,
                        is_abbreviation=alias.is_abbreviation,
                    )
                )
    JurisdictionAlias.objects.bulk_create(new_aliases, batch_size=_BATCH_SIZE)
    return GazetteerReport(len(places), created, updated, len(new_aliases))


def _field_values(place: Place, by_slug: dict[str, Jurisdiction]) -> dict:
    return {
        "kind": place.kind,
        "name": place.name,
        "state_code": place.state_code,
        "fips": place.fips,
        "geonames_id": place.geonames_id,
        "population": place.population,
        "parent_id": by_slug[place.parent_slug].pk if place.parent_slug else None,
    }


def resolve(name: str) -> list[Jurisdiction]:
    """What a name or alias may mean ("Santa Clara Co.", "Calif."): states, counties, cities."""
    key = normalize_place_name(name)
    order = {Jurisdiction.Kind.STATE: 0, Jurisdiction.Kind.COUNTY: 1, Jurisdiction.Kind.CITY: 2}
    matches = Jurisdiction.objects.filter(aliases__normalized=key).distinct()
    return sorted(matches, key=lambda j: (order[j.kind], j.state_code, j.name))
