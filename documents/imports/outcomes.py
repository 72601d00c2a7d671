"""What an import did: one ``FileOutcome`` per file given (the writer fills it as it writes the
file's pages and emails), gathered in the run's ``ImportReport``."""

from __future__ import annotations

from dataclasses import dataclass, field

from documents.models import Batch, SourceFile

# A file the batch already holds, byte for byte, under the same name: left as it was.
SKIPPED = "skipped"


@dataclass
class FileOutcome:
    """What happened to one file; ``status`` is a ``SourceFile.Status`` or SKIPPED."""

    name: str
    status: str
    reason: str = ""
    pages: int = 0
    new_emails: int = 0
    warnings: list[dict] = field(default_factory=list)  # as kept in SourceFile.warnings
    thread_ids: set[int] = field(default_factory=set)
    document_ids: set[int] = field(default_factory=set)  # created or given an appearance
    seconds: dict[str, float] = field(default_factory=dict)  # spent reading, writing

    @property
    def emails(self) -> int:
        return len(self.document_ids)


@dataclass
class ImportReport:
    batch: Batch  # its counters as they stand after the run
    files: list[FileOutcome] = field(default_factory=list)
    threads: int = 0  # threads with an email printed in the batch
    index_seconds: float = 0.0

    @property
    def seconds(self) -> dict[str, float]:
        """Time spent reading the files (text, OCR, emails), writing them to the database and
        indexing them, in all."""
        spent = {"reading": 0.0, "writing": 0.0}
        for outcome in self.files:
            for phase, seconds in outcome.seconds.items():
                spent[phase] += seconds
        return spent | {"indexing": self.index_seconds}

    def count(self, *statuses: str) -> int:
        return sum(outcome.status in statuses for outcome in self.files)

    @property
    def needing_attention(self) -> list[FileOutcome]:
        return [o for o in self.files if o.status in SourceFile.NEEDS_ATTENTION]

    @property
    def new_emails(self) -> int:
        return sum(outcome.new_emails for outcome in self.files)

    @property
    def warnings(self) -> int:
        return sum(len(outcome.warnings) for outcome in self.files)
