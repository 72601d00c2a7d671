"""Finding printed header blocks in page text, in every common print style.

- Outlook memo: a sender line, then From / Sent / To / Cc / Bcc / Subject (Importance,
  Attachments);
- Lotus Notes: "Name/ORG/AGENCY@DOMAIN", a date line, then To / cc / bcc / Subject, often
  without colons and with the first fields on the sender's and date's lines;
- web-mail print: the subject alone, then From: Name <address> / Date: ... / To: ...;
- RFC style: From / Date / To / Subject.

OCR damage tolerated: "From :", "Sent;", a missing colon inside a block, a label and its value on
different lines (also a column of labels followed by a column of values), wrapped recipient lists.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

# Printed label -> field. OCR splits and misreads the common ones.
_LABELS = {
    "from": "from",
    "sent": "date",
    "date": "date",
    "to": "to",
    "cc": "cc",
    "bcc": "bcc",
    "subject": "subject",
    "subj": "subject",
    "importance": "importance",
    "priority": "importance",
    "sensitivity": "sensitivity",
    "attachments": "attachments",
    "attachment": "attachments",
    "sent by": "sent_by",
}
_LABEL = re.compile(
    r"""^\s*(?P<label>F\s?r\s?o\s?(?:m|rn)|S\s?e\s?n\s?t(?:\ by)?|Date|T\s?o|B?cc|BCC|CC|Ce
        |S\s?u\s?b\s?[jil]\s?e\s?c\s?t|Subj|Importance|Priority|Sensitivity|Attachments?)
        \s*(?P<sep>[:;.,])?(?:\s+|$|(?<=[:;.,]))(?P<value>.*)$""",
    re.IGNORECASE | re.VERBOSE,
)
ADDRESS_FIELDS = ("from", "to", "cc", "bcc")
LIST_FIELDS = ("to", "cc", "bcc")
CORE_FIELDS = ("from", "date", "to", "subject")
_NOTES_SENDER = re.compile(
    r"^(?P<name>[A-Z][^/@<>:;]{1,60}?(?:/[A-Za-z0-9 &.'-]+)+@[A-Za-z0-9.-]+)(?:\s+(?P<rest>.*))?$"
)
_NOTES_DATE = re.compile(
    r"^(?P<date>\d{1,2}/\d{1,2}/\d{2,4}\s+\d{1,2}:\d\d(?::\d\d)?(?:\s*[AP]\.?M\.?)?)"
    # A label and its value; or an empty label OCR misread ("co\"" for "cc"), which is dropped.
    r"\s*(?P<rest>(?:To|cc|bcc|Subject)\b.*|\S{1,3})?$",
    re.IGNORECASE,
)
# Outlook on the web prints the subject, the sender, then "Tue 11/7/2017 4:02 PM", then To: / Cc:.
_OWA_DATE = re.compile(
    r"^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? \d{1,2}/\d{1,2}/\d{2,4},? \d{1,2}:\d\d\s*[AP]M$",
    re.IGNORECASE,
)
# Lines that introduce a quoted earlier email in the body of a later one.
QUOTE_SEPARATOR = re.compile(
    r"""^\s*(?:-{2,}\s*Original\s+Message\s*-{2,}
        |-{2,}\s*Forwarded\s+(?:message|by\b.*?)\s*-*
        |Begin\s+forwarded\s+message:?
        |_{10,}
        |-{10,})\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
