"""Senders and recipients to Persons: one Person per human across the spellings a release prints."""

from __future__ import annotations

from django.db.models import Q
from django.db.models.functions import Lower

from documents.imports.new_rows import NewRows
from documents.ingest import Address
from documents.ingest.addresses import name_fits_address, ocr_folded, person_keys
from documents.models import Person, PersonAlias

KEY_CHARS = PersonAlias._meta.get_field("normalized").max_length


class FoldedNames:
    """The archive's name keys with OCR's look-alike letters made one, to person ids: read from
    the database once per batch, when a name is first not found, and kept up to date by every
    file's resolver. An id may name a person a rolled-back file created; looking it up finds
    nothing then."""

    def __init__(self) -> None:
        self._ids: dict[str, int] | None = None
        # Added before the archive's were read, in their order: their aliases may not be
        # inserted yet when the archive is read.
        self._added: list[tuple[str, int]] = []

    def get(self, name_key: str) -> int | None:
        if self._ids is None:
            self._ids = {}
            known = PersonAlias.objects.filter(normalized__startswith="name:")
            for key, person_id in known.values_list("normalized", "person_id").order_by("pk"):
                self._ids.setdefault(ocr_folded(key), person_id)
            for key, person_id in self._added:
                self._ids.setdefault(ocr_folded(key), person_id)
            self._added.clear()
        return self._ids.get(ocr_folded(name_key))

    def add(self, name_key: str, person_id: int) -> None:
        if self._ids is None:
            self._added.append((name_key, person_id))
        else:
            self._ids.setdefault(ocr_folded(name_key), person_id)


