"""Free text in, findings out: ``extract_findings(text) -> Extraction``.

Steps:
1. Find every lexicon phrase in the text (regexes from ``lexicon.yaml``);
   where two overlap, the longer wins ("numb down there" over "numb").
2. Decide whose story it is (the writer, or e.g. "my husband, 61, ...").
3. Let medspaCy's ConText mark each phrase as negated, doubtful, in the past,
   hypothetical, or about another person (family, friends).
4. Turn each phrase into finding values (numbers, units, sides of the body),
   combine the mentions of each finding, and keep only valid values.

Pure apart from the cached lexicon and pipeline: no I/O, no logging.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..engine.findings import FindingsError, normalise_value, to_jsonable
from ..knowledge import Knowledge, load_knowledge
from .lexicon import CompiledEntry, Computed, Lexicon, Side, Value, fold, group_value, load_lexicon
from .numbers import parse_number
from .sides import limbs_near, side_values
from .subject import Subject, detect_subject

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

SELF = "self"
MAX_CHARS = 5000  # a description, not a document: keeps reading fast (ConText is quadratic)
_NEGATIVE = (False, "none")
# "Numbness? No." is an answer, not a doubt: read it as "Numbness: No." (same length)
_ANSWERED = re.compile(
    r"\?(?=\s*(?:no|none|nope|nil|negative|not really|not at all|yes|yeah|yep)\b)", re.I
)


@dataclass
class Extraction:
    """What the text says, as findings, with the words behind each one.

    ``findings``: names and values as in findings.yaml (sets as frozensets),
    valid for ``unknot.engine.validate_findings``.
    ``evidence``: for each finding, the words in the text that support it.
    ``doubtful``: danger signs stated with doubt ("I think maybe it's numb?"):
    counted as present, for the interview to confirm.
    ``subject``: ``"self"``, or who the text is about (e.g. ``"husband"``).
    """

    findings: dict[str, Any] = field(default_factory=dict)
    evidence: dict[str, list[str]] = field(default_factory=dict)
    doubtful: set[str] = field(default_factory=set)
    subject: str = SELF

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly: each finding with its value, supporting words and doubt."""
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


@dataclass
class Mention:
    """One lexicon phrase found in the text."""

    entry: CompiledEntry
    match: re.Match[str]
    span: Span | None = None
    categories: frozenset[str] = frozenset()
    triggers: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def start(self) -> int:
        return self.match.start()

    @property
    def end(self) -> int:
        return self.match.end()


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
    """Every lexicon match; of overlapping matches the longest is kept."""
    found = [Mention(entry, m) for entry in lex.entries for m in entry.regex.finditer(text)]
    found.sort(key=lambda m: (m.start - m.end, m.start))
    kept: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for mention in found:
        if mention.start == mention.end:
            continue
        if mention.entry.spec.overlaps:
            kept.append(mention)
            continue
        if any(mention.start < e and s < mention.end for s, e in taken):
            continue
        kept.append(mention)
        taken.append((mention.start, mention.end))
    kept.sort(key=lambda m: m.start)
    return kept


def _attach_context(doc: Doc, mentions: list[Mention], lex: Lexicon, subject: Subject) -> None:
    from .pipeline import load_pipeline

    spans: list[Span] = []
    kept: list[Mention] = []
    for mention in mentions:
        span = doc.char_span(mention.start, mention.end, label=mention.entry.spec.id,
                             alignment_mode="expand")
        if span is None:
            continue
        mention.span = span
        spans.append(span)
        kept.append(mention)
    openers = set(lex.list_scope.clause_openers)
    doc.user_data["unknot_open_starts"] = {
        s.start for s in spans if s[0].lower_ not in openers
    }
    load_pipeline().apply_context(doc, spans)
    inside = [(s.start, s.end) for s in spans]
    for mention, span in zip(kept, spans, strict=True):
        cats: set[str] = set()
        triggers: dict[str, tuple[int, int]] = {}
        for modifier in span._.modifiers:
            start, end = modifier.modifier_span
            if modifier.category not in ("HISTORICAL", "RECENT_PAST", "FAMILY") and any(
                a <= start and end <= b for a, b in inside
            ):
                continue  # part of a phrase ("lost weight without trying"), not about others
            words = doc[start:end].text.lower()
            if modifier.category == "FAMILY" and subject.word and subject.word in words:
                continue  # "my husband" is who the story is about, not a relative of theirs
            cats.add(modifier.category)
            last = doc[end - 1]
            triggers.setdefault(modifier.category, (doc[start].idx, last.idx + len(last.text)))
        mention.categories = frozenset(cats)
        mention.triggers = triggers


def _evidence(text: str, mention: Mention, category: str | None) -> str:
    words = text[mention.start:mention.end]
    if category is None or category not in mention.triggers:
        return words
    t_start, t_end = mention.triggers[category]
    if t_end <= mention.start and mention.start - t_end <= 40:
        return text[t_start:mention.end]
    if t_start >= mention.end and t_start - mention.end <= 40:
        return text[mention.start:t_end]
    return f"{text[t_start:t_end]} ... {words}"


def _negated_default(values: Mapping[str, Value], kb: Knowledge) -> dict[str, Value]:
    out: dict[str, Value] = {}
    for name, value in values.items():
        spec = kb.findings[name]
        if spec.type == "bool" and not isinstance(value, Computed):
            out[name] = False
        elif spec.type == "enum" and "none" in spec.values:
            out[name] = value if isinstance(value, Side) else "none"
    return out


def _compute(value: Computed, match: re.Match[str], lex: Lexicon) -> Any:
    raw = group_value(match, value.source)
    if raw is None:
        return None
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
    original: str,
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
            resolved = _compute(value, mention.match, lex)
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
    text: str, findings: dict[str, Any], evidence: dict[str, list[str]], lex: Lexicon,
    kb: Knowledge,
) -> None:
    for default, regex in lex.defaults:
        m = regex.search(text)
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
        evidence.setdefault(default.finding, []).append(m.group(0))


def extract_findings(text: str) -> Extraction:
    """Read a person's own description into findings (see :class:`Extraction`).

    Raises TypeError if ``text`` is not a string, ValueError if it is longer
    than ``MAX_CHARS``. Empty text gives no findings.
    """
    if not isinstance(text, str):
        raise TypeError("text must be a string")
    if len(text) > MAX_CHARS:
        raise ValueError(f"text is too long ({len(text)} characters; at most {MAX_CHARS})")
    from .pipeline import load_pipeline

    lex = load_lexicon()
    kb = load_knowledge()
    folded = fold(text)
    answered = _ANSWERED.sub(":", folded)
    subject = detect_subject(folded, lex)
    if not folded.strip():
        return Extraction(subject=subject.name)
    doc = load_pipeline().parse(answered)
    mentions = find_mentions(answered, lex)
    _attach_context(doc, mentions, lex, subject)
    sided = [m for m in mentions if any(isinstance(v, Side) for v in m.entry.spec.sets.values())]
    readings = [
        r for m in mentions for r in _read_mention(answered, m, subject, lex, kb, sided, folded)
    ]
    findings, evidence, doubtful = _merge(readings, lex, kb, _claimed(mentions, lex))
    _apply_defaults(folded, findings, evidence, lex, kb)
    if subject.word and "sex" not in findings and subject.sex:
        findings["sex"] = subject.sex
        evidence["sex"] = [subject.evidence]
    return Extraction(findings=findings, evidence=evidence, doubtful=doubtful, subject=subject.name)
