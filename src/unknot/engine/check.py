"""``unknot knowledge check``: lint the knowledge base beyond what loading checks.

Loading already rejects unknown findings, bad values, missing citations and
dangling references. This adds whole-base checks: coverage of concerns and
factors, worked cases, reachable questions, sources used, and (optionally)
agreement with an external finding vocabulary such as the shared clinical
``findings.yaml``.

It lives in the engine, not in the knowledge package, because it runs each
worked case through the engine's own checks: knowledge imports nothing above it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..knowledge import Knowledge
from ..knowledge.conditions import findings_used
from .derived import with_derived
from .findings import validate_findings

VOCAB_SECTIONS = ("levels", "concerns", "factors")


def check_knowledge(kb: Knowledge, vocabulary: Mapping[str, Any] | None = None) -> list[str]:
    """Every problem found, as one readable line each (empty list: all good)."""
    problems: list[str] = []
    problems += _coverage(kb)
    problems += _worked_cases(kb)
    problems += _questions(kb)
    problems += _sources_used(kb)
    if vocabulary is not None:
        problems += _against(kb, vocabulary)
    return problems


def _coverage(kb: Knowledge) -> list[str]:
    out = []
    ruled = {r.concern for r in kb.rules}
    out += [f"concern '{c}' has no triage rule" for c in kb.concerns if c not in ruled]
    answered = {a for item in kb.prevention for a in item.answers}
    out += [f"factor '{f.id}' has no prevention advice" for f in kb.factors if f.id not in answered]
    return out


def _worked_cases(kb: Knowledge) -> list[str]:
    out = []
    checks: list[tuple[str, str, Any]] = [(f"rule:{r.id}", r.id, r.cases) for r in kb.rules]
    checks += [(f"factor:{f.id}", f.id, f.cases) for f in kb.factors]
    advice = kb.relief + kb.prevention
    checks += [(f"applies:{i.id}", i.id, i.cases) for i in advice if i.cases]
    checks += [(f"avoid:{e.id}", e.id, e.cases) for e in kb.exercises.values() if e.avoid_when]
    out += [
        f"{i.id}: shows only to some people (when/unless) but has no worked case"
        for i in advice
        if (i.when or i.unless) and not i.cases
    ]
    out += [
        f"exercise {e.id}: has avoid_when but no worked case"
        for e in kb.exercises.values()
        if e.avoid_when and not e.cases
    ]
    for key, ident, cases in checks:
        for n, case in enumerate(cases, 1):
            try:
                facts = with_derived(validate_findings(case.findings, kb))
            except ValueError as exc:
                out.append(f"{ident}: worked case {n} is invalid ({exc})")
                continue
            fired = _fires(kb, key, facts)
            if fired != case.fires:
                out.append(f"{ident}: worked case {n} expected fires={case.fires}, got {fired}")
    return out


def _fires(kb: Knowledge, key: str, facts: Mapping[str, Any]) -> bool:
    """Whether a rule/factor fires, or an advice item applies (when and not unless)."""
    if not key.startswith("applies:"):
        return kb.compiled[key](facts) is not None
    ident = key.removeprefix("applies:")
    when, unless = kb.compiled.get(f"when:{ident}"), kb.compiled.get(f"unless:{ident}")
    if when is not None and when(facts) is None:
        return False
    return unless is None or unless(facts) is None


def _questions(kb: Knowledge) -> list[str]:
    out = []
    settable: set[str] = set()
    for screen in kb.screens:
        conds = [screen.ask_when] + [c for f in screen.fields for c in (f.ask_when, f.skip_when)]
        for cond in conds:
            if cond is None:
                continue
            never = sorted(n for n in findings_used(cond) if n not in settable)
            if (
                never
                and cond is not None
                and cond in [screen.ask_when] + [f.ask_when for f in screen.fields]
            ):
                out.append(
                    f"question '{screen.id}' depends on {never}, which no earlier screen asks: "
                    "it can never be reached"
                )
        for fld in screen.fields:
            settable |= set(fld.covers())
    for name, spec in kb.findings.items():
        if spec.group == "derived":
            missing = [d for d in spec.derived_from if d not in settable]
            if missing:
                out.append(f"derived finding '{name}' needs {missing}, which no screen asks")
        elif name not in settable:
            out.append(f"finding '{name}' is not asked by any screen")
    return out


def _sources_used(kb: Knowledge) -> list[str]:
    cited: set[str] = set()
    groups: list[Any] = [kb.rules, kb.factors, kb.relief, kb.prevention, kb.checkpoints]
    groups.append(list(kb.exercises.values()))
    for group in groups:
        for item in group:
            cited |= set(item.citations)
    return [
        f"seed article '{s.file}' ({s.id}) is not cited by any rule or advice"
        for s in kb.sources.values()
        if s.kind == "seed_article" and s.id not in cited
    ]


def _against(kb: Knowledge, vocab: Mapping[str, Any]) -> list[str]:
    out = []
    for group, entries in vocab.items():
        if group in VOCAB_SECTIONS or not isinstance(entries, Mapping):
            continue
        for name, spec in entries.items():
            mine = kb.findings.get(name)
            if mine is None:
                out.append(f"vocabulary finding '{name}' is unknown to Unknot")
                continue
            if isinstance(spec, Mapping):
                if spec.get("type") and spec["type"] != mine.type:
                    out.append(
                        f"finding '{name}': type {mine.type}, vocabulary says {spec['type']}"
                    )
                if spec.get("values") and list(spec["values"]) != mine.values:
                    out.append(f"finding '{name}': values differ from the vocabulary")
    out += [
        f"vocabulary concern '{c}' is unknown to Unknot"
        for c in vocab.get("concerns", [])
        if c not in kb.concerns
    ]
    factor_ids = {f.id for f in kb.factors}
    out += [
        f"vocabulary factor '{f}' has no factor rule"
        for f in vocab.get("factors", [])
        if f not in factor_ids
    ]
    out += [
        f"vocabulary level '{lv}' is unknown"
        for lv in vocab.get("levels", {})
        if lv not in kb.levels
    ]
    return out
