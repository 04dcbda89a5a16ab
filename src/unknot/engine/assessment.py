"""``assess()``: findings in, a complete assessment out. Pure: no I/O, no clock
unless ``today`` is left out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from ..knowledge import Knowledge, load_knowledge
from .derived import with_derived
from .factors import contributing_factors
from .findings import FindingsError, validate_findings
from .plans import checkpoints, plan_exercises, prevention_plan, relief_plan
from .results import SCHEMA_VERSION, AdviceResult, Assessment, CheckpointResult, PhaseResult
from .triage import triage, unanswered_safety


def emergency_number(kb: Knowledge, region: str | None) -> tuple[str, str]:
    """(region id, emergency number text) for a region, falling back to the default."""
    chosen = kb.regions.get((region or "").lower()) or kb.regions[kb.default_region]
    return chosen.id, chosen.emergency_number


def assess(
    raw_findings: Mapping[str, Any],
    *,
    doubtful: Iterable[str] = (),
    today: date | None = None,
    region: str | None = None,
    kb: Knowledge | None = None,
    validated: bool = False,
) -> Assessment:
    """Assess a person's findings (names as in findings.yaml).

    ``doubtful``: signs the person said with doubt ("I think maybe my leg is
    weaker?"). They count as present for the level until confirmed or denied
    (TRIAGE.md "How the assessment asks" 4), are listed in the result, and keep
    it provisional. An unanswered safety question counts as absent for the
    level, so the level can only rise as answers come in; the result is
    ``complete`` only when none is left.

    Raises FindingsError on bad input. ``validated=True`` skips validation for
    callers that already normalised the findings (the interview, the diary).
    """
    kb = kb or load_knowledge()
    today = today or date.today()
    given = dict(raw_findings) if validated else validate_findings(raw_findings, kb)
    doubt = _doubtful_names(doubtful, kb)
    findings = with_doubt(given, doubt, kb) if doubt else given
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
    unanswered = unanswered_safety(facts, kb)
    complete = not unanswered and not doubt
    spec = kb.levels[level]
    return Assessment.of(
        level=level,
        level_title=spec.title,
        headline=headline(kb, spec.headline, level, unanswered, doubt),
        concerns=concerns,
        factors=factors,
        unanswered=unanswered,
        relief_plan=relief,
        prevention_plan=prevention,
        exercises=plan_exercises(relief, prevention, kb),
        checkpoints=dated,
        emergency_number=number,
        region=region_id,
        disclaimer=kb.disclaimer,
        knowledge_version=kb.version,
        findings=findings,
        onset_date=onset,
        error=None,
        complete=complete,
        doubtful=doubt,
        unread_reason=None,
        subject=None,
        quotes={},
        schema_version=SCHEMA_VERSION,
    )


def _doubtful_names(names: Iterable[str], kb: Knowledge) -> tuple[str, ...]:
    if not names:
        return ()
    if isinstance(names, str):
        names = (names,)
    out: dict[str, None] = {}
    for name in names:
        spec = kb.findings.get(str(name))
        if spec is None or spec.group == "derived":
            raise FindingsError(str(name), "is not a known finding (see findings.yaml)")
        # a doubt is about a sign being there: a yes/no, or a graded "none, one leg,
        # both legs"; a doubt about a number, a list or a trend says nothing
        if spec.type == "bool" or (spec.type == "enum" and _ABSENT[0] in spec.values):
            out.setdefault(spec.name)
    order = {n: i for i, n in enumerate(kb.safety_order)}
    return tuple(sorted(out, key=lambda n: (order.get(n, len(order)), n)))


def with_doubt(
    findings: Mapping[str, Any], doubtful: Iterable[str], kb: Knowledge
) -> dict[str, Any]:
    """Findings with each doubtful sign counted as present.

    A doubtful yes/no finding is yes; a doubtful choice keeps the value the
    person gave unless it is a "none", otherwise its first present value
    (for the legs: one leg).
    """
    out = dict(findings)
    for name in doubtful:
        spec = kb.findings[name]
        if spec.type == "bool":
            out[name] = True
        elif spec.type == "enum" and out.get(name) in (None, *_ABSENT):
            present = [v for v in spec.values if v not in _ABSENT]
            if present:
                out[name] = present[0]
    return out


_ABSENT = ("none",)


def headline(
    kb: Knowledge,
    level_headline: str,
    level: str,
    unanswered: tuple[str, ...],
    doubtful: tuple[str, ...],
) -> str:
    """The level's headline; below an emergency, first what keeps it provisional.

    An emergency stays as it is: no answer can make it less urgent, and the
    person should act at once.
    """
    if level == "emergency":
        return level_headline
    notes = []
    if unanswered:
        key = "provisional_one" if len(unanswered) == 1 else "provisional_many"
        notes.append(kb.texts[key].replace("{n}", str(len(unanswered))))
    if doubtful:
        key = "doubtful_one" if len(doubtful) == 1 else "doubtful_many"
        notes.append(kb.texts[key].replace("{n}", str(len(doubtful))))
    return " ".join([*notes, level_headline])


UNREAD_REASON = "Unknot did not recognise anything in these words."
"""The reason given when the reader gave none of its own."""


def unread_assessment(reason: str | None, region: str | None = None) -> Assessment:
    """The person's words could not be read (another language, emoji, nothing
    recognised) and nothing else is known: no level, the reason, the emergency
    number, and every safety question still to ask. Never self-care from nothing.
    """
    reason = str(reason) if reason else UNREAD_REASON
    try:
        kb = load_knowledge()
        _, number = emergency_number(kb, region)
    except Exception:  # the knowledge itself may be what failed: still say to seek care
        return failed_assessment(reason, region)
    region_id, _ = emergency_number(kb, region)
    return Assessment(
        level=None,
        level_title=kb.texts["unread_title"],
        headline=kb.texts["unread_headline"].replace("{emergency_number}", number),
        concerns=(),
        factors=(),
        unanswered=unanswered_safety({}, kb),
        relief_plan=(),
        prevention_plan=(),
        exercises=(),
        checkpoints=(),
        emergency_number=number,
        region=region_id,
        disclaimer=kb.disclaimer,
        knowledge_version=kb.version,
        complete=False,
        unread_reason=reason,
    )


def failed_assessment(reason: str, region: str | None = None) -> Assessment:
    """What every surface shows when the engine cannot decide or fails: seek care.

    Never complete: nothing was checked.
    """
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
