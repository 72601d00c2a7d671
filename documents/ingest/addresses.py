"""Senders and recipients as printed, to names, addresses and organizations.

Forms seen in releases: "Venturella, David", "David Venturella", "Venturella, David (ICE)",
"David Venturella <david.venturella@ice.dhs.gov>", "Venturella, David [mailto:...]",
Lotus Notes "David Venturella/ICE/DHS@DHS",
Exchange X.500 "/O=DHS/OU=ICE/CN=RECIPIENTS/CN=DVENTURELLA",
bare addresses, and redactions such as "(b)(6)" or "(b)(6), (b)(7)(C)".

OCR damage read through: "©" or "(a)" for "@", spaces inside an address ("gov. state. ak. us"),
".goy" for ".gov", "j" or ")" for a closing bracket, "‹ ›" for angle brackets, a "[mailto" cut at
the line's end, residue after a name ("Jane Roe @ @ >"), and "Last, First (ORG)" lists whose commas
came out as semicolons ("Fagerstrom; Erika (GOV)").
"""

from __future__ import annotations

import re
import unicodedata

from documents.ingest.exemptions import find_exemptions, is_redaction, strip_exemption_codes
from documents.ingest.records import Address

_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# An address as OCR prints it: "@" misread, spaces around its dots and "@".
_DAMAGED_EMAIL = re.compile(
    r"[A-Za-z0-9._%+'-]+\s*(?:@|©|\(a\))\s*[A-Za-z0-9-]+(?:\s*\.\s*[A-Za-z0-9-]+)+"
)
_BRACKETED_EMAIL = re.compile(
    r"[A-Za-z0-9._%+'-]+\s*(?:@|©|\(a\))\s*[A-Za-z0-9-]+(?:\s*[.,]\s*[A-Za-z0-9-]+)+"
)
# Top-level domains as OCR misreads them.
_TLD_FIXES = {
    "goy": "gov",
    "govi": "gov",
    "gav": "gov",
    "qov": "gov",
    "corn": "com",
    "corh": "com",
    "orq": "org",
}
# An address whose "@" OCR read as "(a", "(a?", "(d", "(s" or "Ca", in an entry of its own:
# "knaprp(aaol.com", "darlabCagci.net", "linda perez(agov.state. ak.us".
_AT_MISREAD = re.compile(
    r"^(?P<local>[a-z0-9._-]+(?: [a-z0-9._-]+)?)\s*(?:\([ads]\??|Ca)\.?\s*"
    r"(?P<domain>[a-z0-9-]+(?:\s*\.\s*[a-z0-9-]+)*\s*\.\s*(?:com|corh|corn|net|org|gov|edu|mil|us))$"
)
_BRACKETS = str.maketrans({"‹": "<", "›": ">", "«": "<", "»": ">", "〈": "<", "〉": ">"})
# What wraps an address: <...>, [mailto:...], (mailto:...), with OCR's closing "j" or ")".
# "mailto:" as OCR prints it: "ma ilto :", "maiIto:".
_MAILTO = r"m\s*a\s*[il1I|]\s*[l1I|]\s*t\s*o\s*:?"
_WRAPPED = re.compile(
    rf"(?:<|\[|[(LlI|1](?=\s*{_MAILTO}))\s*(?:{_MAILTO}|SMTP\s*:)?\s*(?P<inside>[^<>\[\]]*?)"
    r"\s*(?:[>\])]|j(?=\s*$)|$)",
    re.IGNORECASE,
)
_MAILTO_CUT = re.compile(rf"\s*[\[(<]\s*{_MAILTO}\s*$", re.IGNORECASE)
# Titles printed before a name: "Rep. Mike Doogan" is Mike Doogan.
_HONORIFIC = re.compile(
    r"^(?:Rep|Sen|Gov|Lt\.?\s*Gov|Dr|Mr|Mrs|Ms|Hon|Judge|Commissioner|Senator|Representative"
    r"|Governor|Lieutenant\s+Governor|Mayor|Councilmember|Chairman|Chairwoman)"
    r"\.?\s+(?=[A-Z])"
)
# A list's placeholder for recipients it does not show: no one.
_UNDISCLOSED = re.compile(r"undisclosed[-\s]*recipients?", re.IGNORECASE)
_X500 = re.compile(r"/O=[^\s<>\[\]]*?/CN=([A-Za-z0-9._-]+)\s*$", re.IGNORECASE)
# Lotus Notes: "David Venturella/ICE/DHS@DHS", or without its domain, "David Venturella/ICE/DHS".
_NOTES = re.compile(
    r"^(?P<name>[^/@<>\[\],;]{2,80}?)(?P<org>(?:/[A-Za-z0-9 &.'-]+)+)"
    r"(?:@(?P<domain>[A-Za-z0-9.-]+))?$"
)
_ORG_SUFFIX = re.compile(r"\s*\((?P<org>[^()]{1,60})\)\s*$")
_ON_BEHALF = re.compile(r"\s+on\s+behalf\s+of\s+.*$", re.IGNORECASE)
# What OCR leaves after a name: stray "@", ">" and letter pairs ("Jane Roe @ @ >", "yy @@>").
_TRAILING_RESIDUE = re.compile(r"(?:\s+(?:[@<>\[\]|]+|[a-z]{1,2}(?=\s*[@<>])))+\s*[@<>\[\]|]*\s*$")
_LAST_FIRST = re.compile(r"^(?P<last>[A-Za-z'’ .-]{2,40}),\s*(?P<first>[A-Za-z'’ .-]{1,40})$")
# What is left of an address whose "@" OCR lost: "candyic7rmosguitonet.com".
_GARBLED_ADDRESS = re.compile(r"[a-z0-9._-]+\.(?:com|net|org|gov|edu|mil|us)")
# Military and agency display names: "Davis, Lynda S CIV USARAK GI Casualty Assistance Center".
_LAST_FIRST_UNIT = re.compile(
    r"^(?P<last>[A-Z][A-Za-z'’-]+),\s*(?P<first>[A-Z][a-z'’-]+(?:\s+[A-Z]\.?)?)"
    r"\s+(?P<unit>[A-Z]{2,}\b.*)$"
)
# "Last; First M (ORG)": the comma of Outlook's display name misread as a list separator.
_GIVEN_NAMES = re.compile(
    r"^[A-Z][a-z'’-]+(?:\s+[A-Z]\.?)?(?:\s+\([^()]{1,30}\))?$"
    r"|^[A-Z][a-z'’-]+\s+[A-Z][a-z'’-]+\s+\([^()]{1,30}\)$"  # "Mary Stewart (GOV)"
)
_SURNAME = re.compile(r"^[A-Z][A-Za-z'’-]+$")


