"""A CapabilityStatement: what this FHIR endpoint offers, in the client's version."""

from __future__ import annotations

from typing import Any

from .. import __version__
from .questionnaire import QUESTIONNAIRE_URL
from .versions import FhirVersion

_FULL = {"4.0": "4.0.1", "4.3": "4.3.0", "5.0": "5.0.0"}


def capability_statement(version: FhirVersion) -> dict[str, Any]:
    raw = {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": "2026-12-01",
        "kind": "instance",
        "software": {"name": "Unknot", "version": __version__},
        "implementation": {"description": "Unknot: back spasm self-care and triage (not a "
                           "diagnosis). Runs on the person's own machine."},
        "fhirVersion": _FULL[version.label],
        "format": ["application/fhir+json", "json"],
        "rest": [
            {
                "mode": "server",
                "resource": [
                    {
                        "type": "Questionnaire",
                        "interaction": [{"code": "read"}],
                    },
                    {
                        "type": "QuestionnaireResponse",
                        "operation": [
                            {
                                "name": "assess",
                                "definition": "urn:unknot:operation:assess",
                            }
                        ],
                    },
                ],
            }
        ],
        "instantiates": [],
    }
    raw.pop("instantiates")
    raw["description"] = f"Serves Questionnaire {QUESTIONNAIRE_URL} and assesses responses to it."
    model = version.model("CapabilityStatement")
    out: dict[str, Any] = model.model_validate(raw).model_dump(mode="json", exclude_none=True)
    return out
