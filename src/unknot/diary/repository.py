"""The diary's service functions: a Session and checked inputs in, plain models out.

Every function here takes a SQLAlchemy ``Session`` (open it with
``db.writing(engine)`` to change things, ``db.reading(engine)`` to look) and
inputs from :mod:`.schemas`. The CLI and the web app call only these.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, selectinload

from ..knowledge.loader import load_diary_rules
from ..knowledge.models import Remedy
from .models import CheckinRow, EpisodeRow, TriageRow, TriedRow
from .schemas import (
    AssessmentIn,
    Checkin,
    DiaryInputError,
    Episode,
    EpisodeDetail,
    EpisodeIn,
    EpisodeUpdate,
    TriageRecord,
    Tried,
    TriedIn,
)


class EpisodeNotFound(LookupError):
    """No episode with that number (the CLI exits 2, the web app answers 404)."""

    def __init__(self, episode_id: int) -> None:
        self.episode_id = episode_id
        super().__init__(f"episode: there is no episode {episode_id} in the diary")


def new_uid() -> str:
    return str(uuid.uuid4())


# --- Rows to models ------------------------------------------------------------------


@cache
def _remedies() -> dict[str, Remedy]:
    return {r.id: r for r in load_diary_rules().remedies}


def tried_model(remedy: str, helped: bool | None) -> Tried:
    spec = _remedies().get(remedy)
    return Tried(
        remedy=remedy,
        label=spec.label if spec else remedy,
        kind=spec.kind if spec else "self_care",
        helped=helped,
    )


def checkin_model(row: CheckinRow) -> Checkin:
    return Checkin(
        id=row.id,
        uid=row.uid,
        episode_id=row.episode_id,
        at=row.at,
        pain=row.pain,
        feeling=row.feeling,  # type: ignore[arg-type]  # checked on the way in
        danger_signs=dict(row.danger_signs),
        notes=row.notes,
        triage_level=row.triage_level,
    )


def triage_model(row: TriageRow) -> TriageRecord:
    return TriageRecord(
        at=row.at,
        source=row.source,  # type: ignore[arg-type]  # written only by this module
        level=row.level,
        level_title=row.level_title,
        headline=row.headline,
        concerns=list(row.concerns),
        factors=list(row.factors),
        findings=dict(row.findings),
        knowledge_version=row.knowledge_version,
        region=row.region,
        checkin_uid=row.checkin_uid,
    )


def _episode_fields(row: EpisodeRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "uid": row.uid,
        "started_at": row.started_at,
        "ended_at": row.ended_at,
        "regions": list(row.regions),
        "peak_pain": row.peak_pain,
        "triggers": list(row.triggers),
        "tried": [tried_model(t.remedy, t.helped) for t in row.tried],
        "notes": row.notes,
        "level": row.level,
    }


def detail_model(row: EpisodeRow) -> EpisodeDetail:
    checkins = [checkin_model(c) for c in row.checkins]
    pains = [p for p in [row.peak_pain, *(c.pain for c in checkins)] if p is not None]
    return EpisodeDetail(
        **_episode_fields(row),
        checkin_count=len(checkins),
        worst_pain=max(pains) if pains else None,
        checkins=checkins,
        triage=[triage_model(t) for t in row.triage],
    )


# --- Reading -------------------------------------------------------------------------


def load_row(session: Session, episode_id: int) -> EpisodeRow:
    row = session.get(
        EpisodeRow,
        episode_id,
        options=[
            selectinload(EpisodeRow.tried),
            selectinload(EpisodeRow.checkins),
            selectinload(EpisodeRow.triage),
        ],
    )
    if row is None:
        raise EpisodeNotFound(episode_id)
    return row


def get_episode(session: Session, episode_id: int) -> EpisodeDetail:
    """One episode with its check-ins and triage history."""
    return detail_model(load_row(session, episode_id))


def episode_details(session: Session, ids: Iterable[int]) -> list[EpisodeDetail]:
    """Several episodes with their check-ins and triage, oldest first, in few queries."""
    wanted = list(ids)
    if not wanted:
        return []
    rows = session.scalars(
        select(EpisodeRow)
        .where(EpisodeRow.id.in_(wanted))
        .options(
            selectinload(EpisodeRow.tried),
            selectinload(EpisodeRow.checkins),
            selectinload(EpisodeRow.triage),
        )
        .order_by(EpisodeRow.started_at, EpisodeRow.id)
    )
    return [detail_model(r) for r in rows]


def list_episodes(session: Session) -> list[Episode]:
    """Every episode, oldest first, with check-in counts and worst pain.

    Reads plain rows rather than ORM objects: a ten-year diary lists in a few
    tens of milliseconds this way (see benchmarks/bench_diary.py).
    """
    stats = (
        select(
            CheckinRow.episode_id,
            func.count(CheckinRow.id).label("n"),
            func.max(CheckinRow.pain).label("worst"),
        )
        .group_by(CheckinRow.episode_id)
        .subquery()
    )
    e = EpisodeRow.__table__.c
    query = (
        select(e.id, e.uid, e.started_at, e.ended_at, e.regions, e.peak_pain, e.triggers,
               e.notes, e.level, stats.c.n, stats.c.worst)
        .outerjoin(stats, stats.c.episode_id == e.id)
        .order_by(e.started_at, e.id)
    )
    t = TriedRow.__table__.c
    tried: dict[int, list[Tried]] = {}
    for episode_id, remedy, helped in session.execute(
        select(t.episode_id, t.remedy, t.helped).order_by(t.id)
    ):
        tried.setdefault(episode_id, []).append(tried_model(remedy, helped))
    out = []
    for row in session.execute(query):
        pains = [p for p in (row.peak_pain, row.worst) if p is not None]
        out.append(
            Episode(
                id=row.id,
                uid=row.uid,
                started_at=row.started_at,
                ended_at=row.ended_at,
                regions=list(row.regions),
                peak_pain=row.peak_pain,
                triggers=list(row.triggers),
                tried=tried.get(row.id, []),
                notes=row.notes,
                level=row.level,
                checkin_count=row.n or 0,
                worst_pain=max(pains) if pains else None,
            )
        )
    return out


def current_episode(session: Session) -> Episode | None:
    """The most recently started episode that has not ended, if any."""
    query = (
        select(EpisodeRow.id)
        .where(EpisodeRow.ended_at.is_(None))
        .order_by(EpisodeRow.started_at.desc(), EpisodeRow.id.desc())
        .limit(1)
    )
    episode_id = session.scalar(query)
    return None if episode_id is None else get_episode(session, episode_id)


def all_checkins(session: Session) -> list[Checkin]:
    """Every check-in, in time order (for charts across the whole diary)."""
    rows = session.scalars(select(CheckinRow).order_by(CheckinRow.at, CheckinRow.id))
    return [checkin_model(r) for r in rows]


def assessment_factors(session: Session) -> dict[int, list[dict[str, Any]]]:
    """Each episode's contributing factors, from the assessment it started with."""
    query = select(TriageRow.episode_id, TriageRow.factors).where(
        TriageRow.source == "assessment"
    )
    return {episode_id: list(factors) for episode_id, factors in session.execute(query)}


