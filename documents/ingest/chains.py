"""Quoted chains: the earlier emails printed inside the body of a later one.

Forms: "-----Original Message-----" and a header block, a bare header block after body text,
"On <date>, <name> wrote:", Notes' "<name> wrote on <date>:", "<name> wrote:" and ">" quoting.
Each quoted email comes out as its own Email; the quoting email keeps only its own text.
"""

from __future__ import annotations

import re
from datetime import tzinfo

from documents.ingest.addresses import parse_address, parse_address_list
from documents.ingest.dates import DateNotUnderstood, parse_date
from documents.ingest.exemptions import find_exemptions
from documents.ingest.headers import QUOTE_SEPARATOR, HeaderBlock, Line, find_blocks, label_of
from documents.ingest.records import Email
from documents.ingest.subjects import normalize_subject, strip_reply_prefix, tidy_subject

_ON_WROTE = re.compile(r"^\s*On\s+(?P<rest>.+?)\s+wrote\s*:\s*$", re.IGNORECASE)
_WROTE_ON = re.compile(r"^\s*(?P<who>.{2,120}?)\s+wrote\s+on\s+(?P<date>.+?)\s*:\s*$")
_WROTE = re.compile(r"^\s*(?:-{2,3}\s*)?(?P<who>[A-Z\"'][^:]{1,100}?)\s+wrote\s*:\s*$")
# An attribution line may wrap once ("On Mon, May 17, 2010 at 2:14 PM, David Venturella\n<...>
# wrote:"); a longer "wrote:" sentence is prose.
MAX_ATTRIBUTION_WORDS = 16
# A quoted subject wraps onto at most this many lines.
WRAPPED_SUBJECT_LINES = 2
_QUOTE_MARKS = re.compile(r"^\s*(?:>\s?)+")


def split_chain(
    lines: list[Line], subject: str, zone: str | tzinfo
) -> tuple[list[Line], list[Email]]:
    """(own lines, quoted emails newest first) for the text under one email's header."""
    block = next(find_blocks(lines), None)
    block_start = quote_start(lines, block.start) if block else len(lines)
    attribution = _first_attribution(lines[:block_start])
    if attribution is not None:
        start, end, who, date_raw = attribution
        quoted = _attributed_email(who, date_raw, subject, zone)
        rest = _unquote(lines[end:])
        printed_subject = _subject_line(rest)
        if printed_subject is not None:  # Notes prints it under "X wrote on <date>:"
            quoted.subject, quoted.subject_inferred = printed_subject[1], False
            rest = rest[printed_subject[0] + 1 :]
    elif block is not None:
        start, end = block_start, block.end
        quoted = email_from_block(block, zone, fallback_subject=subject)
        end = _complete_wrapped_subject(quoted, subject, lines, end)
        rest = lines[end:]
    else:
        return lines, []
    own_quoted, earlier = split_chain(rest, quoted.subject, zone)
    fill_text(quoted, own_quoted, lines[start:end])
    return lines[:start], [quoted, *earlier]


def _complete_wrapped_subject(email: Email, reply_subject: str, lines: list[Line], end: int) -> int:
    """Where the quoted header ends once its subject is whole. A narrow quoted print wraps the
    subject anywhere ("Subject: Select Benefits Members I Open Enrollment" / "May 21-June 8,
    2007"): the lines after the block that complete it into the reply's subject belong to it."""
    target = _letters(reply_subject)
    subject = email.subject
    if email.subject_inferred or not _letters(subject) or not target.startswith(_letters(subject)):
        return end
    index = end
    for _ in range(WRAPPED_SUBJECT_LINES):
        while index < len(lines) and not lines[index].text.strip():
            index += 1
        if index >= len(lines):
            break
        longer = f"{subject} {_QUOTE_MARKS.sub('', lines[index].text).strip()}"
        if not target.startswith(_letters(longer)):
            break
        subject, index = longer, index + 1
        if _letters(subject) == target:
            email.subject = tidy_subject(subject)
            return index
    return end


def _letters(subject: str) -> str:
    """A subject's letters and digits, its prefixes aside: compared across prints and OCR's
    spacing."""
    return re.sub(r"[^a-z0-9]", "", normalize_subject(subject))


def quote_start(lines: list[Line], start: int) -> int:
    """Where a quoted block begins: its separator line ("-----Original Message-----") if any."""
    previous = start - 1
    while previous >= 0 and not lines[previous].text.strip():
        previous -= 1
    if previous >= 0 and QUOTE_SEPARATOR.match(lines[previous].text):
        return previous
    return start