# "> " marks of a quoted reply, before a line of a quoted header.
_QUOTE_MARKS = re.compile(r"^\s*(?:>\s?)+")
# "----- Original Message ----- From: ..." printed on one line.
_SEPARATOR_THEN_LABEL = re.compile(
    r"^(?P<separator>\s*(?:>\s?)*-{2,}\s*Original\s+Message\s*-{2,})\s*"
    r"(?P<rest>(?:From|Sent|Date|To)\s*:.*)$",
    re.IGNORECASE,
)
# A subject this long may have wrapped onto the next line.
WRAPPED_SUBJECT_CHARS = 60
# A row of a double-spaced print wraps onto at most this many lines; a line without a separator
# there is a name's end ("Kari L. (GOV)") only when this short.
WRAPPED_ROW_LINES = 3
WRAPPED_NAME_CHARS = 30
# A line this short inside a header block is a speck the scan left, not a value.
MAX_SPECK_CHARS = 2
# At most this many lines between a label printed alone and its value.
MAX_STACKED_LABELS = 8
# A label inside a printed line that OCR ran together ("Sent: ... To: ... Subject: ..."). Only the
# labels Outlook prints after From, capitalized and with their colon, so prose is not cut.
_INNER_LABEL = re.compile(
    r"(?<=\S)\s+(?=(?P<label>Sent|Date|To|Cc|CC|Bcc|BCC|Subject|Importance|Attachments?)\s?:)"
)
# Fields a subject may be followed by on its line: anything else after "Subject:" is the subject.
AFTER_SUBJECT = ("importance", "attachments")
# A date and time as Outlook prints it in a value that OCR ran together with others.
_PRINTED_DATE = re.compile(
    r"""(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?\s+)?
        (?:[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+[A-Z][a-z]{2,8}\s+\d{4}|\d{1,2}/\d{1,2}/\d{2,4})
        ,?\s+(?:at\s+)?\d{1,2}:\d\d(?::\d\d)?(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s*[+-]\d{4}|\s+[A-Z]{2,4}\b)?""",
    re.VERBOSE,
)
_MEMO_TITLE = re.compile(r"^\s*(?:MEMORANDUM|MEMO)\b\s*(?:FOR\b.*)?$", re.IGNORECASE)
_REPLY_PREFIX = re.compile(r"(?<!\S)(?:RE|Re|FW|Fw|FWD|Fwd)\s*:")


@dataclass(frozen=True)
class Line:
    page: int | None
    text: str


@dataclass
class HeaderBlock:
    """A header block at ``lines[start:end]``; ``fields`` maps field name to the printed value."""

    start: int
    end: int
    style: str
    fields: dict[str, str] = field(default_factory=dict)
    dated_by_sent: bool = False  # Outlook prints "Sent:", web mail "Date:"

    def has(self, name: str) -> bool:
        return bool(self.fields.get(name, "").strip())


def label_of(text: str, strict: bool) -> tuple[str, str] | None:
    """(field, value) if the line starts with a header label (after any "> " quote marks: a
    header quoted in a reply). ``strict`` requires a separator (a colon or its OCR misreading)
    so that prose such as "To be clear" is not a label."""
    match = _LABEL.match(_QUOTE_MARKS.sub("", text))
    if not match:
        return None
    key = re.sub(r"\s+", "", match["label"]).lower()
    key = {
        "sentby": "sent by",
        "ce": "cc",
        "subiect": "subject",
        "sublect": "subject",
        "frorn": "from",  # OCR reads "m" as "rn"
    }.get(key, key)
    name = _LABELS.get(key)
    if name is None:
        return None
    if match["sep"] is None and (
        strict or not (match["label"][0].isupper() or name in ("cc", "bcc"))
    ):
        return None
    return name, match["value"].strip()


def split_fields(text: str) -> list[str]:
    """A printed line holding several header fields, one line per field: "Sent: Tue, 11 Feb 2020
    20:10 To: Roe, Jane Subject: RE: Budget" gives three lines. Only a line that starts with a
    label is cut, at labels not yet met on it, and after Subject only at Importance or
    Attachments (a subject may well say "Letter To: the Board")."""
    joined = _SEPARATOR_THEN_LABEL.match(text)
    if joined:
        return [joined["separator"], *split_fields(joined["rest"])]
    first = label_of(text, strict=True)
    if first is None:
        return [text]
    seen = {first[0]}
    pieces, start = [], 0
    for match in _INNER_LABEL.finditer(text):
        name = label_of(text[match.end() :], strict=True)
        if name is None or name[0] in seen:
            continue
        if "subject" in seen and name[0] not in AFTER_SUBJECT:
            continue
        pieces.append(text[start : match.start()])
        start = match.end()
        seen.add(name[0])
    pieces.append(text[start:])
    return pieces


