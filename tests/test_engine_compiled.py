"""The engine's compiled form decides exactly as the conditions read one by one.

The engine asks the triage rules and the factors which hold, and which safety
questions could still change the result, through Python generated from the
knowledge's YAML (``unknot.knowledge.codegen``), and builds its results without
validation (``Shape.of``). For any findings whatever, those answers must be the
ones the plain reading gives:

- the rules and factors that hold are those the rule index offers whose
  compiled closure holds (the closures are what ``knowledge check`` runs the
  worked cases through);
- the unanswered safety questions are those some rule reads whose three-valued
  reading (``compile_tristate``) is still undecided, as the policy says;
- the assessment the engine builds is the one the validated model reads back
  from its own JSON: same level, concerns, completeness, unanswered, doubtful.

The findings are drawn from the catalogue itself, numbers near every threshold
the conditions use, so a new finding or rule is covered without editing this file.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from unknot.engine import Assessment, assess
from unknot.engine.derived import with_derived
from unknot.engine.triage import unanswered_safety
from unknot.knowledge import load_knowledge
from unknot.knowledge.conditions import compile_tristate, findings_used
from unknot.knowledge.models import FindingSpec

KB = load_knowledge()
CATALOGUE: dict[str, FindingSpec] = {
    name: spec for name, spec in KB.findings.items() if spec.group != "derived"
}
NAMES = sorted(CATALOGUE)
# the safety questions, asked first, so that most drawn sets read several of them
SAFETY = [n for n in NAMES if CATALOGUE[n].safety]


def _bounds(cond: Any, out: dict[str, set[float]]) -> None:
    """Every number a condition compares a finding with."""
    if not isinstance(cond, Mapping):
        return
    for key, value in cond.items():
        if key in ("all", "any"):
            for part in value:
                _bounds(part, out)
        elif key == "not":
            _bounds(value, out)
        elif isinstance(value, Mapping):
            out.setdefault(key, set()).update(
                v for k, v in value.items() if k != "known" and not isinstance(v, bool)
            )


EDGES: dict[str, set[float]] = {}
for _item in [*KB.rules, *KB.factors, *KB.relief, *KB.prevention]:
    for _cond in (getattr(_item, "when", None), getattr(_item, "unless", None)):
        _bounds(_cond, EDGES)


def value_of(spec: FindingSpec) -> st.SearchStrategy[Any]:
    if spec.type == "bool":
        return st.booleans()
    if spec.type == "enum":
        return st.sampled_from(spec.values)
    if spec.type == "set":
        return st.frozensets(st.sampled_from(spec.values), min_size=1)
    low = spec.min if spec.min is not None else 0
    high = spec.max if spec.max is not None else 200
    near = sorted(
        {e + d for e in EDGES.get(spec.name, ()) for d in (-1, 0, 1) if low <= e + d <= high}
    )
    if spec.type == "int":
        whole = st.integers(int(low), int(high))
        return st.one_of(st.sampled_from([int(n) for n in near]), whole) if near else whole
    real = st.floats(low, high, allow_nan=False, allow_infinity=False)
    return st.one_of(st.sampled_from(near), real) if near else real


findings_st = st.lists(st.sampled_from(SAFETY + NAMES), max_size=14, unique=True).flatmap(
    lambda names: st.fixed_dictionaries({n: value_of(CATALOGUE[n]) for n in names})
)


def holding_by_closures(items: list[Any], kind: str, facts: dict[str, Any]) -> list[int]:
    index = KB.rule_index if kind == "rule" else KB.factor_index
    offered = {id(entry[0]) for entry in index.candidates(facts)}
    return [
        i
        for i, item in enumerate(items)
        if id(item) in offered and KB.compiled[f"{kind}:{item.id}"](facts) is not None
    ]


def unanswered_by_tristate(findings: dict[str, Any]) -> tuple[str, ...]:
    """The policy read plainly: a safety question nobody answered (and that applies
    to this person) is open while some rule reading it is still undecided."""
    view = dict(findings)
    open_names = []
    for name in KB.safety_order:
        if view.get(name) is not None:
            continue
        skip = KB.compiled.get(f"skip:{name}")
        if skip is not None and skip(view) is not None:
            if KB.findings[name].type == "bool":
                view[name] = False
            continue
        open_names.append(name)
    needed: set[str] = set()
    for rule in KB.rules:
        if compile_tristate(rule.when)(view) is None:
            needed |= findings_used(rule.when)
    return tuple(n for n in open_names if n in needed)


@settings(max_examples=400, deadline=None)
@given(findings_st)
def test_generated_rules_and_factors_hold_exactly_when_the_closures_do(
    findings: dict[str, Any],
) -> None:
    facts = with_derived(findings)
    assert KB.rules_holding(facts) == holding_by_closures(KB.rules, "rule", facts)
    assert KB.factors_holding(facts) == holding_by_closures(KB.factors, "factor", facts)


@settings(max_examples=400, deadline=None)
@given(findings_st)
def test_unanswered_safety_questions_are_the_undecided_rules_findings(
    findings: dict[str, Any],
) -> None:
    facts = with_derived(findings)
    assert unanswered_safety(facts, KB) == unanswered_by_tristate(facts)


DOUBTABLE = [
    n
    for n in SAFETY
    if CATALOGUE[n].type == "bool"
    or (CATALOGUE[n].type == "enum" and "none" in CATALOGUE[n].values)
]


@settings(max_examples=200, deadline=None)
@given(findings_st, st.lists(st.sampled_from(DOUBTABLE), max_size=2, unique=True))
def test_the_built_assessment_is_what_the_model_reads_back(
    findings: dict[str, Any], doubtful: list[str]
) -> None:
    built = assess(findings, doubtful=doubtful, today=date(2026, 5, 4), kb=KB)
    checked = Assessment.model_validate_json(built.to_json())
    assert checked == built
    assert (checked.level, checked.concerns, checked.complete) == (
        built.level,
        built.concerns,
        built.complete,
    )
    assert (checked.unanswered, checked.doubtful) == (built.unanswered, built.doubtful)
