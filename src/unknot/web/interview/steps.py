"""Ask the engine for the next step, and assess a finished interview."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from ...engine.interview import Step, next_step
from ..assessing import assess_or_fail


def run_step(
    answers: Mapping[str, Mapping[str, Any]],
    prefilled: Mapping[str, Any] | None,
    to_confirm: Iterable[str] = (),
) -> Step:
    """The engine's next step (it validates the answers and raises FindingsError)."""
    return next_step(
        {k: dict(v) if isinstance(v, Mapping) else v for k, v in answers.items()},
        prefilled=dict(prefilled) if prefilled else None,
        to_confirm=tuple(to_confirm),
    )


def progress_of(step: Step) -> tuple[int, int]:
    """(answered, total) from the step."""
    answered, total = step.progress
    return int(answered), int(total)


def assess_step(step: Step, *, region: str | None, today: date | None = None) -> dict[str, Any]:
    """The assessment of a finished step, doubtful signs counted as present."""
    return assess_or_fail(
        step.findings, region=region, today=today, validated=True, doubtful=step.doubtful
    )
