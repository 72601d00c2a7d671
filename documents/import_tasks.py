"""Where jobs queued before the import code moved to ``documents.imports`` look for their task:
the worker resolves a stored task by this path."""

from documents.imports.jobs import run_import_job

__all__ = ["run_import_job"]
