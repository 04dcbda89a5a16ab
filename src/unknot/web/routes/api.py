"""The JSON API: assess from findings or text, and the interview as stateless steps."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from ...engine import FindingsError
from ..assessing import assess_or_fail
from ..deps import SettingsDep
from ..interview_flow import IntakeUnavailable, extract, run_step, step_json
from ..schemas import (
    ERROR_RESPONSES,
    AssessmentOut,
    AssessRequest,
    InterviewRequest,
    InterviewStepOut,
)

router = APIRouter(prefix="/api", tags=["api"], responses=ERROR_RESPONSES)


def problem(loc: list[str], message: str, kind: str = "value_error") -> JSONResponse:
    return JSONResponse({"detail": [{"loc": loc, "msg": message, "type": kind}]}, status_code=422)


@router.post(
    "/assess",
    response_model=AssessmentOut,
    summary="Assess a back spasm",
    description="Send `findings` (names as in findings.yaml) or `text` (the person's own "
    "words). The answer is the same JSON as `unknot assess --format json`.",
)
def assess_endpoint(body: AssessRequest, settings: SettingsDep) -> JSONResponse:
    region = body.region or settings.region
    if (body.findings is None) == (body.text is None):
        return problem(["body"], "send either findings or text, not both and not neither")
    findings: dict[str, Any]
    validated = False
    if body.text is not None:
        try:
            findings = extract(body.text)
        except IntakeUnavailable:
            return problem(
                ["body", "text"], "free-text intake is not available here; send findings"
            )
        validated = True
    else:
        findings = dict(body.findings or {})
    try:
        result = assess_or_fail(findings, region=region, today=body.today, validated=validated)
    except FindingsError as exc:
        return problem(["body", "findings", exc.field], exc.message)
    return JSONResponse(result)


@router.post(
    "/interview",
    response_model=InterviewStepOut,
    summary="The interview, one step at a time",
    description="Send the answers so far; get the next screen to show, or the assessment "
    "when the interview is done (at once when an emergency sign is answered).",
)
def interview_endpoint(body: InterviewRequest, settings: SettingsDep) -> JSONResponse:
    region = body.region or settings.region
    try:
        step = run_step(body.answers, body.prefilled, body.to_confirm)
    except FindingsError as exc:
        return problem(["body", "answers", exc.field], exc.message)
    return JSONResponse(step_json(step, region=region, today=body.today))