def parse_address_list(text: str) -> list[Address]:
    """Every address in a To/Cc/Bcc value; wrapped lines should already be joined with spaces."""
    text = " ".join(text.split()).strip(" ;,")
    if not text:
        return []
    if is_redaction(text):
        return [redacted(text)]
    text = re.sub(r",\s*\.\s*", "; ", text)  # ";" misread as ",."
    addresses = []
    for chunk in _rejoin_names(part.strip(" ,") for part in text.split(";")):
        for piece in _split_commas(chunk):
            for entry in _split_run_together_names(piece):
                if not _UNDISCLOSED.search(entry):
                    addresses.append(parse_address(entry))
    return [address for address in addresses if address.raw.strip(" <>'\"")]


# Two names a wrapped list line joined without its ";": "Todd Palin Kristina Y Perry".
_TWO_NAMES = re.compile(
    r"^(?P<first>[A-Z][a-z'’-]+(?: [A-Z][a-z'’-]+)+)"
    r" (?P<second>[A-Z][a-z'’-]+ [A-Z]\.? [A-Z][a-z'’-]+)$"
)


def _split_run_together_names(entry: str) -> list[str]:
    """One list entry, or the two names it holds when a line break ate the separator between them:
    a name whose middle initial stands two words or more after its start is a second name."""
    two = _TWO_NAMES.match(entry.strip(" '\""))
    return [two["first"], two["second"]] if two else [entry]


