"""Free text in, findings out: ``extract_findings(text) -> Extraction``.

Steps:
1. Find every lexicon phrase in the text (regexes from ``lexicon.yaml``);
   where two overlap, the longer wins ("numb down there" over "numb").
2. Decide whose story it is (the writer, or e.g. "my husband, 61, ...").
3. Cut the text into tokens and sentences (``tokens.py``) and let ConText
   (``context.py``) mark each phrase as negated, doubtful, in the past,
   hypothetical, or about another person (family, friends).
4. Turn each phrase into finding values (numbers, units, sides of the body),
   combine the mentions of each finding, and keep only valid values.

Pure apart from the cached lexicon: no I/O, no logging. No spaCy either:
medspaCy, which this reader reproduces, is the reference the tests compare
it with (tests/test_reader_matches_medspacy.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from ..engine.findings import FindingsError, normalise_value, to_jsonable
from ..knowledge import Knowledge, load_knowledge
from .language import UNREAD, other_language
from .lexicon import CompiledEntry, Computed, Lexicon, Side, Value, group_value, load_lexicon
from .normalise import Text, corrections, normalise
from .numbers import days_since, parse_number
from .sides import limbs_near, side_values
from .subject import Subject, detect_subject
from .tokens import parse

Span = Any  # a span of tokens: tokens.Span here, spaCy's Span in the reference reader

SELF = "self"
MAX_CHARS = 5000  # a description, not a document: keeps reading fast (ConText is quadratic)
_NEGATIVE = (False, "none")
_SIDES = ("one_leg", "both_legs")
_WORDISH = re.compile(r"[^\W\d_]")
# "Numbness? No." is an answer, not a doubt: read it as "Numbness: No." (same length)
_ANSWERED = re.compile(
    r"\?(?=\s*(?:no|none|nope|nil|negative|not really|not at all|yes|yeah|yep)\b)", re.I
)


class Reader(Protocol):
    """Tokens, sentences and context: :class:`TokenReader` (the reader), or the
    medspaCy reference in the tests."""

    def parse(self, text: str) -> Any: ...

    def span(self, doc: Any, start: int, end: int, label: str) -> Span | None: ...

    def modifiers(
        self, doc: Any, spans: list[Span], lex: Lexicon
    ) -> list[list[tuple[str, int, int]]]:
        """For each span, its modifiers as (category, first token, end token)."""
        ...


class TokenReader:
    """The reader: :mod:`.tokens` and :mod:`.context`, no spaCy."""

    def parse(self, text: str) -> Any:
        return parse(text)

    def span(self, doc: Any, start: int, end: int, label: str) -> Span | None:
        return doc.char_span(start, end, label)

    def modifiers(
        self, doc: Any, spans: list[Span], lex: Lexicon
    ) -> list[list[tuple[str, int, int]]]:
        from .context import apply_context

        found = apply_context(doc, lex.context_rules, [(s.start, s.end) for s in spans])
        return [[(m.category, m.start, m.end) for m in mods] for mods in found]


READER = TokenReader()


@dataclass
class Extraction:
    """What the text says, as findings, with the words behind each one.

    ``findings``: names and values as in findings.yaml (sets as frozensets),
    valid for ``unknot.engine.validate_findings``.
    ``evidence``: for each finding, the words in the text that support it.
    ``doubtful``: danger signs stated with doubt ("I think maybe it's numb?"):
    counted as present, for the interview to confirm.
    ``subject``: ``"self"``, or who the text is about (e.g. ``"husband"``).
    ``read``: false when the text could not be read at all (another language,
    only emoji, nothing recognised); ``unread_reason`` then says why in plain
    words, and ``findings`` is empty: an unread text must never look like a
    text with no warning signs.
    """

    findings: dict[str, Any] = field(default_factory=dict)
    evidence: dict[str, list[str]] = field(default_factory=dict)
    doubtful: set[str] = field(default_factory=set)
    subject: str = SELF
    read: bool = True
    unread_reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly: each finding with its value, supporting words and doubt.

        ``read`` and ``unread_reason`` are left out: surfaces merge this into
        the assessment's JSON, where the engine's ``level`` (null) and
        ``unread_reason`` already say it.
        """
        values = to_jsonable(self.findings)
        return {
            "subject": self.subject,
            "findings": {
                name: {
                    "value": values[name],
                    "evidence": self.evidence.get(name, []),
                    "doubtful": name in self.doubtful,
                }
                for name in self.findings
            },
        }


