"""A file's type from its first bytes, never from its name."""

from __future__ import annotations

import re

HEAD_BYTES = 8192
_HEADER_LINE = re.compile(rb"^[A-Za-z][A-Za-z0-9-]{1,40}:[ \t]", re.MULTILINE)
_KEY_HEADERS = re.compile(
    rb"^(?:From|Date|Subject|To|Message-ID|Received|Return-Path|MIME-Version):",
    re.IGNORECASE | re.MULTILINE,
)


def sniff(head: bytes) -> str:
    """ "pdf", "zip", "mbox", "eml" or "unknown" for the first HEAD_BYTES of a file."""
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    text = head.lstrip(b"\r\n\t \xef\xbb\xbf")
    if text.startswith(b"From ") and _KEY_HEADERS.search(text):
        return "mbox"
    if _HEADER_LINE.match(text) and len(_KEY_HEADERS.findall(text)) >= 2:
        return "eml"
    return "unknown"
