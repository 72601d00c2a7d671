"""Opening the Whoosh index: the only module outside haystack's backend that touches Whoosh.

The web process only reads. Creating the index is a write, done by `manage.py init_search_index`
(run by `make run`) or by the import service, never by a page view.

Where the index lives: ``WHOOSH_PATH``, or the folder inside it that ``WHOOSH_PATH/CURRENT``
names. ``check_index --fix`` rebuilds a damaged index in a new folder beside the old one and then
rewrites that pointer in one atomic rename, so readers and writers go from the old index to the
whole new one, never to a half-built one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from haystack import connections
from whoosh.filedb.filestore import FileStorage

from search._index_cache import column_values
from search._postings import segment_blocks

POINTER = "CURRENT"
# The index's name in its folder (Whoosh's default): its files are _MAIN_<n>.toc and MAIN_*.
INDEX_NAME = "MAIN"


class IndexUnavailable(Exception):
    """The index's files cannot be read (damaged, truncated); search waits for a repair."""


@dataclass(frozen=True)
class IndexStatus:
    ok: bool
    documents: int
    detail: str


def index_path(root: Path | str | None = None) -> Path:
    """The folder the index is in: the one ``root``/CURRENT names, else ``root`` itself
    (``root`` is WHOOSH_PATH unless given)."""
    root = Path(root if root is not None else settings.WHOOSH_PATH)
    try:
        name = (root / POINTER).read_text().strip()
    except (FileNotFoundError, NotADirectoryError):
        return root
    return root / name if name else root


def point_to(root: Path, folder: Path) -> None:
    """Make ``folder`` (inside ``root``) the index, in one rename: readers see the old pointer
    or the new one, never a partly written file."""
    temporary = root / f"{POINTER}.{os.getpid()}"
    with temporary.open("w") as pointer:
        pointer.write(folder.name)
        pointer.flush()
        os.fsync(pointer.fileno())
    os.replace(temporary, root / POINTER)


def ensure_index() -> int:
    """Create the index with the current schema when it does not exist; return its size.
    Raises IndexUnavailable when an index is there but cannot be read."""
    backend = connections["default"].get_backend()
    try:
        backend.setup()
        return backend.index.doc_count()
    except Exception as error:
        if index_exists():
            raise IndexUnavailable(f"search index unreadable: {_described(error)}") from error
        raise


def index_exists() -> bool:
    """Whether the index's table of contents is there; read without opening it, so a damaged
    index exists (and is reported as damaged) rather than raising here."""
    folder = index_path()
    return folder.is_dir() and any(folder.glob(f"_{INDEX_NAME}_*.toc"))


def open_storage(folder: Path) -> FileStorage:
    # No mmap: each open would otherwise map every segment into the web worker's memory.
    return FileStorage(str(folder), supports_mmap=False)


def index_status() -> IndexStatus:
    """Whether the index can be opened for reading, without creating or changing anything."""
    path = index_path()
    try:
        if not index_exists():
            return IndexStatus(
                False, 0, f"no search index at {path}; run `manage.py init_search_index`"
            )
        with open_storage(path).open_index().searcher() as searcher:
            return IndexStatus(True, searcher.doc_count(), "ok")
    except Exception as error:  # any failure to read is what the health check must report
        return IndexStatus(False, 0, f"search index unreadable: {_described(error)}")


def index_damage(folder: Path | None = None) -> str:
    """What cannot be read in the index ("" when every part reads): its table of contents and,
    in each segment, the stored ids, every term and its postings, and the columns. A damaged
    file raises whatever its decoder meets (EOFError, struct.error, IndexError...), so any
    error while reading is damage."""
    folder = folder or index_path()
    try:
        index = open_storage(folder).open_index()
        with index.searcher() as searcher:
            for reader, _ in searcher.reader().leaf_readers():
                for _fields in reader.all_stored_fields():
                    pass
                for fieldname in reader.indexed_field_names():
                    for term in reader.lexicon(fieldname):
                        for _block in segment_blocks(reader, fieldname, term):
                            pass
                for fieldname in reader.schema.names():
                    if reader.has_column(fieldname):
                        column = reader.column_reader(fieldname, translate=False)
                        column_values(column, reader.doc_count_all())
    except Exception as error:
        return _described(error)
    return ""


def _described(error: Exception) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
