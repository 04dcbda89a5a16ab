"""Contributing factors: named with the answer behind them, trigger-related first."""

from __future__ import annotations

from unknot.engine import assess


def test_factors_carry_the_answer_that_led_to_them() -> None:
    result = assess({"water_glasses_per_day": 3})
    factor = result.factors[0]
    assert factor.id == "dehydration"
    assert factor.evidence[0].finding == "water_glasses_per_day"
    assert factor.evidence[0].value == 3


def test_trigger_related_factors_rank_before_background_ones() -> None:
    result = assess({"sitting_hours_per_day": 10, "trigger": ["twisting"]})
    ids = [f.id for f in result.factors]
    assert ids.index("sudden_movement") < ids.index("prolonged_position")
    assert result.factors[0].episode_related


def test_excess_weight_from_height_and_weight() -> None:
    assert "excess_weight" in {f.id for f in assess({"height_cm": 170, "weight_kg": 87}).factors}
    assert "excess_weight" not in {
        f.id for f in assess({"height_cm": 170, "weight_kg": 86}).factors
    }


def test_factors_never_raise_the_level() -> None:
    lifestyle = {
        "water_glasses_per_day": 1,
        "sitting_hours_per_day": 14,
        "stress_level": "high",
        "fitness": "poor",
        "slouching_posture": True,
        "leg_cramps_walking": True,
    }
    assert assess(lifestyle).level == "self_care"
