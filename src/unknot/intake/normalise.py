"""Text as people type it, made readable: Unicode, quotes, texting forms, stretched
words, and spelling slips toward the lexicon's own words.

Every step keeps a map from each character of the new text back to the
person's own words, so that the evidence shown is what they wrote.

- ``normalise``: Unicode NFKC, typographic quotes and dashes as plain ones,
  texting forms ("cant", "u", "pls", "w/", "2day") as words (the list is data:
  ``lexicon/core.yaml``, ``texting``), and stretched words ("sooo", "numbbb")
  shortened.
- ``correct``: a word that is neither an ordinary English word (the wordfreq
  list shipped in ``lexicon/english_words.txt.gz``) nor one of the lexicon's
  own words is replaced by the nearest lexicon word within one or two edits
  (rapidfuzz): "numbnes" -> "numbness", "bladdder" -> "bladder". A correct
  English word is never changed.

No I/O beyond reading the packaged word list once; nothing is logged.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from .lexicon import Lexicon, english_words

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

    swaps: list[tuple[int, int, str]] = []
    for m in _TOKEN.finditer(base.text):
        word = m.group(0)
        lower = word.lower()
        if lower in texting:
            swaps.append((m.start(), m.end(), texting[lower]))
        elif _STRETCH.search(word):
            swaps.append((m.start(), m.end(), _unstretch(word, vocab, words)))
    return base.replace(swaps)


def correct(text: Text, lex: Lexicon) -> Text:
    """Spelling slips toward the lexicon's own words (never a known English word)."""
    from rapidfuzz import process
    from rapidfuzz.distance import DamerauLevenshtein

    words = english_words()
    vocab = lex.vocabulary
    choices = lex.vocabulary_list
    swaps: list[tuple[int, int, str]] = []
    for m in _LETTERS.finditer(text.text):
        word = m.group(0)
        lower = word.lower()
        if len(lower) < 3 or lower in vocab or lower in words:
            continue
        if m.end() < len(text.text) and text.text[m.end()] in "'0123456789":
            continue
        limit = 1 if len(lower) <= 5 else 2
        best = process.extract(lower, choices, scorer=DamerauLevenshtein.distance,
                               score_cutoff=limit, limit=3)
        if not best:
            continue
        # the fewest edits; then a word the slip dropped letters from ("lft": left, not let)
        nearest = min(best, key=lambda b: (b[1], not _subsequence(lower, b[0]),
                                           abs(len(b[0]) - len(lower)), b[2]))
        swaps.append((m.start(), m.end(), nearest[0]))
    return text.replace(swaps)
