"""Plans that depend on the person (TRIAGE.md): what a person must never be
told, and what they must be told instead, read the way they would read it.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unknot.engine import Assessment, assess
from unknot.engine.results import AdviceResult
from unknot.knowledge import Knowledge

TODAY = date(2026, 3, 10)
ORDINARY = {
    "age": 40,
    "sex": "female",
    "trigger": ["bending"],
    "location": ["lower_back"],
    "days_since_onset": 1,
    "onset": "sudden",
}
NSAID_WORDS = re.compile(r"nsaid|ibuprofen|naproxen|diclofenac|anti-?inflammator", re.I)
HOLDS_BACK = re.compile(r"\b(not|no|never|avoid|unless|instead)\b", re.I)
FORWARD_BENDS = {"knee_to_chest", "childs_pose", "cat_cow"}
FORWARD_WORDS = re.compile(
    r"knee(s)? to (the |your )?chest|toe touch|touching your toes|child's pose", re.I
)
DOSE = re.compile(r"\d+(\.\d+)? ?(mg|milligrams?|mcg|micrograms?|ml|g)\b", re.I)


def items(result: Assessment) -> list[AdviceResult]:
    return [i for phase in result.relief_plan for i in phase.items] + list(result.prevention_plan)


def sentences(result: Assessment) -> list[tuple[str, str]]:
    out = []
    for item in items(result):
        for text in [item.title, item.text, item.why or "", *item.cautions]:
            out += [(item.id, s) for s in re.split(r"(?<=[.!?:])\s+", text) if s]
    return out


def recommended(result: Assessment, words: re.Pattern[str]) -> list[str]:
    """Sentences that name something without holding it back."""
    return [
        f"{i}: {s}" for i, s in sentences(result) if words.search(s) and not HOLDS_BACK.search(s)
    ]


def ids(result: Assessment) -> set[str]:
    return {i.id for i in items(result)}


def all_exercises(result: Assessment) -> set[str]:
    return set(result.exercises) | {e for i in items(result) for e in i.exercises}


# ---------------------------------------------------------------- NSAIDs


def test_an_ordinary_adult_is_offered_nsaids_so_the_checks_below_can_fail() -> None:
    result = assess(ORDINARY, today=TODAY)
    assert recommended(result, NSAID_WORDS)
    assert "relief.anti_inflammatories" in ids(result)


@pytest.mark.parametrize(
    ("finding", "reason_item", "why_words"),
    [
        ("anticoagulant", "relief.no_nsaids_blood_thinner", "bleeding"),
        ("kidney_disease", "relief.no_nsaids_kidneys", "kidney"),
        ("stomach_ulcer", "relief.no_nsaids_ulcer", "ulcer"),
        ("nsaid_asthma", "relief.no_nsaids_asthma", "asthma"),
        ("pregnant", "relief.medicines_pregnancy", "baby"),
    ],
)
def test_no_nsaids_and_the_reason_why(finding: str, reason_item: str, why_words: str) -> None:
    result = assess({**ORDINARY, finding: True}, today=TODAY)
    assert recommended(result, NSAID_WORDS) == []
    assert not ids(result) & {"relief.anti_inflammatories", "relief.rub_on_treatments"}
    shown = {i.id: i for i in items(result)}
    assert reason_item in shown, f"{finding}: the plan must say why NSAIDs are left out"
    assert why_words in (shown[reason_item].why or "").lower()


@settings(max_examples=40, deadline=None)
@given(
    st.fixed_dictionaries(
        {"anticoagulant": st.just(True)},
        optional={
            "age": st.integers(16, 95),
            "pregnant": st.booleans(),
            "onset": st.sampled_from(["sudden", "gradual"]),
            "days_since_onset": st.integers(0, 30),
            "osteoporosis": st.booleans(),
        },
    )
)
def test_a_blood_thinner_never_meets_nsaid_advice(findings: dict[str, Any]) -> None:
    result = assess(findings, today=TODAY)
    assert recommended(result, NSAID_WORDS) == []


# ---------------------------------------------------------------- children


def test_a_child_gets_words_for_the_carer_and_no_medicine_of_their_own() -> None:
    result = assess({**ORDINARY, "age": 12}, today=TODAY)
    plan = items(result)
    assert plan[0].id == "relief.for_parents" and "parent or carer" in plan[0].text
    texts = " ".join(s for _, s in sentences(result)).lower()
    assert "ask a pharmacist or doctor about a medicine and dose for a child" in texts
    assert recommended(result, re.compile(r"aspirin", re.I)) == []
    assert "never give aspirin to anyone under 16" in texts
    assert recommended(result, NSAID_WORDS) == []
    assert not re.search(r"muscle relaxant", texts)
    assert result.exercises, "exercises stay for children"
    assert "relief.build_strength" not in ids(result) and "relief.back_to_play" in ids(result)


def test_at_16_the_adult_plan_applies() -> None:
    result = assess({**ORDINARY, "age": 16}, today=TODAY)
    assert "relief.for_parents" not in ids(result)
    assert "relief.anti_inflammatories" in ids(result)
    assert "relief.muscle_relaxants" in ids(result)


# ---------------------------------------------------------------- thin bones


@pytest.mark.parametrize("bones", ["osteoporosis", "steroid_long_term"])
@pytest.mark.parametrize("pregnant", [False, True])
def test_thin_bones_get_no_forward_bending(bones: str, pregnant: bool) -> None:
    findings = {
        **ORDINARY,
        "trigger": ["prolonged_sitting"],
        bones: True,
        "pregnant": pregnant,
        "tight_hamstrings": True,
        "weak_core": True,
    }
    result = assess(findings, today=TODAY)
    assert not all_exercises(result) & FORWARD_BENDS
    assert recommended(result, FORWARD_WORDS) == []
    assert "walking" in result.exercises
    assert "relief.bone_care" in ids(result)


def test_without_thin_bones_knee_to_chest_is_offered_so_the_check_can_fail() -> None:
    result = assess({**ORDINARY, "trigger": ["prolonged_sitting"]}, today=TODAY)
    assert "knee_to_chest" in all_exercises(result)


# ---------------------------------------------------------------- pregnancy


def on_the_back(kb: Knowledge) -> set[str]:
    return {e.id for e in kb.exercises.values() if e.steps[0].startswith("Lie on your back")}


@pytest.mark.parametrize("weeks", [20, 24, 36, None])
def test_pregnancy_from_20_weeks_has_nothing_flat_on_the_back(
    kb: Knowledge, weeks: int | None
) -> None:
    findings: dict[str, Any] = {
        **ORDINARY,
        "pregnant": True,
        "weak_core": True,
        "tight_hamstrings": True,
        "swayback": True,
    }
    if weeks is not None:
        findings["pregnancy_weeks"] = weeks
    result = assess(findings, today=TODAY)
    assert not all_exercises(result) & on_the_back(kb)
    assert "side" in " ".join(
        i.text for i in items(result) if i.id == "relief.rest_position_pregnancy"
    )


def test_an_exercise_on_the_back_is_taken_out_whatever_item_names_it(kb: Knowledge) -> None:
    """The exercise's own avoid_when applies even to items that do not know about it."""
    assert kb.compiled["avoid:bridge"]({"pregnant": True, "pregnancy_weeks": 20}) is not None
    assert kb.compiled["avoid:bridge"]({"pregnant": True, "pregnancy_weeks": 19}) is None
    assert kb.compiled["avoid:knee_to_chest"]({"osteoporosis": True}) is not None


