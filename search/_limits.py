"""What one search may cost: a time budget, and wildcards that stand for a bounded number of words.

A search runs under a deadline (``settings.SEARCH_TIME_BUDGET`` seconds). The work that grows
with what a query matches checks it: each posting block read, each match Whoosh finds. Past it
the search stops with ``TooBroad``, which the page shows as a message. Whoosh's own
``TimeLimitCollector`` does the same for its collectors only, and times itself with a timer
thread and SIGALRM, which cannot be set outside the main thread of a threaded web worker; the
deadline here is read from the clock where the work is done, so it bounds our own fast paths too.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from itertools import islice

from whoosh import collectors
from whoosh import query as q

# Letters a word must start with before its "*": "*" or "s*" would stand for most of the index.
MIN_PREFIX_LETTERS = 2
# Words one "prefix*" may stand for; each is a posting list to read and merge.
MAX_EXPANDED_TERMS = 1000
TOO_BROAD = (
    "This query is too broad to search in time: use more specific words, longer beginnings "
    "before a *, or narrow it with a field such as from: or date:."
)

_deadline: ContextVar[float | None] = ContextVar("search_deadline", default=None)


class TooBroad(Exception):
    """The search would cost more than a normal one; its message is for the user."""

    def __init__(self, message: str = TOO_BROAD) -> None:
        super().__init__(message)
        self.message = message


@contextmanager
def budget(seconds: float) -> Iterator[None]:
    """Run the searches inside under a deadline ``seconds`` from now."""
    token = _deadline.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)


def check() -> None:
    """Stop the search when its deadline has passed."""
    deadline = _deadline.get()
    if deadline is not None and time.monotonic() >= deadline:
        raise TooBroad


class WithinBudget(collectors.WrappingCollector):
    """Passes each match on to ``child`` while the search's deadline has not passed."""

    def collect(self, sub_docnum: int):
        check()
        return self.child.collect(sub_docnum)


class AllDocs(collectors.Collector):
    """The set of every match, unscored (``Searcher.docs_for_query`` without a deadline)."""

    def collect(self, sub_docnum: int) -> None:
        self.docset.add(self.offset + sub_docnum)


def bound_expansions(reader, query: q.Query) -> None:
    """Refuse a query whose wildcard words stand for more than MAX_EXPANDED_TERMS words."""
    for leaf in query.leaves():
        if isinstance(leaf, q.MultiTerm):
            expanded = sum(1 for _ in islice(leaf._btexts(reader), MAX_EXPANDED_TERMS + 1))
            if expanded > MAX_EXPANDED_TERMS:
                shown = getattr(leaf, "text", "")
                raise TooBroad(
                    f'"{shown}*" stands for more than {MAX_EXPANDED_TERMS:,} words of the '
                    "archive; type more of the word before the *."
                )
