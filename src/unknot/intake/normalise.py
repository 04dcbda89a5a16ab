"""Text as people type it, made readable: Unicode, quotes, texting forms, stretched
words, and spelling slips toward the lexicon's own words.

Every step keeps a map from each character of the new text back to the
person's own words, so that the evidence shown is what they wrote.

- ``normalise``: Unicode NFKC, typographic quotes and dashes as plain ones,
  texting forms ("cant", "u", "pls", "w/", "2day") as words (the list is data:
  ``lexicon/core.yaml``, ``texting``), and stretched words ("sooo", "numbbb")
  shortened.
- ``corrections`` (``correct``): a word that is neither an ordinary English word (the wordfreq
  list shipped in ``lexicon/english_words.txt.gz``) nor one of the lexicon's
  own words is replaced by the nearest lexicon word within one or two edits
  (rapidfuzz): "numbnes" -> "numbness", "bladdder" -> "bladder". A correct
  English word is never changed, except a rare one a single slip from a far
  more frequent word (``lexicon/english_slips.txt.gz``: "realy", "fel",
  "bak"), which may move one slip toward the lexicon's words.

No I/O beyond reading the packaged word list once; nothing is logged.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from .lexicon import Lexicon, english_slips, english_words

_FOLD = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'", "`": "'",
                       "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
                       "\u2212": "-", "\u00a0": " ", "\u2026": "."})
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:['/&][A-Za-z0-9]+)*/?|&")
_STRETCH = re.compile(r"([a-z])\1{2,}", re.I)
_LETTERS = re.compile(r"[a-z]+", re.I)


@dataclass(frozen=True)
class Text:
    """A text and, for each of its characters, where it came from in the original."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    original: str

    def source(self, start: int, end: int) -> str:
        """The person's own words behind ``text[start:end]``."""
        if start >= end or not self.text:
            return ""
        return self.original[self.starts[start]:self.ends[end - 1]]

    def replace(self, swaps: list[tuple[int, int, str]]) -> Text:
        """A new text with spans (start, end, new words) replaced; the map follows."""
        if not swaps:
            return self
        out: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        pos = 0
        for start, end, new in sorted(swaps):
            out.append(self.text[pos:start])
            starts.extend(self.starts[pos:start])
            ends.extend(self.ends[pos:start])
            out.append(new)
            starts.extend([self.starts[start]] * len(new))
            ends.extend([self.ends[end - 1]] * len(new))
            pos = end
        out.append(self.text[pos:])
        starts.extend(self.starts[pos:])
        ends.extend(self.ends[pos:])
        return Text("".join(out), tuple(starts), tuple(ends), self.original)


def _unicode(text: str) -> Text:
    if text.isascii() and "`" not in text:
        return Text(text, tuple(range(len(text))), tuple(range(1, len(text) + 1)), text)
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, ch in enumerate(text):
        new = unicodedata.normalize("NFKC", ch).translate(_FOLD) if ord(ch) > 127 else ch
        if ch == "`":
            new = "'"
        out.append(new)
        starts.extend([i] * len(new))
        ends.extend([i + 1] * len(new))
    return Text("".join(out), tuple(starts), tuple(ends), text)


def _unstretch(word: str, vocab: frozenset[str], english: frozenset[str]) -> str:
    """"sooo" -> "so", "numbbb" -> "numb", "weee" -> "wee": a lexicon word first,
    then an English word, the shorter first."""
    once = _STRETCH.sub(r"\1", word)
    twice = _STRETCH.sub(r"\1\1", word)
    for known in (vocab, english):
        for candidate in (once, twice):
            if candidate.lower() in known:
                return candidate
    return twice


def _subsequence(short: str, long: str) -> bool:
    letters = iter(long)
    return all(ch in letters for ch in short)


def normalise(text: str, lex: Lexicon) -> Text:
    """Unicode, quotes, texting forms and stretched words (see the module notes)."""
    base = _unicode(text)
    words = english_words()
    vocab = lex.vocabulary
    texting: Mapping[str, str] = lex.texting

    if base.text.isascii() and _STRETCH.search(base.text) is None and texting.keys().isdisjoint(
        _TOKEN.findall(base.text.lower())
    ):
        return base  # nothing to change (the usual text): one look at it, not one per word
    swaps: list[tuple[int, int, str]] = []
    for m in _TOKEN.finditer(base.text):
        word = m.group(0)
        lower = word.lower()
        if lower in texting:
            swaps.append((m.start(), m.end(), texting[lower]))
        elif _STRETCH.search(word):
            swaps.append((m.start(), m.end(), _unstretch(word, vocab, words)))
    return base.replace(swaps)


