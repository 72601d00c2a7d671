"""RFC-822 messages (.eml files and mbox mailboxes) to Emails, with the standard library."""

from __future__ import annotations

import email.utils
import functools
import mailbox
import multiprocessing
import re
from collections.abc import Iterator
from datetime import tzinfo
from email import policy
from email.headerregistry import HeaderRegistry
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import html2text

from documents.ingest.addresses import parse_address, parse_address_list
from documents.ingest.chains import body_text, set_date, split_chain
from documents.ingest.exemptions import find_exemptions
from documents.ingest.headers import Line
from documents.ingest.reasons import error_reason
from documents.ingest.records import Email, ParsedFile


class _HeadersParsedOnce(HeaderRegistry):
    """The standard library's headers, each distinct one parsed once: the library parses a
    header again on every access (finding a message's body asks its Content-Type about ten
    times), and a mailbox's messages share most Content-Type values. Its headers are immutable
    strings, so the same one can be handed out again."""

    def __init__(self) -> None:
        super().__init__()
        self._parse = functools.lru_cache(maxsize=1024)(super().__call__)

    def __call__(self, name: str, value: str):
        return self._parse(name, value)


_PARSER = BytesParser(policy=policy.default.clone(header_factory=_HeadersParsedOnce()))
_HEADER_END = re.compile(rb"\r?\n\r?\n")
_HEADER_NAME = re.compile(rb"^(?:From |[!-9;-~]+:)")
_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
_BOUNDARY = re.compile(rb'boundary="?([^";\r\n]+)"?', re.IGNORECASE)


def parse_eml(data: bytes, zone: str | tzinfo) -> ParsedFile:
    message = _PARSER.parsebytes(repair_header_folding(data))
    if not any(_header(message, name, []) for name in ("From", "Date", "Subject", "Message-ID")):
        return ParsedFile("eml", status="failed", error="no email headers (From, Date, Subject)")
    return ParsedFile("eml", items=[email_from_message(message, zone)])


def parse_mbox(path: str | Path, zone: str | tzinfo) -> ParsedFile:
    """The mailbox's messages, read one at a time as ``items`` is consumed."""
    parsed = ParsedFile("mbox")
    parsed.items = _mbox_emails(parsed, mailbox.mbox(str(path), factory=None, create=False), zone)
    return parsed


def read_mbox_elsewhere(path: str | Path, zone: str | tzinfo) -> ParsedFile:
    """``parse_mbox`` run in a process of its own: each email comes through a pipe as soon as it
    is read, so that the caller writes it while the next ones are read. The pipe's small buffer
    holds the reader back when the caller is slower, so memory stays flat. As with any
    ParsedFile, ``status``, ``error`` and ``warnings`` are final once ``items`` is read."""
    parsed = ParsedFile("mbox", streamed=True)
    parsed.items = _from_reader(parsed, str(path), zone)
    return parsed


def _from_reader(parsed: ParsedFile, path: str, zone) -> Iterator[Email]:
    # "spawn": the reader imports only this package, never a live database connection.
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    reader = context.Process(target=_read_into, args=(path, zone, sender), daemon=True)
    reader.start()
    sender.close()
    try:
        while True:
            try:
                kind, value = receiver.recv()
            except EOFError:
                reader.join()
                raise OSError(
                    f"the process reading the mailbox ended unexpectedly (exit code "
                    f"{reader.exitcode})"
                ) from None
            if kind == "done":
                parsed.status, parsed.error, parsed.warnings = value
                return
            yield value
    finally:
        receiver.close()
        if reader.is_alive():
            reader.kill()  # the import stopped before the end: nothing more is wanted
        reader.join()


def _read_into(path: str, zone, sender) -> None:
    """In the reader process: the mailbox's emails, then how the reading went."""
    parsed = parse_mbox(path, zone)
    try:
        for found in parsed.items:
            sender.send(("email", found))
    except BrokenPipeError:
        return  # the importer stopped reading: the file failed on its side
    except Exception as error:
        parsed.status, parsed.error = "failed", f"cannot be read: {error_reason(error)}"
    sender.send(("done", (parsed.status, parsed.error, parsed.warnings)))
    sender.close()


def _mbox_emails(parsed: ParsedFile, box: mailbox.mbox, zone) -> Iterator[Email]:
    read = 0
    try:
        for index, key in enumerate(box.iterkeys(), start=1):
            try:
                message = _PARSER.parsebytes(repair_header_folding(box.get_bytes(key)))
                email = email_from_message(message, zone)
            except Exception as error:  # one damaged message must not lose the others
                parsed.warnings.append(f"message {index} cannot be read: {error_reason(error)}")
                continue
            read += 1
            yield email
    finally:
        box.close()
    if not read:
        parsed.status, parsed.error = "failed", "no readable message in the mailbox"


def repair_header_folding(data: bytes) -> bytes:
    """Indent header continuation lines a converter left flush left, in the message's header and
    in each MIME part's.

    Some .msg-to-.eml conversions print a long header (X-Microsoft-Exchange-Diagnostics, or an
    attachment's ``filename=``) over several lines without the leading space; the parser then ends
    the header section there and reads the rest as body: the MIME structure of a message, the
    name of an attachment. Only lines followed by a real header line are indented, so a body
    printed without a blank line before it stays a body.
    """
    boundaries = {found.strip() for found in _BOUNDARY.findall(data)}
    if not boundaries:
        return _repair_header_section(data)
    delimiter = re.compile(
        rb"(^--(?:" + b"|".join(map(re.escape, boundaries)) + rb")[ \t]*\r?\n)", re.MULTILINE
    )
    pieces = delimiter.split(data)  # text, delimiter line, part, delimiter line, part, ...
    return b"".join(
        piece if index % 2 else _repair_header_section(piece) for index, piece in enumerate(pieces)
    )


