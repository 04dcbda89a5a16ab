"""Triage: which concerns fire, and the most urgent level among them.

Implements the policy in the knowledge file ``triage_rules.yaml``: every rule
that fires names its concern; a concern keeps its most urgent level; the result
level is the most urgent of all (``self_care`` when nothing fires).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..knowledge import LEVEL_RANK, Knowledge
from ..knowledge.conditions import Tristate, compile_tristate, findings_used
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
    for rule, check, _ in kb.rule_index.candidates(findings):
        hit = check(findings)
        if hit is None:
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
    open_names: set[str] = set()
    for name in kb.safety_order:
        if view.get(name) is not None:
            continue
        skip = kb.compiled.get(f"skip:{name}")
        if skip is not None and skip(view) is not None:
            if kb.findings[name].type == "bool":
                view[name] = False
            continue
        open_names.add(name)
    if not open_names:
        return ()
    needed: set[str] = set()
    for could_hold, reads_all, positive in _rule_reads(kb):
        reads = open_names.intersection(reads_all) - needed
        if not reads:
            continue
        # a rule of plain tests with none of its findings known is still open
        if (positive and view.keys().isdisjoint(reads_all)) or could_hold(view) is None:
            needed |= reads
    return tuple(n for n in kb.safety_order if n in needed)


_Reads = list[tuple[Tristate, frozenset[str], bool]]
_READS: dict[int, tuple[Knowledge, _Reads]] = {}


def _rule_reads(kb: Knowledge) -> _Reads:
    """Each rule's three-valued test, the findings it reads, and whether it is
    made of plain tests only (no "not", no "known"); worked out once per knowledge."""
    got = _READS.get(id(kb))
    if got is None or got[0] is not kb:
        if len(_READS) > 8:  # tests build patched knowledge; keep only a few
            _READS.clear()
        entries = [
            (
                compile_tristate(r.when),
                frozenset(findings_used(r.when)),
                not _reads_absence(r.when),
            )
            for r in kb.rules
        ]
        got = _READS[id(kb)] = (kb, entries)
    return got[1]


def _reads_absence(cond: Any) -> bool:
    """Whether a condition uses "not" or "known" (it may hold with nothing known)."""
    if not isinstance(cond, Mapping):
        return False
    for key, value in cond.items():
        if key == "not":
            return True
        if key in ("all", "any") and any(_reads_absence(c) for c in value):
            return True
        if isinstance(value, Mapping) and "known" in value:
            return True
    return False
