"""The parsing pipeline: bytes in, dataclasses out. Pure Python; never imports Django.

Keeping Django out lets every step be tested on plain strings and run in worker processes.
"""

from documents.ingest.exemptions import EXEMPTIONS

__all__ = ["EXEMPTIONS"]
