"""Numbers as people write them: ``38.9``, ``38,9``, ``ten``, ``twenty-four``, ``a few``;
and days named as people name them ("Tuesday", "the 3rd", "28 November")."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta

_SPLIT = re.compile(r"[\s-]+")
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
             "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10}
_ORDINAL = re.compile(r"(?:(\d{1,2})(?:st|nd|rd|th)?|(" + "|".join(_ORDINALS) + "))")


def parse_number(text: str, words: Mapping[str, float]) -> float | None:
    """The value of a number in digits or words, or None if it is not one.

    ``words`` maps lower-case number words and quantity phrases to values
    (``lexicon.yaml``: ``number_words`` and ``quantity_words``).
    """
    raw = text.strip().lower()
    if not raw:
        return None
    digits = raw.replace(",", ".")
    try:
        return float(digits)
    except ValueError:
        pass
    joined = " ".join(_SPLIT.split(raw))
    if joined in words:
        return words[joined]
    parts = joined.split(" ")
    if len(parts) == 2 and parts[0] in words and parts[1] in words:
        tens, unit = words[parts[0]], words[parts[1]]
        if tens >= 20 and tens % 10 == 0 and 1 <= unit <= 9:
            return tens + unit
    return None


_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
             "saturday": 5, "sunday": 6}
_MONTHS = {name: n for n, names in enumerate(
    [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
     ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
     ("october", "oct"), ("november", "nov"), ("december", "dec")], start=1) for name in names}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DAY_MONTH = re.compile(
    rf"(?:the\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH})"
)
_MONTH_DAY = re.compile(rf"({_MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?")


def _named_day(words: str, base: date) -> date | None:
    """The date ``words`` names, as dateparser reads it preferring the past: a
    weekday ("tuesday": the last one before today, a week ago on a Tuesday) or
    a day of a month in digits ("28 november", "the 3rd of may", "november
    28th": the last one on or before today). None for any other wording (left
    to dateparser), or a date that does not exist."""
    if words in _WEEKDAYS:
        return base - timedelta(days=(base.weekday() - _WEEKDAYS[words]) % 7 or 7)
    m = _DAY_MONTH.fullmatch(words)
    if m:
        day, month = int(m.group(1)), _MONTHS[m.group(2)]
    else:
        m = _MONTH_DAY.fullmatch(words)
        if not m:
            return None
        day, month = int(m.group(2)), _MONTHS[m.group(1)]
    try:
        when = date(base.year, month, day)
        if when > base:
            when = date(base.year - 1, month, day)
    except ValueError:
        return None
    return when


def days_since(words: str, today: date | None = None) -> int | None:
    """Days from a named day to ``today`` (default: the computer's date), or None.

    "Tuesday" is the last Tuesday (a week ago on a Tuesday); "the 3rd" the
    last 3rd of a month. A date in the future, or over a year ago, is not
    read. Weekdays and day-month dates are worked out here (as dateparser
    reads them, preferring the past; checked against it in the tests); other
    wordings go to dateparser, imported only then.
    """
    base = today or date.today()
    settings: dict[str, object] = {
        "RELATIVE_BASE": datetime(base.year, base.month, base.day),
        "PREFER_DATES_FROM": "past",
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    cleaned = re.sub(r"^(?:the|on|last)\s+", "", words.strip(), flags=re.I)
    day = _ORDINAL.fullmatch(cleaned.lower())
    if day:  # "the 3rd": the last 3rd of a month, this month's if it has come
        number = int(day.group(1)) if day.group(1) else _ORDINALS[day.group(2)]
        month = date(base.year, base.month, 1)
        if number > base.day:
            month = date(base.year - (base.month == 1), (base.month - 2) % 12 + 1, 1)
        try:
            return (base - month.replace(day=number)).days
        except ValueError:
            return None
    quick = _named_day(cleaned.lower(), base)
    if quick is not None:
        days = (base - quick).days
        return days if 0 <= days <= 366 else None
    import dateparser  # the forms above cover the lexicon's: this is for anything else

    when = dateparser.parse(cleaned, languages=["en"], settings=settings)
    if when is None:
        return None
    days = (base - when.date()).days
    return days if 0 <= days <= 366 else None
