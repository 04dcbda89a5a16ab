"""Whose story is it? The writer's, or someone they write about ("my husband, 61, ...").

The text is about another person when it names a relation ("my husband",
"our son") and speaks of them more than of the writer: third-person words
(he, his, she, her) outnumber first-person ones (I, I'm, me), or a strong
sign says so ("my husband, 61", "asking for my dad"). The words come from
``lexicon.yaml`` (``subject``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import Lexicon

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


@dataclass(frozen=True)
class Subject:
    """``word``: the relation the text is about ("" for the writer themself)."""

    word: str = ""
    sex: str | None = None
    evidence: str = ""
    span: tuple[int, int] = (0, 0)

    @property
    def name(self) -> str:
        return self.word or "self"


def _relation_in(text: str, lex: Lexicon) -> str:
    words = sorted(lex.subject.relations, key=len, reverse=True)
    lowered = " ".join(text.lower().split())
    for word in words:
        if re.search(rf"\b{re.escape(word)}\b", lowered):
            return word
    return ""


def detect_subject(text: str, lex: Lexicon) -> Subject:
    """The person the text describes, with their sex if the words tell it."""
    mention = lex.relation_re.search(text)
    opening = lex.opening_re.search(text) if lex.opening_re is not None else None
    if mention is None and opening is not None:
        # "Husband 61, ..." or "Wife here": the writer tells a partner's story
        word = _relation_in(opening.group(0), lex)
        return _subject(word, text, lex, opening)
    if mention is None:
        return Subject()
    words = _WORD.findall(text.lower())
    third = sum(w in lex.subject.third_person for w in words)
    first = sum(w in lex.subject.first_person for w in words)
    first += len(lex.first_body_re.findall(text))
    strong = lex.strong_re.search(text)
    if strong:
        third += 2
    if third == 0 or third <= first:
        return Subject()
    chosen = strong.group(0) if strong else mention.group(0)
    word = _relation_in(chosen, lex) or _relation_in(mention.group(0), lex)
    return _subject(word, text, lex, mention)


def _subject(word: str, text: str, lex: Lexicon, mention: re.Match[str]) -> Subject:
    words = _WORD.findall(text.lower())
    sex = lex.subject.relations.get(word)
    if sex is None:
        he = sum(lex.subject.pronoun_sex.get(w) == "male" for w in words)
        she = sum(lex.subject.pronoun_sex.get(w) == "female" for w in words)
        sex = "male" if he > she else "female" if she > he else None
    return Subject(word=" ".join(word.split()), sex=sex, evidence=mention.group(0),
                   span=(mention.start(), mention.end()))
