"""Senders and recipients as printed, to names, addresses and organizations.

Forms seen in releases: "Venturella, David", "David Venturella", "Venturella, David (ICE)",
"David Venturella <david.venturella@ice.dhs.gov>", "Venturella, David [mailto:...]",
Lotus Notes "David Venturella/ICE/DHS@DHS",
Exchange X.500 "/O=DHS/OU=ICE/CN=RECIPIENTS/CN=DVENTURELLA",
bare addresses, and redactions such as "(b)(6)" or "(b)(6), (b)(7)(C)".
"""

from __future__ import annotations

import re
import unicodedata
from email.utils import getaddresses

from documents.ingest.exemptions import find_exemptions, is_redaction, strip_exemption_codes
from documents.ingest.records import Address

_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_BRACKETED = re.compile(r"[<\[]\s*(?:mailto:|SMTP:)?\s*([^<>\[\]]*)[>\]]", re.IGNORECASE)
_X500 = re.compile(r"/O=[^\s<>\[\]]*?/CN=([A-Za-z0-9._-]+)\s*$", re.IGNORECASE)
_NOTES = re.compile(
    r"^(?P<name>[^/@<>\[\],;]{2,80}?)(?P<org>(?:/[A-Za-z0-9 &.'-]+)+)@(?P<domain>[A-Za-z0-9.-]+)$"
)
_ORG_SUFFIX = re.compile(r"\s*\((?P<org>[^()]{1,60})\)\s*$")
_LAST_FIRST = re.compile(r"^(?P<last>[A-Za-z'’ .-]{2,40}),\s*(?P<first>[A-Za-z'’ .-]{1,40})$")


def parse_address_list(text: str) -> list[Address]:
    """Every address in a To/Cc/Bcc value; wrapped lines should already be joined with spaces."""
    text = " ".join(text.split()).strip(" ;,")
    if not text:
        return []
    if is_redaction(text):
        return [redacted(text)]
    addresses = []
    for chunk in (part.strip(" ,") for part in text.split(";")):
        if not chunk:
            continue
        for piece in _split_commas(chunk):
            addresses.append(parse_address(piece))
    return addresses


def parse_address(text: str) -> Address:
    """One sender or recipient."""
    raw = " ".join(text.split()).strip(" ;,'\"")
    if not raw:
        return Address(raw="")
    if is_redaction(raw):
        return redacted(raw)
    name, email, mailbox = raw, "", ""
    bracketed = _BRACKETED.search(raw)
    if bracketed:
        inside = _repair_ocr_address(bracketed.group(1).strip())
        found = _EMAIL.search(inside)
        if found:
            email = found.group(0)
        elif _X500.search(inside):
            mailbox = _X500.search(inside).group(1)
        name = (raw[: bracketed.start()] + raw[bracketed.end() :]).strip(" '\",")
    elif _X500.search(raw):
        mailbox = _X500.search(raw).group(1)
        name = ""
    elif _EMAIL.fullmatch(raw):
        email, name = raw, ""
    notes = _NOTES.match(name)
    organization = ""
    if notes:
        name, organization = notes["name"].strip(), notes["org"].strip("/").strip()
    else:
        org = _ORG_SUFFIX.search(name)
        if org and not find_exemptions(org["org"]):
            organization, name = org["org"].strip(), name[: org.start()].strip()
    name = strip_exemption_codes(name).strip(" ,'\"")
    last_first = _LAST_FIRST.match(name)
    if last_first:
        name = f"{last_first['first'].strip()} {last_first['last'].strip()}"
    if name and _EMAIL.fullmatch(name):
        email, name = email or name, ""
    # An X.500 mailbox ("CN=DVENTURELLA") is all some Exchange exports print of a person.
    return Address(raw=raw, name=name or mailbox, email=email.lower(), organization=organization)


def _repair_ocr_address(text: str) -> str:
    """OCR prints "Ivy_Frye@gov. state. ak. us" and "erika fagerstrom@gov.state.ak.us"."""
    text = re.sub(r"\s*([.@])\s*", r"\1", text)
    if " " in text and _EMAIL.fullmatch(text.replace(" ", "_")):
        return text.replace(" ", "_")
    return text


def redacted(raw: str) -> Address:
    return Address(raw=" ".join(raw.split()), redacted=True)


def person_keys(address: Address) -> list[str]:
    """Matching keys for one person, most specific first: the address, then the name."""
    if address.redacted:
        return []
    keys = []
    if address.email:
        keys.append("email:" + address.email.lower())
    name_key = normalize_person_name(address.name)
    # A lone first name ("Bob") identifies nobody once an address is known.
    if name_key and (" " in name_key or not address.email):
        keys.append("name:" + name_key)
    return keys


def normalize_person_name(name: str) -> str:
    """ "John J. Grimaldi" and "JOHN GRIMALDI" -> "john grimaldi": first and last word only."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    words = re.sub(r"[^a-z0-9 ]+", " ", folded.replace("'", "")).split()
    words = [word for word in words if len(word) > 1 or len(words) <= 2]
    if not words:
        return ""
    return words[0] if len(words) == 1 else f"{words[0]} {words[-1]}"


def _split_commas(chunk: str) -> list[str]:
    """Commas separate addresses only when the pieces carry addresses of their own; otherwise a
    comma is the one in "Last, First"."""
    if chunk.count("@") <= 1 or "/O=" in chunk.upper():
        return [chunk]
    if "<" in chunk or '"' in chunk:
        pairs = getaddresses([chunk])
        if all(address for _, address in pairs):
            return [f"{name} <{address}>" if name else address for name, address in pairs]
    return [piece for piece in (p.strip() for p in chunk.split(",")) if piece]
