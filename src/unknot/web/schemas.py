"""JSON shapes of the API, for validation and the OpenAPI schema.

The assessment, the findings and the interview's answers are the engine's own
models (:class:`unknot.engine.Assessment`, :func:`unknot.engine.findings.findings_model`,
:func:`unknot.engine.findings.answers_model`): the API documents and checks the
same shapes as the CLI and the diary. Only the requests' envelopes and the
interview's screens are defined here.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..bounds import Day
from ..engine.findings import findings_model
from ..engine.results import Assessment

MAX_TEXT = 5000


def _iso_date_only(value: Any) -> Any:
    """Dates come as ``YYYY-MM-DD`` text, not as numbers read as timestamps."""
    if value is not None and not isinstance(value, str | date):
        raise ValueError("must be a date written as YYYY-MM-DD")
    return value


#: A person's findings and the interview's answers: generated from the knowledge.
Findings = findings_model()


class AssessRequest(BaseModel):
    """Findings (names as in findings.yaml) or a person's own words, not both."""

    model_config = ConfigDict(extra="forbid")

    findings: Findings | None = Field(  # type: ignore[valid-type]
        default=None,
        description="Finding name -> value; null means unknown.",
        examples=[{"age": 35, "trigger": ["lifting"], "saddle_numbness": False}],
    )
    text: str | None = Field(
        default=None,
        max_length=MAX_TEXT,
        description="What happened, in the person's own words (free-text intake).",
    )
    region: str | None = Field(default=None, max_length=20, description="Region id, e.g. uk, us.")
    today: Day | None = Field(
        default=None, description="Date to plan from (default: today), 1900-01-01 to 2199-12-31."
    )

    _today = field_validator("today", mode="before")(_iso_date_only)


class InterviewRequest(BaseModel):
    """The answers so far; the reply is the next screen or the result."""

    model_config = ConfigDict(extra="forbid")

    # checked by the engine's interview, which also asks screens of its own (recheck,
    # confirm) and names the bad key; the knowledge's screens are in answers_model()
    answers: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description="screen id -> field id -> value (checklist: ticked item ids; "
        "number: number or null; choice: key or null; multi: list of keys).",
    )
    prefilled: Findings | None = Field(  # type: ignore[valid-type]
        default=None, description="Findings already known, e.g. from free text."
    )
    def answer_map(self) -> dict[str, dict[str, Any]]:
        """The answers given, as the engine's interview reads them (left-out stays out)."""
        return self.answers

    to_confirm: list[str] = Field(
        default_factory=list,
        max_length=100,
        description="Prefilled danger signs read with doubt: the interview confirms them first.",
    )
    region: str | None = Field(default=None, max_length=20)
    today: Day | None = Field(
        default=None, description="Date to plan from (default: today), 1900-01-01 to 2199-12-31."
    )

    _today = field_validator("today", mode="before")(_iso_date_only)

    @field_validator("to_confirm")
    @classmethod
    def _known_findings(cls, value: list[str]) -> list[str]:
        from ..knowledge import load_knowledge

        findings = load_knowledge().findings
        unknown = [name for name in value if name not in findings]
        if unknown:
            raise ValueError(f"unknown finding(s) {unknown} (see findings.yaml)")
        return value


class ChecklistItemOut(BaseModel):
    """One tickable line: a finding and its value, a broad question, or "None of these"."""

    id: str
    text: str
    finding: str | None = Field(description="The finding a tick sets (null: broad or none).")
    value: Any = Field(description="The value a tick gives `finding`.")
    findings: list[str] = Field(
        description="A broad question: the findings it covers (a tick = at least one "
        "present; details follow on the next screen; not ticked = none of them)."
    )
    none: bool = Field(description='"None of these": ticked alone, it answers "no" to all.')


class FieldOut(BaseModel):
    id: str
    kind: Literal["checklist", "number", "choice", "multi"]
    text: str
    unit: str | None
    finding: str | None = Field(description="The finding this field sets (null: a checklist).")
    items: list[ChecklistItemOut]
    choices: dict[str, str]
    after: str | None = Field(
        description="`screen.field.item` of the broad question whose tick opened this field."
    )


class ScreenOut(BaseModel):
    id: str
    title: str
    help: str | None
    stage: str = Field(description="emergency, urgent, about, episode, soon or lifestyle.")
    safety: bool = Field(description="True when the screen asks safety questions.")
    fields: list[FieldOut]


class ProgressOut(BaseModel):
    answered: int
    total: int


class InterviewStepOut(BaseModel):
    """Either the next screen (``done`` false) or the assessment (``done`` true)."""

    done: bool
    screen: ScreenOut | None = Field(description="The next screen; null when done.")
    assessment: Assessment | None = Field(description="The result; null until done.")
    why_screen: ScreenOut | None = Field(
        description='With the result only: the optional "Why did this happen?" screen.'
    )
    asked: list[str]
    progress: ProgressOut
    to_confirm: list[str]
    doubtful: list[str] = Field(
        description="Signs read with doubt, not yet confirmed: counted as present."
    )


class Problem(BaseModel):
    """A 4xx answer: which field is wrong and what is allowed."""

    detail: list[dict[str, Any]]


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"description": "The body is not valid JSON."},
    403: {"description": "A request from another site (Sec-Fetch-Site: cross-site)."},
    413: {"description": "The body is larger than the server accepts."},
    422: {"model": Problem, "description": "Bad input: the field and what is allowed."},
}