def parse_address(text: str) -> Address:
    """One sender or recipient."""
    raw = " ".join(text.split()).strip(" ;,'\"")
    if not raw:
        return Address(raw="")
    if is_redaction(re.sub(r"[<>\"']", " ", raw)):  # "(b)(6)", also as "(b)(6) <(b)(6)>"
        return redacted(raw)
    readable = _MAILTO_CUT.sub("", raw.translate(_BRACKETS))
    name, email, mailbox = readable, "", ""
    wrapped = _WRAPPED.search(readable)
    if wrapped and (found := _find_email(wrapped["inside"], inside_brackets=True)):
        email, name = found, _without(readable, wrapped)
    elif wrapped and _X500.search(wrapped["inside"]):
        mailbox, name = _X500.search(wrapped["inside"]).group(1), _without(readable, wrapped)
    elif _X500.search(readable):
        mailbox, name = _X500.search(readable).group(1), ""
    elif misread := _AT_MISREAD.match(readable):
        email = _find_email(f"{misread['local']}@{misread['domain']}", inside_brackets=True)
        name = "" if email else readable
    elif _spread_address(readable):
        email, name = _find_email(readable, inside_brackets=True), ""
    elif located := _locate_email(readable, inside_brackets=True):
        email, start, end = located
        name = (readable[:start] + " " + readable[end:]).strip()
    elif wrapped and wrapped.start() > 0:
        # Brackets that hold no address hold a redaction or OCR residue, never the name.
        name = _without(readable, wrapped)
    if _locate_email(name, inside_brackets=True):
        name = ""  # the address printed again as the name: "gov.sarah @yahoo. com [mailto:...]"
    if is_redaction(name.strip(" '\"")):
        return redacted(raw)
    name, organization = _name_and_organization(name)
    if name and _EMAIL.fullmatch(name):
        email, name = email or name.lower(), ""
    # An X.500 mailbox ("CN=DVENTURELLA") is all some Exchange exports print of a person.
    return Address(raw=raw, name=name or mailbox, email=email.lower(), organization=organization)


def _find_email(text: str, inside_brackets: bool = False) -> str:
    """The address in ``text``, its OCR damage repaired; "" if there is none. What brackets hold
    is one address whatever OCR put inside it ("ka ri_spencer@gov. state. a k. us")."""
    if inside_brackets:
        squeezed = _squeeze_address(text)
        if "@" in squeezed or "©" in squeezed or "(a)" in squeezed:
            found = _locate_email(squeezed, inside_brackets=True)
            if found:
                return found[0]
    found = _locate_email(text, inside_brackets)
    return found[0] if found else ""


def _spread_address(text: str) -> bool:
    """An entry that is only an address OCR printed with spaces in it ("gov. sarah@yahoo.com",
    "tom_lopez@gov. state. a k. us"): lower case throughout, a few pieces, no brackets."""
    local, at, domain = text.partition("@")
    return (
        bool(at)
        and " " in text.strip()
        and not re.search(r"[A-Z<>\[\]()]", text)
        and len(local.split()) <= 4
        and re.fullmatch(r"[a-z0-9 .-]+", domain.strip()) is not None
        and (
            " " in domain.strip()
            or any(re.search(r"[_.]|^.{1,2}$", piece) for piece in local.split())
        )
    )


def _squeeze_address(text: str) -> str:
    """What brackets hold, OCR's spaces taken out: in the domain they are noise; in the local part
    a space beside an "_" or "." or between letters spread apart is noise ("ka ri_spencer",
    "m i ke_n izich"), else it is an underscore the link's underline hid ("erika fagerstrom")."""
    text = text.strip().rstrip(":;.")
    at = re.search(r"\s*(?:@|©|\(a\))\s*", text)
    if at is None:
        return re.sub(r"\s+", "", text)
    pieces = text[: at.start()].split()
    local = pieces[0] if pieces else ""
    for piece in pieces[1:]:
        spaced = len(local) <= 2 or len(piece) <= 2  # letters OCR spread apart: "m i ke_n"
        noise = re.search(r"[_.]", local[-1:] + piece[:1]) or "_" in local + piece
        local += "" if spaced or noise else "_"
        local += piece
    return local + "@" + re.sub(r"\s+", "", text[at.end() :])


