"""A QuestionnaireResponse to the interview -> the interview's answers.

The response is validated with ``fhir.resources`` in the client's version
(R5, or R4 with the R4B models); its answers are read back into the
``{screen: {field: value}}`` form the engine's interview takes. Every linkId
must be an item of the Questionnaire, and every coded answer one of that
question's options (by its standard code or Unknot's own): anything else is
refused with the item named, never silently dropped.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import ValidationError

from ..knowledge import Knowledge
from ..knowledge.models import QuestionField
from .codes import UNKNOT_SYSTEM, load_codes
from .questionnaire import QUESTIONNAIRE_ID, QUESTIONNAIRE_URL, link_id, options
from .versions import R5, FhirVersion

# QuestionnaireResponse.status codes that carry answers worth assessing;
# "entered-in-error" does not.
USABLE_STATUS = frozenset({"in-progress", "completed", "amended", "stopped"})
#: How a client may name the Questionnaire it answered.
_QUESTIONNAIRE_NAMES = frozenset({QUESTIONNAIRE_URL, f"Questionnaire/{QUESTIONNAIRE_ID}"})


class ResponseError(ValueError):
    """A QuestionnaireResponse that is not valid FHIR or does not fit the interview.

    ``field`` names the place (a linkId, or an element such as ``status``);
    ``expression`` is the FHIRPath of it, for OperationOutcome.issue.expression.
    """

    def __init__(self, field: str, message: str, expression: str | None = None) -> None:
        self.field, self.message = field, message
        self.expression = expression or f"QuestionnaireResponse.{field}"
        super().__init__(f"{field}: {message}")


def _item_error(link: str, message: str) -> ResponseError:
    return ResponseError(link, message, f"QuestionnaireResponse.item.where(linkId='{link}')")


def answers_from_response(
    raw: Any, kb: Knowledge, version: FhirVersion = R5
) -> dict[str, dict[str, Any]]:
    """Validate a QuestionnaireResponse (JSON) and return the interview answers in it."""
    if not isinstance(raw, Mapping) or raw.get("resourceType") != "QuestionnaireResponse":
        raise ResponseError("resourceType", "must be QuestionnaireResponse", "resourceType")
    try:
        response = version.model("QuestionnaireResponse").model_validate(dict(raw))
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(first.get("loc", ()))
        where = ".".join(str(p) for p in loc if p != "__root__") or "body"
        link = _link_at(raw, loc)
        if link is not None:
            where = f"{link} ({where})"
        raise ResponseError(where, str(first.get("msg", "is not valid FHIR"))) from None
    if response.status not in USABLE_STATUS:
        raise ResponseError("status", "must be one of " + ", ".join(sorted(USABLE_STATUS)))
    named = _questionnaire_name(response.questionnaire)
    if named and named.split("|")[0] not in _QUESTIONNAIRE_NAMES:
        raise ResponseError("questionnaire", f"must be {QUESTIONNAIRE_URL}")
    book = load_codes(kb)
    fields = {link_id(s, f): (s.id, f) for s in kb.screens for f in s.fields}
    groups = {s.id for s in kb.screens}
    answers: dict[str, dict[str, Any]] = {}
    for item in _walk(response.item or ()):
        link = str(item.linkId)
        if link in groups:
            if item.answer:
                raise _item_error(link, "is a group of questions and takes no answer")
            continue
        if link not in fields:
            raise _item_error(link, _unknown(link, [*groups, *fields]))
        screen_id, fld = fields[link]
        coded = {}
        for o in options(fld, book):
            coded[(o.coding["system"], o.coding["code"])] = o.key
            coded[(UNKNOT_SYSTEM, o.key)] = o.key
        values = [_value(a, link, fld, coded) for a in (item.answer or ())]
        if fld.kind in ("checklist", "multi"):
            answers.setdefault(screen_id, {})[fld.id] = [str(v) for v in values]
        elif len(values) > 1:
            raise _item_error(link, "takes one answer")
        else:
            answers.setdefault(screen_id, {})[fld.id] = values[0] if values else None
    return answers


def _link_at(raw: Any, loc: tuple[Any, ...]) -> str | None:
    """The linkId of the innermost item on the path ``loc`` into the raw JSON, if any."""
    link, node = None, raw
    for step in loc:
        if isinstance(node, Mapping) and isinstance(node.get("linkId"), str):
            link = node["linkId"]
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
    return link


def _questionnaire_name(value: Any) -> str | None:
    """R5 and R4 give a canonical string; some R4 clients a Reference object."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    reference = getattr(value, "reference", None)
    return str(reference) if reference else None


def _unknown(link: str, known: list[str]) -> str:
    message = f"is not an item of Questionnaire/{QUESTIONNAIRE_ID}"
    close = difflib.get_close_matches(link, known, n=1)
    return message + (f" (did you mean {close[0]}?)" if close else "")


def _walk(items: Iterable[Any]) -> Iterable[Any]:
    for item in items:
        yield item
        yield from _walk(item.item or ())
        for answer in item.answer or ():
            yield from _walk(answer.item or ())


def _value(
    answer: Any, link: str, fld: QuestionField, coded: Mapping[tuple[str, str], str]
) -> Any:
    if fld.kind == "number":
        for attr in ("valueInteger", "valueDecimal"):
            value = getattr(answer, attr, None)
            if value is not None:
                return float(value) if attr == "valueDecimal" else value
        raise _item_error(link, "must be answered with a number (valueInteger or valueDecimal)")
    coding = answer.valueCoding
    if coding is None:
        raise _item_error(link, "must be answered with a valueCoding from its answerOption")
    code = str(coding.code or "")
    system = str(coding.system) if coding.system else UNKNOT_SYSTEM
    key = coded.get((system, code))
    if key is None:
        allowed = ", ".join(sorted({k for k in coded.values()}))
        raise _item_error(link, f"{code!r} ({system}) is not one of its answers: {allowed}")
    return key
