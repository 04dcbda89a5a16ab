"""Play a case through the adaptive interview, answering from its findings.

Used by ``unknot validate --interview`` and the tests. What a case does not
mention counts as "no": a checklist with nothing of the case on it is
answered "None of these", a yes/no warning sign "no"; numbers, other choices
and other yes/no questions are skipped (safety ones are then asked once more
and left unanswered).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..knowledge import Knowledge, load_knowledge
from ..knowledge.models import ChecklistItem, QuestionField, Screen
from .interview import Step, negative, next_step, screen_items


def _present(name: str, case: Mapping[str, Any], kb: Knowledge) -> bool:
    value = case.get(name)
    if value is None:
        return False
    spec = kb.findings[name]
    if spec.type == "set":
        return bool(value)
    return bool(value != negative(spec))


def _item_ticked(item: ChecklistItem, case: Mapping[str, Any], kb: Knowledge) -> bool:
    if item.findings:
        return any(_present(name, case, kb) for name in item.findings)
    if item.finding is None:
        return False
    value = case.get(item.finding)
    if value is None:
        return False
    if kb.findings[item.finding].type == "set":
        return item.value in value
    return bool(value == item.value)


def _answer_field(fld: QuestionField, case: Mapping[str, Any], kb: Knowledge) -> Any:
    if fld.kind == "checklist":
        ticked = [i.id for i in fld.items if _item_ticked(i, case, kb)]
        if not ticked:
            ticked = [i.id for i in fld.items if i.none]
        return ticked
    assert fld.finding is not None
    value = case.get(fld.finding)
    if value is None:  # a warning sign the case does not mention is a "no"; the rest unknown
        yes_no = fld.kind == "choice" and set(fld.choices) == {"true", "false"}
        return "false" if yes_no and kb.findings[fld.finding].safety else None
    if fld.kind == "multi":
        return sorted(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def answer_screen(screen: Screen, case: Mapping[str, Any], kb: Knowledge) -> dict[str, Any]:
    return {fld.id: _answer_field(fld, case, kb) for fld in screen.fields}


@dataclass(frozen=True)
class Played:
    """A case played to its result: the last step, and what the person was asked."""

    step: Step
    asked: list[str]
    items: int
    screens_before_result: list[str]


def play(case: Mapping[str, Any], kb: Knowledge | None = None, *, why: bool = False) -> Played:
    """Run the interview to the result (and, with ``why``, the optional why-step after it)."""
    kb = kb or load_knowledge()
    answers: dict[str, dict[str, Any]] = {}
    asked: list[str] = []
    items = 0
    step = next_step(answers, kb=kb)
    while not step.done:
        assert step.screen is not None
        if step.screen.id in answers:  # defensive: a screen must never repeat
            raise RuntimeError(f"interview asked screen {step.screen.id} twice")
        answers[step.screen.id] = answer_screen(step.screen, case, kb)
        asked.append(step.screen.id)
        items += screen_items(step.screen)
        step = next_step(answers, kb=kb)
    before = list(asked)
    if why and step.why_screen is not None:
        answers[step.why_screen.id] = answer_screen(step.why_screen, case, kb)
        asked.append(step.why_screen.id)
        step = next_step(answers, kb=kb)
    return Played(step, asked, items, before)


def play_case(case: Mapping[str, Any], kb: Knowledge | None = None) -> tuple[Step, list[str]]:
    """Run the interview to the result; return the final step and the screens asked."""
    played = play(case, kb)
    return played.step, played.asked
