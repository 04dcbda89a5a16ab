"""Export everything (JSON with full fidelity, CSV for spreadsheets) and import it back.

The JSON file holds every field of every episode, check-in and triage result,
identified by stable ``uid`` values (the local episode numbers are not part of
it), in a fixed order: export, delete, import and export again gives the same
file. Import checks the whole file first and writes all of it or nothing;
episodes already in the diary (same ``uid``) are skipped.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..engine.results import Assessment
from .models import CheckinRow, EpisodeRow, TriageRow, TriedRow
from .schemas import (
    CheckinIn,
    EpisodeIn,
    FieldProblem,
    Input,
    Output,
    known_level,
    parse,
)

FORMAT = "unknot-diary"
FORMAT_VERSION = 1


class TriageOut(Input):
    at: datetime
    source: Literal["assessment", "checkin"]
    level: str
    level_title: str = ""
    headline: str = ""
    findings: dict[str, Any] = Field(default_factory=dict)
    concerns: list[dict[str, Any]] = Field(default_factory=list)
    factors: list[dict[str, Any]] = Field(default_factory=list)
    knowledge_version: str = ""
    region: str | None = None
    checkin_uid: str | None = None
    document: Assessment | None = None

    _level = field_validator("level")(known_level)


class CheckinOut(CheckinIn):
    uid: str = Field(min_length=1, max_length=36)
    triage_level: str | None = None

    _level = field_validator("triage_level")(known_level)


class EpisodeOut(EpisodeIn):
    uid: str = Field(min_length=1, max_length=36)
    level: str | None = None
    checkins: list[CheckinOut] = Field(default_factory=list)
    triage: list[TriageOut] = Field(default_factory=list)

    _level = field_validator("level")(known_level)

    @model_validator(mode="after")
    def _checkins_inside(self) -> EpisodeOut:
        for i, c in enumerate(self.checkins):
            if c.at < self.started_at or (self.ended_at is not None and c.at > self.ended_at):
                raise FieldProblem(f"checkins.{i}.at", "is outside the episode's start and end")
        return self


class DiaryFile(Input):
    format: Literal["unknot-diary"]
    format_version: Literal[1]
    episodes: list[EpisodeOut]


class ImportReport(Output):
    episodes_added: int
    checkins_added: int
    episodes_skipped: int


# --- Export ------------------------------------------------------------------------


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def export_data(session: Session) -> dict[str, Any]:
    """The whole diary as one JSON-ready dict (plain rows: fast on a long diary)."""
    e, t = EpisodeRow.__table__.c, TriedRow.__table__.c
    c, g = CheckinRow.__table__.c, TriageRow.__table__.c
    tried: dict[int, list[dict[str, Any]]] = {}
    for row in session.execute(select(t.episode_id, t.remedy, t.helped).order_by(t.id)):
        tried.setdefault(row.episode_id, []).append({"remedy": row.remedy, "helped": row.helped})
    checkins: dict[int, list[dict[str, Any]]] = {}
    for row in session.execute(select(CheckinRow.__table__).order_by(c.episode_id, c.at, c.uid)):
        checkins.setdefault(row.episode_id, []).append(
            {
                "uid": row.uid,
                "at": _iso(row.at),
                "pain": row.pain,
                "feeling": row.feeling,
                "danger_signs": dict(row.danger_signs),
                "notes": row.notes,
                "triage_level": row.triage_level,
            }
        )
    triage: dict[int, list[dict[str, Any]]] = {}
    for row in session.execute(select(TriageRow.__table__).order_by(g.id)):
        triage.setdefault(row.episode_id, []).append(
            {
                "at": _iso(row.at),
                "source": row.source,
                "level": row.level,
                "level_title": row.level_title,
                "headline": row.headline,
                "findings": dict(row.findings),
                "concerns": list(row.concerns),
                "factors": list(row.factors),
                "knowledge_version": row.knowledge_version,
                "region": row.region,
                "checkin_uid": row.checkin_uid,
                "document": row.document,
            }
        )
    episodes = [
        {
            "uid": row.uid,
            "started_at": _iso(row.started_at),
            "ended_at": _iso(row.ended_at),
            "regions": list(row.regions),
            "peak_pain": row.peak_pain,
            "triggers": list(row.triggers),
            "tried": tried.get(row.id, []),
            "notes": row.notes,
            "level": row.level,
            "checkins": checkins.get(row.id, []),
            "triage": triage.get(row.id, []),
        }
        for row in session.execute(select(EpisodeRow.__table__).order_by(e.started_at, e.uid))
    ]
    return {"format": FORMAT, "format_version": FORMAT_VERSION, "episodes": episodes}


def export_json(session: Session) -> str:
    return json.dumps(export_data(session), indent=2, ensure_ascii=False) + "\n"


def _cell(value: str) -> str:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def export_csv(session: Session) -> dict[str, str]:
    """Two CSV files for spreadsheets: ``episodes.csv`` and ``checkins.csv``."""
    data = export_data(session)
    episodes, checkins = io.StringIO(), io.StringIO()
    ew, cw = csv.writer(episodes), csv.writer(checkins)
    ew.writerow(
        ["uid", "started_at", "ended_at", "duration_days", "regions", "peak_pain", "triggers",
         "tried", "level", "checkins", "notes"]
    )
    cw.writerow(
        ["episode_uid", "uid", "at", "pain", "feeling", "danger_signs", "triage_level", "notes"]
    )
    for e in data["episodes"]:
        start, end = e["started_at"], e["ended_at"]
        days = (
            round((datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()
                  / 86400, 2)
            if end else ""
        )
        tried = ";".join(
            f"{t['remedy']}:{ {True: 'helped', False: 'did not help'}.get(t['helped'], 'not sure')}"
            for t in e["tried"]
        )
        ew.writerow(
            [e["uid"], start, end or "", days, ";".join(e["regions"]), e["peak_pain"] or "",
             ";".join(e["triggers"]), tried, e["level"] or "", len(e["checkins"]),
             _cell(e["notes"])]
        )
        for c in e["checkins"]:
            signs = ";".join(f"{k}={v}" for k, v in c["danger_signs"].items())
            cw.writerow(
                [e["uid"], c["uid"], c["at"], c["pain"], c["feeling"], signs,
                 c["triage_level"] or "", _cell(c["notes"])]
            )
    return {"episodes.csv": episodes.getvalue(), "checkins.csv": checkins.getvalue()}


# --- Import ------------------------------------------------------------------------


def read_diary_file(data: Mapping[str, Any], *, now: datetime | None = None) -> DiaryFile:
    """Check a whole export file; raises DiaryInputError naming the bad field."""
    return parse(DiaryFile, dict(data), now=now)


def import_data(
    session: Session, data: Mapping[str, Any], *, now: datetime | None = None
) -> ImportReport:
    """Add every episode of an export file that is not in the diary yet."""
    from ..engine.findings import to_jsonable

    diary = read_diary_file(data, now=now)
    existing = set(session.scalars(select(EpisodeRow.uid)))
    added = checkins = skipped = 0
    for e in diary.episodes:
        if e.uid in existing:
            skipped += 1
            continue
        row = EpisodeRow(
            uid=e.uid, started_at=e.started_at, ended_at=e.ended_at, regions=e.regions,
            peak_pain=e.peak_pain, triggers=e.triggers, notes=e.notes, level=e.level,
        )
        row.tried = [TriedRow(remedy=t.remedy, helped=t.helped) for t in e.tried]
        row.checkins = [
            CheckinRow(
                uid=c.uid, at=c.at, pain=c.pain, feeling=c.feeling,
                danger_signs=to_jsonable(c.danger_signs), notes=c.notes,
                triage_level=c.triage_level,
            )
            for c in e.checkins
        ]
        row.triage = [
            TriageRow(
                **t.model_dump(exclude={"document"}),
                document=t.document.to_dict() if t.document is not None else None,
            )
            for t in e.triage
        ]
        session.add(row)
        existing.add(e.uid)
        added += 1
        checkins += len(e.checkins)
    session.flush()
    return ImportReport(episodes_added=added, checkins_added=checkins, episodes_skipped=skipped)
