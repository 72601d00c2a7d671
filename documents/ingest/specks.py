"""The marks a scan's specks leave around printed values, which OCR reads as punctuation."""

from __future__ import annotations

import re

_AROUND = re.compile(r"^[^\w(]+|[^\w)]+$")


def without_specks(text: str) -> str:
    """``text`` without the marks before its first letter or digit and after its last
    ("=~ ~—- Monday, May 3, 2010" -> "Monday, May 3, 2010"; "Page 1 of 1 >" -> "Page 1 of 1");
    brackets that close or open a value are kept."""
    return _AROUND.sub("", text.strip())
