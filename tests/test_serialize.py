"""The assessment's JSON: the same data as the result objects, however it is made."""

from __future__ import annotations

from dataclasses import asdict, is_dataclass
from datetime import date
from typing import Any

import orjson
import pytest
from pydantic import BaseModel

from unknot.engine import assess
from unknot.engine.results import AssessmentBrief
from unknot.engine.serialize import assessment_json
from unknot.knowledge import Knowledge

CASES: list[dict[str, Any]] = [
    {"age": 41, "trigger": ["lifting"], "location": ["lower_back"], "days_since_onset": 2},
    {"urinary_retention": True},
    {"fever": True, "age": 70, "sitting_hours_per_day": 10, "water_glasses_per_day": 2},
    {},
]


def plain(value: Any) -> Any:
    """A reference written without the code under test: dates as ISO, sets sorted."""
    if is_dataclass(value) and not isinstance(value, type):
        return plain(asdict(value))
    if isinstance(value, BaseModel):  # its fields as they are, in order
        return {name: plain(getattr(value, name)) for name in type(value).model_fields}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


@pytest.mark.parametrize("findings", CASES)
def test_json_and_to_dict_carry_exactly_the_result(kb: Knowledge, findings: dict[str, Any]) -> None:
    result = assess(findings, today=date(2026, 5, 4), kb=kb)
    expected = plain(result)
    assert orjson.loads(assessment_json(result)) == expected
    assert result.to_dict() == expected


def test_shared_plan_parts_serialize_the_same_every_time(kb: Knowledge) -> None:
    first = assess(CASES[0], today=date(2026, 5, 4), kb=kb)
    again = assess(CASES[0], today=date(2026, 5, 4), kb=kb)
    other_day = assess(CASES[0], today=date(2026, 6, 1), kb=kb)
    assert assessment_json(first) == assessment_json(again)
    assert orjson.loads(assessment_json(other_day)) == plain(other_day)
    assert assessment_json(other_day) != assessment_json(first)


def test_compact_keeps_items_and_cautions_but_not_texts(kb: Knowledge) -> None:
    result = assess(CASES[2], today=date(2026, 5, 4), kb=kb)
    compact = orjson.loads(assessment_json(result, compact=True))
    full = plain(result)
    assert compact["level"] == full["level"] and compact["concerns"] == full["concerns"]
    ids = [i["id"] for i in full["prevention_plan"]]
    assert [i["id"] for i in compact["prevention_plan"]] == ids
    items = [i for p in compact["relief_plan"] for i in p["items"]]
    assert items and all("text" not in i and "cautions" in i for i in items)
    assert all("text" not in c for c in compact["checkpoints"])


@pytest.mark.parametrize("findings", CASES)
def test_compact_answer_is_exactly_the_documented_brief_shape(
    kb: Knowledge, findings: dict[str, Any]
) -> None:
    """What the API sends by default is what its schema (AssessmentBrief) says, field for
    field: validating it checks every field is there and no other is."""
    result = assess(findings, today=date(2026, 5, 4), kb=kb)
    sent = assessment_json(result, compact=True)
    brief = AssessmentBrief.model_validate_json(sent)
    assert orjson.loads(brief.to_json()) == orjson.loads(sent)
    assert brief.level == result.level and brief.unanswered == result.unanswered