def find_blocks(lines: list[Line]) -> Iterator[HeaderBlock]:
    """Every header block, in order, found as the caller asks for the next one."""
    index = 0
    while index < len(lines):
        block = read_block(lines, index)
        if block:
            yield block
            index = block.end
        else:
            index += 1


def read_block(lines: list[Line], start: int) -> HeaderBlock | None:
    text = lines[start].text.strip()
    if _OWA_DATE.match(text):
        return _read_owa(lines, start)
    notes = _NOTES_SENDER.match(text)
    if notes and _next_nonblank(lines, start + 1, _NOTES_DATE):
        return _read_notes(lines, start, notes)
    if _bare_label(text) and _bare_label_column(lines, start):
        return _read_labelled(lines, start, "rfc", bare=True)
    first = label_of(text, strict=True)
    if first is None or first[0] not in ("from", "date", "subject", "to"):
        return None
    if first[0] == "to" and not _under_separator(lines, start):
        return None  # a header opens with To: only under "Original Message" (BlackBerry)
    if _under_memo_title(lines, start):
        return None  # "MEMORANDUM / TO: / FROM: / DATE: / RE:" heads a memo, not an email
    if first[0] == "subject":
        # A web-mail print may start with the subject: a block only if From or Date follows.
        following = _next_nonblank_index(lines, start + 1)
        after = label_of(lines[following].text, strict=True) if following is not None else None
        if after is None or after[0] not in ("from", "date"):
            return None
    block = _read_labelled(lines, start, "rfc")
    if not _plausible(block):
        return None
    return block


def _bare_label(text: str) -> str | None:
    """The field of a line that is a label alone, without colon or value ("From", "Sent")."""
    found = label_of(text, strict=False)
    return found[0] if found and not found[1] and ":" not in text else None


def _bare_label_column(lines: list[Line], start: int) -> bool:
    """A column of labels printed without colons ("From / Sent / To / Subject"), starting with
    From or Date, of three labels or more."""
    names = []
    index = start
    while index is not None and (name := _bare_label(lines[index].text)):
        names.append(name)
        index = _next_nonblank_index(lines, index + 1)
    return len(names) >= 3 and names[0] in ("from", "date")


