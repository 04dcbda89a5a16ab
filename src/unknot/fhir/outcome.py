"""FHIR errors as OperationOutcome resources, in the version the client speaks."""

from __future__ import annotations

from typing import Any, Literal

from .versions import R5, FhirVersion

# OperationOutcome.issue.code values (the IssueType value set, same in R4 and R5).
IssueCode = Literal[
    "invalid", "structure", "required", "value", "not-found", "not-supported", "exception",
    "processing",
]

#: HTTP status -> the issue code that fits it best.
ISSUE_FOR_STATUS: dict[int, IssueCode] = {
    400: "structure", 404: "not-found", 405: "not-supported", 406: "not-supported",
    415: "not-supported", 422: "processing", 500: "exception",
}


def operation_outcome(
    diagnostics: str,
    *,
    code: IssueCode = "processing",
    expression: str | None = None,
    severity: Literal["error", "fatal", "warning", "information"] = "error",
    version: FhirVersion = R5,
) -> dict[str, Any]:
    """An OperationOutcome with one issue, validated with fhir.resources, as JSON."""
    issue: dict[str, Any] = {"severity": severity, "code": code, "diagnostics": diagnostics}
    if expression:
        issue["expression"] = [expression]
    raw = {"resourceType": "OperationOutcome", "issue": [issue]}
    model = version.model("OperationOutcome")
    validated: dict[str, Any] = model.model_validate(raw).model_dump(mode="json", exclude_none=True)
    return validated
