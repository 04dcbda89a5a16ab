"""The interview's screens as a FHIR Questionnaire (R5 or R4), with ``enableWhen``.

Generated from questions.yaml: each screen is a ``group`` item (linkId = screen
id); each field a question inside it (linkId = ``screen.field``): checklists
and multi-choice fields are repeating coded questions (R5 ``coding``, R4
``choice``), single choices coded, numbers ``decimal`` or ``integer``. The
screens' and fields' ``ask_when`` / ``skip_when`` conditions (and a field's
``after``) become ``enableWhen`` on the questions that set those findings. A
condition that FHIR cannot express (nested all/any) leaves the item always
enabled: asking too much is safe, asking too little is not.

Codes (fhir_codes.yaml): a question that asks for one finding with a LOINC
code carries it in ``item.code``; an answer whose meaning has a standard code
(LOINC answer, HL7 gender, SNOMED CT finding) is that coding, shown with
Unknot's own plain words; every other answer keeps Unknot's own code
(``urn:unknot:answers``, code = the item or choice id).

What FHIR cannot say: the engine also skips screens whose findings are all
known, and stops at once on an emergency. Use the interview API for that.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..knowledge import Knowledge
from ..knowledge.models import QuestionField, Screen
from .codes import UNKNOT_SYSTEM, CodeBook, load_codes
from .versions import R5, FhirVersion

QUESTIONNAIRE_ID = "unknot-interview"
QUESTIONNAIRE_URL = "urn:unknot:questionnaire:interview"
CODE_SYSTEM = UNKNOT_SYSTEM

_NEGATE = {"=": "!=", "!=": "=", ">": "<=", ">=": "<", "<": ">=", "<=": ">"}
_NUMERIC = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}

Leaf = tuple[str, str, dict[str, Any]]  # (question linkId, operator, answer[x])


@dataclass(frozen=True)
class Option:
    """One answer of a coded question: Unknot's key and the coding it is sent as."""

    key: str  # checklist item id or choice key
    coding: dict[str, str]


def link_id(screen: Screen, fld: QuestionField) -> str:
    return f"{screen.id}.{fld.id}"


def options(fld: QuestionField, book: CodeBook) -> list[Option]:
    """The answer options of a coded field, with the standard code where one exists."""
    out: list[Option] = []
    if fld.kind == "checklist":
        for item in fld.items:
            finding = getattr(item, "finding", None)
            code = book.findings.get(finding or "") if item.value is True else None
            out.append(_option(item.id, " ".join(item.text.split()), code, book))
    elif fld.kind in ("choice", "multi"):
        for key, text in fld.choices.items():
            code = book.answers.get(f"{fld.finding}={key}") if fld.finding else None
            out.append(_option(key, text, code, book))
    return out


def _option(key: str, text: str, code: Any, book: CodeBook) -> Option:
    if code is None:
        return Option(key, {"system": UNKNOT_SYSTEM, "code": key, "display": text})
    # the person reads Unknot's plain words; the system and code carry the concept
    return Option(key, {**book.coding(code), "display": text})


def build_questionnaire(kb: Knowledge, version: FhirVersion = R5) -> Any:
    """The whole interview as one Questionnaire resource (a fhir.resources model)."""
    return version.model("Questionnaire").model_validate(questionnaire_json(kb, version))


def questionnaire_json(kb: Knowledge, version: FhirVersion = R5) -> dict[str, Any]:
    """The Questionnaire as plain JSON (validate it with :func:`build_questionnaire`)."""
    book = load_codes(kb)
    setters = _setters(kb, book)
    return {
        "resourceType": "Questionnaire",
        "id": QUESTIONNAIRE_ID,
        "meta": {"profile": [_profile(version)]},
        "url": QUESTIONNAIRE_URL,
        "version": kb.version,
        "name": "UnknotInterview",
        "title": "Unknot: back spasm self-care and triage interview",
        "status": "active",
        "description": (
            "The questions Unknot asks about a back spasm, most urgent first. "
            + " ".join(kb.disclaimer.split())
        ),
        "item": [_group(screen, kb, book, setters, version) for screen in kb.screens],
    }


