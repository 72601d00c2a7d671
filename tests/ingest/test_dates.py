"""Dates as OCR prints them, read when a person could read them, never guessed."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from documents.ingest.dates import DateNotUnderstood, parse_date

ALASKA = ZoneInfo("America/Anchorage")


@pytest.mark.parametrize(
    ("printed", "meant"),
    [
        ("Tuesday, June 05, 20Q7 3:55 PM", datetime(2007, 6, 5, 15, 55)),  # Q for 0
        ("Friday, March 09, 2007 700 PM", datetime(2007, 3, 9, 19, 0)),  # colon lost
        ("Friday, March 09, 2007 1015 AM", datetime(2007, 3, 9, 10, 15)),
        ("Monday, April 11, 201111:08 AM", datetime(2011, 4, 11, 11, 8)),  # year and hour joined
        ("Monday, May 3, 2010.9:05 AM", datetime(2010, 5, 3, 9, 5)),  # a speck for the space
        ("=~ ~—- Monday, May 3, 2010 9:05 AM.", datetime(2010, 5, 3, 9, 5)),  # specks around
        ("Monday, April Z 2011 11:08 AM", datetime(2011, 4, 2, 11, 8)),  # Z for 2
        ("Monday, April 1l, 2011 9:08 AM", datetime(2011, 4, 11, 9, 8)),
        ("Wednesday, May O9, 2007 9:50 AM", datetime(2007, 5, 9, 9, 50)),
        ("Tuesday, January 16, 2007 9:45 AM", datetime(2007, 1, 16, 9, 45)),
        ("Tuesday, January 16, 2007 12:45 PM", datetime(2007, 1, 16, 12, 45)),
        ("Tuesday, January 16, 2007 12:45 AM", datetime(2007, 1, 16, 0, 45)),
    ],
)
def test_ocr_damaged_dates(printed, meant):
    assert parse_date(printed, ALASKA) == meant.replace(tzinfo=ALASKA)


@pytest.mark.parametrize(
    "printed", ["Tuesday, June 05 3:55 PM", "June 2007", "3:55 PM", "Monday, April 2011 700"]
)
def test_a_date_missing_a_part_is_not_guessed(printed):
    with pytest.raises(DateNotUnderstood):
        parse_date(printed, ALASKA)
