"""Subject lines of scans that carry someone else's OCR, read again by Tesseract.

Agencies release scans with their own OCR text layer, and its misreadings land in the field a
reader scans first: "Pis read this" for "Pls", "Members I Open Enrollment" for "Members |",
"Info," for "Info.". The layer is good enough to keep (OCR'ing such a release again reads worse
overall), so only its Subject lines are read again from the page image, each as one line, and
the two readings are judged word by word: where they disagree one for one (or only in spacing),
Tesseract's word is taken when it is sure of it. Measured on the labeled development set
(``make eval``).
"""

from __future__ import annotations

from dataclasses import replace
from difflib import SequenceMatcher
from pathlib import Path

from documents.ingest.ocr import read_lines
from documents.ingest.pdf_text import PdfPage, Word

# Tesseract's confidence (0-100) from which its word replaces the text layer's.
TRUSTED = 85.0
# Two words are on one row when their vertical centres are this close, in line heights.
SAME_ROW = 0.6


def reread_subjects(page: PdfPage, path: Path, language: str) -> PdfPage:
    """The page with its Subject lines judged against Tesseract's reading of them."""
    rows = subject_rows(page.words)
    if not rows:
        return page
    boxes = [
        (
            min(word[0] for word in row),
            min(word[1] for word in row),
            max(word[2] for word in row),
            max(word[3] for word in row),
        )
        for row in rows
    ]
    lines = list(page.lines)
    for row, reread in zip(rows, read_lines(path, page.number, boxes, language), strict=True):
        layer = [word[4] for word in row]
        better = judged(layer, reread, label=1 if layer[0].endswith(":") else 2)
        printed = " ".join(layer)
        for index, line in enumerate(lines):
            if " ".join(line.split()) == printed:
                lines[index] = " ".join(better)
                break
    return replace(page, lines=tuple(lines))


def subject_rows(words: tuple[Word, ...]) -> list[list[Word]]:
    """The rows of words that begin with a Subject label ("Subject:", "Subject :"), left to
    right."""
    rows = []
    for word in words:
        if not word[4].startswith("Subject"):
            continue
        height = word[3] - word[1]
        middle = (word[1] + word[3]) / 2
        row = sorted(
            (
                other
                for other in words
                if abs((other[1] + other[3]) / 2 - middle) < height * SAME_ROW
                and other[0] >= word[0]
            ),
            key=lambda other: other[0],
        )
        texts = [other[4] for other in row]
        labelled = texts[0] == "Subject:" or (
            texts[0] == "Subject" and len(texts) > 1 and texts[1].startswith(":")
        )
        if labelled and len(texts) > 1:
            rows.append(row)
    return rows


def judged(layer: list[str], reread: list[tuple[str, float]], label: int) -> list[str]:
    """The layer's words after the first ``label`` ones, each replaced by Tesseract's where the
    two disagree one for one, or in spacing only ("Pal in" / "Palin"), and Tesseract is sure.
    Words only one of them read are left as the layer has them."""
    words = [text for text, _ in reread]
    result = list(layer)
    opcodes = SequenceMatcher(None, layer, words, autojunk=False).get_opcodes()
    for kind, start, end, other_start, other_end in reversed(opcodes):
        if kind != "replace" or start < label:
            continue
        sure = all(confidence >= TRUSTED for _, confidence in reread[other_start:other_end])
        one_for_one = end - start == other_end - other_start
        respaced = "".join(layer[start:end]) == "".join(words[other_start:other_end])
        if sure and (one_for_one or respaced):
            result[start:end] = words[other_start:other_end]
    return result
