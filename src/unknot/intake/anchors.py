"""One pass over the text for every phrase: the words each lexicon pattern needs.

Every lexicon entry is a regular expression. Most of them can only match
where one of a few plain words appears ("numb" for ``numb(?:ness)?``, "pee"
or "wee" for a bladder phrase). ``requirements`` works those words out from
the pattern itself (Python's own regex parser): each part of a pattern that
every match must contain gives a set of words, one of which is in any match.
``Prefilter`` puts the rarest set of each entry into one Aho-Corasick
automaton (pyahocorasick): one scan of the text says which entries can match;
the entry's next rarest sets are then checked as plain substrings, and only
the entries that pass all of them run their regex. An entry whose words
cannot be worked out always runs.

Which set is rarest is an estimate (``Rarity``: how often each word occurs in
a sample of text, the lexicon's own examples); it only decides speed. Every
set checked is one the pattern needs, so no entry that can match is skipped.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

try:  # Python 3.11+: the regex parser Python itself uses
    _c: Any = importlib.import_module("re._constants")
    _p: Any = importlib.import_module("re._parser")
except ImportError:  # pragma: no cover - Python 3.10
    _c = importlib.import_module("sre_constants")
    _p = importlib.import_module("sre_parse")

Anchors = frozenset[str] | None
Cost = Callable[[str], float]
MIN_LENGTH = 2
# ``\d``: one of the ten ASCII digits (other scripts' digits are handled apart:
# a text with any non-ASCII character runs every digit-anchored pattern)
DIGITS = frozenset("0123456789")
MAX_CLASS = 10  # a character class of at most this many characters ("[4-7]") is a set
MAX_CHECKS = 3  # sets an entry is checked against, besides its automaton set


def _shortest(found: frozenset[str]) -> int:
    return min((len(s) for s in found), default=0)


def _usable(found: frozenset[str]) -> bool:
    """Words worth looking for: two characters or more, or one that is not a letter
    ("(", a digit)."""
    return bool(found) and all(
        len(s) >= MIN_LENGTH or (len(s) == 1 and not s.isalpha()) for s in found
    )


def _key(option: frozenset[str], cost: Cost | None) -> tuple[float, int, int]:
    price = sum(cost(w) for w in option) if cost is not None else 0.0
    return (price, -_shortest(option), len(option))


def _best(options: Iterable[frozenset[str]], cost: Cost | None = None) -> Anchors:
    """Of several sufficient anchor sets, the most selective: the rarest by ``cost``,
    then the one with the longest shortest word."""
    usable = [o for o in options if _usable(o)]
    if not usable:
        return None
    return min(usable, key=lambda o: _key(o, cost))


def _all(items: Sequence[tuple[Any, Any]], cost: Cost | None) -> list[frozenset[str]]:
    """Every usable word set a match of this sequence must contain one word of."""
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
        if op is _c.SUBPATTERN:
            options.extend(_all(list(arg[-1]), cost))
        elif op in _REPEATS and arg[0] >= 1:
            options.extend(_all(list(arg[2]), cost))
        elif op is getattr(_c, "ATOMIC_GROUP", None):
            options.extend(_all(list(arg), cost))
        else:
            found = _item(op, arg, cost)
            if found is not None:
                options.append(found)
    close()
    return [o for o in options if _usable(o)]


_REPEATS = tuple(
    op for op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None))
    if op is not None
)


def _seq(items: Sequence[tuple[Any, Any]], cost: Cost | None) -> Anchors:
    return _best(_all(items, cost), cost)


def _class(arg: Any) -> Anchors:
    """A small class of plain characters ("[4-7]", "[(]") as the set of them."""
    chars: set[str] = set()
    for op, value in arg:
        if op is _c.LITERAL:
            chars.add(chr(value).lower())
        elif op is _c.RANGE and value[1] - value[0] < MAX_CLASS:
            chars.update(chr(v).lower() for v in range(value[0], value[1] + 1))
        else:
            return None
        if len(chars) > MAX_CLASS:
            return None
    return frozenset(chars) if chars else None


def _item(op: Any, arg: Any, cost: Cost | None) -> Anchors:
    if op is _c.IN:
        if list(arg) == [(_c.CATEGORY, _c.CATEGORY_DIGIT)]:
            return DIGITS
        return _class(arg)
    if op is _c.BRANCH:
        union: set[str] = set()
        for alt in arg[1]:
            found = _seq(list(alt), cost)
            if found is None:
                return None
            union |= found
        return frozenset(union)
    return None


def requirements(pattern: str, flags: int = re.IGNORECASE, cost: Cost | None = None
                 ) -> list[frozenset[str]]:
    """Sets of plain words (lower case): any match of ``pattern`` contains one word of
    each set. Rarest first by ``cost`` (else longest words first); empty when none can
    be worked out."""
    try:
        parsed = _p.parse(pattern, flags)
    except re.error:
        return []
    found = list(dict.fromkeys(_all(list(parsed), cost)))
    return sorted(found, key=lambda o: _key(o, cost))


MAX_ALTERNATIVES = 64


def _branch(op: Any, arg: Any) -> list[Any] | None:
    """The alternatives of a branch, itself or as the one item of a group."""
    while op is _c.SUBPATTERN and len(arg[-1]) == 1:
        op, arg = list(arg[-1])[0]
    if op is _c.BRANCH:
        return [list(alt) for alt in arg[1]]
    return None


def _dnf(items: Sequence[tuple[Any, Any]], cost: Cost | None, depth: int = 0
         ) -> list[list[frozenset[str]]]:
    """Ways a match can go, each with the word sets it needs: the first branch in the
    sequence (a lexicon entry's patterns, one way each) taken alternative by
    alternative, the rest of the sequence needed by every one."""
    if depth < 2:
        for k, (op, arg) in enumerate(items):
            alts = _branch(op, arg)
            if alts is None:
                continue
            common = _all(items[:k], cost) + _all(items[k + 1:], cost)
            ways = [common + way for alt in alts for way in _dnf(alt, cost, depth + 1)]
            if len(ways) <= MAX_ALTERNATIVES:
                return ways
            break
    return [_all(items, cost)]


def alternatives(pattern: str, flags: int = re.IGNORECASE, cost: Cost | None = None
                 ) -> list[list[frozenset[str]]]:
    """The ways a match of ``pattern`` can go, each as the word sets it needs
    (``requirements`` of that way: one word of each set, rarest first). A way
    with no sets, or a pattern that cannot be parsed, gives ``[]``: always run it."""
    try:
        parsed = _p.parse(pattern, flags)
    except re.error:
        return []
    ways = []
    for way in _dnf(list(parsed), cost):
        found = sorted(dict.fromkeys(way), key=lambda o: _key(o, cost))
        if not found:
            return []
        ways.append(found)
    return ways


_CATEGORIES = {"CATEGORY_DIGIT": r"\d", "CATEGORY_SPACE": r"\s", "CATEGORY_WORD": r"\w"}


class _Unsure(Exception):
    """The first characters of a pattern cannot be worked out (simply)."""


def _first_seq(items: Sequence[tuple[Any, Any]], out: set[str]) -> bool:
    """Add the characters a match of ``items`` can start with to ``out``; whether
    the items can match the empty string (then what follows them counts too)."""
    return all(_first_item(op, arg, out) for op, arg in items)  # stops at the first


def _first_item(op: Any, arg: Any, out: set[str]) -> bool:
    if op is _c.LITERAL:
        out.add(re.escape(chr(arg)))
        return False
    if op is _c.IN:
        for kind, value in arg:
            if kind is _c.LITERAL:
                out.add(re.escape(chr(value)))
            elif kind is _c.RANGE and value[1] - value[0] < 64:
                out.update(re.escape(chr(v)) for v in range(value[0], value[1] + 1))
            elif kind is _c.CATEGORY and str(value) in _CATEGORIES:
                out.add(_CATEGORIES[str(value)])
            else:
                raise _Unsure
        return False
    if op is _c.SUBPATTERN:
        if arg[1] or arg[2]:  # inline flags
            raise _Unsure
        return _first_seq(list(arg[-1]), out)
    if op is _c.BRANCH:
        empty = False
        for alt in arg[1]:
            empty |= _first_seq(list(alt), out)
        return empty
    if op in _REPEATS:
        low, _high, body = arg
        return _first_seq(list(body), out) or low == 0
    if op in (_c.ASSERT, _c.ASSERT_NOT, _c.AT):
        return True  # takes no characters
    raise _Unsure


def first_class(pattern: str) -> str | None:
    """A character class (``[a-z\\d]``-like) holding every character a non-empty
    match of ``pattern`` (without flags) can start with; None when that cannot be
    worked out, or when the pattern can match the empty string.

    Put in front of a pattern as a lookahead it changes no match, and lets the
    regex engine give up at once at places where no match can start.
    """
    try:
        parsed = _p.parse(pattern, 0)
    except re.error:
        return None
    chars: set[str] = set()
    try:
        if _first_seq(list(parsed), chars) or not chars:
            return None
    except _Unsure:
        return None
    return "[" + "".join(sorted(chars)) + "]"


def anchors(pattern: str, flags: int = re.IGNORECASE, cost: Cost | None = None) -> Anchors:
    """Plain words, one of which any match of ``pattern`` contains (lower case), or None."""
    found = requirements(pattern, flags, cost)
    return found[0] if found else None


class Rarity:
    """How often words occur in a sample of text: the cost of looking for them."""

    def __init__(self, sample: Iterable[str]) -> None:
        texts = [t.lower() for t in sample]
        self._text = "\n".join(texts)
        self._size = max(len(texts), 1)
        self._seen: dict[str, float] = {}

    def __call__(self, word: str) -> float:
        known = self._seen.get(word)
        if known is None:
            known = (self._text.count(word) + 0.5) / self._size
            self._seen[word] = known
        return known


class Prefilter:
    """Which of many patterns can match a text, from one scan of the text."""

    def __init__(self, found: Sequence[Sequence[Sequence[frozenset[str]]] | Anchors]) -> None:
        """``found``: each pattern's ways (``alternatives``), or one word set
        (``anchors``); empty or None to always run it."""
        import ahocorasick

        self.always: list[int] = []
        self.digits: list[int] = []  # ways anchored on a digit: also on non-ASCII text
        self.checks: dict[int, tuple[frozenset[str], ...]] = {}
        words: dict[str, list[int]] = {}  # every word looked for: the ways it anchors
        for index, ways in enumerate(found):
            if isinstance(ways, frozenset):
                ways = [[ways]]
            if not ways or any(not way for way in ways) or len(ways) > MAX_ALTERNATIVES:
                self.always.append(index)
                continue
            for n, way in enumerate(ways):
                code = index * _WAYS + n
                if way[0] & DIGITS:
                    self.digits.append(code)
                for word in sorted(way[0]):
                    words.setdefault(word, []).append(code)
                # the way's next rarest sets: found in the same scan, checked after it
                extra = tuple(way[1:1 + MAX_CHECKS])
                for word in sorted(set().union(*extra)):
                    words.setdefault(word, [])
                if extra:
                    self.checks[code] = extra
        self.automaton: Any = ahocorasick.Automaton()
        for word, codes in words.items():
            # each way this word anchors, as (pattern index, the sets it still needs)
            ways_of = tuple((code // _WAYS, self.checks.get(code)) for code in dict.fromkeys(codes))
            self.automaton.add_word(word, (word, ways_of))
        if words:
            self.automaton.make_automaton()
        self._digit_ways = [(code // _WAYS, self.checks.get(code)) for code in self.digits]
        self.size = len(found)
        self.anchored = self.size - len(self.always)

    def candidates(self, text: str) -> list[int]:
        """Indexes of the patterns that may match ``text``, in their own order."""
        lowered = text.lower()
        pending: list[tuple[int, tuple[frozenset[str], ...] | None]] = []
        present: set[str] = set()
        if not text.isascii():  # ``\d`` matches other scripts' digits too
            pending.extend(self._digit_ways)
            present.update(DIGITS)
        if self.anchored:
            for _end, (word, ways) in self.automaton.iter(lowered):
                present.add(word)
                if ways:
                    pending.extend(ways)
        hits: set[int] = set(self.always)
        for index, sets in pending:
            if index in hits:
                continue
            if sets is not None:
                for words in sets:
                    if present.isdisjoint(words):
                        break
                else:
                    hits.add(index)
                continue
            hits.add(index)
        return sorted(hits)


_WAYS = 256  # codes: pattern index * _WAYS + way