# --- Writing -------------------------------------------------------------------------


def _set_tried(row: EpisodeRow, items: Iterable[TriedIn]) -> None:
    current = {t.remedy: t for t in row.tried}
    for item in items:
        if item.remedy in current:
            current[item.remedy].helped = item.helped
        else:
            row.tried.append(TriedRow(remedy=item.remedy, helped=item.helped))


def triage_row(record: AssessmentIn, *, at: datetime, source: str) -> TriageRow:
    return TriageRow(
        at=at,
        source=source,
        level=record.level,
        level_title=record.level_title,
        headline=record.headline,
        findings=dict(record.findings),
        concerns=list(record.concerns),
        factors=list(record.factors),
        knowledge_version=record.knowledge_version,
        region=record.region,
    )


def create_episode(session: Session, data: EpisodeIn) -> EpisodeDetail:
    """Record a new episode (and its assessment, if it started from one)."""
    row = EpisodeRow(
        uid=new_uid(),
        started_at=data.started_at,
        ended_at=data.ended_at,
        regions=data.regions,
        peak_pain=data.peak_pain,
        triggers=data.triggers,
        notes=data.notes,
        level=data.assessment.level if data.assessment else None,
    )
    _set_tried(row, data.tried)
    if data.assessment is not None:
        row.triage.append(triage_row(data.assessment, at=data.started_at, source="assessment"))
    session.add(row)
    session.flush()
    return detail_model(row)


def update_episode(session: Session, episode_id: int, change: EpisodeUpdate) -> EpisodeDetail:
    """Change an episode: only the fields given. Raises DiaryInputError on a clash."""
    row = load_row(session, episode_id)
    given = change.model_fields_set
    started = change.started_at if "started_at" in given and change.started_at else row.started_at
    ended = change.ended_at if "ended_at" in given else row.ended_at
    if ended is not None and ended < started:
        raise DiaryInputError("ended_at", "is before the episode started")
    times = [c.at for c in row.checkins]
    if times and min(times) < started:
        raise DiaryInputError("started_at", "is after this episode's first check-in")
    if times and ended is not None and max(times) > ended:
        raise DiaryInputError("ended_at", "is before this episode's last check-in")
    row.started_at, row.ended_at = started, ended
    if change.regions is not None:
        row.regions = change.regions
    if "peak_pain" in given:
        row.peak_pain = change.peak_pain
    if change.triggers is not None:
        row.triggers = change.triggers
    if change.tried is not None:
        _set_tried(row, change.tried)
    if change.notes is not None:
        row.notes = change.notes
    session.flush()
    return detail_model(row)


def end_episode(session: Session, episode_id: int, at: datetime) -> EpisodeDetail:
    """Mark an episode as over at ``at`` (checked like any other change)."""
    return update_episode(session, episode_id, EpisodeUpdate(ended_at=at))


def delete_episode(session: Session, episode_id: int) -> None:
    session.delete(load_row(session, episode_id))
    session.flush()


def delete_everything(session: Session) -> dict[str, int]:
    """Remove every entry; returns how many episodes and check-ins were deleted."""
    counts = {
        "episodes": session.scalar(select(func.count(EpisodeRow.id))) or 0,
        "checkins": session.scalar(select(func.count(CheckinRow.id))) or 0,
    }
    for table in (TriageRow, CheckinRow, TriedRow, EpisodeRow):
        session.execute(delete(table))
    return counts


def assessment_record(result: Mapping[str, Any]) -> AssessmentIn:
    """What an episode keeps of ``Assessment.to_dict()``."""
    return AssessmentIn.model_validate(dict(result))
