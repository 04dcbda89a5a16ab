"""A QuestionnaireResponse to the interview -> the interview's answers.

The response is validated with ``fhir.resources``; its answers are read back
into the ``{screen: {field: value}}`` form the engine's interview takes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from fhir.resources.questionnaireresponse import QuestionnaireResponse
from pydantic import ValidationError

from ..knowledge import Knowledge
from .questionnaire import QUESTIONNAIRE_URL

# QuestionnaireResponse.status codes (FHIR R5) that carry answers worth assessing;
# "entered-in-error" does not.
USABLE_STATUS = frozenset({"in-progress", "completed", "amended", "stopped"})


class ResponseError(ValueError):
    """A QuestionnaireResponse that is not valid FHIR or does not fit the interview."""

    def __init__(self, field: str, message: str) -> None:
        self.field, self.message = field, message
        super().__init__(f"{field}: {message}")


def answers_from_response(raw: Any, kb: Knowledge) -> dict[str, dict[str, Any]]:
    """Validate a QuestionnaireResponse (JSON) and return the interview answers in it."""
    if not isinstance(raw, Mapping) or raw.get("resourceType") != "QuestionnaireResponse":
        raise ResponseError("resourceType", "must be QuestionnaireResponse")
    try:
        response = QuestionnaireResponse.model_validate(dict(raw))
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(first.get("loc", ()))
        where = ".".join(str(p) for p in loc) or "body"
        link = _link_at(raw, loc)
        if link is not None:
            where = f"{link} ({where})"
        raise ResponseError(where, str(first.get("msg", "is not valid FHIR"))) from None
    if response.status not in USABLE_STATUS:
        raise ResponseError("status", "must be one of " + ", ".join(sorted(USABLE_STATUS)))
    if response.questionnaire and response.questionnaire.split("|")[0] != QUESTIONNAIRE_URL:
        raise ResponseError("questionnaire", f"must be {QUESTIONNAIRE_URL}")
    fields = {f"{s.id}.{f.id}": (s.id, f) for s in kb.screens for f in s.fields}
    groups = {s.id for s in kb.screens}
    answers: dict[str, dict[str, Any]] = {}
    for item in _walk(response.item or ()):
        link = str(item.linkId)
        if link in groups:
            continue  # a screen's group: its questions are read one by one
        if link not in fields:  # a misspelt item must not be read as unanswered
            raise ResponseError(
                link,
                "is not an item of the Questionnaire; items are a screen id or "
                "screen.field, e.g. emergency_signs.signs",
            )
        screen_id, fld = fields[link]
        values = [_value(a, link) for a in (item.answer or ())]
        if fld.kind in ("checklist", "multi"):
            answers.setdefault(screen_id, {})[fld.id] = [str(v) for v in values]
        elif len(values) > 1:
            raise ResponseError(link, "takes one answer")
        else:
            value = values[0] if values else None
            if fld.kind == "choice" and value is not None:
                value = str(value).lower() if isinstance(value, bool) else str(value)
            if fld.kind == "number" and value is not None and not isinstance(value, int | float):
                raise ResponseError(link, "must be answered with a number")
            answers.setdefault(screen_id, {})[fld.id] = value
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


def _walk(items: Iterable[Any]) -> Iterable[Any]:
    for item in items:
        yield item
        yield from _walk(item.item or ())
        for answer in item.answer or ():
            yield from _walk(answer.item or ())


def _value(answer: Any, link: str) -> Any:
    if answer.valueCoding is not None:
        return answer.valueCoding.code
    for attr in ("valueInteger", "valueDecimal", "valueBoolean", "valueString"):
        value = getattr(answer, attr, None)
        if value is not None:
            return float(value) if attr == "valueDecimal" else value
    raise ResponseError(link, "answer must be a coding, a number, a boolean or a string")
