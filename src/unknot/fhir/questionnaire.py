"""The interview's screens as a FHIR Questionnaire with ``enableWhen``.

Each screen is a ``group`` item (linkId = screen id); each field a question
inside it (linkId = ``screen.field``): checklists and multi-choice fields are
repeating ``coding`` questions, single choices ``coding``, numbers ``decimal``
or ``integer``. The screens' and fields' ``ask_when`` / ``skip_when``
conditions become ``enableWhen`` on the questions that set those findings.
A condition that FHIR cannot express (nested all/any) leaves the item always
enabled: asking too much is safe, asking too little is not.

What FHIR cannot say: the engine also skips screens whose findings are all
known, and stops at once on an emergency. Use the interview API for that.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from fhir.resources.coding import Coding
from fhir.resources.questionnaire import (
    Questionnaire,
    QuestionnaireItem,
    QuestionnaireItemAnswerOption,
    QuestionnaireItemEnableWhen,
)

from ..knowledge import Knowledge
from ..knowledge.models import QuestionField, Screen

QUESTIONNAIRE_ID = "unknot-interview"
QUESTIONNAIRE_URL = "urn:unknot:questionnaire:interview"
CODE_SYSTEM = "urn:unknot:answers"

_NEGATE = {"=": "!=", "!=": "=", ">": "<=", ">=": "<", "<": ">=", "<=": ">"}
_NUMERIC = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}

Leaf = tuple[str, str, dict[str, Any]]  # (question linkId, operator, answer[x])


def build_questionnaire(kb: Knowledge) -> Questionnaire:
    """The whole interview as one Questionnaire resource."""
    setters = _setters(kb)
    groups = [_group(screen, kb, setters) for screen in kb.screens]
    return Questionnaire(
        id=QUESTIONNAIRE_ID,
        url=QUESTIONNAIRE_URL,
        version=kb.version,
        name="UnknotInterview",
        title="Unknot: back spasm self-care and triage interview",
        status="active",
        description=(
            "The questions Unknot asks about a back spasm, most urgent first. "
            + " ".join(kb.disclaimer.split())
        ),
        item=groups,
    )


def _group(screen: Screen, kb: Knowledge, setters: Mapping[str, list[Leaf]]) -> QuestionnaireItem:
    group: dict[str, Any] = {
        "linkId": screen.id,
        "type": "group",
        "text": screen.title,
        "item": [_question(screen, fld, kb, setters) for fld in screen.fields],
    }
    group.update(_enable(screen.ask_when, None, setters, own=screen.id))
    return QuestionnaireItem(**group)


def _question(
    screen: Screen, fld: QuestionField, kb: Knowledge, setters: Mapping[str, list[Leaf]]
) -> QuestionnaireItem:
    item: dict[str, Any] = {"linkId": f"{screen.id}.{fld.id}", "text": fld.text}
    if fld.kind in ("checklist", "multi", "choice"):
        options = (
            [(i.id, i.text) for i in fld.items]
            if fld.kind == "checklist"
            else list(fld.choices.items())
        )
        item["type"] = "coding"
        item["repeats"] = fld.kind != "choice"
        item["answerConstraint"] = "optionsOnly"
        item["answerOption"] = [
            QuestionnaireItemAnswerOption(
                valueCoding=Coding(system=CODE_SYSTEM, code=code, display=text)
            )
            for code, text in options
        ]
    else:
        spec = kb.findings[fld.finding] if fld.finding else None
        item["type"] = "integer" if spec is not None and spec.type == "int" else "decimal"
    item.update(_enable(fld.ask_when, fld.skip_when, setters, own=item["linkId"]))
    if fld.after:  # the details of a broad question: asked when it was ticked
        parent, _, code = fld.after.rpartition(".")
        item["enableWhen"] = [
            QuestionnaireItemEnableWhen(
                question=parent,
                operator="=",
                answerCoding=Coding(system=CODE_SYSTEM, code=code),
            )
        ]
        item.pop("enableBehavior", None)
    return QuestionnaireItem(**item)


def _setters(kb: Knowledge) -> dict[str, list[Leaf]]:
    """finding -> the (question, '=', answer) leaves that set it, value by value.

    Keyed ``finding=value``; numbers are keyed by the finding alone.
    """
    out: dict[str, list[Leaf]] = {}
    for screen in kb.screens:
        for fld in screen.fields:
            link = f"{screen.id}.{fld.id}"
            for item in fld.items:
                if item.finding is None:
                    continue  # "None of these" and broad items set no single finding
                out.setdefault(f"{item.finding}={_key(item.value)}", []).append(
                    (link, "=", {"answerCoding": {"system": CODE_SYSTEM, "code": item.id}})
                )
            if fld.finding and fld.kind in ("choice", "multi"):
                for key in fld.choices:
                    out.setdefault(f"{fld.finding}={key}", []).append(
                        (link, "=", {"answerCoding": {"system": CODE_SYSTEM, "code": key}})
                    )
            if fld.finding and fld.kind == "number":
                out.setdefault(fld.finding, []).append((link, "exists", {}))
    return out


def _key(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _leaves(cond: Mapping[str, Any], setters: Mapping[str, list[Leaf]]) -> Iterator[list[Leaf]]:
    """One list of alternatives per finding test in a flat condition."""
    for finding, test in cond.items():
        if finding in ("all", "any"):
            raise _Unsupported
        if isinstance(test, Mapping):
            if "known" in test:
                links = {
                    leaf[0]
                    for key, leaves in setters.items()
                    for leaf in leaves
                    if key == finding or key.startswith(f"{finding}=")
                }
                yield [(link, "exists", {"answerBoolean": bool(test["known"])}) for link in links]
                continue
            numeric = [
                (link, _NUMERIC[op], {"answerDecimal": value})
                for op, value in test.items()
                if op in _NUMERIC
                for link, _, _ in setters.get(finding, [])
            ]
            if not numeric:
                raise _Unsupported
            yield numeric
            continue
        values = test if isinstance(test, list) else [test]
        yield [leaf for v in values for leaf in setters.get(f"{finding}={_key(v)}", [])]


class _Unsupported(Exception):
    pass


def _enable(
    ask_when: Mapping[str, Any] | None,
    skip_when: Mapping[str, Any] | None,
    setters: Mapping[str, list[Leaf]],
    own: str,
) -> dict[str, Any]:
    """``enableWhen`` + ``enableBehavior`` for an item, or nothing when not expressible."""
    try:
        conditions: list[Leaf] = []
        behaviour: str | None = None
        if ask_when:
            groups = [g for g in _leaves(ask_when, setters) if g]
            if len(groups) == 1:
                conditions, behaviour = groups[0], "any"
            elif groups and all(len(g) == 1 for g in groups):
                conditions, behaviour = [g[0] for g in groups], "all"
            else:
                raise _Unsupported
        if skip_when:
            # not (a or b ...) for one finding = all of the negations
            groups = [g for g in _leaves(skip_when, setters) if g]
            if len(groups) != 1 or (behaviour == "any" and len(conditions) > 1):
                raise _Unsupported
            negated = [(link, _NEGATE.get(op, op), ans) for link, op, ans in groups[0]]
            conditions = conditions + negated
            behaviour = "all"
    except _Unsupported:
        return {}
    conditions = [c for c in conditions if not c[0].startswith(own)]
    if not conditions:
        return {}
    out: dict[str, Any] = {
        "enableWhen": [
            QuestionnaireItemEnableWhen(question=link, operator=op, **answer)
            for link, op, answer in conditions
        ]
    }
    if len(conditions) > 1:
        out["enableBehavior"] = behaviour
    return out
