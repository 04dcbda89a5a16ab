"""Check-ins: pain now, better/same/worse, and new danger signs.

A check-in that reports a danger sign runs the triage again at once, with the
episode's own findings, what the record now says (days since it began, the
trend, how often spasms came back) and the new signs, and keeps the result.
If the assessment cannot be made, the result is the engine's seek-care answer.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from ..engine import Assessment, FindingsError, failed_assessment, run
from ..engine.findings import to_jsonable
from ..knowledge import load_knowledge
from ..knowledge.loader import load_diary_rules
from .checkpoints import DueCheckpoint, due_now, present, record_findings, window_start
from .models import CheckinRow, EpisodeRow
from .repository import (
    began_since,
    checkin_model,
    list_episodes,
    load_row,
    new_uid,
    triage_model,
    triage_row,
)
from .schemas import Checkin, CheckinIn, DiaryInputError, Output, TriageRecord


class CheckinResult(Output):
    """What a check-in did: the entry, and the new triage if it was run again."""

    checkin: Checkin
    retriaged: bool
    triage: TriageRecord | None = None
    assessment: dict[str, Any] | None = None
    message: str | None = None
    due: list[DueCheckpoint] = []


def triage_findings(
    row: EpisodeRow, checkin: CheckinIn, recurrence: dict[str, Any]
) -> dict[str, Any]:
    """The findings for a re-run: the episode's assessment, the record, the new signs."""
    kb, rules = load_knowledge(), load_diary_rules()
    findings: dict[str, Any] = {}
    first = next((t for t in row.triage if t.source == "assessment"), None)
    if first is not None:
        findings.update({k: v for k, v in first.findings.items() if k in kb.findings})
    for earlier in row.checkins:
        findings.update({k: v for k, v in earlier.danger_signs.items() if present(v)})
    if row.regions:
        findings["location"] = list(row.regions)
    if row.triggers:
        findings["trigger"] = list(row.triggers)
    findings["pain_score"] = checkin.pain
    findings["pain_trend"] = rules.feelings[checkin.feeling].pain_trend
    findings["days_since_onset"] = (checkin.at.date() - row.started_at.date()).days
    findings.update(recurrence)
    findings.update(checkin.danger_signs)
    return findings


def _assess(findings: dict[str, Any], today: datetime, region: str | None) -> Assessment:
    """The engine's safe entry: never leaves a person with no answer."""
    try:
        return run(findings, today=today.date(), region=region)
    except FindingsError as exc:  # a stored finding the catalogue no longer accepts
        return failed_assessment(f"triage could not be run again ({exc.field})", region)


def add_checkin(
    session: Session, episode_id: int, data: CheckinIn, *, now: datetime | None = None
) -> CheckinResult:
    """Record a check-in; re-run triage at once if it reports a danger sign."""
    row = load_row(session, episode_id)
    if data.at < row.started_at:
        raise DiaryInputError("at", "is before this episode started")
    if row.ended_at is not None and data.at > row.ended_at:
        raise DiaryInputError("at", "is after this episode ended; reopen or start a new one")
    entry = CheckinRow(
        uid=new_uid(),
        at=data.at,
        pain=data.pain,
        feeling=data.feeling,
        danger_signs=to_jsonable(data.danger_signs),
        notes=data.notes,
    )
    new_signs = {k: v for k, v in data.danger_signs.items() if present(v)}
    triage = assessment = message = None
    if new_signs:
        today = data.at.date()
        episodes = began_since(session, window_start(today))
        this = next(e for e in list_episodes(session, ids=[row.id]))
        findings = triage_findings(row, data, record_findings(this, episodes, today))
        region = next((t.region for t in reversed(row.triage) if t.region), None)
        result = _assess(findings, data.at, region)
        assessment = result.to_dict()
        triage_entry = triage_row(result, at=data.at, source="checkin")
        triage_entry.checkin_uid = entry.uid
        row.triage.append(triage_entry)
        entry.triage_level = result.level
        row.level = result.level
        triage = triage_model(triage_entry)
        message = (
            "You reported a new warning sign, so Unknot ran the triage again at once: "
            f"{result.level_title}. {result.headline}"
        )
    row.checkins.append(entry)
    session.flush()
    return CheckinResult(
        checkin=checkin_model(entry),
        retriaged=bool(new_signs),
        triage=triage,
        assessment=assessment,
        message=message,
        due=due_now(session, now, episode_id=row.id),
    )
