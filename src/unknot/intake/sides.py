"""Sides of the body: which legs (or an arm) a numbness, tingling or weakness is in.

The limb words are in ``lexicon.yaml`` (``limbs``): "both legs", "legs" or
"feet" mean both legs; "my left foot" one leg; an arm gives arm weakness; a
numb back is no leg finding. A symptom with no place named takes its entry's
``default`` (numbness and tingling count as one leg, to be safe).
"""

from __future__ import annotations

from typing import Any, Protocol

from .lexicon import Lexicon, Side

Span = Any  # tokens.Span (or spaCy's, in the tests' reference reader)


class Phrase(Protocol):
    """A phrase found in the text: where it is, and its tokens once parsed."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...

    span: Span | None


def limbs_near(
    text: str, mention: Phrase, lex: Lexicon, others: list[tuple[int, int]]
) -> tuple[list[str], str]:
    """The body parts named with a symptom, nearest first: ``both``/``one`` (legs),
    ``arm``, or ``other`` (back, face...), and "left"/"right" if the nearest leg
    says so. Words in the phrase itself come first; then the rest of the
    sentence, up to a word like "but" (``limbs.stop_at``).
    A left leg and a right leg named with it count as both legs (not when the
    other leg is nearer another symptom: ``others``, "numb left foot, weak
    right leg")."""
    inside = text[mention.start:mention.end]
    own = [side for side in ("both", "one", "arm") if lex.limbs[side].search(inside)]
    if own or mention.span is None:
        return own, _left_or_right(inside)
    sent = mention.span.sent
    found: list[tuple[int, str, str]] = []
    sides: set[str] = set()
    _search(text, mention, lex, others, sent.start_char, sent.end_char, found, sides)
    if not found:
        # "The numbness. It's in both legs now.": the next sentence goes on about it
        after = _follow_on(mention.span)
        if after is not None:
            _search(text, mention, lex, others, after[0], after[1], found, sides)
    found.sort()
    named = [side for _, side, _ in found]
    if sides == {"left", "right"}:
        named.insert(0, "both")
    return named, found[0][2] if found and found[0][1] == "one" else ""


_FOLLOW_ON = {"it", "it's", "its", "they", "they're", "theyre", "that", "that's", "this", "which",
              "mostly", "mainly", "both", "in", "down", "all"}


def _follow_on(span: Span) -> tuple[int, int] | None:
    """Where the next sentence is, when it carries on the mention's own: it opens
    with "it", "they", "both", "in"... or the mention's sentence is a fragment
    of three words or fewer ("The numbness.")."""
    sent = span.sent
    doc = span.doc
    if sent.end >= len(doc):
        return None
    nxt = doc[sent.end].sent
    words = [t for t in sent if not t.is_punct]
    if nxt[0].lower_ in _FOLLOW_ON or len(words) <= 3:
        return nxt.start_char, nxt.end_char
    return None


def _search(
    text: str, mention: Phrase, lex: Lexicon, others: list[tuple[int, int]], lo: int, hi: int,
    found: list[tuple[int, str, str]], sides: set[str],
) -> None:
    for side, regex in lex.limbs.items():
        if side == "stop":
            continue
        for m in regex.finditer(text, lo, hi):
            if m.start() >= mention.end:
                between, gap = text[mention.end:m.start()], m.start() - mention.end
            elif m.end() <= mention.start:
                between, gap = text[m.end():mention.start], mention.start - m.end()
            else:
                between, gap = "", 0
            if lex.limbs["stop"].search(between):
                continue
            found.append((gap, side, _left_or_right(m.group(0))))
            nearer_other = any(
                min(abs(m.start() - end), abs(start - m.end())) < gap for start, end in others
            )
            if side == "one" and not nearer_other:
                sides |= {w for w in ("left", "right") if w in m.group(0).lower()}


def _left_or_right(words: str) -> str:
    lowered = words.lower()
    return "left" if "left" in lowered else "right" if "right" in lowered else ""


def side_values(value: Side, limbs: list[str], negated: bool) -> list[tuple[str, Any]]:
    """(finding, value) pairs for a symptom with sides; "" is the symptom's own finding."""
    named = [limb for limb in limbs if limb != "other"]
    if negated:
        out: list[tuple[str, Any]] = []
        if "arm" in named and value.arm:
            out.append((value.arm, False))
        if "arm" not in named or any(limb in ("both", "one") for limb in named):
            out.append(("", "none"))
        return out
    nearest = named[0] if named else ("other" if limbs else None)
    if nearest == "arm":
        return [(value.arm, True)] if value.arm else []
    if nearest == "other":
        return []
    resolved = {"both": "both_legs", "one": "one_leg"}.get(nearest or "", value.default)
    return [("", resolved)] if resolved else []
