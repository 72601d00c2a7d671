"""Why a file failed, in words an admin can read: a library's error message may hold a PDF
object dictionary of kilobytes, raw bytes or control characters, which tell a person nothing and
can fill the batch page. What is kept is short, printable and names the problem."""

from __future__ import annotations

import re

# A reason is cut to this many characters.
REASON_CHARS = 300
# A bracketed value (a dictionary, a list, a PDF object) longer than this is a dump: elided.
DUMP_CHARS = 40
# A bytes literal ("b'%PDF\x00...'"), whatever its length.
_BYTES = re.compile(r"""\bb(['"])(?:\\.|(?!\1).)*\1""")
# The innermost bracketed values, so that nested ones are read from the inside out.
_INNERMOST = re.compile(r"\{[^{}]*\}|\[[^\[\]]*\]|<<(?:(?!<<|>>).)*>>", re.DOTALL)
# Brackets already read stand in for themselves as private-use characters until the end.
_HIDDEN = {
    "{": "\ue000",
    "}": "\ue001",
    "[": "\ue002",
    "]": "\ue003",
    "<<": "\ue004",
    ">>": "\ue005",
}


def readable_reason(text: str) -> str:
    """``text`` with bytes and long dumps elided, control characters and runs of spaces made
    one space, cut to ``REASON_CHARS``."""
    text = _BYTES.sub("(bytes)", text)
    while (elided := _INNERMOST.sub(_elide, text)) != text:
        text = elided
    for bracket, hidden in _HIDDEN.items():
        text = text.replace(hidden, bracket)
    text = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    return text if len(text) <= REASON_CHARS else text[: REASON_CHARS - 1].rstrip() + "…"


def error_reason(error: BaseException) -> str:
    """An exception as a reason: its kind and its message, made readable."""
    message = str(error)
    return readable_reason(
        f"{type(error).__name__}: {message}" if message else type(error).__name__
    )


def _elide(found: re.Match) -> str:
    """A bracketed value as it is when short, else only its brackets around "…"."""
    value = found.group(0)
    opening = "<<" if value.startswith("<<") else value[0]
    closing = {"{": "}", "[": "]", "<<": ">>"}[opening]
    inside = value[len(opening) : -len(closing)] if len(value) <= DUMP_CHARS else "…"
    return _HIDDEN[opening] + inside + _HIDDEN[closing]
