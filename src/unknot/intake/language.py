"""Text Unknot cannot read: another language, only symbols, nothing recognised.

Unknot reads English. A text whose words are mostly not English, and that
uses the everyday words of another language (``lexicon/core.yaml``,
``languages``), is said to be unread, naming the language, so that the person
is asked the questions instead: never a result from words that were not read.
"""

from __future__ import annotations

import re

from .lexicon import Lexicon, english_words

UNREAD = {
    "empty": "Nothing was written.",
    "no_words": "There were no words to read, only symbols or emoji.",
    "language": "This looks like {language}. Unknot can only read English, so it could not "
                "read your words. Please answer the questions instead.",
    "other": "Most of these words are not English. Unknot can only read English, so it could "
             "not read your words. Please answer the questions instead.",
    "nothing": "Nothing in your words was recognised as a description of back pain. "
               "Please answer the questions instead.",
}
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def _words(text: str) -> list[str]:
    if text.isascii():  # lower case first: the same words, in one step
        return _WORD.findall(text.lower())
    return [w.lower() for w in _WORD.findall(text)]


_FOREIGN: dict[int, tuple[Lexicon, frozenset[str]]] = {}


def _foreign(lex: Lexicon) -> frozenset[str]:
    """Every word of every other language the lexicon lists (kept per lexicon)."""
    kept = _FOREIGN.get(id(lex))
    if kept is None or kept[0] is not lex:
        kept = (lex, frozenset().union(*lex.languages.values()))
        _FOREIGN.clear()
        _FOREIGN[id(lex)] = kept
    return kept[1]


def other_language(text: str, lex: Lexicon, corrected: str | None = None) -> str | None:
    """The reason a text is in another language, or None if it reads as English.

    ``corrected``: the same text with spelling slips corrected, for counting
    English words (the language's own words are counted as written).

    Another language: two or more different everyday words of it, outnumbering the
    words that are English only. Mostly not English: over half of its words
    (three or more) are neither ordinary English words nor the lexicon's own.
    """
    words = _words(text)
    if len(words) < 3:
        return None
    english = english_words()
    foreign = _foreign(lex)
    fixed = words if corrected is None or corrected == text else _words(corrected)
    if len(fixed) != len(words):
        fixed = words
    vocabulary, texting = lex.vocabulary, lex.texting
    known = [w in english or w in vocabulary or w in texting for w in fixed]
    english_only = sum(k and w not in foreign for w, k in zip(words, known, strict=True))
    distinct = set(words)
    hits = {name: len(distinct & vocab) for name, vocab in lex.languages.items()}
    best = max(hits, key=lambda name: hits[name], default=None)
    if best is not None and hits[best] >= 2 and hits[best] > english_only:
        return UNREAD["language"].format(language=best)
    if sum(known) * 2 <= len(words):
        return UNREAD["other"]
    return None
