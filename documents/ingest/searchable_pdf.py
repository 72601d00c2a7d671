"""The original PDF with the OCR text laid over its scanned pages: a copy a reader can search and
select in, as OCRmyPDF and Paperless-ngx offer.

Each OCR'd page gets Tesseract's text-only PDF of that page (invisible glyphs where the words
are) drawn over it as a form XObject, scaled to the page; qpdf's placement (through pikepdf)
undoes the page's own /Rotate, so the text lands on the words as the page is displayed. Pages
with a text layer of their own, and everything else in the file, are left as they were.
"""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path

import pikepdf


class TextLayers:
    """Text-only page PDFs gathered while a file is OCR'd, kept in a temporary folder (not in
    memory: a long scan has thousands), then laid over the original's pages."""

    def __init__(self):
        self._folder: tempfile.TemporaryDirectory | None = None
        self._opening = threading.Lock()  # pages are OCR'd in several threads at once
        self.pages: list[int] = []

    def add(self, number: int, layer: bytes) -> None:
        if not layer:
            return
        with self._opening:
            if self._folder is None:
                self._folder = tempfile.TemporaryDirectory(prefix="foia-text-layers-")
        (Path(self._folder.name) / f"{number}.pdf").write_bytes(layer)
        self.pages.append(number)

    def searchable_copy(self, original: Path) -> Path | None:
        """A temporary file (the caller keeps or deletes it): ``original`` with the gathered
        layers over their pages; None when no page was OCR'd."""
        if not self.pages:
            return None
        descriptor, name = tempfile.mkstemp(prefix="foia-searchable-", suffix=".pdf")
        os.close(descriptor)
        target = Path(name)
        try:
            with pikepdf.open(original) as pdf:
                for number in sorted(self.pages):
                    with pikepdf.open(Path(self._folder.name) / f"{number}.pdf") as text:
                        page = pdf.pages[number - 1]
                        page.add_overlay(pdf.copy_foreign(text.pages[0].as_form_xobject()))
                pdf.save(target)
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        return target

    def close(self) -> None:
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None