def email_from_block(block: HeaderBlock, zone: str | tzinfo, fallback_subject: str = "") -> Email:
    fields = block.fields
    email = Email(
        sender=parse_address(fields["from"]) if fields.get("from", "").strip() else None,
        to=parse_address_list(fields.get("to", "")),
        cc=parse_address_list(fields.get("cc", "")),
        bcc=parse_address_list(fields.get("bcc", "")),
        subject=tidy_subject(fields.get("subject", "")),
    )
    if "subject" not in fields and fallback_subject:
        email.subject = strip_reply_prefix(fallback_subject)
        email.subject_inferred = True
    if email.sender is None:
        email.warnings.append("no sender printed")
    set_date(email, fields.get("date", ""), zone)
    attachments = fields.get("attachments", "").strip()
    if attachments:
        email.attachments = [
            {"name": name.strip(), "content_type": "", "size": None}
            for name in re.split(r";\s*", attachments)
            if name.strip()
        ]
    email.exemptions = find_exemptions(" ".join(fields.values()))
    return email


def set_date(email: Email, raw: str, zone: str | tzinfo) -> None:
    email.date_raw = " ".join(raw.split())
    if not email.date_raw:
        email.warnings.append("no date printed")
        return
    try:
        email.sent_at = parse_date(email.date_raw, zone)
    except DateNotUnderstood as error:
        email.warnings.append(f"date not understood: {error}")


def fill_text(email: Email, own: list[Line], header: list[Line]) -> None:
    """Set the body, pages and exemptions of an email from its own lines."""
    email.body = body_text(own)
    pages = [line.page for line in (*header, *own) if line.page is not None and line.text.strip()]
    if pages:
        email.first_page, email.last_page = min(pages), max(pages)
    email.exemptions = tuple(dict.fromkeys([*email.exemptions, *find_exemptions(email.body)]))


def body_text(lines: list[Line]) -> str:
    text = "\n".join(line.text.rstrip() for line in lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _first_attribution(lines: list[Line]) -> tuple[int, int, str, str] | None:
    """(start, end, who, date as printed) of the first attribution line."""
    for index, line in enumerate(lines):
        text = line.text.strip()
        if "wrote" not in text.lower():
            continue
        candidates = [(index, text)]
        previous = next(
            (n for n in (index - 1, index - 2) if n >= 0 and lines[n].text.strip()), None
        )
        if previous is not None:
            candidates.append((previous, f"{lines[previous].text.strip()} {text}"))
        for start, joined in candidates:
            if len(joined.split()) > MAX_ATTRIBUTION_WORDS or label_of(joined, strict=True):
                continue
            found = _read_attribution(joined)
            if found:
                return start, index + 1, *found
    return None


def _read_attribution(text: str) -> tuple[str, str] | None:
    on = _ON_WROTE.match(text)
    if on:
        rest = on["rest"]
        # "Mon, May 17, 2010 at 2:14 PM, David Venturella <dv@ice.dhs.gov>": the date is the
        # shortest comma-separated prefix that reads as a full date and time.
        parts = rest.split(", ")
        for split in range(1, len(parts)):
            date, who = ", ".join(parts[:split]), ", ".join(parts[split:])
            try:
                parse_date(date, "UTC")
            except DateNotUnderstood:
                continue
            return who, date
        return None
    wrote_on = _WROTE_ON.match(text)
    if wrote_on:
        return wrote_on["who"], wrote_on["date"]
    wrote = _WROTE.match(text)
    if wrote and ("@" in wrote["who"] or len(wrote["who"].split()) <= 6):
        return wrote["who"].strip(), ""
    return None


def _attributed_email(who: str, date_raw: str, subject: str, zone: str | tzinfo) -> Email:
    email = Email(
        sender=parse_address(who), subject=strip_reply_prefix(subject), subject_inferred=True
    )
    email.warnings.append("quoted under an attribution line: recipients not printed")
    if date_raw:
        set_date(email, date_raw, zone)
    else:
        email.warnings.append("no date printed")
    return email


def _subject_line(lines: list[Line]) -> tuple[int, str] | None:
    """(index, subject) when the first printed line is "Subject: ..."."""
    for index, line in enumerate(lines):
        if line.text.strip():
            found = label_of(line.text, strict=True)
            return (index, found[1]) if found and found[0] == "subject" else None
    return None


def _unquote(lines: list[Line]) -> list[Line]:
    """Remove one level of ">" quoting when the quoted text uses it."""
    marked = [line for line in lines if line.text.strip()]
    if not marked or sum(line.text.lstrip().startswith(">") for line in marked) < len(marked) / 2:
        return lines
    return [Line(line.page, re.sub(r"^\s*> ?", "", line.text)) for line in lines]
