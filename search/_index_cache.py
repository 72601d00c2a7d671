"""What a searcher keeps in memory between searches: each email's facet values as small integer
codes, and the emails in date order.

Whoosh's own facet counting re-reads every posting list of a multi-valued field on each search,
and its date ranges walk many terms; at 100,000 emails both cost more than the search. These
tables are built once per searcher (that is, once per change of the index) from posting blocks
and columns read whole, and make counting a C-speed ``Counter`` over the matched emails and a
date range a slice. Built so, they cost a fraction of a second after each change of the index;
read a value at a time, as Whoosh reads them, they took seconds (7 s for the dates at 20,000).
"""

from __future__ import annotations

import heapq
import sys
from array import array
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3PerDocReader, _lenfield
from whoosh.columns import NumericColumn
from whoosh.searching import Searcher

from search._postings import segment_blocks

DATE_FIELD = "sent_at"
NO_VALUE = -1
# Fields whose per-email lengths every scored hit reads.
SCORED_FIELDS = ("text", "subject", "sender", "to", "cc", "places", "files", "pairs")


@dataclass
class FieldTable:
    """Each email's values of one field, as the code of its combination of values: emails share
    a few hundred combinations, so counting codes is one C-speed pass whatever the field."""

    values: list[str]
    combinations: list[tuple[int, ...]]  # value codes of each combination
    codes: array  # the combination of each email

    def count(self, docs) -> Counter:
        counts: Counter = Counter()
        values, combinations = self.values, self.combinations
        for combination, n in Counter(map(self.codes.__getitem__, docs)).items():
            for code in combinations[combination]:
                counts[values[code]] += n
        return counts


class IndexCache:
    """Tables of one searcher; built lazily, field by field."""

    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher
        _load_lengths(searcher)
        self._tables: dict[str, FieldTable] = {}
        self._live: frozenset[int] | None = None
        self._date_keys: list[bytes] | None = None
        self._date_docs: array | None = None
        self._date_rank: array | None = None

    @property
    def live(self) -> frozenset[int]:
        """Every email in the index (deleted entries excluded)."""
        if self._live is None:
            self._live = frozenset(self.searcher.reader().all_doc_ids())
        return self._live

    def warm(self, fieldnames) -> None:
        """Build these fields' tables and the date order now, so that a search's time budget
        is spent on the search, not on the tables the first search after a change builds."""
        for fieldname in fieldnames:
            self.table(fieldname)
        if self._date_keys is None and self.searcher.doc_count_all():  # an empty index has none
            self._build_dates()

    def table(self, fieldname: str) -> FieldTable:
        if fieldname not in self._tables:
            self._tables[fieldname] = self._build_table(fieldname)
        return self._tables[fieldname]

    def _build_table(self, fieldname: str) -> FieldTable:
        reader = self.searcher.reader()
        values: dict[bytes, int] = {}
        per_doc: list[list[int]] = [[] for _ in range(reader.doc_count_all())]
        for segment_reader, offset in reader.leaf_readers():
            for term in segment_reader.lexicon(fieldname):
                code = values.setdefault(term, len(values))
                for ids, _weights in segment_blocks(segment_reader, fieldname, term):
                    for docnum in ids:
                        per_doc[offset + docnum].append(code)
        combinations: dict[tuple[int, ...], int] = {}
        codes = array("i", (combinations.setdefault(tuple(c), len(combinations)) for c in per_doc))
        return FieldTable([value.decode() for value in values], list(combinations), codes)

    def _build_dates(self) -> None:
        """The dated emails in date order (equal dates in index order), from the date column."""
        reader = self.searcher.reader()
        sent = array("Q")
        for segment_reader, _ in reader.leaf_readers():
            column = segment_reader.column_reader(DATE_FIELD, translate=False)
            sent.extend(column_values(column, segment_reader.doc_count_all()))
        undated = self.searcher.schema[DATE_FIELD].default  # what the column holds for no date
        dated = sorted(
            (docnum for docnum in self.live if sent[docnum] != undated), key=sent.__getitem__
        )
        self._date_keys = [sent[docnum] for docnum in dated]
        self._date_docs = array("I", dated)
        rank = array("i", [NO_VALUE]) * reader.doc_count_all()
        for position, docnum in enumerate(dated):
            rank[docnum] = position
        self._date_rank = rank

    def sent_between(self, start: datetime | None, end: datetime | None) -> set[int]:
        """Emails sent from ``start`` (inclusive) to ``end`` (exclusive); None is open."""
        if self._date_keys is None:
            self._build_dates()
        field = self.searcher.schema[DATE_FIELD]
        keys = self._date_keys
        low = bisect_left(keys, field.prepare_datetime(start)) if start else 0
        high = bisect_left(keys, field.prepare_datetime(end)) if end else len(keys)
        return set(self._date_docs[low:high])

    def by_date(self, docs, count: int, newest: bool) -> list[int]:
        """The first ``count`` of ``docs`` newest or oldest first; undated emails come last."""
        if self._date_rank is None:
            self._build_dates()
        rank = self._date_rank
        if newest:
            return heapq.nlargest(count, docs, key=lambda docnum: (rank[docnum], -docnum))
        undated = len(rank)
        return heapq.nsmallest(
            count, docs, key=lambda docnum: (rank[docnum] if rank[docnum] >= 0 else undated, docnum)
        )


def _load_lengths(searcher: Searcher) -> None:
    """Keep each segment's field lengths (a byte per email and field) in memory. Relevance
    scoring reads one per matched email, and without mmap every read would be a system call."""
    for segment_reader, _ in searcher.reader().leaf_readers():
        perdoc = getattr(segment_reader, "_perdoc", None)
        if not isinstance(perdoc, W3PerDocReader):
            continue
        for fieldname in SCORED_FIELDS:
            name = _lenfield(fieldname)
            column = perdoc._cached_reader(name, LENGTHS_COLUMN)
            if column is not None:
                perdoc._readers[name] = column_values(column, segment_reader.doc_count_all())


def column_values(column, doccount: int) -> array | list:
    """A numeric column's values for every email of a segment, read at once. Whoosh's own
    ``load()`` reads them one by one, a system call each without mmap."""
    if not isinstance(column, NumericColumn.Reader):  # a segment without the column
        return [column[docnum] for docnum in range(doccount)]
    stored = min(column._count, doccount)
    values = array(column._typecode, column._dbfile.get(column._basepos, stored * column._fixedlen))
    if sys.byteorder == "little" and values.itemsize > 1:
        values.byteswap()  # Whoosh writes columns in network order
    values.extend([column._default] * (doccount - stored))
    return values


_current: IndexCache | None = None


def cache_for(searcher: Searcher) -> IndexCache:
    """The tables of this searcher; a refreshed searcher (the index changed) gets new ones.
    Called under ``shared_searcher``'s lock."""
    global _current
    if _current is None or _current.searcher is not searcher:
        _current = IndexCache(searcher)
    return _current
