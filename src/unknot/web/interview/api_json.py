"""A step of the interview as the JSON of ``POST /api/interview``.

Every field declares the finding it sets; every checklist item its ``finding``
and ``value``, or, for a broad question, the ``findings`` it covers; the
"None of these" item is marked ``none``. ``done: true`` comes with the
assessment and, when offered, the optional ``why_screen``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ...engine.findings import to_jsonable
from ...engine.interview import Step
from ...knowledge.models import ChecklistItem, QuestionField, Screen
from .steps import assess_step, progress_of


def _item_json(item: ChecklistItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "text": item.text,
        "finding": item.finding,
        "value": to_jsonable({"v": item.value})["v"] if item.finding else None,
        "findings": list(item.findings),
        "none": item.none,
    }


def _field_json(fld: QuestionField) -> dict[str, Any]:
    return {
        "id": fld.id,
        "kind": fld.kind,
        "text": fld.text,
        "unit": fld.unit,
        "finding": fld.finding,
        "items": [_item_json(i) for i in fld.items],
        "choices": dict(fld.choices),
        "after": fld.after,
    }


def screen_json(screen: Screen) -> dict[str, Any]:
    return {
        "id": screen.id,
        "title": screen.title,
        "help": screen.help,
        "stage": screen.stage,
        "safety": screen.safety,
        "fields": [_field_json(f) for f in screen.fields],
    }


def step_json(step: Step, *, region: str | None, today: date | None) -> dict[str, Any]:
    answered, total = progress_of(step)
    return {
        "done": bool(step.done),
        "screen": screen_json(step.screen) if step.screen is not None and not step.done else None,
        "assessment": assess_step(step, region=region, today=today) if step.done else None,
        "why_screen": screen_json(step.why_screen) if step.done and step.why_screen else None,
        "asked": list(step.asked),
        "progress": {"answered": answered, "total": total},
        "to_confirm": list(step.to_confirm),
        "doubtful": list(step.doubtful),
    }
