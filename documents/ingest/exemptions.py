"""The FOIA exemptions of 5 U.S.C. 552(b), by the canonical code a release prints in its margins."""

import re
from types import MappingProxyType

EXEMPTIONS = MappingProxyType(
    {
        "(b)(1)": "Classified national defense or foreign policy information",
        "(b)(2)": "Internal personnel rules and practices",
        "(b)(3)": "Information exempted by another statute",
        "(b)(4)": "Trade secrets and confidential commercial information",
        "(b)(5)": "Privileged inter- or intra-agency communications (deliberative process)",
        "(b)(6)": "Personal privacy",
        "(b)(7)": "Law enforcement records (no subpart printed)",
        "(b)(7)(A)": "Law enforcement: could interfere with enforcement proceedings",
        "(b)(7)(B)": "Law enforcement: would deprive a person of a fair trial",
        "(b)(7)(C)": "Law enforcement: personal privacy",
        "(b)(7)(D)": "Law enforcement: confidential sources",
        "(b)(7)(E)": "Law enforcement: techniques, procedures and guidelines",
        "(b)(7)(F)": "Law enforcement: could endanger life or physical safety",
        "(b)(8)": "Financial institution supervision",
        "(b)(9)": "Geological and geophysical information on wells",
    }
)

# "(b)(6)", "(b) (6)", "(b)(7)(c)", "(b)(7)c", "b6", "B6", "b7C", "B7(C)", "Exemption 6", "Ex. 5".
_EXEMPTION = re.compile(
    r"""
    (?:
        \(\s*b\s*\)\s*\(\s*(?P<paren>[1-9])\s*\)   # (b)(6), (b) (6)
      | (?<![A-Za-z0-9])[bB]\s?(?P<bare>[1-9])        # b6, B6, b 6
      | \b(?:Exemption|Ex\.)\s*(?P<word>[1-9])\b      # Exemption 6, Ex. 5
    )
    # (C), C, c; not the "(b)" of a next code: "(b)(6) (b)(6)"
    (?:\s*\(\s*(?P<sub_paren>[A-Fa-f])\s*\)(?!\s*\(\s*[1-9]\s*\))|(?P<sub_bare>[A-Fa-f]))?
    (?![A-Za-z0-9])
    """,
    re.VERBOSE,
)


def exemption_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, canonical code) of each exemption code printed in ``text``, in order."""
    spans = []
    for match in _EXEMPTION.finditer(text):
        number = match["paren"] or match["bare"] or match["word"]
        subpart = (match["sub_paren"] or match["sub_bare"] or "").upper()
        if subpart and number != "7":
            continue  # "b6b" is a word, not a code; only (b)(7) has subparts
        code = f"(b)({number})" + (f"({subpart})" if subpart else "")
        spans.append((match.start(), match.end(), code))
    return spans


def find_exemptions(text: str) -> tuple[str, ...]:
    """The canonical codes of every exemption printed in ``text``, in order of first mention."""
    return tuple(dict.fromkeys(code for _, _, code in exemption_spans(text)))


def strip_exemption_codes(text: str) -> str:
    return _EXEMPTION.sub("", text)


def is_redaction(text: str) -> bool:
    """True when ``text`` is nothing but exemption codes: a redacted "(b)(6), (b)(7)(C)"."""
    stripped = _EXEMPTION.sub("", text)
    return bool(find_exemptions(text)) and not re.sub(r"[\s,;/&.\-\[\]]+|and", "", stripped)