def _profile(version: FhirVersion) -> str:
    label = "4.0" if version.release == "R4" else "5.0"
    return f"http://hl7.org/fhir/{label}/StructureDefinition/Questionnaire"


def _group(
    screen: Screen,
    kb: Knowledge,
    book: CodeBook,
    setters: Mapping[str, list[Leaf]],
    version: FhirVersion,
) -> dict[str, Any]:
    group: dict[str, Any] = {
        "linkId": screen.id,
        "type": "group",
        "text": screen.title,
        "item": [_question(screen, fld, kb, book, setters, version) for fld in screen.fields],
    }
    group.update(_enable(screen.ask_when, None, None, setters, own=screen.id))
    return group


def _question(
    screen: Screen,
    fld: QuestionField,
    kb: Knowledge,
    book: CodeBook,
    setters: Mapping[str, list[Leaf]],
    version: FhirVersion,
) -> dict[str, Any]:
    item: dict[str, Any] = {"linkId": link_id(screen, fld), "text": " ".join(fld.text.split())}
    asked = book.questions.get(fld.finding or "")
    if asked is not None:
        item["code"] = [book.coding(asked)]
    if fld.kind in ("checklist", "multi", "choice"):
        item["type"] = "coding" if version.release == "R5" else "choice"
        if fld.kind != "choice":
            item["repeats"] = True
        if version.release == "R5":
            item["answerConstraint"] = "optionsOnly"
        item["answerOption"] = [{"valueCoding": o.coding} for o in options(fld, book)]
    else:
        spec = kb.findings[fld.finding] if fld.finding else None
        item["type"] = "integer" if spec is not None and spec.type == "int" else "decimal"
    after = getattr(fld, "after", None)
    item.update(_enable(fld.ask_when, fld.skip_when, after, setters, own=item["linkId"]))
    return item


def _setters(kb: Knowledge, book: CodeBook) -> dict[str, list[Leaf]]:
    """finding -> the (question, '=', answer) leaves that set it, value by value.

    Keyed ``finding=value``; numbers are keyed by the finding alone; each
    checklist item also by ``#screen.field.item`` (for a field's ``after``).
    """
    out: dict[str, list[Leaf]] = {}
    for screen in kb.screens:
        for fld in screen.fields:
            link = link_id(screen, fld)
            coded = {o.key: o.coding for o in options(fld, book)}
            for item in fld.items:
                leaf = (link, "=", {"answerCoding": _match(coded[item.id])})
                out.setdefault(f"#{link}.{item.id}", []).append(leaf)
                finding = getattr(item, "finding", None)
                if finding:
                    out.setdefault(f"{finding}={_key(item.value)}", []).append(leaf)
            if fld.finding and fld.kind in ("choice", "multi"):
                for key in fld.choices:
                    out.setdefault(f"{fld.finding}={key}", []).append(
                        (link, "=", {"answerCoding": _match(coded[key])})
                    )
            if fld.finding and fld.kind == "number":
                out.setdefault(fld.finding, []).append((link, "exists", {}))
    return out


def _match(coding: Mapping[str, str]) -> dict[str, str]:
    return {"system": coding["system"], "code": coding["code"]}


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
                yield [
                    (link, "exists", {"answerBoolean": bool(test["known"])})
                    for link in sorted(links)
                ]
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
    after: str | None,
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
        if after:
            opener = setters.get(f"#{after}", [])
            if not opener or (behaviour == "any" and len(conditions) > 1):
                raise _Unsupported
            conditions = conditions + opener[:1]
            behaviour = "all"
    except _Unsupported:
        return {}
    conditions = [c for c in conditions if not c[0].startswith(own)]
    if not conditions:
        return {}
    out: dict[str, Any] = {
        "enableWhen": [
            {"question": link, "operator": op, **answer} for link, op, answer in conditions
        ]
    }
    if len(conditions) > 1:
        out["enableBehavior"] = behaviour
    return out
