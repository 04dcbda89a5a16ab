"""Triage policy v2 (TRIAGE.md "Changes in v2"): the new rows, at their edges.

Each expectation is read off the policy table by hand. The case suite
(tests/cases/policy_v2.yaml) holds the same rows as whole stories; these
tests pin the edges one finding at a time.
"""

from __future__ import annotations

from typing import Any

import pytest

from unknot.engine import assess
from unknot.knowledge import Knowledge


def level_and_concerns(findings: dict[str, Any]) -> tuple[str | None, set[str]]:
    result = assess(findings)
    return result.level, {c.id for c in result.concerns}


@pytest.mark.parametrize(
    ("findings", "level", "concern"),
    [
        # sciatica in both legs, any changed feeling in the saddle area
        ({"leg_pain": "both_legs"}, "emergency", "cauda_equina"),
        ({"leg_pain": "one_leg"}, "self_care", None),
        ({"saddle_numbness": True}, "emergency", "cauda_equina"),
        # back and belly pain: 50 is the edge; sudden at 50+ is an emergency
        ({"abdominal_pain": True, "onset": "sudden", "age": 50}, "emergency", "aortic_aneurysm"),
        ({"abdominal_pain": True, "onset": "sudden", "age": 49}, "soon", "aortic_aneurysm"),
        ({"abdominal_pain": True, "onset": "gradual", "age": 50}, "urgent", "aortic_aneurysm"),
        ({"abdominal_pain": True, "age": 49}, "soon", "aortic_aneurysm"),
        # thin bones: every everyday trigger is urgent
        *[
            ({"osteoporosis": True, "trigger": [t]}, "urgent", "fracture")
            for t in [
                "minor_fall",
                "lifting",
                "bending",
                "twisting",
                "sudden_movement",
                "reaching",
                "sneezing_coughing",
                "heavy_exertion",
            ]
        ],
        ({"steroid_long_term": True, "trigger": ["bending"]}, "urgent", "fracture"),
        ({"osteoporosis": True, "trigger": ["prolonged_sitting"]}, "self_care", None),
        ({"osteoporosis": True, "onset": "sudden", "trigger": ["none_known"]}, "soon", "fracture"),
        ({"osteoporosis": True, "onset": "gradual"}, "self_care", None),
        # a small fall: 70 is the edge
        ({"trigger": ["minor_fall"], "age": 70}, "urgent", "fracture"),
        ({"trigger": ["minor_fall"], "age": 69}, "self_care", None),
        # kidney stone
        ({"location": ["flank"], "nausea_vomiting": True}, "urgent", "kidney_stone"),
        ({"location": ["flank"], "blood_in_urine": True}, "urgent", "kidney_stone"),
        ({"location": ["lower_back"], "nausea_vomiting": True}, "self_care", None),
        # blood thinners
        ({"anticoagulant": True, "trigger": ["minor_fall"]}, "urgent", "bleeding"),
        (
            {"anticoagulant": True, "onset": "sudden", "trigger": ["none_known"]},
            "urgent",
            "bleeding",
        ),
        ({"anticoagulant": True, "onset": "sudden"}, "urgent", "bleeding"),
        ({"anticoagulant": True, "onset": "gradual"}, "self_care", None),
        ({"anticoagulant": False, "trigger": ["minor_fall"]}, "self_care", None),
        # feeling very unwell
        ({"feeling_very_unwell": True}, "urgent", "systemically_unwell"),
        # diabetes joins the infection risks
        ({"diabetes": True}, "soon", "spinal_infection"),
        ({"diabetes": True, "fever": True}, "urgent", "spinal_infection"),
        # age 50+ with pain that movement does not change
        ({"age": 50, "pain_with_movement": False}, "soon", "age_risk"),
        ({"age": 49, "pain_with_movement": False}, "self_care", None),
        ({"age": 50, "pain_with_movement": True}, "self_care", None),
        ({"age": 17}, "soon", "age_risk"),
        ({"age": 18}, "self_care", None),
        # the thoracic spine
        ({"location": ["middle_back"]}, "soon", "thoracic_pain"),
        ({"location": ["upper_back"]}, "soon", "thoracic_pain"),
        ({"location": ["between_shoulder_blades"]}, "urgent", "thoracic_pain"),
        ({"location": ["lower_back"]}, "self_care", None),
        # pregnancy
        ({"pregnant": True, "vaginal_bleeding": True}, "urgent", "pregnancy"),
        ({"pregnant": True, "abdominal_pain": True}, "urgent", "pregnancy"),
        ({"pregnant": True, "vaginal_bleeding": False}, "soon", "pregnancy"),
    ],
)
def test_a_v2_row_gives_its_level(
    findings: dict[str, Any], level: str, concern: str | None
) -> None:
    got_level, concerns = level_and_concerns(findings)
    assert got_level == level, f"{findings}: got {got_level} {sorted(concerns)}"
    if concern is not None:
        assert concern in concerns
    else:
        assert not concerns


