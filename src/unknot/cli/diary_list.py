"""``unknot diary list`` in the terminal: one page of episodes, newest first.

A SQLite diary already at this Unknot's schema is read here with the standard
library (read-only, only the page shown and a few counts), so listing a
ten-year diary loads neither SQLAlchemy, Alembic nor Pydantic. Anything else
(another database, a diary to migrate or that cannot be read as it is, JSON
output) goes through the diary package, which gives the same page and the
clear messages.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from ..diary.location import HEAD_REVISION, plain_sqlite_file, resolve_url
from ..diary.wording import history_note, lasted_text, months_between, places

_SQLITE_HEADER = b"SQLite format 3\x00"


class Listed(Protocol):
    """What a row of the list shows (an :class:`~unknot.diary.schemas.Episode`, or a Row)."""

    @property
    def id(self) -> int: ...
    @property
    def started_at(self) -> datetime: ...
    @property
    def ended_at(self) -> datetime | None: ...
    @property
    def regions(self) -> Sequence[str]: ...
    @property
    def triggers(self) -> Sequence[str]: ...
    @property
    def worst_pain(self) -> int | None: ...
    @property
    def level(self) -> str | None: ...
    @property
    def checkin_count(self) -> int: ...


class MonthLike(Protocol):
    @property
    def month(self) -> str: ...
    @property
    def episodes(self) -> int: ...


class HistoryLike(Protocol):
    @property
    def note(self) -> str: ...
    @property
    def episodes(self) -> Sequence[Listed]: ...
    @property
    def per_month(self) -> Sequence[MonthLike]: ...
    @property
    def total(self) -> int: ...
    @property
    def offset(self) -> int: ...


@dataclass(frozen=True)
class Row:
    id: int
    started_at: datetime
    ended_at: datetime | None
    regions: list[str]
    triggers: list[str]
    worst_pain: int | None
    level: str | None
    checkin_count: int


@dataclass(frozen=True)
class Month:
    month: str
    episodes: int


@dataclass(frozen=True)
class Page:
    note: str
    episodes: list[Row]
    per_month: list[Month]
    total: int
    offset: int


def quick_page(
    db_url: str | None, limit: int | None, offset: int, today: date | None = None
) -> Page | None:
    """The page :func:`unknot.diary.patterns.history` gives, read with sqlite3; None when
    the diary is not a plain SQLite file already at this schema, or cannot be read so."""
    path = plain_sqlite_file(resolve_url(db_url))
    if path is None:
        return None
    try:
        with path.open("rb") as fh:
            if fh.read(len(_SQLITE_HEADER)) != _SQLITE_HEADER:
                return None
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
            db.execute("PRAGMA busy_timeout = 15000")
            return _read(db, limit, offset, today or datetime.now().date())
    except (OSError, sqlite3.Error, ValueError, TypeError):
        return None  # the diary package opens it and says what is wrong


def _read(db: sqlite3.Connection, limit: int | None, offset: int, today: date) -> Page | None:
    db.execute("BEGIN")  # one snapshot for the counts and the page
    version = db.execute("SELECT version_num FROM alembic_version").fetchall()
    if version != [(HEAD_REVISION,)]:
        return None
    total, open_count, first = db.execute(
        "SELECT count(*), sum(ended_at IS NULL), min(started_at) FROM episodes"
    ).fetchone()
    counts = dict(
        db.execute("SELECT strftime('%Y-%m', started_at), count(*) FROM episodes GROUP BY 1")
    )
    page = db.execute(
        "SELECT id, started_at, ended_at, regions, triggers, peak_pain, level FROM episodes "
        "ORDER BY started_at DESC, id DESC LIMIT ? OFFSET ?",
        (-1 if limit is None else limit, offset),
    ).fetchall()
    ids = [r[0] for r in page]
    stats = {
        ident: (n, worst)
        for ident, n, worst in db.execute(
            "SELECT episode_id, count(id), max(pain) FROM checkins "
            f"WHERE episode_id IN ({','.join('?' * len(ids))}) GROUP BY episode_id",
            ids,
        )
    } if ids else {}
    rows = []
    for ident, started, ended, regions, triggers, peak, level in page:
        n, most = stats.get(ident, (0, None))
        pains = [p for p in (peak, most) if p is not None]
        rows.append(
            Row(
                id=ident, started_at=datetime.fromisoformat(started),
                ended_at=datetime.fromisoformat(ended) if ended else None,
                regions=list(json.loads(regions) or []), triggers=list(json.loads(triggers) or []),
                worst_pain=max(pains) if pains else None, level=level, checkin_count=n,
            )
        )
    months = (
        [Month(m, counts.get(m, 0)) for m in months_between(_day(first), today)] if first else []
    )
    return Page(
        note=history_note(total, open_count or 0), episodes=rows, per_month=months,
        total=total, offset=offset,
    )


def _day(stored: str) -> date:
    return datetime.fromisoformat(stored).date()


def print_history(h: HistoryLike) -> None:
    """The note, the page as a table, and the episodes begun in each of the last 12 months."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    c = Console(highlight=False)
    c.print(h.note)
    if not h.episodes:
        return
    table = Table("#", "Began", "Lasted", "Where", "Worst", "Trigger", "Triage", "Check-ins")
    for e in h.episodes:
        table.add_row(
            str(e.id), f"{e.started_at:%d %b %Y}", lasted_text(e.started_at, e.ended_at),
            escape(places(e.regions)), "-" if e.worst_pain is None else f"{e.worst_pain}/10",
            escape(places(e.triggers)), (e.level or "-").replace("_", " "), str(e.checkin_count),
        )
    c.print(table)
    recent = h.per_month[-12:]
    c.print("Episodes per month (last 12): " + ", ".join(f"{m.month} {m.episodes}" for m in recent))


def pager_line(h: HistoryLike, page: int) -> str | None:
    """Where this page is among all the episodes, and how to see the others."""
    shown = len(h.episodes)
    if shown >= h.total:
        return None
    first, last = h.offset + 1, h.offset + shown
    where = f"Episodes {first}-{last} of {h.total}" if shown else "No episodes here"
    more = f"; older: --page {page + 1}" if h.offset + shown < h.total else ""
    return f"{where}, newest first{more}; every one: --all."
