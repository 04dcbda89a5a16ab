"""FHIR surface: the interview as a Questionnaire, a QuestionnaireResponse in, an assessment out.

Built and validated with the ``fhir.resources`` models (FHIR R5). Imported
lazily by the web app: the models are heavy.
"""

from __future__ import annotations

from .questionnaire import QUESTIONNAIRE_ID, QUESTIONNAIRE_URL, build_questionnaire
from .response import ResponseError, answers_from_response

__all__ = [
    "QUESTIONNAIRE_ID",
    "QUESTIONNAIRE_URL",
    "ResponseError",
    "answers_from_response",
    "build_questionnaire",
]