class Mention:
    """One lexicon phrase found in the text (``start``, ``end``: its characters)."""

    __slots__ = ("entry", "match", "span", "categories", "triggers", "start", "end")

    def __init__(self, entry: CompiledEntry, match: re.Match[str]) -> None:
        self.entry = entry
        self.match = match
        self.span: Span | None = None
        self.categories: frozenset[str] = frozenset()
        self.triggers: dict[str, tuple[int, int]] = {}
        self.start, self.end = match.span()


@dataclass
class Reading:
    """One finding value read from one mention."""

    finding: str
    value: Any
    mention: Mention
    uncertain: bool
    evidence: str
    side: str = ""


def find_mentions(text: str, lex: Lexicon) -> list[Mention]:
    """Every lexicon match; of overlapping matches the longest is kept.

    One scan of the text (``lex.prefilter``, an Aho-Corasick automaton of the
    words each entry needs) picks the entries that can match; only their
    regexes run.
    """
    entries = lex.entries
    chosen = lex.prefilter.candidates(text) if lex.prefilter is not None else range(len(entries))
    lowered = text.lower()
    same = len(lowered) == len(text)  # lower-casing kept every character's place
    found = [
        Mention(entries[i], m)
        for i in chosen
        for m in (
            entries[i].lower.finditer(lowered)  # type: ignore[union-attr]
            if same and entries[i].lower is not None
            else entries[i].regex.finditer(text)
        )
    ]
    found.sort(key=lambda m: (m.start - m.end, m.start))
    kept: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for mention in found:
        start, end = mention.start, mention.end
        if start == end:
            continue
        if mention.entry.spec.overlaps:
            kept.append(mention)
            continue
        if any(start < e and s < end for s, e in taken):
            continue
        kept.append(mention)
        taken.append((start, end))
    kept.sort(key=lambda m: m.start)
    return kept


def _attach_context(
    doc: Any, mentions: list[Mention], lex: Lexicon, subject: Subject, reader: Reader
) -> None:
    spans: list[Span] = []
    kept: list[Mention] = []
    for mention in mentions:
        span = reader.span(doc, mention.start, mention.end, mention.entry.spec.id)
        if span is None:
            continue
        mention.span = span
        spans.append(span)
        kept.append(mention)
    inside = [(s.start, s.end) for s in spans]
    found = reader.modifiers(doc, spans, lex)
    for mention, modifiers in zip(kept, found, strict=True):
        cats: set[str] = set()
        triggers: dict[str, tuple[int, int]] = {}
        for category, start, end in modifiers:
            if category not in ("HISTORICAL", "RECENT_PAST", "FAMILY") and any(
                a <= start and end <= b for a, b in inside
            ):
                continue  # part of a phrase ("lost weight without trying"), not about others
            if (category == "FAMILY" and subject.word
                    and subject.word in doc[start:end].text.lower()):
                continue  # "my husband" is who the story is about, not a relative of theirs
            cats.add(category)
            if category not in triggers:
                last = doc[end - 1]
                triggers[category] = (doc[start].idx, last.idx + len(last.text))
        mention.categories = frozenset(cats)
        mention.triggers = triggers
    # "no fever no tingling peeing is hard": said with no break, the sign after another
    # sign may start a new clause the negation does not reach
    run_on = [
        mention
        for mention, modifiers in zip(kept, found, strict=True)
        if "NEGATED_EXISTENCE" in mention.categories
        and _runs_on(doc, mention, kept, modifiers, lex)
    ]
    for mention in run_on:
        mention.categories = (mention.categories - {"NEGATED_EXISTENCE"}) | {"POSSIBLE_EXISTENCE"}
        mention.triggers.pop("NEGATED_EXISTENCE", None)


