"""The adaptive interview: danger first, few screens, stops at an emergency."""

from __future__ import annotations

import pytest

from unknot.engine import FindingsError, assess
from unknot.engine.case_player import play_case
from unknot.engine.interview import next_step
from unknot.knowledge import Knowledge


def test_first_screen_is_the_emergency_checklist(kb: Knowledge) -> None:
    step = next_step({})
    assert step.screen is not None and step.screen.id == "emergency_signs"
    assert step.screen.safety


def test_stops_at_once_on_an_emergency_sign() -> None:
    step = next_step({"emergency_signs": {"signs": ["cant_pee"]}})
    assert step.done and step.emergency_stop
    assert assess(step.findings, validated=True).level == "emergency"


def test_unticked_warning_signs_count_as_no() -> None:
    step = next_step({"emergency_signs": {"signs": []}})
    assert step.findings["saddle_numbness"] is False
    assert "leg_weakness" not in step.findings  # asked again later, one leg or none


def test_skips_what_is_already_known() -> None:
    step = next_step({}, prefilled={"age": 40, "sex": "male"})
    asked_later = []
    answers: dict[str, dict[str, object]] = {}
    while not step.done:
        assert step.screen is not None
        asked_later.append(step.screen)
        answers[step.screen.id] = {}
        step = next_step(answers, prefilled={"age": 40, "sex": "male"})
    about = [s for s in asked_later if s.id == "about_you"]
    assert about == []  # age known, sex known, pregnancy skipped for a man


def test_pregnancy_question_is_not_put_to_men() -> None:
    answers = {
        "emergency_signs": {"signs": []},
        "urgent_signs": {"signs": []},
        "health_history": {"history": []},
    }
    step = next_step(answers, prefilled={"sex": "male"})
    assert step.screen is not None and step.screen.id == "about_you"
    assert [f.id for f in step.screen.fields] == ["age"]


def test_doubtful_danger_signs_are_confirmed_first() -> None:
    step = next_step({}, prefilled={"saddle_numbness": True}, to_confirm=["saddle_numbness"])
    assert step.screen is not None and step.screen.id == "confirm"
    confirmed = next_step(
        {"confirm": {"confirm": ["saddle_numbness"]}},
        prefilled={"saddle_numbness": True},
        to_confirm=["saddle_numbness"],
    )
    assert confirmed.emergency_stop
    denied = next_step(
        {"confirm": {"confirm": []}},
        prefilled={"saddle_numbness": True},
        to_confirm=["saddle_numbness"],
    )
    assert not denied.done and denied.findings["saddle_numbness"] is False


def test_bad_answers_name_the_field() -> None:
    with pytest.raises(FindingsError) as err:
        next_step({"about_you": {"age": 400}})
    assert err.value.field == "about_you.age"
    with pytest.raises(FindingsError) as err:
        next_step({"emergency_signs": {"signs": ["telepathy"]}})
    assert err.value.field == "emergency_signs.signs"
    with pytest.raises(FindingsError):
        next_step({"no_such_screen": {}})


def test_answer_order_does_not_change_the_result() -> None:
    a = {"urgent_signs": {"signs": ["fever"]}, "emergency_signs": {"signs": []}}
    b = {"emergency_signs": {"signs": []}, "urgent_signs": {"signs": ["fever"]}}
    assert next_step(a).findings == next_step(b).findings


def test_playing_a_case_gives_the_same_level_as_all_findings(kb: Knowledge) -> None:
    case = {"age": 52, "fever": True, "days_since_onset": 4, "pain_trend": "worse"}
    step, asked = play_case(case, kb)
    assert assess(step.findings, validated=True).level == assess(case).level == "urgent"
    assert asked[0] == "emergency_signs"


def test_a_calm_self_care_case_needs_at_most_eight_screens(kb: Knowledge) -> None:
    case = {"age": 30, "trigger": ["bending"], "days_since_onset": 0, "water_glasses_per_day": 3}
    step, asked = play_case(case, kb)
    assert assess(step.findings, validated=True).level == "self_care"
    assert len(asked) <= 8
