"""Variants of a narrative, as people really write: typos, texting, padding, slang, third person.

Deterministic (seeded by the narrative id), so a failure can be replayed.
Used by tests/test_intake_robustness.py and by ``python tests/robustness/report.py``,
which prints the figures (exact level, under-triage, concern recall, typo degradation).
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).parent
NARRATIVES: list[dict[str, Any]] = yaml.safe_load((HERE / "narratives.yaml").read_text("utf-8"))
RANK = {"self_care": 0, "soon": 1, "urgent": 2, "emergency": 3}

# Neighbouring keys on a QWERTY keyboard: the substitutions fingers make.
KEYS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]
NEAR: dict[str, str] = {}
for r, row in enumerate(KEYS):
    for c, ch in enumerate(row):
        near = [row[c + d] for d in (-1, 1) if 0 <= c + d < len(row)]
        for other in (r - 1, r + 1):
            if 0 <= other < len(KEYS) and c < len(KEYS[other]):
                near.append(KEYS[other][c])
        NEAR[ch] = "".join(near)

PADDING = [
    ("Hi, hope someone can help, sorry if this is a silly question. ",
     " Anyway thanks so much for reading, really appreciate it!"),
    ("Hello! So this is a bit of a long story but here goes. ",
     " Not sure what to do, the kids are off school this week too which doesn't help."),
    ("Evening all. ", " Cheers in advance, I know you're busy."),
]

TEXTING = [
    (r"\bI'm\b", "im"), (r"\bI've\b", "ive"), (r"\bcan't\b", "cant"), (r"\bit's\b", "its"),
    (r"\bisn't\b", "isnt"), (r"\bdon't\b", "dont"), (r"\byou\b", "u"), (r"\byour\b", "ur"),
    (r"\band\b", "&"), (r"\bwith\b", "w/"), (r"\bbecause\b", "b/c"), (r"\btoday\b", "2day"),
    (r"\breally\b", "rly"), (r"\bplease\b", "pls"), (r"\bso\b", "sooo"), (r"\bsince\b", "since"),
]

THIRD = [
    (r"\bI'm\b", "{he}'s"), (r"\bI've\b", "{he}'s"), (r"\bI am\b", "{he} is"),
    (r"\bI have\b", "{he} has"), (r"\bI\b", "{he}"), (r"\bmy\b", "{his}"), (r"\bme\b", "{him}"),
    (r"\bmyself\b", "{him}self"),
]


@dataclass(frozen=True)
class Variant:
    kind: str
    text: str


def _edit(word: str, rng: random.Random, kind: str) -> str:
    """One typing slip in ``word``: a letter dropped, doubled, swapped, or a neighbour key."""
    inner = range(1, len(word) - 1) if len(word) > 3 else range(len(word))
    i = rng.choice(list(inner))
    if kind == "drop":
        return word[:i] + word[i + 1:]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    if kind == "swap" and i + 1 < len(word):
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    ch = word[i].lower()
    if ch in NEAR:
        return word[:i] + rng.choice(NEAR[ch]) + word[i + 1:]
    return word[:i] + word[i] + word[i:]


def _typo_in(text: str, key: str, rng: random.Random, kinds: tuple[str, ...]) -> str | None:
    """``text`` with the word starting ``key`` mistyped (one slip per kind), or None when
    the slips make another real word ("numb" -> "nub"): a real-word error, counted apart."""
    m = re.search(rf"\b{re.escape(key)}", text, re.I)
    if m is None:
        raise ValueError(f"key word {key!r} not in {text!r}")
    end = m.end()
    while end < len(text) and text[end].isalpha():
        end += 1
    word = text[m.start():end]
    typed = word
    for kind in kinds:
        typed = _edit(typed, rng, kind)
    if typed.lower() == word.lower() or typed.lower() in real_words():
        return None
    return text[:m.start()] + typed + text[end:]


KINDS = ("drop", "double", "swap", "near")


def real_words() -> frozenset[str]:
    from unknot.intake.lexicon import english_words, load_lexicon

    return english_words() | load_lexicon().vocabulary


def typos(case: dict[str, Any], count: int) -> Iterator[Variant]:
    """Every key word with each kind of slip (count=1), or two slips (count=2): in two
    key words, or twice in the one key word. Slips that make a real word are left out."""
    rng = random.Random(f"{case['id']}-{count}")
    keys = case["key"]
    for first in KINDS:
        if count == 1:
            for key in keys:
                typed = _typo_in(case["text"], key, rng, (first,))
                if typed is not None:
                    yield Variant(f"typo1-{first}", typed)
            continue
        second = rng.choice(KINDS)
        if len(keys) == 1:
            typed = _typo_in(case["text"], keys[0], rng, (first, second))
        else:
            once = _typo_in(case["text"], keys[0], rng, (first,))
            typed = None if once is None else _typo_in(once, keys[1], rng, (second,))
        if typed is not None:
            yield Variant("typo2", typed)


def texting(text: str) -> str:
    """Casual texting: lower case, no apostrophes, short forms, stretched words, no full stop."""
    out = text
    for pattern, short in TEXTING:
        out = re.sub(pattern, short, out, flags=re.I)
    out = out.lower().replace("'", "").rstrip(".")
    out = re.sub(r"\bbad\b", "baaad", out)
    return out + " tbh"


def no_punctuation(text: str) -> str:
    """Typed in one breath on a phone: lower case, no full stops, commas or apostrophes."""
    out = re.sub(r"[.,;:!?()\"]", " ", text.lower().replace("'", "")).replace(" - ", " ")
    return " ".join(out.split())


_SMALL = frozenset({
    "the", "and", "my", "i", "a", "to", "in", "of", "it", "is", "was", "on", "at", "for",
    "with", "have", "has", "me", "but", "this", "that", "im", "its", "be", "so", "not", "no",
    "been", "from", "they", "them", "then", "than", "when", "what", "just",
})


def sloppy(case: dict[str, Any], count: int = 3) -> Iterator[Variant]:
    """Typed fast in pain: no punctuation, and a slip in two words anywhere in the story
    (not only its key words), as often as ``count``. Slips that make a real word are left out."""
    rng = random.Random(f"{case['id']}-sloppy")
    bare = no_punctuation(case["text"])
    words = [w for w in dict.fromkeys(re.findall(r"[a-z]{4,}", bare)) if w not in _SMALL]
    for _ in range(count):
        typed = bare
        for word in rng.sample(words, min(2, len(words))):
            slipped = _edit(word, rng, rng.choice(KINDS))
            if slipped != word and slipped not in real_words():
                typed = re.sub(rf"\b{word}\b", slipped, typed, count=1)
        if typed != bare:
            yield Variant("sloppy", typed)


def third_person(case: dict[str, Any]) -> str:
    """The same story told by a partner: "Husband, ..." with he/his (no "my" before him)."""
    male = case.get("sex") == "male"
    words = {"he": "he" if male else "she", "his": "his" if male else "her",
             "him": "him" if male else "her"}
    out = case["text"]
    for pattern, repl in THIRD:
        out = re.sub(pattern, lambda m, r=repl: r.format(**words), out)
    out = re.sub(r"(^|[.!?] )(he|she|his|her)\b", lambda m: m.group(1) + m.group(2).capitalize(),
                 out)
    return f"{'Husband' if male else 'Wife'} here, writing for them. {out}"


def variants(case: dict[str, Any]) -> list[Variant]:
    out = [*typos(case, 1), *typos(case, 2), Variant("texting", texting(case["text"]))]
    out.append(Variant("no_punctuation", no_punctuation(case["text"])))
    out.extend(sloppy(case))
    pad = PADDING[sum(map(ord, case["id"])) % len(PADDING)]
    out.append(Variant("padding", pad[0] + case["text"] + pad[1]))
    out.append(Variant("third_person", third_person(case)))
    if case.get("slang"):
        out.append(Variant("slang", case["slang"]))
    return out


def today_of(case: dict[str, Any]) -> date | None:
    value = case.get("today")
    return value if isinstance(value, date) else None


def positive(value: Any) -> bool:
    return value not in (None, False, "none")


def weaker(clean: Any, other: Any) -> bool:
    """A finding read less urgently in the variant than in the clean form."""
    order = {"both_legs": 2, "one_leg": 1}
    if not positive(clean):
        return False  # a denial read as unknown is asked again: not less urgent
    if isinstance(clean, frozenset):
        return not isinstance(other, frozenset) or not clean <= other
    if clean in order:
        return order.get(other, -1) < order[clean]
    if clean is True:
        return other is not True
    return False
