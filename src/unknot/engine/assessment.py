"""``assess()``: findings in, a complete assessment out. Pure: no I/O, no clock
unless ``today`` is left out."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from ..knowledge import Knowledge, load_knowledge
from .derived import with_derived
from .factors import contributing_factors
from .findings import validate_findings
from .plans import checkpoints, exercises_in, prevention_plan, relief_plan
from .results import AdviceResult, Assessment, CheckpointResult, PhaseResult
from .triage import triage, unanswered_safety


def emergency_number(kb: Knowledge, region: str | None) -> tuple[str, str]:
    """(region id, emergency number text) for a region, falling back to the default."""
    chosen = kb.regions.get((region or "").lower()) or kb.regions[kb.default_region]
    return chosen.id, chosen.emergency_number


def assess(
    raw_findings: Mapping[str, Any],
    *,
    today: date | None = None,
    region: str | None = None,
    kb: Knowledge | None = None,
    validated: bool = False,
) -> Assessment:
    """Assess a person's findings (names as in findings.yaml).

    Raises FindingsError on bad input. ``validated=True`` skips validation for
    callers that already normalised the findings (the interview, the diary).
    """
    kb = kb or load_knowledge()
    today = today or date.today()
    findings = dict(raw_findings) if validated else validate_findings(raw_findings, kb)
    facts = with_derived(findings)
    region_id, number = emergency_number(kb, region)

    level, concerns = triage(facts, kb, number)
    factors = contributing_factors(facts, kb)
    days = findings.get("days_since_onset")
    onset = today - timedelta(days=int(days)) if days is not None else today

    relief: tuple[PhaseResult, ...] = ()
    prevention: tuple[AdviceResult, ...] = ()
    dated: tuple[CheckpointResult, ...] = ()
    if level != "emergency":
        relief = relief_plan(facts, kb, onset)
        prevention = prevention_plan(facts, factors, kb)
        dated = checkpoints(kb, onset, today)
    phase_items = [item for phase in relief for item in phase.items]
    spec = kb.levels[level]
    return Assessment(
        level=level,
        level_title=spec.title,
        headline=spec.headline,
        concerns=concerns,
        factors=factors,
        unanswered=unanswered_safety(findings, kb),
        relief_plan=relief,
        prevention_plan=prevention,
        exercises=exercises_in(phase_items, prevention),
        checkpoints=dated,
        emergency_number=number,
        region=region_id,
        disclaimer=kb.disclaimer,
        knowledge_version=kb.version,
        findings=findings,
        onset_date=onset,
    )


def failed_assessment(reason: str, region: str | None = None) -> Assessment:
    """What every surface shows when the engine cannot decide or fails: seek care."""
    try:
        kb = load_knowledge()
        _, number = emergency_number(kb, region)
        disclaimer, version = kb.disclaimer, kb.version
    except Exception:  # the knowledge itself may be what failed
        number = "your local emergency number (999, 911, 112 or 000)"
        disclaimer, version = "Unknot is not a diagnosis.", "unavailable"
    return Assessment(
        level="urgent",
        level_title="Get medical advice",
        headline=(
            "Unknot could not finish this assessment, so it cannot tell you it is safe to wait. "
            f"Get medical advice today; if you have any warning sign, call {number}."
        ),
        concerns=(),
        factors=(),
        unanswered=(),
        relief_plan=(),
        prevention_plan=(),
        exercises=(),
        checkpoints=(),
        emergency_number=number,
        region=region or "intl",
        disclaimer=disclaimer,
        knowledge_version=version,
        error=reason,
    )
