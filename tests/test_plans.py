"""The relief plan, the prevention plan and the exercise library, as a person sees them."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from unknot.engine import assess
from unknot.engine.derived import with_derived
from unknot.engine.findings import validate_findings
from unknot.engine.results import AdviceResult, Assessment
from unknot.knowledge import Knowledge
from unknot.knowledge import loader as loader_module
from unknot.knowledge.models import AdviceItem

DATA_DIR = Path(loader_module.__file__).parent / "data"
SVG_NS = "{http://www.w3.org/2000/svg}"

# Someone with an ordinary spasm: bent over yesterday, nothing worrying.
ORDINARY = {
    "age": 35,
    "sex": "male",
    "onset": "sudden",
    "days_since_onset": 1,
    "trigger": ["bending"],
    "pain_trend": "improving",
}


def relief_items(result: Assessment) -> list[AdviceResult]:
    return [item for phase in result.relief_plan for item in phase.items]


def shown_ids(result: Assessment) -> set[str]:
    return {i.id for i in relief_items(result)} | {i.id for i in result.prevention_plan}


def all_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for v in value.values():
            yield from all_strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from all_strings(v)


# ------------------------------------------------------------------ no doses

_NUMBER = r"(?:\d+(?:[.,]\d+)?|one|two|three|four|five|six|eight|half an?)"
_UNITS = r"mg|mcg|µg|ug|g|ml|iu|milligrams?|micrograms?|grams?|millilit(?:re|er)s?"
_FORMS = r"tablet|pill|capsule|caplet|sachet|teaspoon|spoonful|puff"
DOSE_PATTERNS = [
    re.compile(pattern, re.I)
    for pattern in (
        rf"\b\d+(?:[.,]\d+)?\s*(?:{_UNITS})\b",
        rf"\b{_NUMBER}\s+(?:{_FORMS})s?\b",
        r"\b(?:tablet|pill|capsule|dose)s?\s+(?:a|per|each|every)\s+(?:day|hour|night)",
        r"\bevery\s+\d+(?:\s*(?:-|to)\s*\d+)?\s+hours?\b",
        r"\b(?:once|twice|\d+\s+times)\s+daily\b",
        rf"\b(?:up to|maximum of|no more than)\s+\d+\s*(?:(?:{_FORMS})s?|mg|doses?)\b",
    )
]


def mentions_a_dose(text: str) -> bool:
    return any(p.search(text) for p in DOSE_PATTERNS)


@pytest.mark.parametrize(
    "text",
    [
        "Take 400 mg with food.",
        "Two tablets every 4 to 6 hours.",
        "up to 3 tablets a day",
        "10ml of the syrup",
        "one capsule twice daily",
        "no more than 8 tablets",
    ],
)
def test_the_dose_check_catches_doses(text: str) -> None:
    assert mentions_a_dose(text)


@pytest.mark.parametrize(
    "text",
    ["Use heat for 15 to 20 minutes.", "Six to eight glasses of water.", "Hold for 30 seconds."],
)
def test_the_dose_check_leaves_ordinary_numbers_alone(text: str) -> None:
    assert not mentions_a_dose(text)


def test_no_knowledge_text_anywhere_mentions_a_medicine_dose() -> None:
    offending = []
    for path in sorted(DATA_DIR.glob("*.yaml")):
        for text in all_strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
            if mentions_a_dose(text):
                offending.append(f"{path.name}: {text[:80]}")
    assert offending == []


# -------------------------------------------------------------- prevention


def test_every_contributing_factor_is_answered_by_a_prevention_item(kb: Knowledge) -> None:
    answered = {a for item in kb.prevention for a in item.answers}
    assert [f.id for f in kb.factors if f.id not in answered] == []


def test_an_office_worker_gets_advice_for_their_own_factors() -> None:
    worker = {
        **ORDINARY,
        "sitting_hours_per_day": 9,
        "water_glasses_per_day": 3,
        "slouching_posture": True,
    }
    result = assess(worker, today=date(2025, 3, 10))
    factors = {f.id for f in result.factors}
    assert {"prolonged_position", "dehydration", "poor_posture"} <= factors
    answered = {a for item in result.prevention_plan for a in item.answers}
    assert {"prolonged_position", "dehydration", "poor_posture"} <= answered
    ids = [i.id for i in result.prevention_plan]
    assert "prevention.workstation" in ids and "prevention.posture_checks" in ids
    # Advice for factors this person does not have is left out.
    assert "prevention.minerals" not in ids and "prevention.circulation_check" not in ids


@pytest.mark.parametrize(
    "findings, factor",
    [
        ({"low_mineral_diet": True}, "mineral_deficiency"),
        ({"leg_cramps_walking": True}, "narrowed_arteries"),
        ({"sleeps_face_down": True}, "sleep_setup"),
        ({"height_cm": 170, "weight_kg": 98}, "excess_weight"),
        ({"known_spine_condition": ["spinal_stenosis"]}, "spine_condition"),
        ({"exercise_in_heat": True}, "heat_and_electrolytes"),
        ({"stress_level": "high"}, "stress"),
        ({"lifts_with_bent_back": True}, "poor_lifting_technique"),
        ({"new_activity_recent": True}, "new_activity"),
        ({"tight_hamstrings": True}, "tight_hamstrings"),
        ({"heavy_lifting_work": True}, "overuse"),
        ({"trigger": ["minor_fall"]}, "trauma"),
    ],
)
def test_a_person_with_a_factor_gets_an_item_that_answers_it(
    findings: dict[str, Any], factor: str
) -> None:
    result = assess({**ORDINARY, **findings}, today=date(2025, 3, 10))
    assert factor in {f.id for f in result.factors}
    answering = [i for i in result.prevention_plan if factor in i.answers]
    assert answering, f"nothing in the prevention plan answers {factor}"


def test_advice_for_the_persons_factors_comes_before_general_habits(kb: Knowledge) -> None:
    result = assess({**ORDINARY, "low_mineral_diet": True}, today=date(2025, 3, 10))
    ids = [i.id for i in result.prevention_plan]
    general = {i.id for i in kb.prevention if i.general}
    assert ids.index("prevention.minerals") < min(ids.index(g) for g in general if g in ids)


def test_everyone_gets_a_few_general_habits_with_reminders(kb: Knowledge) -> None:
    result = assess(ORDINARY, today=date(2025, 3, 10))
    ids = {i.id for i in result.prevention_plan}
    assert {"prevention.hydration", "prevention.movement_breaks"} <= ids
    reminders = {i.id for i in kb.prevention if i.reminder}
    assert {
        "prevention.hydration",
        "prevention.movement_breaks",
        "prevention.daily_stretching",
    } <= reminders


# ----------------------------------------------------------------- relief


def test_relief_phases_are_dated_from_the_start_of_the_episode() -> None:
    result = assess({**ORDINARY, "days_since_onset": 4}, today=date(2025, 3, 10))
    assert result.onset_date == date(2025, 3, 6)
    dates = {p.id: (p.starts, p.ends) for p in result.relief_plan}
    assert dates["first_48_hours"] == (date(2025, 3, 6), date(2025, 3, 8))
    assert dates["days_3_to_7"] == (date(2025, 3, 9), date(2025, 3, 13))
    assert dates["after_a_week"] == (date(2025, 3, 14), None)
    assert [p.id for p in result.relief_plan] == [
        "now",
        "first_48_hours",
        "days_3_to_7",
        "after_a_week",
    ]


def test_the_relief_plan_covers_every_step_of_recovery() -> None:
    result = assess(ORDINARY, today=date(2025, 3, 10))
    ids = {i.id for i in relief_items(result)}
    assert {
        "relief.stop_activity",
        "relief.rest_position",
        "relief.heat",
        "relief.gentle_stretches",
        "relief.massage",
        "relief.anti_inflammatories",
        "relief.paracetamol_alone",
        "relief.muscle_relaxants",
        "relief.sleep_setup",
        "relief.more_movement",
        "relief.physiotherapy",
        "relief.back_to_sport",
    } <= ids


def test_heat_advice_gives_time_and_skin_care(kb: Knowledge) -> None:
    heat = next(i for i in kb.relief if i.id == "relief.heat")
    words = " ".join([heat.text, *heat.cautions]).lower()
    for needed in ("15 to 20 minutes", "cloth", "skin", "asleep"):
        assert needed in words, needed


def test_nsaid_advice_names_its_cautions(kb: Knowledge) -> None:
    item = next(i for i in kb.relief if i.id == "relief.anti_inflammatories")
    cautions = " ".join(item.cautions).lower()
    for risk in ("stomach", "kidney", "asthma", "heart", "blood thinners", "pregnancy"):
        assert risk in cautions, risk
    assert "smallest amount" in item.text and "few days" in item.text


@pytest.mark.parametrize(
    "item_id",
    [
        "relief.rest_position",
        "relief.keep_moving",
        "relief.heat",
        "relief.ice_fresh_strain",
        "relief.paracetamol_alone",
    ],
)
def test_advice_that_departs_from_a_seed_article_says_why(kb: Knowledge, item_id: str) -> None:
    item = next(i for i in kb.relief if i.id == item_id)
    assert item.why and re.search(r"\barticles? we used\b", item.why)
    assert re.search(r"NICE|Cochrane|American College", item.why)


NSAID_WORDS = re.compile(r"nsaid|ibuprofen|naproxen|anti-?inflammator", re.I)
HOLDS_BACK = re.compile(r"\b(not|avoid|avoided|never|unless)\b", re.I)


def nsaid_recommendations(result: Assessment) -> list[str]:
    """Sentences shown to the person that name an NSAID without holding it back."""
    found = []
    for item in [*relief_items(result), *result.prevention_plan]:
        for text in [item.text, item.why or "", *item.cautions]:
            for sentence in re.split(r"(?<=[.!?])\s+", text):
                if NSAID_WORDS.search(sentence) and not HOLDS_BACK.search(sentence):
                    found.append(f"{item.id}: {sentence}")
    return found


def test_the_nsaid_detector_finds_the_advice_given_when_not_pregnant() -> None:
    assert nsaid_recommendations(assess({**ORDINARY, "pregnant": False}))


@settings(max_examples=60, deadline=None)
@given(
    extra=st.fixed_dictionaries(
        {},
        optional={
            "age": st.integers(16, 50),
            "days_since_onset": st.integers(0, 20),
            "trigger": st.lists(st.sampled_from(["lifting", "bending", "exercise", "sport"])),
            "onset": st.sampled_from(["sudden", "gradual"]),
            "weak_core": st.booleans(),
            "tight_hamstrings": st.booleans(),
            "stress_level": st.sampled_from(["low", "high"]),
        },
    )
)
def test_a_pregnant_person_never_gets_nsaid_advice(extra: dict[str, Any]) -> None:
    result = assess({**extra, "sex": "female", "pregnant": True}, today=date(2025, 3, 10))
    ids = shown_ids(result)
    assert result.relief_plan, "a pregnant person with a spasm still gets a relief plan"
    assert {"relief.medicines_pregnancy", "relief.sleep_setup_pregnancy"} <= ids
    assert not ids & {"relief.anti_inflammatories", "relief.rub_on_treatments"}
    assert nsaid_recommendations(result) == []


def test_a_pregnant_person_gets_no_exercise_done_lying_on_the_back(kb: Knowledge) -> None:
    on_back = {e.id for e in kb.exercises.values() if e.steps[0].startswith("Lie on your back")}
    assert on_back, "the library has back-lying exercises to leave out"
    result = assess(
        {
            **ORDINARY,
            "sex": "female",
            "age": 30,
            "pregnant": True,
            "weak_core": True,
            "tight_hamstrings": True,
        }
    )
    assert result.exercises
    assert not set(result.exercises) & on_back


def test_an_older_person_gets_the_age_cautions() -> None:
    result = assess({**ORDINARY, "age": 72})
    ids = shown_ids(result)
    assert {"relief.medicines_older", "relief.heat_cold_older_skin"} <= ids
    assert not {"relief.medicines_older", "relief.heat_cold_older_skin"} & shown_ids(
        assess(ORDINARY)
    )


def test_an_emergency_gets_no_self_care_plan() -> None:
    result = assess({**ORDINARY, "saddle_numbness": True})
    assert result.level == "emergency"
    assert result.relief_plan == () and result.prevention_plan == ()


# ------------------------------------------------------------ worked cases


def conditional_items(kb: Knowledge) -> list[AdviceItem]:
    return [i for i in [*kb.relief, *kb.prevention] if i.when is not None or i.unless is not None]


def applies(item: AdviceItem, facts: Mapping[str, Any], kb: Knowledge) -> bool:
    if item.when is not None and kb.condition(f"when:{item.id}")(facts) is None:
        return False
    return item.unless is None or kb.condition(f"unless:{item.id}")(facts) is None


def test_every_conditional_item_has_worked_cases_both_ways(kb: Knowledge) -> None:
    for item in conditional_items(kb):
        outcomes = {case.fires for case in item.cases}
        assert outcomes == {True, False}, item.id


def test_worked_cases_of_conditional_advice(kb: Knowledge) -> None:
    for item in conditional_items(kb):
        for n, case in enumerate(item.cases, 1):
            facts = with_derived(validate_findings(case.findings, kb))
            assert applies(item, facts, kb) == case.fires, f"{item.id} case {n}"


def test_worked_cases_show_up_in_the_plans_a_person_gets(kb: Knowledge) -> None:
    """Through the whole engine: an item whose case fires is in the plan, and vice versa."""
    for item in conditional_items(kb):
        for n, case in enumerate(item.cases, 1):
            result = assess(case.findings, today=date(2025, 3, 10))
            assert result.level != "emergency", f"{item.id} case {n} should allow a plan"
            factor_ids = {f.id for f in result.factors}
            reachable = (
                item.phase is not None or item.general or bool(factor_ids & set(item.answers))
            )
            if reachable:
                assert (item.id in shown_ids(result)) == case.fires, f"{item.id} case {n}"
            elif case.fires is False:
                assert item.id not in shown_ids(result), f"{item.id} case {n}"


# --------------------------------------------------------------- exercises


def test_every_exercise_image_exists_and_is_a_small_accessible_svg(kb: Knowledge) -> None:
    for ex in kb.exercises.values():
        path = DATA_DIR / "exercises" / ex.image
        assert path.is_file(), ex.image
        raw = path.read_bytes()
        # two outlined figures, an arrow and a key (scripts/draw_exercises.py) fit in 8 KB
        assert len(raw) < 8192, f"{ex.image} is {len(raw)} bytes"
        root = ET.fromstring(raw)
        assert root.tag == f"{SVG_NS}svg", ex.image
        box = root.get("viewBox", "").split()
        assert len(box) == 4 and all(float(v) >= 0 for v in box), ex.image
        title = root.find(f"{SVG_NS}title")
        assert title is not None and (title.text or "").strip(), f"{ex.image} has no title"
        for element in root.iter():
            assert element.tag not in (f"{SVG_NS}script", f"{SVG_NS}image"), ex.image
            for name, value in element.attrib.items():
                assert not name.endswith("href"), f"{ex.image} links to {value}"
        assert b"url(" not in raw and b"http://" not in raw.replace(b'"http://www.w3.org', b"")


def test_every_svg_in_the_folder_belongs_to_an_exercise(kb: Knowledge) -> None:
    used = {e.image for e in kb.exercises.values()}
    assert {p.name for p in (DATA_DIR / "exercises").glob("*.svg")} == used


def test_every_exercise_says_to_stop_if_pain_grows(kb: Knowledge) -> None:
    for ex in kb.exercises.values():
        assert any(
            "stop" in c.lower() and re.search(r"increase|worse|spread", c.lower())
            for c in ex.cautions
        ), ex.id
        assert ex.repetitions >= 1 and ex.times_per_day >= 1 and len(ex.steps) >= 3, ex.id


def test_the_library_has_eight_to_ten_exercises_all_used_by_a_plan(kb: Knowledge) -> None:
    assert 8 <= len(kb.exercises) <= 10
    linked = {e for item in [*kb.relief, *kb.prevention] for e in item.exercises}
    assert set(kb.exercises) == linked
    phase_ids = {p.id for p in kb.phases}
    for ex in kb.exercises.values():
        assert ex.phases and set(ex.phases) <= phase_ids, ex.id


def test_plans_name_their_exercises_for_the_person() -> None:
    result = assess(ORDINARY, today=date(2025, 3, 10))
    assert {"knee_to_chest", "walking"} <= set(result.exercises)


def test_relief_items_only_suggest_exercises_meant_for_their_phase(kb: Knowledge) -> None:
    for item in kb.relief:
        for ex in item.exercises:
            assert item.phase in kb.exercises[ex].phases, f"{item.id} suggests {ex}"