@pytest.mark.parametrize("trigger", ["lifting", "bending", "sport", "sneezing_coughing"])
def test_a_movement_explains_sudden_pain_on_a_blood_thinner(trigger: str) -> None:
    """The policy's one "no trigger" row: a strain explains the pain, so no bleeding concern."""
    _, before = level_and_concerns({"anticoagulant": True, "onset": "sudden"})
    _, after = level_and_concerns({"anticoagulant": True, "onset": "sudden", "trigger": [trigger]})
    assert "bleeding" in before and "bleeding" not in after


def _negated(cond: Any, inside: bool = False) -> set[str]:
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


def test_no_rule_reads_a_safety_question_as_no_when_it_is_unanswered(kb: Knowledge) -> None:
    """Only "not" counts an unknown as "no"; on a safety finding that could lower
    the level when the person answers. The rules use it on the trigger only."""
    negated = {n for r in kb.rules for n in _negated(r.when)}
    assert negated == {"trigger"}
    assert not [n for n in negated if kb.findings[n].safety]


def _bounds(cond: Any) -> list[tuple[str, str, float]]:
    if not isinstance(cond, dict):
        return []
    out: list[tuple[str, str, float]] = []
    for key, value in cond.items():
        if key in ("all", "any"):
            for part in value:
                out += _bounds(part)
        elif key == "not":
            out += _bounds(value)
        elif isinstance(value, dict):
            out += [(key, op, bound) for op, bound in value.items() if op != "known"]
    return out


def test_every_number_at_an_edge_has_worked_cases_on_both_sides(kb: Knowledge) -> None:
    """49 and 50, 69 and 70, 17 and 18: each rule shows both sides of its own numbers."""
    missing = []
    for rule in kb.rules:
        for name, op, bound in _bounds(rule.when):
            inside = bound if op in ("gte", "lte") else (bound + 1 if op == "gt" else bound - 1)
            outside = bound - 1 if op in ("gte", "gt") else bound + 1
            if op == "gt":
                outside = bound
            if op == "lt":
                outside = bound
            seen = {(c.findings.get(name), c.fires) for c in rule.cases}
            fired = {v for v, f in seen if f}
            quiet = {v for v, f in seen if not f}
            if inside not in fired or outside not in quiet:
                missing.append(f"{rule.id}: {name} {op} {bound}")
    assert not missing, missing


def test_every_rule_has_cases_that_fire_and_cases_that_do_not(kb: Knowledge) -> None:
    one_sided = [r.id for r in kb.rules if len({c.fires for c in r.cases}) < 2]
    assert not one_sided


def test_a_condition_read_three_ways() -> None:
    """Holds, cannot hold, or still depends on an unanswered finding."""
    from unknot.knowledge.conditions import compile_tristate

    rule = compile_tristate(
        {
            "all": [
                {"pregnant": True},
                {"any": [{"abdominal_pain": True}, {"vaginal_bleeding": True}]},
            ]
        }
    )
    assert rule({}) is None
    assert rule({"pregnant": False}) is False
    assert rule({"pregnant": True, "vaginal_bleeding": True}) is True
    assert rule({"pregnant": True, "vaginal_bleeding": False}) is None
    assert rule({"pregnant": True, "vaginal_bleeding": False, "abdominal_pain": False}) is False
    no_trigger = compile_tristate({"not": {"trigger": ["lifting"]}})
    assert no_trigger({}) is None and no_trigger({"trigger": frozenset({"sport"})}) is True
    assert compile_tristate({"age": {"gte": 50}})({"age": 49}) is False