class PersonResolver:
    """Finds or creates the Person for an address; remembers answers for one import.
    ``folded``: shared by the files of a batch (one read of the archive's names per batch).
    New people and spellings wait in ``rows`` until their chunk is inserted. Each person is one
    object however many spellings find it, so what one spelling completes the next one sees."""

    def __init__(self, folded: FoldedNames | None = None, rows: NewRows | None = None) -> None:
        self._by_key: dict[str, Person] = {}
        # The archive's answer for each key asked ahead (``prefetch``); None: nobody.
        self._known: dict[str, Person | None] = {}
        self._people: dict[int, Person] = {}  # by id, the one object of each person
        self._folded = folded or FoldedNames()
        self.rows = rows or NewRows()

    def prefetch(self, addresses: list[Address]) -> set[int]:
        """Ask the archive about every spelling of ``addresses`` at once: two queries for a
        chunk of emails instead of one or two for each address. Returns the ids of the people
        of the archive they name."""
        keys = {key for address in addresses for key in _keys(address)}
        self._ask(keys - self._by_key.keys() - self._known.keys())
        named = [self._by_key.get(key) or self._known.get(key) for key in keys]
        return {p.pk for p in named if p is not None and not self.rows.is_new(p)}

    def _ask(self, keys: set[str]) -> None:
        """Each key's person: the one its spelling is stored for, else (an address) the one with
        that address."""
        if not keys:
            return
        # Unordered, so that the planner asks the indexes (see test_import_lookups).
        spelled = dict(
            PersonAlias.objects.filter(normalized__in=keys)
            .order_by()
            .values_list("normalized", "person_id")
        )
        addresses = {
            key.removeprefix("email:"): key
            for key in keys
            if key.startswith("email:") and key not in spelled
        }
        # ``email`` not empty: the condition of the unique index on lower(email).
        wanted = Q(pk__in=set(spelled.values())) | (Q(address__in=list(addresses)) & ~Q(email=""))
        people = Person.objects.alias(address=Lower("email")).filter(wanted).order_by()
        by_id = {person.pk: self._one(person) for person in people}
        by_address = {person.email.lower(): person for person in by_id.values() if person.email}
        self._known |= {
            key: by_id.get(spelled[key]) if key in spelled else None for key in keys
        } | {key: by_address.get(address) for address, key in addresses.items()}

    def resolve(self, address: Address | None) -> Person | None:
        """None for a redacted or empty address: a redaction is never merged into a person."""
        if address is None or address.redacted:
            return None
        keys = _keys(address)
        if not keys:
            return None
        person = next((found for key in keys if (found := self._find(key))), None)
        if person is None:
            person = self._ocr_twin(address, keys)
        if person is None:
            person = self.rows.add(
                Person(
                    name=address.name or address.email,
                    email=address.email,
                    organization=address.organization,
                )
            )
            self._people[person.pk] = person
        else:
            self._complete(person, address)
        for key in keys:
            if key not in self._by_key:
                # Not inserted where the archive has the spelling already, as get_or_create.
                self.rows.add(PersonAlias(person=person, normalized=key, alias=address.raw[:500]))
                self._by_key[key] = person
            if key.startswith("name:"):
                self._folded.add(key, person.pk)
        return person

    def forget(self) -> None:
        """Drop what was remembered: after a rolled-back savepoint it may name people that are
        not in the database."""
        self._by_key.clear()
        self._known.clear()
        self._people.clear()

    def _one(self, person: Person) -> Person:
        """The object this resolver already has for ``person``, else ``person``."""
        return self._people.setdefault(person.pk, person)

    def _ocr_twin(self, address: Address, keys: list[str]) -> Person | None:
        """The person a name OCR misread belongs to ("Karl Spencer" where the release also prints
        "Kari Spencer"): one known under the same name, look-alike letters aside, with no address
        of its own other than this one."""
        name_key = next((key for key in keys if key.startswith("name:")), None)
        if name_key is None or " " not in name_key:
            return None
        person_id = self._folded.get(name_key)
        twin = self._people.get(person_id) if person_id else None
        if twin is None and person_id:
            twin = Person.objects.filter(pk=person_id).first()
            twin = twin and self._one(twin)
        if twin is not None and address.email and twin.email and twin.email != address.email:
            return None  # two people with addresses of their own
        return twin

    def _find(self, key: str) -> Person | None:
        if key in self._by_key:
            return self._by_key[key]
        if key in self._known:
            person = self._known[key]
        else:
            alias = PersonAlias.objects.select_related("person").filter(normalized=key).first()
            person = alias.person if alias else None
            if person is None and key.startswith("email:"):
                person = with_address(key.removeprefix("email:")).first()
            person = person and self._one(person)
        if person is not None:
            self._by_key[key] = person
        return person

    def _address_taken(self, email: str) -> bool:
        """Whether someone has this address: in the archive, or added and not inserted yet."""
        new = (person for person in self._people.values() if self.rows.is_new(person))
        return any(person.email.lower() == email.lower() for person in new) or (
            with_address(email).exists()
        )

    def _complete(self, person: Person, address: Address) -> None:
        """Fill what an earlier spelling lacked: an address, a full name, an organization."""
        changed = []
        if not person.email and address.email and not self._address_taken(address.email):
            person.email = address.email
            changed.append("email")
            # Asked ahead, the archive had nobody with it; it has now.
            self._known[f"email:{address.email.lower()}"[:KEY_CHARS]] = person
        if address.name and (
            not person.name
            or person.name == person.email
            # A spelling the address agrees with better: OCR's "Rarnos" gives way to "Ramos".
            or name_fits_address(address.name, person.email)
            > name_fits_address(person.name, person.email)
        ):
            person.name = address.name
            changed.append("name")
        if address.organization and not person.organization:
            person.organization = address.organization
            changed.append("organization")
        if changed and not self.rows.is_new(person):
            person.save(update_fields=changed)


def _keys(address: Address) -> list[str]:
    """The address's keys as PersonAlias keeps them: two that differ only after KEY_CHARS are
    one spelling."""
    return list(dict.fromkeys(key[:KEY_CHARS] for key in person_keys(address)))


def with_address(email: str):
    """The person with this address, whatever its case, found through the unique index on
    lower(email) (an ``iexact`` lookup compares upper() and reads the whole table)."""
    return (
        Person.objects.alias(address=Lower("email")).filter(address=email.lower()).exclude(email="")
    )
