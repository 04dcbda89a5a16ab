"""The adaptive interview: danger first, broad questions before details, an
explicit answer for every checklist, habits only after the result."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from unknot.engine import FindingsError, assess
from unknot.engine.case_player import play, play_case
from unknot.engine.interview import RECHECK_SCREEN, next_step
from unknot.knowledge import Knowledge, load_knowledge

NONE = {"signs": ["none"]}
CALM = {
    "danger": NONE,
    "warning_signs": NONE,
    "about_you": {"age": 35, "sex": "male", "history": ["none"]},
}


def _ids(step: Any) -> list[str]:
    return [i.id for f in step.screen.fields for i in f.items]


def test_first_screen_is_the_emergency_checklist_asked_since_this_started() -> None:
    step = next_step({})
    assert step.screen is not None and step.screen.id == "danger"
    assert step.screen.safety and step.screen.stage == "emergency"
    assert "since this started" in step.screen.title.lower()
    none = [i for f in step.screen.fields for i in f.items if i.none]
    assert [i.text for i in none] == ["None of these"]


def test_stops_at_once_on_an_emergency_sign() -> None:
    step = next_step({"danger": {"signs": ["arm_weak"]}})
    assert step.done and step.emergency_stop
    assert assess(step.findings, validated=True).level == "emergency"
    assert step.why_screen is None  # no habits questions around an emergency


def test_broad_yes_opens_only_its_details_and_a_detail_yes_ends_it() -> None:
    step = next_step({"danger": {"signs": ["down_below"]}})
    assert step.screen is not None and step.screen.id == "danger_details"
    assert [f.id for f in step.screen.fields] == ["down_below"]
    assert "cant_pee" in _ids(step)
    done = next_step(
        {"danger": {"signs": ["down_below"]}, "danger_details": {"down_below": ["cant_pee"]}}
    )
    assert done.done and done.emergency_stop


def test_details_count_unless_the_broad_question_was_answered_no() -> None:
    details = {"danger_details": {"legs": ["both_numb"]}}
    assert next_step(details).emergency_stop  # a client that skipped the broad question
    retracted = next_step({**details, "danger": {"signs": ["none"]}})
    assert not retracted.done and retracted.findings["leg_numbness"] == "none"


def test_broad_no_answers_every_finding_it_covers() -> None:
    step = next_step({"danger": NONE})
    for name in ("saddle_numbness", "urinary_retention", "chest_pain", "fainting"):
        assert step.findings[name] is False
    assert step.findings["leg_numbness"] == "none"
    assert step.findings["leg_pain"] == "none"
    assert step.screen is not None and step.screen.id == "warning_signs"


def test_an_untouched_checklist_is_unanswered_not_no() -> None:
    step = next_step({"danger": {"signs": []}})
    assert "saddle_numbness" not in step.findings
    assert "chest_pain" not in step.findings


def test_none_of_these_cannot_go_with_a_tick() -> None:
    with pytest.raises(FindingsError) as err:
        next_step({"danger": {"signs": ["none", "arm_weak"]}})
    assert err.value.field == "danger.signs"


def test_both_legs_wins_over_one_leg() -> None:
    answers = {"danger": {"signs": ["legs"]}, "danger_details": {"legs": ["one_numb", "both_numb"]}}
    step = next_step(answers)
    assert step.findings["leg_numbness"] == "both_legs" and step.emergency_stop


def test_v2_findings_are_asked() -> None:
    history = {"history": ["bones", "infection_risk", "blood_thinner"]}
    answers = {**CALM, "about_you": {"age": 60, "sex": "female", "pregnant": "true", **history}}
    step = next_step(answers)
    assert step.screen is not None and step.screen.id == "health_details"
    asked = {i.finding for f in step.screen.fields for i in f.items if i.finding}
    assert {"vaginal_bleeding", "diabetes", "osteoporosis"} <= asked
    assert step.findings["anticoagulant"] is True
    details = {"pregnancy": ["none"], "bones": ["none"], "infection_risk": ["diabetes"]}
    after = next_step({**answers, "health_details": details})
    assert after.findings["diabetes"] is True and after.findings["vaginal_bleeding"] is False


def test_pregnancy_bleeding_is_not_asked_of_men() -> None:
    step = next_step(CALM)
    assert step.screen is not None and step.screen.id == "this_episode"
    every = [
        s
        for s in (step.screen,)
        for f in s.fields
        for i in f.items
        if i.finding == "vaginal_bleeding"
    ]
    assert every == []


def test_skips_what_is_already_known() -> None:
    prefilled = {"age": 40, "sex": "male", "saddle_numbness": False, "chest_pain": False}
    step = next_step({}, prefilled=prefilled)
    assert step.screen is not None
    items = _ids(step)
    assert "chest" in items  # shortness of breath is still unknown
    step = next_step({"danger": NONE, "warning_signs": NONE}, prefilled=prefilled)
    assert step.screen is not None and step.screen.id == "about_you"
    assert [f.id for f in step.screen.fields] == ["history"]  # age and sex known, not pregnant


def test_doubtful_signs_are_confirmed_first_and_count_until_answered() -> None:
    kw: dict[str, Any] = {"prefilled": {"saddle_numbness": True}, "to_confirm": ["saddle_numbness"]}
    step = next_step({}, **kw)
    assert step.screen is not None and step.screen.id == "confirm"
    untouched = next_step({"confirm": {"confirm": []}}, **kw)
    assert untouched.doubtful == ("saddle_numbness",) and untouched.emergency_stop
    confirmed = next_step({"confirm": {"confirm": ["saddle_numbness"]}}, **kw)
    assert confirmed.emergency_stop and confirmed.doubtful == ()
    denied = next_step({"confirm": {"confirm": ["none"]}}, **kw)
    assert not denied.done and denied.findings["saddle_numbness"] is False


def test_open_safety_questions_are_asked_once_more_then_left_unanswered() -> None:
    answers: dict[str, Any] = {**CALM, "this_episode": {}}
    step = next_step(answers)
    assert step.screen is not None and step.screen.id == RECHECK_SCREEN
    assert {f.id for f in step.screen.fields} >= {"days_since_onset", "pain_trend"}
    final = next_step({**answers, RECHECK_SCREEN: {}})
    assert final.done and "pain_trend" not in final.findings
    answered = next_step(
        {**answers, RECHECK_SCREEN: {"pain_trend": "worse", "days_since_onset": 5}}
    )
    assert answered.done and answered.findings["pain_trend"] == "worse"


def test_habits_come_only_with_the_result() -> None:
    answers: dict[str, Any] = {**CALM, "this_episode": {"days": 1, "trend": "improving"}}
    step = next_step(answers)
    assert step.done and not step.emergency_stop
    assert step.why_screen is not None and step.why_screen.stage == "lifestyle"
    refined = next_step({**answers, "why": {"water": 3, "habits": ["slouch"]}})
    assert refined.done and refined.why_screen is None
    assert refined.findings["slouching_posture"] is True


def test_bad_answers_name_the_key() -> None:
    with pytest.raises(FindingsError) as err:
        next_step({"about_you": {"age": 400}})
    assert err.value.field == "about_you.age"
    with pytest.raises(FindingsError) as err:
        next_step({"danger": {"signs": ["telepathy"]}})
    assert err.value.field == "danger.signs.telepathy"
    with pytest.raises(FindingsError) as err:
        next_step({"danger": {"sings": ["none"]}})
    assert err.value.field == "danger.sings"
    with pytest.raises(FindingsError) as err:
        next_step({"no_such_screen": {}})
    assert err.value.field == "no_such_screen"


def test_answer_order_does_not_change_the_result() -> None:
    a = {"warning_signs": {"signs": ["fever"]}, "danger": NONE}
    b = {"danger": NONE, "warning_signs": {"signs": ["fever"]}}
    assert next_step(a).findings == next_step(b).findings


def test_every_safety_finding_is_reachable(kb: Knowledge) -> None:
    """Coverage: each safety finding is set by a plain question (not only a broad one)."""
    plain = {
        name
        for s in kb.screens
        for f in s.fields
        for name in ([f.finding] if f.finding else [i.finding for i in f.items if i.finding])
    }
    missing = [n for n, spec in kb.findings.items() if spec.safety and n not in plain]
    assert missing == []


def test_playing_a_case_gives_the_same_level_as_all_findings(kb: Knowledge) -> None:
    case = {"age": 52, "fever": True, "days_since_onset": 4, "pain_trend": "worse"}
    step, asked = play_case(case, kb)
    assert assess(step.findings, validated=True).level == assess(case).level == "urgent"
    assert asked[0] == "danger"


CASES = Path(__file__).parent / "cases"


def _project_cases() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for path in sorted(CASES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text())
        out += data["cases"] if isinstance(data, dict) else data
    return out


def test_replaying_the_project_cases_never_under_triages_and_stays_short() -> None:
    """Every case, answered from its facts: not below its level; self-care short; habits after."""
    from unknot.engine import validate_findings
    from unknot.knowledge import LEVEL_RANK

    kb = load_knowledge()
    self_care: list[tuple[int, int]] = []
    for case in _project_cases():
        findings = validate_findings(case["findings"], kb)
        played = play(findings, kb)
        got = assess(played.step.findings, validated=True, kb=kb).level
        want = case["expect"]["level"]
        assert LEVEL_RANK[got] >= LEVEL_RANK[want], case["id"]
        assert "why" not in played.screens_before_result, case["id"]
        if want == "self_care":
            self_care.append((len(played.asked), played.items))
    screens = sorted(s for s, _ in self_care)
    items = sorted(i for _, i in self_care)
    assert screens[len(screens) // 2] <= 5 and items[len(items) // 2] <= 40