def _locate_email(text: str, inside_brackets: bool = False) -> tuple[str, int, int] | None:
    """(address repaired, start, end in ``text``). Inside brackets a comma in the domain is a
    misread dot ("gov.state, ak.us"); in a list it separates addresses."""
    pattern = _BRACKETED_EMAIL if inside_brackets else _DAMAGED_EMAIL
    damaged = pattern.search(text)
    if damaged is None:
        underscored = text.strip().replace(" ", "_")  # "erika fagerstrom@gov.state.ak.us"
        whole = _EMAIL.fullmatch(underscored)
        return (whole.group(0).lower(), 0, len(text)) if whole else None
    start = damaged.start()
    candidate = re.sub(r"\s+", "", damaged.group(0).replace(",", "."))
    candidate = candidate.replace("©", "@").replace("(a)", "@")
    before = text[:start]
    split_word = re.search(r"(?:^|[\s;,:<\[])(?P<word>[A-Za-z]{1,12})\s+$", before)
    if split_word and split_word["word"][0].isupper() and candidate[:1] not in "_.":
        split_word = None  # a capitalized word is a name, unless the address goes on "_..."
    if split_word and not text[start:].startswith(("<", "[")):
        # The address's local part cut by OCR: "joh n_bitney@..." (a stray space) or "erika
        # fagerstrom@..." (an underscore read as a space).
        joiner = "" if "_" in candidate.split("@")[0] or "." in candidate.split("@")[0] else "_"
        candidate = split_word["word"].lower() + joiner + candidate
        start = split_word.start("word")
    local, _, domain = candidate.partition("@")
    parts = domain.rstrip(".").split(".")
    parts[-1] = _TLD_FIXES.get(parts[-1].lower(), parts[-1])
    found = _EMAIL.fullmatch(f"{local}@{'.'.join(parts)}")
    return (found.group(0).lower(), start, damaged.end()) if found else None


def _without(text: str, match: re.Match) -> str:
    return (text[: match.start()] + " " + text[match.end() :]).strip()


def _name_and_organization(text: str) -> tuple[str, str]:
    """(name, organization) from what is printed beside an address."""
    name = _ON_BEHALF.sub("", text)
    name = _TRAILING_RESIDUE.sub("", name).strip(" '\",<>[]|")
    name = re.sub(r"\s+(?=[.,])", "", name)  # OCR's "Melissa M . Stepovich"
    if _GARBLED_ADDRESS.fullmatch(name):
        return "", ""  # an address OCR garbled past reading: kept as printed, no person
    notes = _NOTES.match(name)
    organization = ""
    if notes:
        name, organization = notes["name"].strip(), notes["org"].strip("/").strip()
    else:
        org = _ORG_SUFFIX.search(name)
        if org and not find_exemptions(org["org"]):
            organization, name = org["org"].strip(), name[: org.start()].strip()
    name = strip_exemption_codes(name).strip(" ,'\"")
    name = _HONORIFIC.sub("", name)
    unit = _LAST_FIRST_UNIT.match(name)
    if unit:
        name, organization = f"{unit['last']}, {unit['first']}", organization or unit["unit"]
    last_first = _LAST_FIRST.match(name)
    if last_first:
        name = f"{last_first['first'].strip()} {last_first['last'].strip()}"
    return name, organization


