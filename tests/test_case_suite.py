"""Unknot's own clinical case suite (tests/cases/*.yaml) run through the engine.

Each case was written by hand from the triage policy and the contributing
factor table: the expected level must match exactly, and every expected
concern and factor must be named (the result may name more). The cases live
in this repository; nothing here reads the shared development vignettes.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from unknot.engine import Assessment, assess
from unknot.knowledge import LEVELS, load_knowledge

CASES_DIR = Path(__file__).parent / "cases"
CASE_KEYS = {"id", "narrative", "findings", "expect"}
EXPECT_KEYS = {"level", "concerns", "factors"}

# Below a threshold the factor must NOT be named. The case format can only say
# what must be named, so the other side of each factor boundary lives here.
MUST_NOT_NAME: dict[str, dict[str, list[str]]] = {
    "bd-glasses6": {"factors": ["dehydration"]},
    "bd-sitting5": {"factors": ["prolonged_position"]},
    "bd-exercise2": {"factors": ["sedentary_lifestyle"]},
    "bd-exercise5-average-fitness": {"factors": ["muscle_fatigue"]},
    "bd-exercise6-good-fitness": {"factors": ["muscle_fatigue"]},
    "bd-bmi-29-9": {"factors": ["excess_weight"]},
    "bd-day3-improving": {"concerns": ["not_improving"]},
    "bd-age69-minor-fall": {"concerns": ["fracture"]},
    "bd-age45-inflammatory": {"concerns": ["inflammatory_back_pain"]},
    "bd-episodes2": {"concerns": ["recurrent_spasms"]},
    "bd-osteoporosis-gradual-onset": {"concerns": ["fracture"]},
    "bd-leg-tingling-one-leg": {"concerns": ["cauda_equina"]},
    "nr-sneeze-trigger-only": {"concerns": ["nerve_root"]},
    "ev-golf-swing-72": {"concerns": ["fracture"]},
    "v2-sciatica-one-leg": {"concerns": ["cauda_equina"]},
    "v2-age49-constant": {"concerns": ["age_risk"]},
    "v2-apixaban-lifting": {"concerns": ["bleeding"]},
    "v2-flank-only": {"concerns": ["kidney_stone"]},
}


def load_cases() -> list[tuple[str, dict[str, Any]]]:
    """Every case in tests/cases, as (file name, case), in file order."""
    cases: list[tuple[str, dict[str, Any]]] = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert isinstance(loaded, list), f"{path.name}: expected a list of cases"
        cases.extend((path.name, case) for case in loaded)
    return cases


CASES = load_cases()
CASE_IDS = [str(case.get("id", f"{file}#{i}")) for i, (file, case) in enumerate(CASES)]


def named(result: Assessment) -> tuple[list[str], list[str]]:
    """(concern ids, factor ids) that an assessment names."""
    return [c.id for c in result.concerns], [f.id for f in result.factors]


def describe(case_id: str, file: str, result: Assessment) -> str:
    concerns, factors = named(result)
    return (
        f"case {case_id} ({file}): got level {result.level}, "
        f"concerns {concerns or 'none'}, factors {factors or 'none'}"
    )


@pytest.mark.parametrize(("file", "case"), CASES, ids=CASE_IDS)
def test_case_gets_the_expected_level_concerns_and_factors(file: str, case: dict[str, Any]) -> None:
    expect = case["expect"]
    result = assess(case["findings"])
    concerns, factors = named(result)
    context = describe(case["id"], file, result)

    assert result.level == expect["level"], f"expected level {expect['level']}; {context}"
    missing_concerns = [c for c in expect.get("concerns", []) if c not in concerns]
    assert not missing_concerns, f"concerns not named: {missing_concerns}; {context}"
    missing_factors = [f for f in expect.get("factors", []) if f not in factors]
    assert not missing_factors, f"factors not named: {missing_factors}; {context}"


@pytest.mark.parametrize("case_id", sorted(MUST_NOT_NAME))
def test_below_a_threshold_nothing_is_named(case_id: str) -> None:
    assert case_id in CASE_IDS, f"MUST_NOT_NAME names a case that does not exist: {case_id}"
    file, case = CASES[CASE_IDS.index(case_id)]
    result = assess(case["findings"])
    concerns, factors = named(result)
    forbidden = MUST_NOT_NAME[case_id]
    wrong = [c for c in forbidden.get("concerns", []) if c in concerns]
    wrong += [f for f in forbidden.get("factors", []) if f in factors]
    assert not wrong, f"named {wrong} though below the threshold; {describe(case_id, file, result)}"


def test_every_case_has_the_vignette_format() -> None:
    problems: list[str] = []
    for case_id, (file, case) in zip(CASE_IDS, CASES, strict=True):
        if set(case) != CASE_KEYS:
            problems.append(f"{case_id} ({file}): keys {sorted(case)}, want {sorted(CASE_KEYS)}")
            continue
        expect = case["expect"]
        if not set(expect) <= EXPECT_KEYS or expect.get("level") not in LEVELS:
            problems.append(f"{case_id} ({file}): bad expect {expect}")
        if not isinstance(case["narrative"], str) or len(case["narrative"].split()) < 4:
            problems.append(f"{case_id} ({file}): narrative missing or too short")
        if not isinstance(case["findings"], dict) or not case["findings"]:
            problems.append(f"{case_id} ({file}): findings must be a non-empty mapping")
    duplicates = [cid for cid, n in Counter(CASE_IDS).items() if n > 1]
    assert not duplicates, f"duplicate case ids: {duplicates}"
    assert not problems, "\n".join(problems)


def test_every_concern_has_at_least_three_cases() -> None:
    kb = load_knowledge()
    counts = Counter(c for _, case in CASES for c in case["expect"].get("concerns", []))
    thin = {c: counts[c] for c in sorted({r.concern for r in kb.rules}) if counts[c] < 3}
    assert not thin, f"concerns with fewer than three cases: {thin}"


def test_every_factor_and_level_is_exercised() -> None:
    kb = load_knowledge()
    counts = Counter(f for _, case in CASES for f in case["expect"].get("factors", []))
    unused = [f.id for f in kb.factors if counts[f.id] == 0]
    assert not unused, f"factors no case expects: {unused}"
    levels = Counter(case["expect"]["level"] for _, case in CASES)
    assert all(levels[level] >= 3 for level in LEVELS), f"cases per level: {dict(levels)}"