def _read_labelled(
    lines: list[Line], start: int, style: str, fields=None, bare: bool = False
) -> HeaderBlock:
    """The block from ``start``: labels with their values, or labels printed alone and their
    values on the lines after them; ``bare`` admits labels without a colon (a printed column)."""
    fields = dict(fields or {})
    pending: list[str] = []  # labels printed alone, waiting for their values
    current = None
    sent_label = False
    index = start
    end = start
    while index < len(lines):
        text = _QUOTE_MARKS.sub("", lines[index].text).strip()
        if not pending and len(text) <= MAX_SPECK_CHARS and not label_of(text, strict=False):
            text = ""  # a scanner's speck ("i", "•") on a line of its own is no row ("H" is a
            # value when its label waits for it)
        if not text:
            # Blank lines may separate rows of one block, never a block from its value (but an
            # address in brackets may follow its name after a blank line).
            following = _next_nonblank_index(lines, index + 1)
            if following is None or (
                not pending
                and not label_of(lines[following].text, strict=True)
                and not (
                    current in ADDRESS_FIELDS
                    and (_bracketed(lines[following].text) or _wedged(lines, following))
                )
            ):
                break
            if pending == ["subject"] and not label_of(lines[following].text, strict=True):
                break  # "Subject:" printed empty: the text after the blank line is the body
            index += 1
            continue
        # Without a colon a label counts only inside a block and before its Subject, the last
        # field most styles print: the body's first line may well start with "To".
        labelled = label_of(text, strict=not fields or "subject" in fields)
        if labelled is None and bare and not any(fields.values()):
            labelled = (name, "") if (name := _bare_label(text)) else None
        if labelled and labelled[0] in fields and fields[labelled[0]].strip():
            if labelled[0] in LIST_FIELDS and labelled[1] and "subject" not in fields:
                # "Cc: Kristina Y Perry" / "Cc: Michael A Tibbles": one row per recipient
                fields[labelled[0]] = f"{fields[labelled[0]]}; {labelled[1]}"
                index += 1
                end = index
                continue
            break  # a second From: starts the next block
        if labelled:
            name, value = labelled
            if name == "date" and re.match(r"(?i)s\s?e\s?n\s?t", text):
                sent_label = True
            if value:
                fields[name] = value
                pending.clear()  # labels printed alone before a full row were left empty
            else:
                fields.setdefault(name, "")
                pending.append(name)
                if len(pending) > MAX_STACKED_LABELS:
                    break
            current = name
        elif len(pending) > 1 and (spread := _spread(pending, text)):
            fields.update(spread)
            pending = [name for name in pending if name not in spread]
        elif pending:
            fields[pending.pop(0)] = text
        elif current in ADDRESS_FIELDS and (
            _continues_address_list(fields[current], text) or _before_a_label(lines, index)
        ):
            fields[current] = f"{fields[current]} {text}"
        elif current == "subject" and _continues_subject(fields["subject"], text):
            fields["subject"] = f"{fields['subject']} {text}"
        else:
            break
        index += 1
        end = index
    return HeaderBlock(start, end, style, fields, dated_by_sent=sent_label)


def _before_a_label(lines: list[Line], index: int) -> bool:
    """A line wedged between two rows of a block is the end of the row above it, wrapped:
    "To: ...; 'Todd" / "Palin'" / "Cc: ..."."""
    following = index + 1
    found = label_of(lines[following].text, strict=True) if following < len(lines) else None
    return found is not None and found[0] != "from"  # a From starts another block


def _wedged(lines: list[Line], index: int) -> bool:
    """Double-spaced prints put blank lines inside a wrapped row ("Cc: ...; Martha K" / "" /
    "Rutherford; ..." / "" / "Subject: ..."): the lines from ``index`` to the next row are the
    rest of the row above when they read as a list's end and a row (not a From) soon follows."""
    for _ in range(WRAPPED_ROW_LINES):
        text = lines[index].text
        found = label_of(text, strict=True)
        if found:
            return found[0] != "from"
        if not re.search(r"[;,@]", text) and len(text.strip()) > WRAPPED_NAME_CHARS:
            return False
        following = _next_nonblank_index(lines, index + 1)
        if following is None:
            return False
        index = following
    return False


def _continues_subject(subject: str, text: str) -> bool:
    """A subject wrapped at the print's width: its line is long and the next starts in lower case
    ("... May 9th, 2007 at" / "the Residence"); a capital letter starts the body."""
    return len(subject) >= WRAPPED_SUBJECT_CHARS and text[:1].islower() and len(text) < 60


def _under_memo_title(lines: list[Line], start: int) -> bool:
    """Whether "MEMORANDUM" (or "MEMO") is printed just above ``start``, blank lines and header
    rows ("TO: Board members") aside."""
    above = _previous_nonblank_index(lines, start - 1)
    for _ in range(MAX_STACKED_LABELS):
        if above is None or not label_of(lines[above].text, strict=True):
            break
        above = _previous_nonblank_index(lines, above - 1)
    return above is not None and bool(_MEMO_TITLE.match(lines[above].text))


