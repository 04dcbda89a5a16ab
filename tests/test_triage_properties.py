"""Properties of triage that must hold for every possible set of answers.

- Telling Unknot about one more thing that is present (a yes, a leg symptom in
  more legs, one more trigger or place) never lowers the level. The one
  exception is written in the policy itself: a few rows fire when there was
  *no* trigger ("blood thinner and sudden pain with no movement or strain to
  explain it"), so naming a trigger can explain the pain away. Those findings
  (read under "not" in triage_rules.yaml) are left out here and tested by
  name in tests/test_policy_v2.py.
- The order in which answers arrive never changes the result.
- An unknown finding or a value outside what the catalogue allows raises
  FindingsError naming that finding.

The catalogue comes from the knowledge base itself, so new findings are
covered without touching this file.
"""

from __future__ import annotations

import random
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from unknot.engine import FindingsError, assess
from unknot.knowledge import LEVEL_RANK, load_knowledge
from unknot.knowledge.models import FindingSpec

KB = load_knowledge()
CATALOGUE: dict[str, FindingSpec] = {
    name: spec for name, spec in KB.findings.items() if spec.group != "derived"
}
NAMES = sorted(CATALOGUE)
BOOLS = [n for n in NAMES if CATALOGUE[n].type == "bool"]
SETS = [n for n in NAMES if CATALOGUE[n].type == "set"]
# Enums whose first value is "none" are graded scales (none -> one_leg -> both_legs):
# a later value means more of the finding.
GRADED = [n for n in NAMES if CATALOGUE[n].type == "enum" and CATALOGUE[n].values[0] == "none"]
NUMBERS = [n for n in NAMES if CATALOGUE[n].type in ("int", "number")]
RANGED = [n for n in NUMBERS if CATALOGUE[n].min is not None or CATALOGUE[n].max is not None]

def _negated(cond: Any, inside: bool = False) -> set[str]:
    """Findings a condition reads under "not"."""
    if not isinstance(cond, dict):
        return set()
    out: set[str] = set()
    for key, value in cond.items():
        if key in ("all", "any"):
            for part in value:
                out |= _negated(part, inside)
        elif key == "not":
            out |= _negated(value, True)
        elif inside:
            out.add(key)
    return out


NEGATED = set().union(*(_negated(r.when) for r in KB.rules))
SETS_ADDED = [n for n in SETS if n not in NEGATED]

# No timing in tests: hypothesis' per-example deadline is switched off.
PROPERTY = settings(deadline=None, max_examples=300)


def values(spec: FindingSpec) -> st.SearchStrategy[Any]:
    """Any value the catalogue allows for one finding."""
    if spec.type == "bool":
        return st.booleans()
    if spec.type == "enum":
        return st.sampled_from(spec.values)
    if spec.type == "set":
        return st.lists(st.sampled_from(spec.values), unique=True)
    low = int(spec.min) if spec.min is not None else 0
    high = int(spec.max) if spec.max is not None else 1000
    if spec.type == "int":
        return st.integers(low, high)
    return st.integers(low, high) | st.floats(low, high, allow_nan=False)


@st.composite
def findings(draw: st.DrawFn, max_size: int = 12) -> dict[str, Any]:
    """A valid set of answers: a few findings, each with an allowed value.

    Kept small so that every level, self_care included, comes up often.
    """
    names = draw(st.lists(st.sampled_from(NAMES), unique=True, max_size=max_size))
    return {name: draw(values(CATALOGUE[name])) for name in names}


def rank(raw: dict[str, Any]) -> int:
    return LEVEL_RANK[assess(raw).level]


@st.composite
def with_one_more_present(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any], str]:
    """(before, after, what was added): ``after`` has one more present finding."""
    before = draw(findings())
    after = dict(before)
    kind = draw(st.sampled_from(["bool", "graded", "set"]))
    if kind == "bool":
        said_no = [n for n in BOOLS if before.get(n) is False]
        # Half the time turn an answered "no" into "yes": rules may read both.
        flip: bool = draw(st.booleans())
        pool = said_no if said_no and flip else BOOLS
        name = draw(st.sampled_from(pool))
        after[name] = True
        return before, after, f"{name} set true"
    if kind == "graded":
        name = draw(st.sampled_from(GRADED))
        scale = CATALOGUE[name].values
        current = scale.index(before.get(name, scale[0]))
        step = draw(st.integers(min(current + 1, len(scale) - 1), len(scale) - 1))
        after[name] = scale[step]
        return before, after, f"{name} raised to {scale[step]}"
    name = draw(st.sampled_from(SETS_ADDED))
    value = draw(st.sampled_from(CATALOGUE[name].values))
    after[name] = sorted({*before.get(name, []), value})
    return before, after, f"{value} added to {name}"


def test_the_catalogue_has_every_kind_of_finding_the_properties_use() -> None:
    assert BOOLS and SETS and RANGED
    assert {"leg_numbness", "leg_tingling", "leg_weakness"} <= set(GRADED)
    assert {"trigger", "location"} <= set(SETS)


