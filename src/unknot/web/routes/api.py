"""The JSON API: assess from findings or text, and the interview as stateless steps."""

from __future__ import annotations

from typing import Any, TypeVar

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool

from ...engine import Assessment, FindingsError, run, unread_assessment
from ...engine.findings import known, problem_message
from ...engine.results import AssessmentBrief
from ...engine.serialize import assessment_json as to_json
from ..assessing import assessment_json
from ..deps import SettingsDep
from ..interview.api_json import step_json
from ..interview.steps import run_step
from ..interview.story import IntakeUnavailable, extraction_of
from ..schemas import (
    ERROR_RESPONSES,
    AssessRequest,
    InterviewRequest,
    InterviewStepOut,
)

router = APIRouter(prefix="/api", tags=["api"], responses=ERROR_RESPONSES)

INTERVIEW_DOC = """Stateless: send every answer so far; get the next screen, or the result.

**In:** `{"answers": {screen_id: {field_id: value}}, "region": "uk"}`. A checklist's
value is the list of ticked item ids (the item with `"none": true` is "None of
these"; a checklist left out or empty is *unanswered*, never "no"); a number field
takes a number or null; a choice field one of its `choices` keys or null; a multi
field a list of keys.

**Out:** `{"done": false, "screen": {...}}` with the next screen to show, or
`{"done": true, "assessment": {...}, "why_screen": {...} | null}`. Each field
declares the `finding` it sets (a name from findings.yaml); each checklist item
its `finding` and `value`, or, for a broad question covering several findings,
`findings: [...]` (ticked = at least one present; a field with `after` naming it
asks the details on the next screen).

**Order** (TRIAGE.md "How the assessment asks"): doubtful signs from `prefilled`
are confirmed first (`to_confirm`); emergency signs next, and `done` comes at once
when one is yes; then the other safety questions and the episode; safety
questions still unanswered are asked once more on one `recheck` screen; then the
result. The optional "Why did this happen?" step never comes before the result:
it is the `why_screen` of a `done: true` answer; send its answers under its id
for a result with the factors and prevention plan refined.

An unknown screen, field or item is a 422 whose `loc` names it."""


FULL_PARAMETER = {
    "name": "full",
    "in": "query",
    "required": False,
    "schema": {"type": "boolean", "default": False},
    "description": "true: the full plan, every advice item and checkpoint with its text "
    "(the same JSON as `unknot assess --format json`). false (default): the compact "
    "answer, the plan's items by id and title, with their cautions and sources.",
}
_TRUE, _FALSE = ("true", "1", "yes"), ("false", "0", "no", "")


def full_wanted(request: Request) -> bool | Response:
    """The ``full`` query parameter, read by hand: the hot path skips FastAPI's
    parameter machinery (it cost more than the assessment)."""
    raw = request.query_params.get("full", "").strip().lower()
    if raw in _TRUE or raw in _FALSE:
        return raw in _TRUE
    return problem(["query", "full"], "must be true or false")


def problem(loc: list[str], message: str, kind: str = "value_error") -> JSONResponse:
    return JSONResponse({"detail": [{"loc": loc, "msg": message, "type": kind}]}, status_code=422)


M = TypeVar("M", bound=BaseModel)
NOT_JSON = "The body is not valid JSON."


def parse_json(raw: bytes) -> Any:
    """A JSON body, or a 400 answer. Numbers JSON cannot hold (NaN, Infinity, 1e309)
    are read as floats, so that the field's check names them (422), not the parser."""
    import json

    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        pass
    try:
        return json.loads(raw)
    except RecursionError:
        return JSONResponse({"detail": "The body is nested too deeply."}, status_code=400)
    except ValueError:
        return JSONResponse({"detail": NOT_JSON}, status_code=400)


def body_schema(model: type[BaseModel]) -> dict[str, Any]:
    """OpenAPI for a JSON body read by :func:`json_body`."""
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": model.model_json_schema()}},
        }
    }


async def json_body(request: Request, model: type[M]) -> M | Response:
    """The request's JSON body as ``model``, or a 4xx naming what is wrong.

    Read directly with pydantic-core (the assess endpoint is the hot path); only
    JSON bodies are accepted, which a page on another site cannot send here.
    """
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/json" and not kind.endswith("+json"):
        return problem(["header", "content-type"], "must be application/json")
    raw = await request.body()
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_input=False)
        if any(e["type"] == "json_invalid" for e in errors):
            return JSONResponse({"detail": "The body is not valid JSON."}, status_code=400)
        detail = [
            {"loc": ["body", *e["loc"]], "msg": problem_message(e), "type": e["type"]}
            for e in errors
        ]
        return JSONResponse({"detail": detail}, status_code=422)


@router.post(
    "/assess",
    response_model=AssessmentBrief | Assessment,
    openapi_extra={**body_schema(AssessRequest), "parameters": [FULL_PARAMETER]},
    summary="Assess a back spasm",
    description="Send `findings` (names as in findings.yaml) or `text` (the person's own "
    "words). The answer is compact by default: the level, the concerns and why, the "
    "factors, the questions still unanswered, and the plan's items by id and title. "
    "Add `?full=true` for every item's text: the same JSON as "
    "`unknot assess --format json`.",
)
async def assess_endpoint(request: Request) -> Response:
    # only the request: no dependencies to solve on the busiest endpoint
    full = full_wanted(request)
    if isinstance(full, Response):
        return full
    body = await json_body(request, AssessRequest)
    if isinstance(body, Response):
        return body
    region = body.region or request.app.state.settings.region
    if (body.findings is None) == (body.text is None):
        return problem(["body"], "send either findings or text, not both and not neither")
    extraction = None
    if body.text is not None:
        try:
            extraction = await run_in_threadpool(extraction_of, body.text)  # spaCy: off the loop
        except IntakeUnavailable:
            return problem(
                ["body", "text"], "free-text intake is not available here; send findings"
            )
        findings: dict[str, Any] = dict(extraction.findings)
    else:
        findings = known(body.findings) if body.findings is not None else {}
    if extraction is not None:  # as the CLI: who the words are about, and the words
        if not getattr(extraction, "read", True):
            result = unread_assessment(getattr(extraction, "unread_reason", None), region)
        else:
            result = run(
                findings,
                region=region,
                today=body.today,
                validated=True,
                doubtful=extraction.doubtful,
            )
        result = result.with_words(extraction.subject, extraction.evidence)
        return Response(to_json(result, compact=not full), media_type="application/json")
    try:
        data = assessment_json(
            findings, region=region, today=body.today, validated=True, compact=not full
        )
    except FindingsError as exc:
        return problem(["body", "findings", exc.field], exc.message)
    return Response(data, media_type="application/json")


@router.post(
    "/interview",
    response_model=InterviewStepOut,
    summary="The interview, one step at a time (stateless)",
    description=INTERVIEW_DOC,
)
async def interview_endpoint(body: InterviewRequest, settings: SettingsDep) -> JSONResponse:
    region = body.region or settings.region
    try:
        step = run_step(
            body.answer_map(),
            known(body.prefilled) if body.prefilled is not None else None,
            body.to_confirm,
        )
    except FindingsError as exc:
        return problem(["body", "answers", *exc.field.split(".")], f"{exc.field}: {exc.message}")
    return JSONResponse(step_json(step, region=region, today=body.today))
