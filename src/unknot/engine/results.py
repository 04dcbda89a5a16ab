"""What an assessment returns: plain frozen dataclasses, turned into JSON by ``to_dict``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True, slots=True)
class Evidence:
    """One answer that led to a conclusion: the finding, its value, and how it reads."""

    finding: str
    value: Any
    label: str


@dataclass(frozen=True, slots=True)
class ConcernResult:
    id: str
    level: str
    title: str
    why: str
    what_to_do: str
    rules: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    citations: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FactorResult:
    id: str
    title: str
    why: str
    what_to_do: str
    episode_related: bool
    evidence: tuple[Evidence, ...]
    citations: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AdviceResult:
    id: str
    title: str
    text: str
    why: str | None
    cautions: tuple[str, ...]
    exercises: tuple[str, ...]
    answers: tuple[str, ...]
    citations: tuple[str, ...]
    reminder: str | None = None


@dataclass(frozen=True, slots=True)
class PhaseResult:
    id: str
    title: str
    starts: date | None
    ends: date | None
    items: tuple[AdviceResult, ...]


@dataclass(frozen=True, slots=True)
class CheckpointResult:
    id: str
    title: str
    text: str
    date: date | None
    event: str | None
    passed: bool
    citations: tuple[str, ...]


SCHEMA_VERSION = "2"


@dataclass(frozen=True, slots=True)
class Assessment:
    """The whole result. ``level`` is one of emergency, urgent, soon, self_care,
    or None only when the person's words could not be read (``unread_reason``).

    ``complete``: every safety question is answered, none said with doubt, and
    the text (if any) was read. ``unanswered``: safety findings still unknown,
    most urgent first. ``doubtful``: signs said with doubt, counted as present
    for the level until confirmed or denied.
    """

    level: str | None
    level_title: str
    headline: str
    concerns: tuple[ConcernResult, ...]
    factors: tuple[FactorResult, ...]
    unanswered: tuple[str, ...]
    relief_plan: tuple[PhaseResult, ...]
    prevention_plan: tuple[AdviceResult, ...]
    exercises: tuple[str, ...]
    checkpoints: tuple[CheckpointResult, ...]
    emergency_number: str
    region: str
    disclaimer: str
    knowledge_version: str
    findings: dict[str, Any] = field(default_factory=dict)
    onset_date: date | None = None
    error: str | None = None
    complete: bool = False
    doubtful: tuple[str, ...] = ()
    unread_reason: str | None = None
    schema_version: str = SCHEMA_VERSION

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: dates as ISO strings, sets as sorted lists."""
        from .serialize import assessment_dict  # orjson: about 15 times faster than asdict

        return assessment_dict(self)

