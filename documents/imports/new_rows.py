"""The people, threads, emails and recipients a chunk of printed emails adds, inserted together
when the chunk is written: an INSERT per table, not one per row.

A new row takes its id from its table's sequence at once (ids are reserved a hundred at a time),
so a reply can point at an email of the same chunk before either is inserted."""

from __future__ import annotations

from django.db import connection, models

from documents.models import Document, Person, PersonAlias, Recipient, Thread

# Ids taken from a sequence in one query.
IDS_AT_A_TIME = 100
# In the order a reader of the tables would insert them: what is pointed at first.
_TABLES = (Person, PersonAlias, Thread, Document, Recipient)
_NUMBERED = (Person, Thread, Document)


class NewRows:
    def __init__(self) -> None:
        self._rows: dict[type[models.Model], list[models.Model]] = {table: [] for table in _TABLES}
        self._new_ids: dict[type[models.Model], set[int]] = {table: set() for table in _NUMBERED}
        self._free_ids: dict[type[models.Model], list[int]] = {table: [] for table in _NUMBERED}

    def add(self, row: models.Model) -> models.Model:
        """``row`` (a Person, PersonAlias, Thread, Document or Recipient), with its id if its
        table is numbered; inserted by ``insert``."""
        table = type(row)
        if table in _NUMBERED:
            free = self._free_ids[table]
            if not free:
                free.extend(reversed(_reserve_ids(table, IDS_AT_A_TIME)))
            row.pk = free.pop()
            self._new_ids[table].add(row.pk)
        self._rows[table].append(row)
        return row

    def is_new(self, row: models.Model) -> bool:
        """Whether ``row`` was added and is not inserted yet (its changes need no UPDATE)."""
        return self.is_new_id(type(row), row.pk)

    def is_new_id(self, table: type[models.Model], pk: int) -> bool:
        return pk in self._new_ids.get(table, ())

    def insert(self) -> None:
        for table in _TABLES:
            rows = self._rows[table]
            # Another spelling may have been stored meanwhile by an editor: it is kept.
            table.objects.bulk_create(rows, ignore_conflicts=table is PersonAlias)
        self.discard()

    def discard(self) -> None:
        """Forget the rows not inserted (their savepoint was rolled back); reserved ids that
        were not used are kept for the next rows."""
        for rows in self._rows.values():
            rows.clear()
        for ids in self._new_ids.values():
            ids.clear()


def _reserve_ids(table: type[models.Model], count: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table._meta.db_table, count],
        )
        return [row[0] for row in cursor.fetchall()]
