"""What a searcher keeps in memory between searches: each email's facet values as small integer
codes, and the emails in date order.

Whoosh's own facet counting re-reads every posting list of a multi-valued field on each search,
and its date ranges walk many terms; at 100,000 emails both cost more than the search. These
tables make counting a C-speed ``Counter`` over the matched emails and a date range a slice.

They are read per segment and kept while the segment is in the index: a segment's emails never
change (a deletion only marks them), so after a commit a new searcher reads only the new
segment and joins the kept tables, in C-speed passes. Read whole for every searcher, they took
1.5 s at 100,000 emails after each change; read a value at a time, as Whoosh reads them, the
dates alone took 7 s at 20,000.
"""

from __future__ import annotations

import heapq
import sys
from array import array
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3PerDocReader, _lenfield
from whoosh.columns import NumericColumn
from whoosh.reading import SegmentReader
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


@dataclass
class SegmentTables:
    """One segment's tables, in its own email numbers, each read on first use."""

    lengths: dict[str, array | list] = field(default_factory=dict)
    fields: dict[str, FieldTable] = field(default_factory=dict)
    sent: array | list | None = None
    by_date: array | None = None  # its dated emails in date order

    def field_table(self, reader: SegmentReader, fieldname: str) -> FieldTable:
        if fieldname not in self.fields:
            values: dict[bytes, int] = {}
            per_doc: list[list[int]] = [[] for _ in range(reader.doc_count_all())]
            for term in reader.lexicon(fieldname):
                code = values.setdefault(term, len(values))
                for ids, _weights in segment_blocks(reader, fieldname, term):
                    for docnum in ids:
                        per_doc[docnum].append(code)
            combinations: dict[tuple[int, ...], int] = {}
            codes = array(
                "i", (combinations.setdefault(tuple(c), len(combinations)) for c in per_doc)
            )
            self.fields[fieldname] = FieldTable(
                [value.decode() for value in values], list(combinations), codes
            )
        return self.fields[fieldname]

    def dates(self, reader: SegmentReader, undated: int) -> tuple[array | list, array]:
        if self.sent is None:
            column = reader.column_reader(DATE_FIELD, translate=False)
            sent = self.sent = column_values(column, reader.doc_count_all())
            dated = [docnum for docnum in range(len(sent)) if sent[docnum] != undated]
            self.by_date = array("I", sorted(dated, key=sent.__getitem__))
        return self.sent, self.by_date


# Tables of the segments of the latest searcher, by segment id.
_segments: dict[str, SegmentTables] = {}


class IndexCache:
    """Tables of one searcher, joined from its segments' tables; built lazily, field by field."""

    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher
        self.leaves = [  # an empty index's reader has no segment
            (reader, offset)
            for reader, offset in searcher.reader().leaf_readers()
            if isinstance(reader, SegmentReader)
        ]
        kept = {reader.segment().segment_id() for reader, _ in self.leaves}
        for gone in set(_segments) - kept:
            del _segments[gone]
        self.segments = [
            _segments.setdefault(reader.segment().segment_id(), SegmentTables())
            for reader, _ in self.leaves
        ]
        for (reader, _), tables in zip(self.leaves, self.segments, strict=True):
            _load_lengths(reader, tables)
        self._tables: dict[str, FieldTable] = {}
        self._live: frozenset[int] | None = None
        self._date_keys: list[int] | None = None
        self._date_docs: array | None = None
        self._date_rank: array | None = None

    @property
    def live(self) -> frozenset[int]:
        """Every email in the index (deleted entries excluded)."""
        if self._live is None:
            live: list[int] = []
            for reader, offset in self.leaves:
                numbers = range(offset, offset + reader.doc_count_all())
                if reader.has_deletions():
                    deleted = {offset + docnum for docnum in reader.segment().deleted_docs()}
                    live.extend(docnum for docnum in numbers if docnum not in deleted)
                else:
                    live.extend(numbers)
            self._live = frozenset(live)
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
            self._tables[fieldname] = self._joined_table(fieldname)
        return self._tables[fieldname]

    def _joined_table(self, fieldname: str) -> FieldTable:
        """The segments' tables of a field, their codes renumbered into one table."""
        values: dict[str, int] = {}
        combinations: dict[tuple[int, ...], int] = {}
        codes = array("i")
        for (reader, _), tables in zip(self.leaves, self.segments, strict=True):
            own = tables.field_table(reader, fieldname)
            value_codes = [values.setdefault(value, len(values)) for value in own.values]
            renumbered = [
                combinations.setdefault(
                    tuple(value_codes[c] for c in combination), len(combinations)
                )
                for combination in own.combinations
            ]
            codes.extend(array("i", map(renumbered.__getitem__, own.codes)))
        return FieldTable(list(values), list(combinations), codes)

    def _build_dates(self) -> None:
        """The dated emails in date order (equal dates in index order): each segment's order,
        joined by one sort that merges the already sorted runs."""
        undated = self.searcher.schema[DATE_FIELD].default  # what the column holds for no date
        sent = array("Q")
        dated: list[int] = []
        for (reader, offset), tables in zip(self.leaves, self.segments, strict=True):
            own_sent, own_order = tables.dates(reader, undated)
            sent.extend(own_sent)
            if reader.has_deletions():
                deleted = set(reader.segment().deleted_docs())
                dated.extend(offset + d for d in own_order if d not in deleted)
            else:
                dated.extend(map(offset.__add__, own_order) if offset else own_order)
        dated.sort(key=sent.__getitem__)
        self._date_keys = list(map(sent.__getitem__, dated))
        self._date_docs = array("I", dated)
        # Equal dates share a rank, so that either order puts them in index order, as Whoosh's.
        rank = array("i", [NO_VALUE]) * len(sent)
        previous, shared = None, NO_VALUE
        for position, (docnum, key) in enumerate(zip(dated, self._date_keys, strict=True)):
            if key != previous:
                previous, shared = key, position
            rank[docnum] = shared
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


def _load_lengths(reader: SegmentReader, tables: SegmentTables) -> None:
    """Keep a segment's field lengths (a byte per email and field) in memory. Relevance
    scoring reads one per matched email, and without mmap every read would be a system call."""
    perdoc = getattr(reader, "_perdoc", None)
    if not isinstance(perdoc, W3PerDocReader):
        return
    for fieldname in SCORED_FIELDS:
        name = _lenfield(fieldname)
        if name not in tables.lengths:
            column = perdoc._cached_reader(name, LENGTHS_COLUMN)
            if column is None:
                continue
            tables.lengths[name] = column_values(column, reader.doc_count_all())
        perdoc._readers[name] = tables.lengths[name]


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