def _runs_on(
    doc: Any,
    mention: Mention,
    kept: list[Mention],
    modifiers: list[tuple[str, int, int]],
    lex: Lexicon,
) -> bool:
    """A negation that reaches this phrase only by running on past another phrase,
    with nothing between the two that continues a list.

    People in pain type without full stops or commas: in "no fever no tingling
    peeing is hard" or "no numbness my legs feel weak", the "no" is about the
    phrase it comes before, and the next sign most likely starts a new clause.
    The phrase is then read as said with doubt (counted as present, to be
    confirmed), never as denied. A negation word of its own between the two
    phrases, after the phrase, or a list word (``list_scope``: a comma, "or",
    "and", "nor", ...) keeps the denial: "no numbness, tingling or weakness".
    """
    span = mention.span
    if span is None:
        return False
    before = [m for m in kept if m.span is not None and m.span.end <= span.start]
    if not before:
        return False
    previous = before[-1].span
    assert previous is not None
    cues = [(s, e) for cat, s, e in modifiers if cat == "NEGATED_EXISTENCE"]
    if not cues or any(s >= previous.end or s >= span.end for s, _ in cues):
        return False  # a negation of its own, right before or after it
    if not any(e <= previous.start for _, e in cues):
        return False  # the negation is part of the phrase before, not before it
    joiners = {*lex.list_scope.breaks, *lex.list_scope.connectors}
    if any(tok.lower_ in joiners for tok in doc[previous.end : span.start]):
        return False
    after = [m for m in kept if m.span is not None and m.span.start >= span.end]
    if after and "NEGATED_EXISTENCE" in after[0].categories:
        between = [tok.lower_ for tok in doc[span.end : after[0].span.start]]  # type: ignore[union-attr]
        if between and between[-1] in ("or", "nor"):
            return False  # "no numbness tingling or weakness": a list without its commas
    return True


def _evidence(text: Text, mention: Mention, category: str | None) -> str:
    words = text.source(mention.start, mention.end)
    if category is None or category not in mention.triggers:
        return words
    t_start, t_end = mention.triggers[category]
    if t_end <= mention.start and mention.start - t_end <= 40:
        return text.source(t_start, mention.end)
    if t_start >= mention.end and t_start - mention.end <= 40:
        return text.source(mention.start, t_end)
    return f"{text.source(t_start, t_end)} ... {words}"


def _negated_default(values: Mapping[str, Value], kb: Knowledge) -> dict[str, Value]:
    out: dict[str, Value] = {}
    for name, value in values.items():
        spec = kb.findings[name]
        if spec.type == "bool" and not isinstance(value, Computed):
            out[name] = False
        elif spec.type == "enum" and "none" in spec.values:
            out[name] = value if isinstance(value, Side) else "none"
    return out


def _compute(
    value: Computed, match: re.Match[str], lex: Lexicon, today: date | None = None
) -> Any:
    raw = group_value(match, value.source)
    if raw is None:
        return None
    if value.date:
        return days_since(raw, today)
    if value.map is not None:
        return value.map.get(raw.lower().strip())
    number = parse_number(raw, lex.numbers)
    if number is None:
        return None
    if value.units is not None:
        unit = (group_value(match, value.unit) or "").lower().strip()
        factor = value.units.get(unit, value.units.get(unit.rstrip("s")))
        if factor is None:
            return None
        number *= factor
    number *= value.scale
    if value.plus:
        extra = group_value(match, value.plus)
        extra_n = parse_number(extra, lex.numbers) if extra else None
        if extra_n is not None:
            number += extra_n * value.plus_scale
    if value.at_least is not None:
        return number >= value.at_least
    number = round(number, 1)
    return int(number) if number.is_integer() else number