def _rejoin_names(chunks) -> list[str]:
    """Join "Fagerstrom" and "Erika (GOV)" back into "Fagerstrom, Erika (GOV)": a lone surname
    followed by given names with an organization or an initial is one person whose comma OCR
    read as a semicolon. In a list printed that way, a lone surname and a lone given name
    ("Hartig; Larry") are one person too."""
    chunks = [chunk for chunk in chunks if chunk]
    joined: list[str] = []
    pairs: list[int] = []  # where a lone "Surname; Given" pair was left apart
    index = 0
    while index < len(chunks):
        chunk, following = chunks[index], chunks[index + 1] if index + 1 < len(chunks) else ""
        surname, given = chunk.strip(" '\""), following.strip(" '\"")
        if _SURNAME.match(surname) and _GIVEN_NAMES.match(given):
            if "(" in given or re.search(r"\s[A-Z]\.?$", given):
                joined.append(f"{surname}, {given}")
                index += 2
                continue
            if _SURNAME.match(given):
                pairs.append(len(joined))
        joined.append(chunk)
        index += 1
    if pairs and len(joined) < len(chunks):  # the list is printed "Surname; Given (ORG)"
        for position in reversed(pairs):
            surname, given = joined[position], joined[position + 1]
            joined[position : position + 2] = [f"{surname.strip()}, {given.strip()}"]
    return joined


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


# Letters OCR takes for one another in names: "Karl" for "Kari", "Rarnos" for "Ramos".
_OCR_LOOKALIKES = str.maketrans("l1|!0", "iiiio")


def ocr_folded(name_key: str) -> str:
    """A name key with OCR's look-alike letters made one: the same for "Kari Spencer" and "Karl
    Spencer", "Ramos" and "Rarnos"."""
    return name_key.replace("rn", "m").replace("vv", "w").translate(_OCR_LOOKALIKES)


def name_fits_address(name: str, email: str) -> int:
    """How many words of ``name`` (three letters or more) the address's local part spells: a
    clean "Sarah Ramos" fits "sramos@..." where OCR's "Sarah Rarnos" does not."""
    local = re.sub(r"[^a-z]", "", email.partition("@")[0].lower())
    words = normalize_person_name(name).split()
    return sum(1 for word in words if len(word) >= 3 and word in local)


def _split_commas(chunk: str) -> list[str]:
    """Commas separate addresses only when the pieces carry addresses of their own, or when a
    chunk holds several "Last, First" pairs; otherwise a comma is the one in "Last, First"."""
    if "/O=" in chunk.upper():
        return [chunk]
    notes_names = [piece.strip() for piece in _outside_quotes(chunk)]
    if len(notes_names) > 1 and all(_NOTES.match(name) for name in notes_names):
        return notes_names  # "David Venturella/ICE/DHS@DHS, Marc Rapp/ICE/DHS", domains or not
    if chunk.count("@") <= 1:
        return _last_first_pairs(chunk)
    # Commas outside quotes and brackets; a piece without an address is the "Last" of the
    # "Last, First <address>" after it.
    pieces: list[str] = []
    for piece in _outside_quotes(chunk):
        if pieces and "@" not in pieces[-1] and not _email_like(pieces[-1]):
            pieces[-1] = f"{pieces[-1]}, {piece}"
        else:
            pieces.append(piece)
    return pieces


def _outside_quotes(chunk: str) -> list[str]:
    """``chunk`` cut at the commas that are not inside quotes or angle brackets."""
    pieces, current, quote, depth = [], [], "", 0
    for char in chunk:
        if char in '"' and not depth:
            quote = "" if quote == char else (quote or char)
        elif char == "<":
            depth += 1
        elif char == ">":
            depth = max(0, depth - 1)
        if char == "," and not quote and not depth:
            pieces.append("".join(current))
            current = []
        else:
            current.append(char)
    pieces.append("".join(current))
    return [piece.strip() for piece in pieces if piece.strip()]


def _email_like(text: str) -> bool:
    return "©" in text or "(a)" in text


def _last_first_pairs(chunk: str) -> list[str]:
    """ "Mills, Cheryl D <MillsCD@state.gov>, Abedin, Huma" is two people; "Mills, Cheryl D" one."""
    parts = [part.strip() for part in chunk.split(",")]
    if len(parts) < 4 or len(parts) % 2 or not all(parts):
        return [chunk]
    pairs = [f"{parts[i]}, {parts[i + 1]}" for i in range(0, len(parts), 2)]
    looks_like_names = all(len(pair.split()) <= 6 for pair in pairs)
    return pairs if looks_like_names else [chunk]
