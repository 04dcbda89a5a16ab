"""FHIR surface: the interview as a Questionnaire, a QuestionnaireResponse in, an assessment out.

FHIR R5 (``fhir.resources``) and R4 (``fhir.resources.R4B``) side by side;
see :mod:`.versions` for how a request chooses. Every error is an
OperationOutcome (:mod:`.outcome`). Imported lazily by the web app: the
models are heavy.
"""

from __future__ import annotations

from .codes import UNKNOT_SYSTEM, load_codes
from .outcome import operation_outcome
from .questionnaire import (
    QUESTIONNAIRE_ID,
    QUESTIONNAIRE_URL,
    build_questionnaire,
    questionnaire_json,
)
from .response import ResponseError, answers_from_response
from .versions import R4, R5, FhirVersion, VersionError, negotiate

__all__ = [
    "QUESTIONNAIRE_ID",
    "QUESTIONNAIRE_URL",
    "R4",
    "R5",
    "UNKNOT_SYSTEM",
    "FhirVersion",
    "ResponseError",
    "VersionError",
    "answers_from_response",
    "build_questionnaire",
    "load_codes",
    "negotiate",
    "operation_outcome",
    "questionnaire_json",
]
