"""FHIR endpoints: the interview as a Questionnaire; a QuestionnaireResponse -> assessment.

R5 or R4 per request (``?fhirVersion=4.0`` or ``Accept: application/fhir+json;
fhirVersion=4.0``); every error under /fhir is an OperationOutcome in that
version, including unknown paths and methods.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

import orjson
from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from ...engine import Assessment, FindingsError
from ...knowledge import load_knowledge
from ..assessing import assess_or_fail
from ..deps import SettingsDep
from ..interview.steps import run_step

if TYPE_CHECKING:
    from ...fhir import FhirVersion

router = APIRouter(prefix="/fhir", tags=["fhir"])

FHIR_JSON = "application/fhir+json"
_OUTCOME = {"content": {FHIR_JSON: {"schema": {"type": "object"}}}}
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "Not JSON, or an unknown fhirVersion (OperationOutcome).", **_OUTCOME},
    404: {"description": "No such resource (OperationOutcome).", **_OUTCOME},
    406: {"description": "Accept asks for a fhirVersion not served (OperationOutcome).",
          **_OUTCOME},
    422: {"description": "Not a valid response to the interview (OperationOutcome).", **_OUTCOME},
}
VERSION_HELP = "4.0 (R4), 4.3 (R4B) or 5.0 (R5, the default). Overrides Accept."
_KNOWN = {"metadata": "GET", "QuestionnaireResponse/$assess": "POST"}


class FhirProblem(Exception):
    def __init__(
        self,
        status: int,
        diagnostics: str,
        expression: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.status, self.diagnostics, self.expression = status, diagnostics, expression
        self.headers = headers


def _outcome(problem: FhirProblem, version: FhirVersion | None) -> JSONResponse:
    from ...fhir import R5, operation_outcome
    from ...fhir.outcome import ISSUE_FOR_STATUS

    version = version or R5
    body = operation_outcome(
        problem.diagnostics,
        code=ISSUE_FOR_STATUS.get(problem.status, "processing"),
        expression=problem.expression,
        version=version,
    )
    return JSONResponse(
        body, status_code=problem.status, media_type=version.media_type, headers=problem.headers
    )


def _version(request: Request, query: str | None) -> FhirVersion:
    from ...fhir import VersionError, negotiate

    try:
        return negotiate(
            query,
            accept=request.headers.get("accept"),
            content_type=request.headers.get("content-type"),
        )
    except VersionError as exc:
        status = {"Accept": 406, "Content-Type": 415}.get(exc.where, 400)
        raise FhirProblem(status, str(exc), exc.where) from None


@cache
def _questionnaire_json(release: str) -> bytes:
    from ...fhir import R4, R5, build_questionnaire

    version = R4 if release == "R4" else R5
    resource = build_questionnaire(load_knowledge(), version)
    return bytes(resource.model_dump_json(exclude_none=True).encode())


@router.get(
    "/Questionnaire/{questionnaire_id}",
    summary="The interview as a FHIR Questionnaire (R5 or R4)",
    responses={200: {"content": {FHIR_JSON: {"schema": {"type": "object"}}}}, **ERRORS},
)
def questionnaire(
    request: Request,
    questionnaire_id: str,
    fhir_version: str | None = Query(None, alias="fhirVersion", description=VERSION_HELP),
) -> Response:
    from ...fhir import QUESTIONNAIRE_ID

    version = None
    try:
        version = _version(request, fhir_version)
        if questionnaire_id != QUESTIONNAIRE_ID:
            raise FhirProblem(404, f"Only Questionnaire/{QUESTIONNAIRE_ID} exists.")
    except FhirProblem as problem:
        return _outcome(problem, version)
    label = version.label
    body = _questionnaire_json(version.release)
    if version.release == "R4" and label != "4.0":
        body = body.replace(b"/4.0/StructureDefinition", f"/{label}/StructureDefinition".encode())
    return Response(body, media_type=version.media_type)


@router.post(
    "/QuestionnaireResponse/$assess",
    response_model=Assessment,
    summary="Assess a completed (or partly completed) interview",
    responses=ERRORS,
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "A FHIR QuestionnaireResponse (R5 or R4) to "
            "Questionnaire/unknot-interview.",
            "content": {
                FHIR_JSON: {"schema": {"type": "object"}},
                "application/json": {"schema": {"type": "object"}},
            },
        }
    },
)
async def assess_response(
    request: Request,
    settings: SettingsDep,
    fhir_version: str | None = Query(None, alias="fhirVersion", description=VERSION_HELP),
) -> JSONResponse:
    from ...fhir import ResponseError, answers_from_response

    version = None
    try:
        version = _version(request, fhir_version)
        try:
            raw = orjson.loads(await request.body())
        except orjson.JSONDecodeError:
            raise FhirProblem(400, "The body is not valid JSON.") from None
        try:
            answers = answers_from_response(raw, load_knowledge(), version)
            step = run_step(answers, None)
        except ResponseError as exc:
            raise FhirProblem(422, f"{exc.field}: {exc.message}", exc.expression) from None
        except FindingsError as exc:
            raise FhirProblem(422, f"{exc.field}: {exc.message}") from None
    except FhirProblem as problem:
        return _outcome(problem, version)
    return JSONResponse(assess_or_fail(step.findings, region=settings.region, validated=True))


@router.get(
    "/metadata",
    summary="What this FHIR endpoint offers (CapabilityStatement, R5 or R4)",
    responses={200: {"content": {FHIR_JSON: {"schema": {"type": "object"}}}}, **ERRORS},
)
def metadata(
    request: Request,
    fhir_version: str | None = Query(None, alias="fhirVersion", description=VERSION_HELP),
) -> Response:
    from ...fhir.capability import capability_statement

    version = None
    try:
        version = _version(request, fhir_version)
    except FhirProblem as problem:
        return _outcome(problem, version)
    return JSONResponse(capability_statement(version), media_type=version.media_type)


@router.api_route(
    "/{rest:path}",
    methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
    include_in_schema=False,
)
def not_here(request: Request, rest: str) -> Response:
    """Anything else under /fhir: an OperationOutcome, never a plain 404."""
    from ...fhir import R5, VersionError, negotiate

    try:
        version = negotiate(request.query_params.get("fhirVersion"))
    except VersionError:
        version = R5
    known = _KNOWN.get(rest.rstrip("/"))
    if known is None and rest.startswith("Questionnaire/") and rest.count("/") == 1:
        known = "GET"
    if known is not None and request.method != known:
        problem = FhirProblem(
            405, f"{request.method} is not allowed here; use {known}.", headers={"allow": known}
        )
    else:
        problem = FhirProblem(404, f"Nothing at /fhir/{rest}. See /fhir/metadata.")
    return _outcome(problem, version)
