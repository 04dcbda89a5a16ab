"""Triage: which concerns fire, and the most urgent level among them.

Implements the policy in the knowledge file ``triage_rules.yaml``: every rule
that fires names its concern; a concern keeps its most urgent level; the result
level is the most urgent of all (``self_care`` when nothing fires).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from ..knowledge import LEVEL_RANK, Knowledge
from ..knowledge.conditions import Compiled
from ..knowledge.models import Level, TriageRule
from .results import ConcernResult, Evidence

_RANK = LEVEL_RANK


class _Rule(NamedTuple):
    """What a firing rule contributes, worked out once per knowledge."""

    rank: int
    rule: TriageRule
    evidence: Compiled  # the compiled condition: which findings made it hold
    citations: tuple[str, ...]


class _Prepared:
    def __init__(self, kb: Knowledge) -> None:
        self.kb = kb
        self.rules = [
            _Rule(_RANK[r.level], r, kb.compiled[f"rule:{r.id}"], tuple(r.citations))
            for r in kb.rules
        ]
        self.labels = {name: spec.label for name, spec in kb.findings.items()}
        # (finding, value's type, value) -> its Evidence: frozen, so one serves everyone
        self.evidence: dict[tuple[str, type, Any], Evidence] = {}
        self.actions: dict[tuple[str, str], str] = {}  # (rule id, emergency number) -> text
        self.named: dict[int, tuple[str, ...]] = {}  # safety bits -> names, in safety order

    def names_of(self, mask: int) -> tuple[str, ...]:
        names = self.named.get(mask)
        if names is None:
            if len(self.named) > 4096:
                self.named.clear()
            bits = self.kb.safety_bits
            names = self.named[mask] = tuple(n for n in self.kb.safety_order if bits[n] & mask)
        return names

    def action(self, rule: TriageRule, number: str) -> str:
        key = (rule.id, number)
        text = self.actions.get(key)
        if text is None:
            if len(self.actions) > 4096:  # numbers come from regions.yaml: few
                self.actions.clear()
            text = self.actions[key] = rule.action.replace("{emergency_number}", number)
        return text


_PREPARED: dict[int, _Prepared] = {}


def _prepared(kb: Knowledge) -> _Prepared:
    got = _PREPARED.get(id(kb))
    if got is None or got.kb is not kb:
        if len(_PREPARED) > 8:  # tests build patched knowledge; keep only a few
            _PREPARED.clear()
        got = _PREPARED[id(kb)] = _Prepared(kb)
    return got


def evidence_for(
    names: tuple[str, ...], findings: Mapping[str, Any], kb: Knowledge
) -> tuple[Evidence, ...]:
    """The answers behind a conclusion, in the person's terms."""
    prep = _prepared(kb)
    made = prep.evidence
    out = []
    for name in names:
        value = findings.get(name)
        key = (name, type(value), value)  # True and 1, 2 and 2.0 read differently
        try:
            item = made.get(key)
        except TypeError:  # a value that cannot be a key (a list): made for this once
            out.append(Evidence.of(name, value, prep.labels[name]))
            continue
        if item is None:
            if len(made) > 4096:  # numbers can take many values; start afresh
                made.clear()
            item = made[key] = Evidence.of(name, value, prep.labels[name])
        out.append(item)
    return tuple(out)


def triage(
    findings: Mapping[str, Any], kb: Knowledge, emergency_number: str
) -> tuple[Level, tuple[ConcernResult, ...]]:
    """Return (level, concerns), concerns most urgent first.

    A concern keeps its most urgent rule (the first of them in the file) and
    lists every rule that fired for it.
    """
    prep = _prepared(kb)
    rules = prep.rules
    # concern -> [the rule it keeps, its evidence, the ids of every rule that fired]
    best: dict[str, list[Any]] = {}
    for i in kb.rules_holding(findings):
        entry = rules[i]
        hit = entry.evidence(findings)
        if hit is None:  # cannot happen: both are compiled from the same condition
            continue
        rule = entry.rule
        kept = best.get(rule.concern)
        if kept is None:
            best[rule.concern] = [entry, hit, [rule.id]]
            continue
        kept[2].append(rule.id)
        if entry.rank > kept[0].rank:
            kept[0], kept[1] = entry, hit
    if not best:
        return "self_care", ()
    ordered = sorted(best.values(), key=lambda kept: -kept[0].rank)
    concerns = tuple(
        [
            ConcernResult.of(
                entry.rule.concern,
                entry.rule.level,
                entry.rule.title,
                entry.rule.explanation,
                prep.action(entry.rule, emergency_number),
                tuple(ids),
                evidence_for(hit, findings, kb),
                entry.citations,
            )
            for entry, hit, ids in ordered
        ]
    )
    return concerns[0].level, concerns


def unanswered_safety(findings: Mapping[str, Any], kb: Knowledge) -> tuple[str, ...]:
    """Safety questions still open, most urgent first.

    A safety finding is open when nobody answered it and some rule that reads
    it could still fire: "blood in the pee" with pain only low in the middle of
    the back still matters; "bleeding in pregnancy" after "not pregnant" does
    not. A question that does not apply to the person (its ``skip_when`` in
    findings.yaml holds, e.g. pregnancy for a man) counts as "no".
    """
    view = dict(findings)
    bits = kb.safety_bits
    closed = 0  # answered, or not asked of this person
    for name, skip, yes_no in kb.safety_skips:
        if view.get(name) is None and skip(view) is not None:
            if yes_no:
                view[name] = False
            closed |= bits[name]
    for name, value in view.items():
        if value is not None:
            closed |= bits.get(name, 0)
    # an open question some rule still depends on (it could hold or fail) is needed
    needed = kb.safety_needed(view) & ~closed
    if not needed:
        return ()
    return _prepared(kb).names_of(needed)
