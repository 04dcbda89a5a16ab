"""The JSON API: assess from findings or text, and the interview as stateless steps."""

from __future__ import annotations

from typing import Any, TypeVar

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool

from ...engine import FindingsError
from ..assessing import assessment_json, unread_json
from ..deps import SettingsDep
from ..interview_flow import IntakeUnavailable, extraction_of, run_step, step_json
from ..schemas import (
    ERROR_RESPONSES,
    AssessmentOut,
    AssessRequest,
    InterviewRequest,
    InterviewStepOut,
)

# When the reader says the words were not read but gives no reason of its own.
UNREAD_REASON = "Unknot did not recognise anything in these words."

router = APIRouter(prefix="/api", tags=["api"], responses=ERROR_RESPONSES)


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
        detail = [{"loc": ["body", *e["loc"]], "msg": e["msg"], "type": e["type"]} for e in errors]
        return JSONResponse({"detail": detail}, status_code=422)


@router.post(
    "/assess",
    response_model=AssessmentOut,
    openapi_extra=body_schema(AssessRequest),
    summary="Assess a back spasm",
    description="Send `findings` (names as in findings.yaml) or `text` (the person's own "
    "words). The answer is the same JSON as `unknot assess --format json`.",
)
async def assess_endpoint(request: Request, settings: SettingsDep) -> Response:
    body = await json_body(request, AssessRequest)
    if isinstance(body, Response):
        return body
    region = body.region or settings.region
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
        findings = dict(body.findings or {})
    if extraction is not None and not getattr(extraction, "read", True):
        reason = getattr(extraction, "unread_reason", None) or UNREAD_REASON
        result = unread_json(str(reason), region)
    else:
        doubtful = sorted(getattr(extraction, "doubtful", None) or ())
        try:
            result = assessment_json(
                findings,
                region=region,
                today=body.today,
                validated=extraction is not None,
                doubtful=doubtful,
            )
        except FindingsError as exc:
            return problem(["body", "findings", exc.field], exc.message)
    if extraction is not None:  # as the CLI: findings with the words behind each, and who
        merged = orjson.loads(result)
        merged.update(extraction.to_dict())
        result = orjson.dumps(merged)
    return Response(result, media_type="application/json")


@router.post(
    "/interview",
    response_model=InterviewStepOut,
    summary="The interview, one step at a time",
    description="Send the answers so far; get the next screen to show, or the assessment "
    "when the interview is done (at once when an emergency sign is answered).",
)
async def interview_endpoint(body: InterviewRequest, settings: SettingsDep) -> JSONResponse:
    region = body.region or settings.region
    try:
        step = run_step(body.answers, body.prefilled, body.to_confirm)
    except FindingsError as exc:
        return problem(["body", "answers", exc.field], exc.message)
    return JSONResponse(step_json(step, region=region, today=body.today))
