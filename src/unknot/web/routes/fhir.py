"""FHIR endpoints: the interview as a Questionnaire; a QuestionnaireResponse -> assessment."""

from __future__ import annotations

from functools import cache
from typing import Any

from fastapi import APIRouter, Body, HTTPException
from fastapi.responses import JSONResponse, Response

from ...engine import FindingsError
from ...knowledge import load_knowledge
from ..assessing import assess_or_fail
from ..deps import SettingsDep
from ..errors import OPERATION_OUTCOME_SCHEMA, operation_outcome
from ..interview.steps import run_step
from ..schemas import ERROR_RESPONSES, AssessmentOut

router = APIRouter(prefix="/fhir", tags=["fhir"], responses=ERROR_RESPONSES)

FHIR_JSON = "application/fhir+json"


@cache
def _questionnaire_json() -> bytes:
    from ...fhir import build_questionnaire

    return build_questionnaire(load_knowledge()).model_dump_json(exclude_none=True).encode()


@router.get(
    "/Questionnaire/{questionnaire_id}",
    summary="The interview as a FHIR Questionnaire",
    responses={200: {"content": {FHIR_JSON: {"schema": {"type": "object"}}}}, 404: {}},
)
def questionnaire(questionnaire_id: str) -> Response:
    from ...fhir import QUESTIONNAIRE_ID

    if questionnaire_id != QUESTIONNAIRE_ID:
        raise HTTPException(404, f"Only Questionnaire/{QUESTIONNAIRE_ID} exists.")
    return Response(_questionnaire_json(), media_type=FHIR_JSON)


@router.post(
    "/QuestionnaireResponse/$assess",
    response_model=AssessmentOut,
    responses={
        status: {
            "description": "Not valid FHIR, or does not fit the interview: an "
            "OperationOutcome naming the item.",
            "content": {FHIR_JSON: {"schema": OPERATION_OUTCOME_SCHEMA}},
        }
        for status in (400, 422)
    },
    summary="Assess a completed (or partly completed) interview",
)
def assess_response(
    settings: SettingsDep,
    body: dict[str, Any] = Body(  # noqa: B008 - FastAPI's way to declare a body
        ..., description="A FHIR QuestionnaireResponse to Questionnaire/unknot-interview."
    ),
) -> JSONResponse:
    from ...fhir import ResponseError, answers_from_response

    try:
        answers = answers_from_response(body, load_knowledge())
        step = run_step(answers, None)
    except (ResponseError, FindingsError) as exc:
        return operation_outcome(exc.field, exc.message)
    return JSONResponse(assess_or_fail(step.findings, region=settings.region, validated=True))
