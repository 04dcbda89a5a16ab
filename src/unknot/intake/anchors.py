"""One pass over the text for every phrase: the words each lexicon pattern needs.

Every lexicon entry is a regular expression. Most of them can only match
where one of a few plain words appears ("numb" for ``numb(?:ness)?``, "pee"
or "wee" for a bladder phrase). ``anchors`` works those words out from the
pattern itself (Python's own regex parser), and ``Prefilter`` puts the words
of all entries into one Aho-Corasick automaton (pyahocorasick): one scan of
the text says which entries can match, and only those run their regex.
An entry whose words cannot be worked out always runs.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Sequence
from typing import Any

try:  # Python 3.11+: the regex parser Python itself uses
    _c: Any = importlib.import_module("re._constants")
    _p: Any = importlib.import_module("re._parser")
except ImportError:  # pragma: no cover - Python 3.10
    _c = importlib.import_module("sre_constants")
    _p = importlib.import_module("sre_parse")

Anchors = frozenset[str] | None
MIN_LENGTH = 2
# ``\d``: one of the ten ASCII digits (other scripts' digits are handled apart:
# a text with any non-ASCII character runs every digit-anchored pattern)
DIGITS = frozenset("0123456789")


def _shortest(found: frozenset[str]) -> int:
    return min((len(s) for s in found), default=0)


def _usable(found: frozenset[str]) -> bool:
    return bool(found) and all(len(s) >= MIN_LENGTH or s in DIGITS for s in found)


def _best(options: Iterable[frozenset[str]]) -> Anchors:
    """Of several sufficient anchor sets, the most selective (longest shortest word)."""
    usable = [o for o in options if _usable(o)]
    if not usable:
        return None
    return max(usable, key=lambda o: (_shortest(o), -len(o)))


def _seq(items: Sequence[tuple[Any, Any]]) -> Anchors:
    options: list[frozenset[str]] = []
    run: list[str] = []

    def close() -> None:
        if run:
            options.append(frozenset({"".join(run)}))
            run.clear()

    for op, arg in items:
        if op is _c.LITERAL:
            run.append(chr(arg).lower())
            continue
        close()
        found = _item(op, arg)
        if found is not None:
            options.append(found)
    close()
    return _best(options)


def _item(op: Any, arg: Any) -> Anchors:
    if op is _c.IN and list(arg) == [(_c.CATEGORY, _c.CATEGORY_DIGIT)]:
        return DIGITS
    if op is _c.SUBPATTERN:
        return _seq(list(arg[-1]))
    if op is _c.BRANCH:
        union: set[str] = set()
        for alt in arg[1]:
            found = _seq(list(alt))
            if found is None:
                return None
            union |= found
        return frozenset(union)
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
        low, _high, body = arg
        return _seq(list(body)) if low >= 1 else None
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return _seq(list(arg))
    return None


def anchors(pattern: str, flags: int = re.IGNORECASE) -> Anchors:
    """Plain words, one of which any match of ``pattern`` contains (lower case), or None."""
    try:
        parsed = _p.parse(pattern, flags)
    except re.error:
        return None
    return _seq(list(parsed))


class Prefilter:
    """Which of many patterns can match a text, from one scan of the text."""

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        import ahocorasick

        self.always: list[int] = []
        self.digits: list[int] = []  # anchored on a digit: also run on non-ASCII text
        words: dict[str, list[int]] = {}
        for index, regex in enumerate(patterns):
            found = anchors(regex.pattern, regex.flags)
            if found is None:
                self.always.append(index)
                continue
            if found & DIGITS:
                self.digits.append(index)
            for word in found:
                words.setdefault(word, []).append(index)
        self.automaton: Any = ahocorasick.Automaton()
        for word, indexes in words.items():
            self.automaton.add_word(word, tuple(indexes))
        if words:
            self.automaton.make_automaton()
        self.size = len(patterns)
        self.anchored = self.size - len(self.always)

    def candidates(self, text: str) -> list[int]:
        """Indexes of the patterns that may match ``text``, in their own order."""
        hits: set[int] = set(self.always)
        if not text.isascii():
            hits.update(self.digits)
        if self.anchored:
            for _end, indexes in self.automaton.iter(text.lower()):
                hits.update(indexes)
        return sorted(hits)