def _effective(mention: Mention) -> frozenset[str]:
    """The context that changes this phrase: its categories less those it ignores
    (a phrase that ignores the past ignores the recent past too). The recent
    past counts as the past unless the phrase has ``recent`` values."""
    spec = mention.entry.spec
    ignored = set(spec.ignore_context)
    if "HISTORICAL" in ignored:
        ignored.add("RECENT_PAST")
    cats = set(mention.categories) - ignored
    if "RECENT_PAST" in cats and spec.recent is None:
        cats = (cats - {"RECENT_PAST"}) | {"HISTORICAL"}
    return frozenset(cats)


def _read_mention(
    text: str,
    mention: Mention,
    subject: Subject,
    lex: Lexicon,
    kb: Knowledge,
    side_mentions: list[Mention],
    original: Text,
    today: date | None = None,
) -> list[Reading]:
    spec = mention.entry.spec
    cats = _effective(mention)
    if "HYPOTHETICAL" in cats or "FAMILY" in cats:
        return []
    if (spec.about == "writer" and subject.word) or (spec.about == "other" and not subject.word):
        return []
    values: Mapping[str, Value] = spec.sets
    deciding: str | None = None
    if "RECENT_PAST" in cats and "HISTORICAL" not in cats and spec.recent is not None:
        values = spec.recent
        deciding = "RECENT_PAST"
    elif "HISTORICAL" in cats:
        if spec.past is None:
            return []
        values = spec.past
        deciding = "HISTORICAL"
    uncertain = "POSSIBLE_EXISTENCE" in cats
    if "NEGATED_EXISTENCE" in cats:
        if uncertain:
            return []  # "I don't think I have a fever": leave it for the interview to ask
        values = spec.negated if spec.negated is not None else _negated_default(values, kb)
        deciding = "NEGATED_EXISTENCE"
    elif uncertain:
        deciding = "POSSIBLE_EXISTENCE"
    negated = deciding == "NEGATED_EXISTENCE"
    evidence = _evidence(original, mention, deciding)
    out: list[Reading] = []
    for name, value in values.items():
        resolved: Any = value
        finding = name
        if isinstance(value, Side):
            others = [(m.start, m.end) for m in side_mentions if m is not mention]
            limbs, side = limbs_near(text, mention, lex, others)
            for other, side_value in side_values(value, limbs, negated):
                out.append(Reading(other or name, side_value, mention, uncertain, evidence, side))
            continue
        elif isinstance(value, Computed):
            resolved = _compute(value, mention.match, lex, today)
        if resolved is None:
            continue
        out.append(Reading(finding, resolved, mention, uncertain, evidence))
    return out


def _claimed(mentions: list[Mention], lex: Lexicon) -> set[int]:
    """Time mentions that date a history fact ("cancer five years ago"), not the spasm.

    A history fact is a phrase marked ``claims_time`` or one told as past. It
    claims a time phrase in the same sentence when nothing that starts a new
    clause (``list_scope.breaks``) lies between them.
    """
    claimers = []
    for mention in mentions:
        spec = mention.entry.spec
        cats = _effective(mention)
        if mention.span is None or "HYPOTHETICAL" in cats or "FAMILY" in cats:
            continue
        told_as_past = bool(mention.categories & {"HISTORICAL", "RECENT_PAST"}) and (
            "days_since_onset" not in spec.sets
        )
        if spec.claims_time or told_as_past:
            claimers.append(mention.span)
    breaks = set(lex.list_scope.breaks) | {"but", ";", "so", "then", "since"}
    out: set[int] = set()
    for mention in mentions:
        span = mention.span
        if span is None or "days_since_onset" not in mention.entry.spec.sets:
            continue
        for claimer in claimers:
            if claimer.sent.start != span.sent.start:
                continue
            lo, hi = sorted((claimer.end, span.start)) if claimer.end <= span.start else sorted(
                (span.end, claimer.start))
            if not any(tok.lower_ in breaks for tok in span.doc[lo:hi]):
                out.add(id(mention))
    return out


