"""Numbers as people write them: ``38.9``, ``38,9``, ``ten``, ``twenty-four``, ``a few``."""

from __future__ import annotations

import re
from collections.abc import Mapping

_SPLIT = re.compile(r"[\s-]+")


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
