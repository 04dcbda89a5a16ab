"""Triage: which concerns fire, and the most urgent level among them.

Implements the policy in the knowledge file ``triage_rules.yaml``: every rule
that fires names its concern; a concern keeps its most urgent level; the result
level is the most urgent of all (``self_care`` when nothing fires).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..knowledge import LEVEL_RANK, Knowledge
from ..knowledge.models import Level
from .results import ConcernResult, Evidence

_RANK = LEVEL_RANK


def evidence_for(
    names: tuple[str, ...], findings: Mapping[str, Any], kb: Knowledge
) -> tuple[Evidence, ...]:
    """The answers behind a conclusion, in the person's terms."""
    return tuple(
        Evidence(finding=n, value=findings.get(n), label=kb.findings[n].label) for n in names
    )


def triage(
    findings: Mapping[str, Any], kb: Knowledge, emergency_number: str
) -> tuple[Level, tuple[ConcernResult, ...]]:
    """Return (level, concerns), concerns most urgent first."""
    best: dict[str, tuple[int, ConcernResult]] = {}
    extra_rules: dict[str, list[str]] = {}
    rules, compiled = kb.rules, kb.compiled
    for i in kb.rules_holding(findings):
        rule = rules[i]
        hit = compiled[f"rule:{rule.id}"](findings)  # the evidence: what made it hold
        if hit is None:  # cannot happen: both are compiled from the same condition
            continue
        rank = _RANK[rule.level]
        extra_rules.setdefault(rule.concern, []).append(rule.id)
        current = best.get(rule.concern)
        if current is not None and current[0] >= rank:
            continue
        best[rule.concern] = (
            rank,
            ConcernResult(
                id=rule.concern,
                level=rule.level,
                title=rule.title,
                why=rule.explanation,
                what_to_do=rule.action.replace("{emergency_number}", emergency_number),
                rules=(),
                evidence=evidence_for(hit, findings, kb),
                citations=tuple(rule.citations),
            ),
        )
    if not best:
        return "self_care", ()
    ordered = sorted(best.values(), key=lambda pair: -pair[0])
    concerns = tuple(
        ConcernResult(
            id=c.id,
            level=c.level,
            title=c.title,
            why=c.why,
            what_to_do=c.what_to_do,
            rules=tuple(extra_rules[c.id]),
            evidence=c.evidence,
            citations=c.citations,
        )
        for _, c in ordered
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
    skipped: set[str] = set()
    for name, skip, yes_no in kb.safety_skips:
        if view.get(name) is None and skip(view) is not None:
            if yes_no:
                view[name] = False
            skipped.add(name)
    open_names = [n for n in kb.safety_order if view.get(n) is None and n not in skipped]
    if not open_names:
        return ()
    # a rule that could still hold or fail needs its open findings answered
    needed: set[str] = set()
    reads = kb.rule_reads
    for i in kb.rules_undecided(view):
        needed |= reads[i]
    return tuple(n for n in open_names if n in needed)