def _merge(
    readings: list[Reading], lex: Lexicon, kb: Knowledge, claimed: set[int]
) -> tuple[dict[str, Any], dict[str, list[str]], set[str]]:
    by_name: dict[str, list[Reading]] = {}
    for reading in readings:
        by_name.setdefault(reading.finding, []).append(reading)
    findings: dict[str, Any] = {}
    evidence: dict[str, list[str]] = {}
    doubtful: set[str] = set()
    for name, group in by_name.items():
        spec = kb.findings[name]
        merge = lex.merge.get(name)
        if merge is not None and merge.skip_claimed_time:
            group = [r for r in group if id(r.mention) not in claimed]
        valid: list[tuple[Reading, Any]] = []
        for reading in group:
            try:
                valid.append((reading, normalise_value(spec, reading.value)))
            except FindingsError:
                continue
        if not valid:
            continue
        if spec.type == "set":
            value: Any = frozenset().union(*(v for _, v in valid))
            support = valid
        else:
            pick = merge.pick if merge else ("any_true" if spec.type == "bool" else "first")
            if pick == "any_true":
                value = any(v for _, v in valid)
            elif pick == "max":
                value = max(v for _, v in valid)
            elif pick == "order" and merge is not None:
                value = min((v for _, v in valid), key=lambda v: merge.order.index(v)
                            if v in merge.order else len(merge.order))
            else:
                value = valid[0][1]
            support = [(r, v) for r, v in valid if v == value]
            if value == "one_leg" and {r.side for r, _ in support} >= {"left", "right"}:
                value = "both_legs"  # "tingling in my left leg ... and in my right leg"
        findings[name] = value
        evidence[name] = list(dict.fromkeys(r.evidence for r, _ in support))
        positive = value not in _NEGATIVE and spec.type in ("bool", "enum")
        if spec.safety and positive and all(r.uncertain for r, _ in support):
            doubtful.add(name)
    return findings, evidence, doubtful


def _apply_defaults(
    text: Text, findings: dict[str, Any], evidence: dict[str, list[str]], lex: Lexicon,
    kb: Knowledge,
) -> None:
    for default, regex in lex.defaults:
        m = regex.search(text.text)
        if m is None:
            continue
        present = findings.get(default.finding)
        blocked = False
        for name, values in default.unless.items():
            have = findings.get(name)
            have_set = have if isinstance(have, frozenset) else {have}
            if have is not None and have_set & set(values):
                blocked = True
        if blocked:
            continue
        spec = kb.findings[default.finding]
        value = normalise_value(spec, default.value)
        if spec.type == "set":
            findings[default.finding] = frozenset(present or ()) | value
        elif present is None:
            findings[default.finding] = value
        else:
            continue
        evidence.setdefault(default.finding, []).append(text.source(m.start(), m.end()))


def _read(
    text: Text, lex: Lexicon, kb: Knowledge, today: date | None, reader: Reader = READER
) -> tuple[Extraction, Subject]:
    """One reading of one version of the text (as written, or with spelling corrected)."""
    answered = _ANSWERED.sub(":", text.text)
    subject = detect_subject(text.text, lex)
    doc = reader.parse(answered)
    mentions = find_mentions(answered, lex)
    _attach_context(doc, mentions, lex, subject, reader)
    sided = [m for m in mentions if any(isinstance(v, Side) for v in m.entry.spec.sets.values())]
    readings = [
        r for m in mentions
        for r in _read_mention(answered, m, subject, lex, kb, sided, text, today)
    ]
    findings, evidence, doubtful = _merge(readings, lex, kb, _claimed(mentions, lex))
    _apply_defaults(text, findings, evidence, lex, kb)
    if subject.word and "sex" not in findings and subject.sex:
        findings["sex"] = subject.sex
        evidence["sex"] = [text.source(*subject.span)]
    extraction = Extraction(
        findings=findings, evidence=evidence, doubtful=doubtful, subject=subject.name
    )
    return extraction, subject


def _rank(value: Any, order: list[str]) -> int:
    """How urgent one value of a finding is: a yes over a no, both legs over one."""
    if value is True:
        return 2
    if value is False or value == "none":
        return 0
    if isinstance(value, str) and value in order:
        return len(order) - order.index(value)
    return 1


