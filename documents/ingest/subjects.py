"""Subjects: reply and forward prefixes, and the key threads are matched on."""

from __future__ import annotations

import re

# "RE:", "Re :", "FW:", "Fwd:", "RE[2]:", "AW:", "WG:", "[EXTERNAL]" in any number and order, and
# as OCR misreads them: "FVV:", "Fvv:", "Fw;", "RE;", "RE.".
_PREFIX = re.compile(
    r"""^\s*(?:(?:re|fw|fwd|fvv|fvw|fwv|aw|wg|sv|vs|tr)\s*(?:\[\d+\]|\(\d+\))?\s*[:;]
        |re\.(?=\s)
        |\[external\]|\*\*\*\s*external\s*\*\*\*)\s*""",
    re.IGNORECASE | re.VERBOSE,
)


def strip_reply_prefix(subject: str) -> str:
    """The subject without one leading reply or forward prefix."""
    return _PREFIX.sub("", subject, count=1).strip()


# What ends a subject without changing it: a full stop typed or not, and the dots and dashes
# that a speck on a scanned subject line reads as ("Secure Communities." / "Communities -").
_TRAILING_MARKS = " .,;:·-–—~_"


def without_trailing_marks(subject: str) -> str:
    """The subject without the marks at its end: what two copies of an email agree on when a
    speck gave one of them a dot or a dash."""
    return subject.rstrip(_TRAILING_MARKS)


def normalize_subject(subject: str) -> str:
    """Lower-case, every prefix removed, spaces collapsed, marks at the end dropped:
    "RE: FW: Opt-out.  " -> "opt-out".

    An empty result (a subject that was only "FW:") never threads emails together by itself.
    """
    text = subject or ""
    while True:
        stripped = _PREFIX.sub("", text, count=1)
        if stripped == text:
            break
        text = stripped
    return without_trailing_marks(" ".join(text.lower().split()))[:500]


# OCR sets spaces that print does not: before punctuation, inside brackets, in "Governor' s" and
# "Mat -Su".
_SPACING_FIXES = [
    (re.compile(r"(?<=\S)\s+(?=[,.:;!?)\]])"), ""),
    (re.compile(r"(?<=[(\[])\s+"), ""),
    (re.compile(r"(?<=\w)'\s+(?=(?:s|t|d|ll|re|ve|m)\b)"), "'"),
    (re.compile(r"(?<=\w) -(?=\w)"), "-"),
]


def tidy_spacing(text: str) -> str:
    """``text`` with OCR's stray spaces taken out; its words and punctuation as printed."""
    text = " ".join(text.split())
    for pattern, replacement in _SPACING_FIXES:
        text = pattern.sub(replacement, text)
    return text


# A forwarded subject in square brackets ("[Fwd: ...]") whose closing bracket OCR read as a
# look-alike: "April 131", "Mat Maid)".
_UNCLOSED_BRACKET = re.compile(r"^(?P<open>(?:\S+:\s*)*\[[^\[\]]*?\S)[)1lI|J]$")


def tidy_subject(text: str) -> str:
    """A printed subject with OCR's stray spaces out and its bracket closed as printed."""
    text = tidy_spacing(text)
    unclosed = _UNCLOSED_BRACKET.match(text)
    if unclosed is None or text.endswith(")") and text.count("(") >= text.count(")"):
        return text  # "[Fwd: Meeting (room 1)": the parenthesis is printed
    return f"{unclosed['open']}]"
