"""Play a case through the adaptive interview, answering from its findings.

Used by ``unknot validate --interview`` and the tests. What a case does not
mention counts as "no": unticked checklist items, "no" for yes/no choices, and
a skip for numbers and other choices.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..knowledge import Knowledge, load_knowledge
from ..knowledge.models import QuestionField, Screen
from .interview import Step, next_step


def _answer_field(fld: QuestionField, case: Mapping[str, Any], kb: Knowledge) -> Any:
    if fld.kind == "checklist":
        ticked = []
        for item in fld.items:
            value = case.get(item.finding)
            if value is None:
                continue
            if kb.findings[item.finding].type == "set":
                if item.value in value:
                    ticked.append(item.id)
            elif value == item.value:
                ticked.append(item.id)
        return ticked
    assert fld.finding is not None
    value = case.get(fld.finding)
    if value is None:
        if fld.kind == "choice" and set(fld.choices) == {"true", "false"}:
            return "false"
        return None
    if fld.kind == "multi":
        return sorted(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def answer_screen(screen: Screen, case: Mapping[str, Any], kb: Knowledge) -> dict[str, Any]:
    return {fld.id: _answer_field(fld, case, kb) for fld in screen.fields}


def play_case(case: Mapping[str, Any], kb: Knowledge | None = None) -> tuple[Step, list[str]]:
    """Run the interview to the end; return the final step and the screens asked."""
    kb = kb or load_knowledge()
    answers: dict[str, dict[str, Any]] = {}
    asked: list[str] = []
    step = next_step(answers, kb=kb)
    while not step.done:
        assert step.screen is not None
        if step.screen.id in answers:  # defensive: a screen must never repeat
            raise RuntimeError(f"interview asked screen {step.screen.id} twice")
        answers[step.screen.id] = answer_screen(step.screen, case, kb)
        asked.append(step.screen.id)
        step = next_step(answers, kb=kb)
    return step, asked