def _more_urgent(
    written: Extraction, corrected: Extraction, lex: Lexicon, kb: Knowledge,
    keep_denials: bool = False,
) -> Extraction:
    """Both readings together: every sign either one reads, the more urgent value
    where they differ, and a denial only where both readings make it."""
    out = Extraction(subject=written.subject if written.subject != SELF else corrected.subject)
    for name in dict.fromkeys([*written.findings, *corrected.findings]):
        have = [e for e in (written, corrected) if name in e.findings]
        values = [e.findings[name] for e in have]
        spec = kb.findings.get(name)
        denial = spec is not None and spec.safety and all(v in _NEGATIVE for v in values)
        if denial and len(have) < 2 and not (keep_denials and have[0] is written):
            continue  # a warning sign denied in one reading only: leave it for the questions
        if all(isinstance(v, frozenset) for v in values):
            value: Any = frozenset().union(*values)
            chosen = have
        else:
            merge = lex.merge.get(name)
            order = merge.order if merge else []
            best = max(values, key=lambda v: _rank(v, order))
            chosen = [e for e in have if e.findings[name] == best]
            value = best
        out.findings[name] = value
        out.evidence[name] = list(dict.fromkeys(w for e in chosen for w in e.evidence[name]))
        if all(name in e.doubtful for e in chosen):
            out.doubtful.add(name)
    return out


def _unread(reason: str) -> Extraction:
    return Extraction(read=False, unread_reason=reason)


def _danger_signs(read: Extraction, kb: Knowledge) -> bool:
    """Whether a reading affirms a warning sign: a safety question answered yes,
    or a leg sign in one leg or both (age, days and trend do not count)."""
    for name, value in read.findings.items():
        spec = kb.findings.get(name)
        if spec is not None and spec.safety and (value is True or value in _SIDES):
            return True
    return False


def extract_findings(text: str, today: date | None = None) -> Extraction:
    """Read a person's own description into findings (see :class:`Extraction`).

    ``today``: the date the text was written, for "since Tuesday" (default:
    the computer's date). Raises TypeError if ``text`` is not a string,
    ValueError if it is longer than ``MAX_CHARS``. Text that cannot be read
    (empty, another language, only emoji, nothing recognised) gives no
    findings, ``read`` false and the reason.
    """
    return extract_with(text, READER, today)


def extract_with(text: str, reader: Reader, today: date | None = None) -> Extraction:
    """:func:`extract_findings` with another reader (the tests' medspaCy reference)."""
    if not isinstance(text, str):
        raise TypeError("text must be a string")
    if len(text) > MAX_CHARS:
        raise ValueError(f"text is too long ({len(text)} characters; at most {MAX_CHARS})")
    if not text.strip():
        return _unread(UNREAD["empty"])
    lex = load_lexicon()
    kb = load_knowledge()
    written = normalise(text, lex)
    if not _WORDISH.search(written.text):
        return _unread(UNREAD["no_words"])
    corrected, other = corrections(written, lex)
    foreign = other_language(written.text, lex, corrected.text)
    if foreign:
        # Mixed languages ("Hola, dolor de espalda... and my left arm is going weak"):
        # a warning sign said in English is read, never dropped with the rest; the
        # other language's words are not "corrected" into English ones. With no
        # warning sign, the text stays unread and the questions are asked instead.
        foreign_words = frozenset().union(*lex.languages.values())
        corrected, other = corrections(written, lex, keep=foreign_words)
    result, _ = _read(written, lex, kb, today, reader)
    if corrected.text != written.text:
        second, _ = _read(corrected, lex, kb, today, reader)
        result = _more_urgent(result, second, lex, kb)
        if other.text != corrected.text:  # a tie between two words: read that one too
            third, _ = _read(other, lex, kb, today, reader)
            result = _more_urgent(result, third, lex, kb, keep_denials=True)
    if foreign and not _danger_signs(result, kb):
        return _unread(foreign)
    if not result.findings:
        return _unread(UNREAD["nothing"])
    return result
