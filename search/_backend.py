"""haystack's Whoosh backend, made fit for a large archive.

- No mmap: each searcher open would otherwise map every segment into the worker's memory.
- Only ids are stored: highlights are made from the database's text, so the index stays small.
- Columns (sort and facet data) only for the fields sorted or counted one value per email.
- Facet fields keep no positions. The full text keeps frequencies only: a posting block of a
  common word then decodes about five times faster, and words are what most searches score.
  Phrases are looked up in the word-pair field, which keeps the positions instead.
- Writes take the index lock with retries, in the batches the caller hands over.
- Reads do not come here: ``search._searcher`` keeps one searcher per process.
- The index is the folder ``WHOOSH_PATH/CURRENT`` names, when there is one (``search._index``):
  each write looks again, so a writer follows a rebuild to the new folder.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from whoosh import formats
from whoosh.codec.whoosh3 import W3Codec, W3PerDocReader
from whoosh.filedb.filestore import FileStorage
from whoosh.index import LockError
from whoosh.writing import IndexWriter

from search._index import index_path
from search.search_indexes import EXACT_FIELDS, PAIRS_FIELD

# Fields with a column: sorted by, or counted with one value per email.
COLUMN_FIELDS = {"sent_at", "month", "sender_key", "thread"}
# How long a writer waits for another to release the index lock, in all.
WRITE_LOCK_SECONDS = 60.0
# Memory a writer (each process of a multi-process one) pools postings in before it spills a
# sorted run to a temporary file: the peak stays flat however many emails one commit holds.
WRITER_MB = 96
# Emails the multi-process writer hands a process at once (pickled to a temporary file).
PROCESS_BATCH = 250


class IndexWriteError(RuntimeError):
    """Part of a write did not reach the index (``check_index --fix`` adds what is missing)."""


class _LengthsOnce(W3PerDocReader):
    """Whoosh's per-document reader, remembering which fields of a segment keep no lengths:
    writing a segment, Whoosh asks the length of each posting's field, and for a field that
    keeps none (the exact fields) it looked for the file on disk again each time."""

    def __init__(self, storage, segment) -> None:
        super().__init__(storage, segment)
        self._has: dict[str, bool] = {}

    def has_column(self, fieldname: str) -> bool:
        if fieldname not in self._has:
            self._has[fieldname] = super().has_column(fieldname)
        return self._has[fieldname]


class _WritingCodec(W3Codec):
    """Whoosh's own codec (segments read back with it), written with ``_LengthsOnce``."""

    def per_document_reader(self, storage, segment):
        return _LengthsOnce(storage, segment)


class ArchiveWhooshBackend(WhooshSearchBackend):
    def __init__(self, connection_alias, **connection_options) -> None:
        super().__init__(connection_alias, **connection_options)
        self.root = self.path  # WHOOSH_PATH; self.path is the index folder in it

    def setup(self) -> None:
        self.path = str(index_path(self.root))
        super().setup()
        self.storage = FileStorage(self.path, supports_mmap=False)
        self.index = self.storage.open_index(schema=self.schema)

    def build_schema(self, fields):
        content_field_name, schema = super().build_schema(fields)
        for name, field in schema.items():
            if name not in (ID, DJANGO_CT, DJANGO_ID):
                field.stored = False
            if name not in COLUMN_FIELDS:
                field.column_type = None
            if name in EXACT_FIELDS:
                field.spelling = False
                field.format = formats.Existence()  # filtered and counted, never scored
            if name == content_field_name:
                field.format = formats.Frequency()
            if name == PAIRS_FIELD:
                field.format = formats.Positions()  # phrases of three words and more
        return content_field_name, schema

    @contextmanager
    def writing(self, procs: int = 1) -> Iterator[IndexWriter]:
        """A writer for one commit, waiting for the lock while another writer (an import, the
        worker) holds it; cancelled when the block raises. With ``procs`` > 1 it is Whoosh's
        multi-process writer: emails are analysed and written in that many processes, each into
        a segment of its own, while this process reads and prepares the next ones."""
        self._follow_rebuild()
        if not self.setup_complete:
            self.setup()
        options = {"limitmb": WRITER_MB, "timeout": 1.0, "codec": _WritingCodec()}
        if procs > 1:
            options |= {"procs": procs, "multisegment": True, "batchsize": PROCESS_BATCH}
        deadline = time.monotonic() + WRITE_LOCK_SECONDS
        while True:
            try:
                self.index = self.index.refresh()
                writer = self.index.writer(**options)
                break
            except LockError:
                if time.monotonic() > deadline:
                    raise
        try:
            yield writer
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        # Whoosh commits without the segment of a process that failed, and says nothing.
        failed = [task.exitcode for task in getattr(writer, "tasks", ()) if task.exitcode]
        if failed:
            raise IndexWriteError(
                f"{len(failed)} of the {len(writer.tasks)} processes writing the index failed "
                f"(exit codes {failed}): the emails they were given are not in the index"
            )

    def fields(self, index, obj) -> dict:
        """The values an email is indexed with, as Whoosh takes them."""
        document = {key: self._from_python(value) for key, value in index.full_prepare(obj).items()}
        document.pop("boost", None)
        return document

    def update(self, index, iterable, commit=True) -> None:
        """haystack's own call (``update_index``): one commit."""
        with self.writing() as writer:
            for obj in iterable:
                writer.update_document(**self.fields(index, obj))

    def remove_ids(self, identifiers: list[str]) -> None:
        """Delete entries by haystack id ("documents.document.12"), in one commit."""
        self._follow_rebuild()
        if not self.setup_complete:
            self.setup()
        self.index = self.index.refresh()
        writer = self.index.writer(timeout=WRITE_LOCK_SECONDS)
        for identifier in identifiers:
            writer.delete_by_term(ID, identifier)
        writer.commit()

    def _follow_rebuild(self) -> None:
        """Write to the index folder the pointer names now (check_index --fix moved it)."""
        if self.setup_complete and self.path != str(index_path(self.root)):
            self.setup_complete = False


class ArchiveWhooshEngine(WhooshEngine):
    backend = ArchiveWhooshBackend
