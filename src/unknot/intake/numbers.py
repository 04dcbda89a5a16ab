"""Numbers as people write them: ``38.9``, ``38,9``, ``ten``, ``twenty-four``, ``a few``;
and days named as people name them ("Tuesday", "the 3rd", "28 November")."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime

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


def days_since(words: str, today: date | None = None) -> int | None:
    """Days from a named day to ``today`` (default: the computer's date), or None.

    "Tuesday" is the last Tuesday (today if it is Tuesday); "the 3rd" the
    last 3rd of a month. A date in the future, or over a year ago, is not
    read. dateparser is imported only when a day is named.
    """
    import dateparser

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
    when = dateparser.parse(cleaned, languages=["en"], settings=settings)
    if when is None:
        return None
    days = (base - when.date()).days
    return days if 0 <= days <= 366 else None
