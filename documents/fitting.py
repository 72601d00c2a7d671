"""Values read from released text, fitted to their columns: one overlong value (a sender line that
OCR ran into the next 300 characters) is cut and flagged, never the cause of a lost file."""

from __future__ import annotations

from dataclasses import replace

from django.db.models import Model

from documents.ingest import Address
from documents.models import Person

# How much of a cut value the warning keeps, as printed.
PRINTED_KEPT = 5_000


def fit(model: type[Model], field: str, value: str, warnings: list[str], what: str) -> str:
    """``value`` cut to the length of ``model.field``; when cut, ``warnings`` says so and keeps
    the text as printed."""
    limit = model._meta.get_field(field).max_length
    if len(value) <= limit:
        return value
    warnings.append(
        f"{what} was {len(value):,} characters, more than the {limit:,} kept; cut. "
        f"As printed: {value[:PRINTED_KEPT]}"
    )
    return value[:limit]


def nul_problem(what: str, *texts: str) -> str:
    """Why typed ``texts`` cannot be stored, "" when they can. PostgreSQL refuses the NUL
    character in text; one pasted from a binary file (or sent on purpose) gets this answer in
    the form rather than an error page."""
    if any("\x00" in text for text in texts):
        return (
            f"{what} cannot hold the NUL character (\\0), often pasted from a binary file; "
            "remove it and try again."
        )
    return ""


def fit_address(
    address: Address, model: type[Model], raw_field: str, warnings: list[str], what: str
) -> Address:
    """An address whose raw text fits ``model.raw_field`` and whose parts fit a Person; an
    address too long to be one is dropped (the raw text keeps it)."""
    email = address.email
    if len(email) > Person._meta.get_field("email").max_length:
        warnings.append(f"{what}: {email[:200]}… is too long to be an address; left out")
        email = ""
    return replace(
        address,
        raw=fit(model, raw_field, address.raw, warnings, f"{what} as printed"),
        name=fit(Person, "name", address.name, warnings, f"{what}'s name"),
        email=email,
        organization=fit(
            Person, "organization", address.organization, warnings, f"{what}'s organisation"
        ),
    )