_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_KEY = {ch: (r, c) for r, row in enumerate(_ROWS) for c, ch in enumerate(row)}


def _neighbours(a: str, b: str) -> bool:
    if a not in _KEY or b not in _KEY:
        return False
    (ra, ca), (rb, cb) = _KEY[a], _KEY[b]
    return abs(ra - rb) <= 1 and abs(ca - cb) <= 1


def _slip(typed: str, word: str) -> int:
    """How likely a typing slip turns ``word`` into ``typed``: 0 for a letter dropped,
    doubled or swapped, 1 for a neighbouring key, 2 for anything else."""
    if _subsequence(typed, word) or _subsequence(word, typed):
        return 0
    if len(typed) == len(word):
        if sorted(typed) == sorted(word):
            return 0
        diff = [(x, y) for x, y in zip(typed, word, strict=True) if x != y]
        if len(diff) == 1 and _neighbours(*diff[0]):
            return 1
    return 2


def _candidates(
    lower: str, lex: Lexicon, limit: int | None = None
) -> list[tuple[tuple[int, int, int, int], str]]:
    from rapidfuzz import process
    from rapidfuzz.distance import DamerauLevenshtein

    if limit is None:
        limit = 1 if len(lower) <= 4 else 2
    found = process.extract(lower, lex.vocabulary_list, scorer=DamerauLevenshtein.distance,
                            score_cutoff=limit, limit=12)
    ranked = [
        ((int(dist), _slip(lower, word), word not in lex.safety_words, abs(len(word) - len(lower))),
         word)
        for word, dist, _ in found
    ]
    return sorted(ranked)


def correct(
    text: Text, lex: Lexicon, second: bool = False, keep: frozenset[str] = frozenset()
) -> Text:
    """Spelling slips toward the lexicon's own words: :func:`corrections`' first text,
    or with ``second`` its second."""
    return corrections(text, lex, keep)[1 if second else 0]


def corrections(
    text: Text, lex: Lexicon, keep: frozenset[str] = frozenset()
) -> tuple[Text, Text]:
    """Spelling slips toward the lexicon's own words (never a known English word,
    unless a rare one that is likelier a slip), as two texts from one search.

    The first: the nearest word wins: fewest edits, then the likeliest slip (a
    letter dropped, doubled or swapped, or a neighbouring key), then a word of a
    warning sign. The second: instead the nearest warning sign's word that is as
    near as the winner, if there is one, or else the runner-up tied with it (the
    caller reads both, so that a close call never hides a warning sign: "legd"
    is read as "led" and as "legs", "shouldr" as "should" and as "shoulder").
    ``keep``: words left as written (another language's words in a mixed text).
    """
    words = english_words()
    slips = english_slips()
    vocab = lex.vocabulary

    def known(lower: str) -> bool:
        return len(lower) < 3 or lower in vocab or (lower in words and lower not in slips)

    if text.text.isascii() and all(known(w) for w in _LETTERS.findall(text.text.lower())):
        return text, text  # every word known (the usual text): nothing to correct
    first: list[tuple[int, int, str]] = []
    second: list[tuple[int, int, str]] = []
    for m in _LETTERS.finditer(text.text):
        lower = m.group(0).lower()
        if known(lower) or lower in keep:
            continue
        if m.end() < len(text.text) and text.text[m.end()] in "'0123456789":
            continue
        ranked = _candidates(lower, lex, 1 if lower in slips else None)
        if not ranked:
            continue
        pick = other = ranked[0][1]
        same = [(key, w) for key, w in ranked[1:] if key[0] == ranked[0][0][0]]
        sign = next((w for _, w in same if w in lex.safety_words), None)
        if sign is not None:
            other = sign
        elif same and same[0][0][:2] == ranked[0][0][:2]:  # a tie: "shouldr"
            other = same[0][1]
        first.append((m.start(), m.end(), pick))
        second.append((m.start(), m.end(), other))
    return text.replace(first), text.replace(second)
