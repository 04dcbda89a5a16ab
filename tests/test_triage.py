"""Triage follows the policy: most urgent wins, every firing concern is named."""

from __future__ import annotations

from datetime import date

import pytest

from unknot.engine import FindingsError, assess, failed_assessment
from unknot.knowledge import Knowledge


def test_nothing_said_is_self_care_with_every_safety_question_unanswered(kb: Knowledge) -> None:
    result = assess({})
    assert result.level == "self_care"
    assert result.concerns == ()
    assert "saddle_numbness" in result.unanswered
    assert result.unanswered.index("saddle_numbness") < result.unanswered.index(
        "previous_back_injury"
    )


def test_most_urgent_level_wins_and_all_concerns_are_named() -> None:
    result = assess({"fever": True, "previous_back_injury": True, "chest_pain": True})
    assert result.level == "emergency"
    assert [c.id for c in result.concerns] == ["cardiac", "spinal_infection", "prior_injury"]
    assert [c.level for c in result.concerns] == ["emergency", "urgent", "soon"]


def test_a_concern_keeps_its_most_urgent_level() -> None:
    result = assess({"pain_after_fatty_meals": True, "fever": True})
    gall = next(c for c in result.concerns if c.id == "gallbladder")
    assert gall.level == "urgent"
    assert set(gall.rules) == {"urgent.gallbladder", "soon.gallbladder"}


def test_each_concern_says_why_and_what_to_do_with_the_answers_behind_it() -> None:
    result = assess({"urinary_retention": True}, region="uk")
    concern = result.concerns[0]
    assert "999" in concern.what_to_do
    assert concern.evidence[0].finding == "urinary_retention"
    assert concern.why and concern.citations


def test_default_region_names_the_common_emergency_numbers() -> None:
    text = assess({"chest_pain": True}).concerns[0].what_to_do
    for number in ("999", "911", "112", "000"):
        assert number in text


def test_severe_pain_alone_does_not_raise_the_level() -> None:
    result = assess(
        {"pain_score": 10, "spasm_waves": True, "muscle_knot": True, "pain_with_movement": True}
    )
    assert result.level == "self_care"


@pytest.mark.parametrize(
    "findings, level",
    [
        ({"days_since_onset": 2, "pain_trend": "unchanged"}, "self_care"),
        ({"days_since_onset": 3, "pain_trend": "unchanged"}, "soon"),
        ({"age": 17}, "soon"),
        ({"age": 18}, "self_care"),
        ({"age": 69, "trigger": ["minor_fall"]}, "self_care"),
        ({"age": 70, "trigger": ["minor_fall"]}, "urgent"),
        ({"days_since_onset": 41, "pain_trend": "improving"}, "self_care"),
        ({"days_since_onset": 42, "pain_trend": "improving"}, "soon"),
    ],
)
def test_policy_boundaries(findings: dict[str, object], level: str) -> None:
    assert assess(findings).level == level


@pytest.mark.parametrize(
    "findings, field",
    [
        ({"unicorn": True}, "unicorn"),
        ({"fever": "maybe"}, "fever"),
        ({"age": 400}, "age"),
        ({"pain_score": 11}, "pain_score"),
        ({"days_since_onset": -1}, "days_since_onset"),
        ({"leg_numbness": "three_legs"}, "leg_numbness"),
        ({"trigger": ["juggling"]}, "trigger"),
    ],
)
def test_bad_findings_name_the_field(findings: dict[str, object], field: str) -> None:
    with pytest.raises(FindingsError) as err:
        assess(findings)
    assert err.value.field == field


def test_checkpoints_are_dated_from_the_start_of_the_episode() -> None:
    result = assess({"days_since_onset": 1}, today=date(2026, 3, 10))
    dated = {cp.id: cp.date for cp in result.checkpoints}
    assert dated["checkpoint.day_3"] == date(2026, 3, 12)
    assert dated["checkpoint.day_7"] == date(2026, 3, 16)
    assert dated["checkpoint.red_flag"] is None


def test_every_result_says_it_is_not_a_diagnosis() -> None:
    assert "not a diagnosis" in assess({}).disclaimer
    assert "not a diagnosis" in failed_assessment("boom").disclaimer


def test_a_failed_assessment_sends_the_person_to_care() -> None:
    result = failed_assessment("boom")
    assert result.level == "urgent"
    assert "medical advice" in result.headline


def test_json_form_is_plain_data() -> None:
    data = assess({"trigger": ["lifting"], "onset": "sudden", "fever": True}).to_dict()
    assert data["level"] == "urgent"
    assert data["concerns"][0]["id"] == "spinal_infection"
    assert data["findings"]["trigger"] == ["lifting"]
    assert {"relief_plan", "prevention_plan", "unanswered", "knowledge_version"} <= set(data)
