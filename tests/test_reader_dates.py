"""Named days are read as dateparser reads them, without paying for dateparser.

``unknot.intake.numbers`` works out weekdays and day-month dates itself (a
dateparser call costs milliseconds); every such wording the lexicon can match,
on every day of two years, gives the same number of days as dateparser.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import dateparser
import pytest

from unknot.intake.numbers import days_since

WORDINGS = [
    "monday", "Tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "tues", "thurs", "28 november", "3 May", "the 3rd of may", "the first of march",
    "november 28th", "nov 28", "1st jan", "31 december", "29 february", "30 feb",
    "15th of sept", "sept 15", "12 of june", "the 29th of february", "2 oct",
    "the tenth of aug", "last friday",
]


def _dateparser_days(words: str, base: date) -> int | None:
    settings: dict[str, object] = {
        "RELATIVE_BASE": datetime(base.year, base.month, base.day),
        "PREFER_DATES_FROM": "past", "PREFER_DAY_OF_MONTH": "first",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    cleaned = words.removeprefix("last ").removeprefix("on ").removeprefix("since ")
    when = dateparser.parse(cleaned, languages=["en"], settings=settings)
    if when is None:
        return None
    days = (base - when.date()).days
    return days if 0 <= days <= 366 else None


@pytest.mark.parametrize("words", WORDINGS)
def test_a_named_day_is_read_as_dateparser_reads_it(words: str) -> None:
    start = date(2023, 1, 1)
    for offset in range(0, 731, 1):
        base = start + timedelta(days=offset)
        assert days_since(words, base) == _dateparser_days(words, base), (words, base)


def test_the_nth_is_the_last_such_day_of_a_month() -> None:
    assert days_since("the 3rd", date(2024, 5, 10)) == 7
    assert days_since("the 3rd", date(2024, 5, 2)) == 29