@PROPERTY
@given(with_one_more_present())
def test_adding_a_present_finding_never_lowers_the_level(
    change: tuple[dict[str, Any], dict[str, Any], str],
) -> None:
    before, after, added = change
    level_before, level_after = assess(before).level, assess(after).level
    assert LEVEL_RANK[level_after] >= LEVEL_RANK[level_before], (
        f"{added} lowered the level from {level_before} to {level_after}; answers were {before}"
    )


def presences() -> list[tuple[str, Any]]:
    """Every way a finding can be present: a yes, a graded value above none, a set member."""
    found: list[tuple[str, Any]] = [(name, True) for name in BOOLS]
    found += [(name, value) for name in GRADED for value in CATALOGUE[name].values[1:]]
    found += [(name, value) for name in SETS_ADDED for value in CATALOGUE[name].values]
    return found


def absent(name: str) -> Any:
    """The explicit "no" answer for a finding."""
    spec = CATALOGUE[name]
    return False if spec.type == "bool" else [] if spec.type == "set" else spec.values[0]


def with_present(raw: dict[str, Any], name: str, value: Any) -> dict[str, Any]:
    out = dict(raw)
    spec = CATALOGUE[name]
    if spec.type == "set":
        out[name] = sorted({*out.get(name, []), value})
    elif spec.type == "enum":
        scale = spec.values
        out[name] = scale[max(scale.index(out.get(name, scale[0])), scale.index(value))]
    else:
        out[name] = value
    return out


def test_every_pair_of_present_findings_never_lowers_the_level() -> None:
    """Exhaustive over pairs: A present, B unknown or answered "no"; then B present too."""
    problems: list[str] = []
    cache: dict[str, int] = {}

    def cached_rank(raw: dict[str, Any]) -> int:
        key = repr(sorted(raw.items()))
        if key not in cache:
            cache[key] = rank(raw)
        return cache[key]

    for a_name, a_value in presences():
        for b_name, b_value in presences():
            first = with_present({}, a_name, a_value)
            for before in (first, {**first, b_name: first.get(b_name, absent(b_name))}):
                after = with_present(before, b_name, b_value)
                if cached_rank(after) < cached_rank(before):
                    problems.append(f"{before} -> {b_name}={b_value}")
    assert not problems, "adding a finding lowered the level:\n" + "\n".join(problems[:20])


@PROPERTY
@given(findings(max_size=40), st.randoms(use_true_random=False))
def test_the_order_of_answers_never_matters(raw: dict[str, Any], rng: random.Random) -> None:
    items = list(raw.items())
    rng.shuffle(items)
    shuffled = {
        name: rng.sample(value, len(value)) if isinstance(value, list) else value
        for name, value in items
    }
    first, second = assess(raw), assess(shuffled)
    assert first.level == second.level, f"order changed the level for {raw}"
    assert {c.id for c in first.concerns} == {c.id for c in second.concerns}
    assert {f.id for f in first.factors} == {f.id for f in second.factors}


@PROPERTY
@given(findings(), st.text(min_size=1, max_size=30).filter(lambda s: s not in CATALOGUE))
def test_an_unknown_finding_is_refused_by_name(raw: dict[str, Any], unknown: str) -> None:
    raw[unknown] = True
    try:
        assess(raw)
    except FindingsError as error:
        assert error.field == unknown, f"error names {error.field!r}, not {unknown!r}"
        assert unknown in str(error)
    else:
        raise AssertionError(f"unknown finding {unknown!r} was accepted")


@st.composite
def out_of_range(draw: st.DrawFn) -> tuple[str, Any]:
    """(finding, a value the catalogue does not allow for it)."""
    name = draw(st.sampled_from(NAMES))
    spec = CATALOGUE[name]
    if spec.type == "bool":
        return name, draw(st.integers(2, 1000) | st.sampled_from(["maybe", "often", [True]]))
    if spec.type in ("enum", "set"):
        bad = draw(st.text(min_size=1, max_size=20).filter(lambda s: s not in spec.values))
        return name, [bad] if spec.type == "set" else bad
    if spec.type == "int" and draw(st.booleans()):
        whole = draw(st.integers(int(spec.min or 0), int(spec.max or 1000) - 1))
        return name, whole + 0.5
    if name not in RANGED:
        return name, "lots"
    choices: list[st.SearchStrategy[int]] = []
    if spec.max is not None:
        choices.append(st.integers(int(spec.max) + 1, int(spec.max) + 10_000))
    if spec.min is not None:
        choices.append(st.integers(int(spec.min) - 10_000, int(spec.min) - 1))
    return name, draw(st.one_of(choices))


@PROPERTY
@given(findings(), out_of_range())
def test_a_value_out_of_range_is_refused_by_name(raw: dict[str, Any], bad: tuple[str, Any]) -> None:
    name, value = bad
    raw[name] = value
    try:
        assess(raw)
    except FindingsError as error:
        assert error.field == name, f"{name}={value!r}: error names {error.field!r}"
        assert name in str(error)
    else:
        raise AssertionError(f"{name}={value!r} was accepted")