# ---------------------------------------------------------------- never a dose


def test_no_advice_text_anywhere_gives_a_dose(kb: Knowledge) -> None:
    texts: list[tuple[str, str]] = []
    for item in kb.relief + kb.prevention:
        texts += [(item.id, t) for t in [item.title, item.text, item.why or "", *item.cautions]]
    for rule in kb.rules:
        texts += [(rule.id, rule.explanation), (rule.id, rule.action)]
    for ex in kb.exercises.values():
        texts += [(ex.id, t) for t in [ex.purpose, *ex.steps, *ex.cautions]]
    doses = [f"{i}: {t}" for i, t in texts if DOSE.search(t)]
    assert not doses, doses


def test_the_dose_pattern_would_catch_a_dose() -> None:
    assert DOSE.search("take 400 mg three times a day")
    assert DOSE.search("200mg")
    assert not DOSE.search("15 to 20 minutes, two or three pillows")


@pytest.mark.parametrize(
    "who",
    [
        {"age": 8},
        {"age": 15},
        {"age": 80},
        {"pregnant": True},
        {"anticoagulant": True},
        {"osteoporosis": True},
        {"kidney_disease": True},
    ],
)
def test_no_plan_gives_a_dose(who: dict[str, Any]) -> None:
    result = assess({**ORDINARY, **who}, today=TODAY)
    assert not [s for _, s in sentences(result) if DOSE.search(s)]


# ---------------------------------------------------------------- knowledge check


def test_the_check_reports_an_advice_case_that_disagrees(kb: Knowledge) -> None:
    """`unknot knowledge check` runs the worked cases of advice with only "unless" too."""
    import dataclasses

    from unknot.engine.check import check_knowledge

    item = next(i for i in kb.relief if i.id == "relief.anti_inflammatories")
    flipped = [c.model_copy(update={"fires": not c.fires}) for c in item.cases[:1]]
    broken = item.model_copy(update={"cases": flipped})
    relief = [broken if i.id == item.id else i for i in kb.relief]
    problems = check_knowledge(dataclasses.replace(kb, relief=relief))
    assert any(p.startswith("relief.anti_inflammatories: worked case 1") for p in problems)


def test_the_check_reports_an_exercise_case_that_disagrees(kb: Knowledge) -> None:
    import dataclasses

    from unknot.engine.check import check_knowledge

    ex = kb.exercises["knee_to_chest"]
    flipped = [c.model_copy(update={"fires": not c.fires}) for c in ex.cases[:1]]
    exercises = {**kb.exercises, ex.id: ex.model_copy(update={"cases": flipped})}
    problems = check_knowledge(dataclasses.replace(kb, exercises=exercises))
    assert any(p.startswith("knee_to_chest: worked case 1") for p in problems)
