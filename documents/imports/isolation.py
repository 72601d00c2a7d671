"""One entry of a release (a file or a ZIP member, with the files embedded in it) imported in
a child process under a time and a memory limit, so that one pathological PDF can neither hang
nor exhaust the worker: the child is killed, its open transaction rolls back (nothing half
written stays), and the file is reported failed with the reason.

The child is forked, so it shares the importer's loaded state (the gazetteer index) for free;
the parent closes its database connections first so that no socket is shared. The child dies
with its parent (``PR_SET_PDEATHSIG`` on Linux): a worker killed mid-file leaves no orphan that
could finish the file behind a restarted worker's back.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import resource
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections

from documents.imports.service import BatchImporter, FileOutcome
from documents.ingest import SourceInput, expand

# How often the parent wakes while a child works, to record that the worker is alive.
TICK_SECONDS = 1.0
_FORK = multiprocessing.get_context("fork")
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Limits:
    seconds: float
    memory_bytes: int | None = None


def import_entry(
    importer: BatchImporter,
    entry: SourceInput,
    limits: Limits,
    on_pages: Callable[[int], None],
    on_tick: Callable[[], None],
) -> list[FileOutcome]:
    """The outcomes of the entry and of the files embedded in it; never raises for the file."""
    connections.close_all()
    receiver, sender = _FORK.Pipe(duplex=False)
    child = _FORK.Process(target=_child, args=(importer, entry, sender, limits.memory_bytes))
    child.start()
    sender.close()
    deadline = time.monotonic() + limits.seconds
    outcomes = None
    try:
        while outcomes is None and time.monotonic() < deadline:
            if receiver.poll(min(max(deadline - time.monotonic(), 0), TICK_SECONDS)):
                try:
                    kind, value = receiver.recv()
                except EOFError:  # the child died without a word
                    break
                if kind == "pages":
                    on_pages(value)
                else:
                    outcomes = value
            on_tick()
    finally:
        if outcomes is None and child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    if outcomes is not None:
        return outcomes
    if child.exitcode == -signal.SIGKILL and time.monotonic() >= deadline:
        reason = (
            f"stopped after {limits.seconds:g} seconds (IMPORT_FILE_TIME_LIMIT): reading it "
            "took too long; the file may be damaged or built to hang PDF readers"
        )
    else:
        reason = (
            f"stopped: the process reading it ended unexpectedly (exit code {child.exitcode}); "
            "it may need more memory than IMPORT_FILE_MEMORY_LIMIT allows"
        )
    return [importer.fail(entry, reason)]


def _child(importer: BatchImporter, entry: SourceInput, sender, memory_bytes: int | None) -> None:
    die_with_parent(signal.SIGKILL)
    if memory_bytes:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    importer.progress = lambda name, outcome, pages: pages and sender.send(("pages", pages))
    try:
        outcomes = [importer.import_source(source) for source in expand(entry)]
    except MemoryError:
        outcomes = [importer.fail(entry, "refused: reading it needs more memory than allowed")]
    sender.send(("done", outcomes))
    sender.close()
    connections.close_all()


def die_with_parent(signum: int) -> None:
    """Have the kernel send ``signum`` to this process when its parent dies.

    Not on Linux: an orphan may live on (an import child's transaction is still whole)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signum)
