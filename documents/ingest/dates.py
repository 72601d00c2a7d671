"""Dates as email headers print them, to aware datetimes; an unreadable date is never guessed."""

from __future__ import annotations

import re
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

from dateutil import parser as dateutil_parser
from dateutil.tz import gettz

from documents.ingest.specks import without_specks

# US zone abbreviations printed after times; dateutil does not know them by itself.
ZONE_ABBREVIATIONS = {
    name: gettz(zone)
    for names, zone in [
        (("EST", "EDT", "ET"), "America/New_York"),
        (("CST", "CDT", "CT"), "America/Chicago"),
        (("MST", "MDT", "MT"), "America/Denver"),
        (("PST", "PDT", "PT"), "America/Los_Angeles"),
        (("AKST", "AKDT"), "America/Anchorage"),
        (("HST",), "Pacific/Honolulu"),
        (("GMT", "UTC", "UT", "Z"), "UTC"),
    ]
    for name in names
}
_FIRST_DEFAULT = datetime(1901, 1, 1, 0, 0)
_SECOND_DEFAULT = datetime(1902, 2, 2, 0, 0)
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
_OCR_FIXES = [
    # A speck between the year and the time: "May 3, 2010.9:05 AM", "2010, 9:05".
    (re.compile(r"\b((?:19|20)\d\d)\s*[.,;'`]+\s*(?=\d{1,2}:\d\d)"), r"\1 "),
    (re.compile(r"(?<=\d)\s*([:.])\s*(?=\d\d\b)"), r":"),  # "12 : 11" -> "12:11"
    # Letters OCR reads for digits, beside digits: "l2", "1l", "O9", "20Q7".
    (re.compile(r"(?<=\d)[lI](?=\d|\b)|(?<=\s)[lI](?=\d)"), "1"),
    (re.compile(r"(?<=\d)[oOQ](?=\d)|(?<=\s)[oOQ](?=\d)"), "0"),
    # "April Z 2011": a lone letter where the day goes.
    (re.compile(rf"\b({_MONTH}\s+)[Zz](?=,?\s+\d{{4}})"), r"\g<1>2"),
    (re.compile(rf"\b({_MONTH}\s+)[Ss](?=,?\s+\d{{4}})"), r"\g<1>5"),
    # "201111:08 AM": the year and the hour printed together.
    (re.compile(r"\b((?:19|20)\d\d)(?=\d{1,2}:\d\d)"), r"\1 "),
    (re.compile(r"\b([AaPp])\.?\s?[Mm]\.?(?=\W|$)"), r"\1M"),  # "P M", "p.m." -> "PM"
    # "700 PM", "1015 AM": the colon of the time lost (only before AM or PM).
    (re.compile(r"(?<![\d:])(\d{1,2})(\d\d)\s*(?=[AP]M\b)"), r"\1:\2 "),
    (re.compile(r",(?=\d{4})"), ", "),  # "January 12,2007"
    (re.compile(r"\bat\b", re.IGNORECASE), " "),  # "May 17, 2010 at 2:14 PM"
    (re.compile(r"\([^)]*\)"), " "),  # "(PDT)", "(GMT-08:00) Pacific Time"
]
_LOOKS_DATED = re.compile(r"\d")


class DateNotUnderstood(ValueError):
    pass


def parse_date(raw: str, default_zone: str | tzinfo) -> datetime:
    """An aware datetime for ``raw``; a date printed without a zone is in ``default_zone``.

    Raises DateNotUnderstood unless the year, month, day, hour and minute are all printed.
    """
    text = without_specks(raw)  # "=~ ~—- Monday, May 3, 2010 9:05 AM."
    if not _LOOKS_DATED.search(text):
        raise DateNotUnderstood(f"no date in {raw!r}")
    for pattern, replacement in _OCR_FIXES:
        text = pattern.sub(replacement, text)
    text = " ".join(text.split())
    try:
        first = dateutil_parser.parse(text, default=_FIRST_DEFAULT, tzinfos=ZONE_ABBREVIATIONS)
        second = dateutil_parser.parse(text, default=_SECOND_DEFAULT, tzinfos=ZONE_ABBREVIATIONS)
    except (ValueError, OverflowError) as error:
        raise DateNotUnderstood(f"cannot read the date {raw!r}") from error
    if first.replace(tzinfo=None) != second.replace(tzinfo=None) or not re.search(r"\d:\d\d", text):
        raise DateNotUnderstood(f"the date {raw!r} lacks a year, month, day or time")
    if first.tzinfo is None:
        zone = ZoneInfo(default_zone) if isinstance(default_zone, str) else default_zone
        first = first.replace(tzinfo=zone)
    if not 1970 <= first.year <= 2100:
        raise DateNotUnderstood(f"the date {raw!r} has an implausible year")
    return first