def _repair_header_section(data: bytes) -> bytes:
    """Repair the header section at the start of ``data`` (a message or a MIME part). The
    converters break lines at a fixed width, mid-word ("attachment;fil" / "ename=..."), so a
    stray line is joined back onto the one before it as printed."""
    end = _HEADER_END.search(data)
    head = data[: end.start()] if end else data
    lines = head.split(b"\n")
    last_header = max((i for i, line in enumerate(lines) if _HEADER_NAME.match(line)), default=-1)
    repaired: list[bytes] = []
    for index, line in enumerate(lines):
        if (
            0 < index < last_header
            and line[:1] not in (b" ", b"\t")
            and not _HEADER_NAME.match(line)
        ):
            repaired[-1] = repaired[-1].removesuffix(b"\r") + line
        else:
            repaired.append(line)
    if len(repaired) == len(lines):
        return data
    return b"\n".join(repaired) + (data[end.start() :] if end else b"")


def email_from_message(message: EmailMessage, zone: str | tzinfo) -> Email:
    warnings: list[str] = []
    sender = _header(message, "From", warnings)
    result = Email(
        sender=parse_address(_display(sender)) if sender.strip() else None,
        to=parse_address_list(_display_list(_header(message, "To", warnings))),
        cc=parse_address_list(_display_list(_header(message, "Cc", warnings))),
        bcc=parse_address_list(_display_list(_header(message, "Bcc", warnings))),
        subject=" ".join(_header(message, "Subject", warnings).split()),
        message_id=_id_header(message, "Message-ID", warnings),
        in_reply_to=_id_header(message, "In-Reply-To", warnings),
        references=" ".join(_MESSAGE_ID.findall(_header(message, "References", warnings))),
        attachments=list(_attachments(message, warnings)),
        warnings=warnings,
    )
    set_date(result, _header(message, "Date", warnings), zone)
    text = _body(message, warnings)
    own, quoted = split_chain(
        [Line(None, line) for line in text.splitlines()], result.subject, zone
    )
    result.body = body_text(own)
    result.quoted = quoted
    result.exemptions = find_exemptions(f"{result.body} {sender}")
    return result


def _header(message: EmailMessage, name: str, warnings: list[str]) -> str:
    """A header as text; a header the policy cannot parse is read raw rather than lost (the
    policy parses it again on every access, so the raw value is read without it)."""
    try:
        value = message.get(name)
        return "" if value is None else str(value)
    except Exception as error:
        warnings.append(f"{name} header damaged ({error_reason(error)}); kept as printed")
        return _raw_header(message, name)


def _raw_header(message: EmailMessage, name: str) -> str:
    raw = next((v for k, v in message.raw_items() if k.lower() == name.lower()), "")
    return " ".join(str(raw).split())


def _id_header(message: EmailMessage, name: str, warnings: list[str]) -> str:
    """The first ID of a Message-ID or In-Reply-To header. A damaged one is left out, with a
    warning, never the email: a guessed ID could merge two emails or thread one wrongly."""
    try:
        value = message.get(name)
    except Exception:
        warnings.append(
            f"{name} header damaged and left out; as printed: {_raw_header(message, name)[:200]}"
        )
        return ""
    return "" if value is None else _first_id(str(value))


def _display(value: str) -> str:
    name, address = email.utils.parseaddr(value)
    if address and name:
        return f"{name} <{address}>"
    return address or value


def _display_list(value: str) -> str:
    pairs = email.utils.getaddresses([value]) if value else []
    return "; ".join(
        f"{name} <{address}>" if name and address else (address or name) for name, address in pairs
    )


def _first_id(value: str) -> str:
    found = _MESSAGE_ID.search(value)
    return found.group(0) if found else value.strip()


def _body(message: EmailMessage, warnings: list[str]) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = _text_content(part, warnings)
    if part.get_content_subtype() == "html":
        return html_to_text(content)
    return content


def _text_content(part: EmailMessage, warnings: list[str]) -> str:
    try:
        return part.get_content()
    except (LookupError, UnicodeError, AssertionError) as error:
        warnings.append(f"body charset unreadable ({error}); decoded with replacements")
        payload = part.get_payload(decode=True) or b""
        return payload.decode("utf-8", errors="replace")


def html_to_text(html: str) -> str:
    """Readable text from an HTML-only body: paragraphs, lists and link addresses kept."""
    converter = html2text.HTML2Text()
    converter.body_width = 0
    converter.ignore_images = True
    converter.ignore_emphasis = True
    converter.ignore_tables = False
    converter.unicode_snob = True
    return converter.handle(html).strip()


def _attachments(message: EmailMessage, warnings: list[str]) -> Iterator[dict]:
    for part in message.iter_attachments():
        try:
            payload = part.get_payload(decode=True)
        except Exception as error:
            warnings.append(f"attachment {part.get_filename()!r} cannot be decoded: {error}")
            payload = None
        yield {
            "name": part.get_filename() or "(unnamed)",
            "content_type": part.get_content_type(),
            "size": len(payload) if payload is not None else None,
        }