def _spread(pending: list[str], text: str) -> dict[str, str]:
    """The values of several labels printed alone ("From: Sent: To: Subject:") when OCR put them
    on one line: "Mills, Cheryl D <MillsCD@state.gov> Friday, December 4, 2009 9:35 AM H FW: Trip".
    The date divides the sender from the rest; a reply prefix divides recipients from subject.
    Empty when the line cannot be divided so."""
    if pending[:2] != ["from", "date"]:
        return {}
    date = _PRINTED_DATE.search(text)
    if date is None or not text[: date.start()].strip():
        return {}
    values = {"from": text[: date.start()].strip(), "date": date.group(0)}
    rest = text[date.end() :].strip()
    later = pending[2:]
    if rest and later[:2] == ["to", "subject"]:
        prefix = _REPLY_PREFIX.search(rest)
        if prefix is None:
            return values
        values["to"], values["subject"] = rest[: prefix.start()].strip(), rest[prefix.start() :]
    elif rest and later:
        values[later[0]] = rest
    return values


def _read_notes(lines: list[Line], start: int, notes: re.Match) -> HeaderBlock:
    """Notes prints the sender and date at the left and To / cc / bcc / Subject at the right, so
    rejoined rows read "Name/ORG@DOMAIN To Someone" and "05/17/2010 02:14 PM cc Other"."""
    fields = {"from": notes["name"]}
    date_index = _next_nonblank_index(lines, start + 1)
    date = _NOTES_DATE.match(lines[date_index].text.strip())
    fields["date"] = date["date"]
    for rest in (notes["rest"], date["rest"]):
        labelled = label_of(rest or "", strict=False)
        if labelled:
            fields[labelled[0]] = labelled[1]
    block = _read_labelled(lines, date_index + 1, "notes", fields)
    block.start = start
    if block.end <= date_index:
        block.end = date_index + 1
    return block


def _read_owa(lines: list[Line], date_index: int) -> HeaderBlock | None:
    following = _next_nonblank_index(lines, date_index + 1)
    sender = _previous_nonblank_index(lines, date_index - 1)
    subject = _previous_nonblank_index(lines, sender - 1) if sender is not None else None
    if following is None or sender is None or subject is None:
        return None
    if (label_of(lines[following].text, strict=True) or ("", ""))[0] != "to":
        return None
    fields = {
        "from": lines[sender].text.strip(),
        "date": lines[date_index].text.strip(),
        "subject": lines[subject].text.strip(),
    }
    block = _read_labelled(lines, following, "owa", fields)
    block.start = subject
    return block


def _under_separator(lines: list[Line], start: int) -> bool:
    """Whether the line above ``start`` (blank lines aside) is an "Original Message" rule."""
    above = _previous_nonblank_index(lines, start - 1)
    return above is not None and bool(QUOTE_SEPARATOR.match(lines[above].text))


def _previous_nonblank_index(lines: list[Line], index: int) -> int | None:
    while index >= 0:
        if lines[index].text.strip():
            return index
        index -= 1
    return None


def _plausible(block: HeaderBlock) -> bool:
    """At least two of From / Date / To / Subject with values, one of them From or Date."""
    present = [name for name in CORE_FIELDS if block.has(name)]
    return (
        len(present) >= 2
        and ("from" in present or "date" in present)
        and (len(present) >= 3 or "subject" in present or "date" in present)
    )


def _continues_address_list(value: str, text: str) -> bool:
    """A wrapped address line: the value so far ends with a separator, the line is plainly a list
    of addresses (it holds an @ or a semicolon), or it is the address of the name above it."""
    if label_of(text, strict=False):
        return False
    return value.rstrip().endswith((";", ",")) or "@" in text or ";" in text or _bracketed(text)


def _bracketed(text: str) -> bool:
    """A line that opens with an address's bracket: "[mailto:...]", "<jroe@...>"."""
    return bool(re.match(r"^\s*(?:>\s?)*[\[<]", text))


def _next_nonblank_index(lines: list[Line], index: int) -> int | None:
    while index < len(lines):
        if lines[index].text.strip():
            return index
        index += 1
    return None


def _next_nonblank(lines: list[Line], index: int, pattern: re.Pattern) -> bool:
    found = _next_nonblank_index(lines, index)
    return found is not None and bool(pattern.match(lines[found].text.strip()))
