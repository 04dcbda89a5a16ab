"""Helpers shared by the diary tests: a fresh database, episodes built in one line."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from unknot.diary.checkins import CheckinResult, add_checkin
from unknot.diary.db import open_diary, writing
from unknot.diary.repository import create_episode
from unknot.diary.schemas import (
    Checkin,
    CheckinIn,
    EpisodeDetail,
    EpisodeIn,
    parse,
)


def new_diary(tmp_path: Path, name: str = "diary.sqlite3") -> tuple[Engine, str]:
    url = f"sqlite:///{tmp_path / name}"
    return open_diary(url), url


def add_episode(engine: Engine, **fields: Any) -> EpisodeDetail:
    with writing(engine) as session:
        return create_episode(session, parse(EpisodeIn, fields))


def check_in(engine: Engine, episode_id: int, **fields: Any) -> CheckinResult:
    with writing(engine) as session:
        return add_checkin(session, episode_id, parse(CheckinIn, fields))


def episode(
    ident: int,
    started: datetime,
    ended: datetime | None = None,
    regions: tuple[str, ...] = ("lower_back",),
    peak: int | None = 6,
    level: str | None = None,
    checkins: tuple[tuple[datetime, int, str], ...] = (),
    signs: dict[str, Any] | None = None,
) -> EpisodeDetail:
    """An episode as the service returns it, without a database (for pure functions)."""
    made = [
        Checkin(
            id=i + 1, uid=f"c{ident}-{i}", episode_id=ident, at=at, pain=pain,
            feeling=feeling,  # type: ignore[arg-type]
            danger_signs=(signs or {}) if i == len(checkins) - 1 else {},
            notes="", triage_level=None,
        )
        for i, (at, pain, feeling) in enumerate(checkins)
    ]
    return EpisodeDetail(
        id=ident, uid=f"e{ident}", started_at=started, ended_at=ended, regions=list(regions),
        peak_pain=peak, triggers=[], tried=[], notes="", level=level, checkins=made,
        checkin_count=len(made), worst_pain=peak,
    )
