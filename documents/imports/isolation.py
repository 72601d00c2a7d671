"""One entry of a release (a file or a ZIP member, with the files embedded in it) imported in
a child process under a time and a memory limit, so that one pathological PDF can neither hang
nor exhaust the worker: the child is killed, its open transaction rolls back (nothing half
written stays), and the file is reported failed with the reason.

The child is forked, so it shares the importer's loaded state (the gazetteer index) for free;
the parent closes its database connections first, and the child opens its own, never using or
closing a socket it inherited. The child dies
with its parent (``PR_SET_PDEATHSIG`` on Linux): a worker killed mid-file leaves no orphan that
could finish the file behind a restarted worker's back.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import resource
import signal
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from asgiref.local import Local
from django.conf import settings
from django.db import connections

from documents.ingest import SourceInput, expand

if TYPE_CHECKING:
    from documents.imports.outcomes import FileOutcome
    from documents.imports.service import BatchImporter

# How often the parent wakes while a child works, to record that the worker is alive.
TICK_SECONDS = 1.0
_FORK = multiprocessing.get_context("fork")
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Limits:
    seconds: float
    memory_bytes: int | None = None  # beyond what the process holds when the child starts

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(settings.IMPORT_FILE_TIME_LIMIT, settings.IMPORT_FILE_MEMORY_LIMIT)


def import_entry(importer: BatchImporter, entry: SourceInput, limits: Limits) -> list[FileOutcome]:
    """The outcomes of the entry and of the files embedded in it; never raises for the file."""
    watcher = importer.watcher
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
                    watcher.pages(value)
                elif kind == "ocr":
                    watcher.ocr_pages(value)
                else:
                    outcomes = value
            watcher.tick()
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
    _own_connections()
    if memory_bytes:
        # Counted from what the child holds at its start (a copy of a worker that may have
        # grown large), so that the file itself gets the whole allowance.
        limit = _address_space() + memory_bytes
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    importer.watcher = _PipeWatcher(sender)
    try:
        outcomes = [importer.import_source(source) for source in expand(entry)]
    except MemoryError:
        outcomes = [importer.fail(entry, "refused: reading it needs more memory than allowed")]
    sender.send(("done", outcomes))
    sender.close()
    connections.close_all()


# The database connections the child inherited: kept referenced and never closed, since closing
# (or a garbage collector's finalizer) would end the parent's sessions on their shared sockets.
_INHERITED: list = []


def _own_connections() -> None:
    """Give the child database connections of its own. The parent closed its connections before
    the fork, but only those its ``connections.close_all()`` could see: a connection opened in
    another of Django's per-thread or per-context stores (a test's event loop, a task runner)
    stays open, and a child that used it would talk over the parent's socket."""
    _INHERITED.append(connections._connections)
    connections._connections = Local(connections.thread_critical)


class _PipeWatcher:
    """The child's watcher: pages read are told to the parent, which tells the run's own."""

    def __init__(self, sender):
        self.sender = sender

    def pages(self, count: int) -> None:
        self.sender.send(("pages", count))

    def ocr_pages(self, count: int) -> None:
        self.sender.send(("ocr", count))


def _address_space() -> int:
    """This process's virtual memory size, as RLIMIT_AS counts it (0 where /proc is missing)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


def die_with_parent(signum: int) -> None:
    """Have the kernel send ``signum`` to this process when its parent dies.

    Not on Linux: an orphan may live on (an import child's transaction is still whole)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signum)
