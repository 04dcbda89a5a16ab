"""The diary's service functions: a Session and checked inputs in, plain models out.

Every function here takes a SQLAlchemy ``Session`` (open it with
``db.writing(engine)`` to change things, ``db.reading(engine)`` to look) and
inputs from :mod:`.schemas`. The CLI and the web app call only these.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import Text, case, delete, func, select, type_coerce
from sqlalchemy.orm import Session, selectinload

from ..engine.results import Assessment
from ..knowledge.loader import load_diary_rules
from ..knowledge.models import Remedy
from .models import CheckinRow, EpisodeRow, TriageRow, TriedRow, factor_list_of
from .schemas import (
    Checkin,
    DiaryInputError,
    Episode,
    EpisodeDetail,
    EpisodeIn,
    EpisodeUpdate,
    RemedyStat,
    TriageRecord,
    Tried,
    TriedIn,
)
from .totals import Totals, middle, rank_key, totals_of


class EpisodeNotFound(LookupError):
    """No episode with that number (the CLI exits 2, the web app answers 404)."""

    def __init__(self, episode_id: int) -> None:
        self.episode_id = episode_id
        super().__init__(f"episode: there is no episode {episode_id} in the diary")


def new_uid() -> str:
    return str(uuid.uuid4())


#: Namespace of the episode ids derived from an assessment (see result_uid).
RESULT_NAMESPACE = uuid.UUID("6f1d2a52-6c0e-4f3e-9a57-2f4b8d0c9e11")


def result_uid(findings: Mapping[str, Any], onset: str | None, version: str) -> str:
    """The one episode id for one result: the same answers, onset and knowledge give
    the same id, so starting a diary episode twice from a result opens the first."""
    import json

    canon = json.dumps(
        {"findings": findings, "onset": onset, "version": version},
        sort_keys=True,
        default=lambda v: sorted(v) if isinstance(v, set | frozenset) else str(v),
    )
    return str(uuid.uuid5(RESULT_NAMESPACE, canon))


def episode_id_for_uid(session: Session, uid: str) -> int | None:
    """The episode with this id (uid), if the diary has it."""
    found: int | None = session.scalar(select(EpisodeRow.id).where(EpisodeRow.uid == uid))
    return found


# --- Rows to models ------------------------------------------------------------------


@cache
def _remedies() -> dict[str, Remedy]:
    return {r.id: r for r in load_diary_rules().remedies}


_TRIED: dict[tuple[str, bool | None], Tried] = {}


def tried_model(remedy: str, helped: bool | None) -> Tried:
    """One thing tried (frozen, so one instance per remedy and answer serves every episode)."""
    known = _TRIED.get((remedy, helped))
    if known is not None:
        return known
    spec = _remedies().get(remedy)
    made = Tried(
        remedy=remedy,
        label=spec.label if spec else remedy,
        kind=spec.kind if spec else "self_care",
        helped=helped,
    )
    if len(_TRIED) < 4096:
        _TRIED[(remedy, helped)] = made
    return made


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
        assessment=Assessment.model_validate(row.document) if row.document else None,
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


def list_episodes(
    session: Session,
    *,
    since: datetime | None = None,
    ids: Iterable[int] | None = None,
    newest_first: bool = False,
    limit: int | None = None,
    offset: int = 0,
) -> list[Episode]:
    """Episodes with check-in counts and worst pain, oldest first (or newest first).

    ``since`` keeps episodes begun at or after it, ``ids`` only those episodes,
    ``limit``/``offset`` one page. Reads plain rows rather than ORM objects and
    only the rows asked for: a page of a ten-year diary costs what a page of a
    short one does (see benchmarks/bench_diary.py).
    """
    e = EpisodeRow.__table__.c
    # times and lists read as text and parsed by C parsers (fromisoformat, orjson):
    # several times faster than the columns' own conversions over a long page
    page = select(e.id, e.uid, type_coerce(e.started_at, Text).label("started_at"),
                  type_coerce(e.ended_at, Text).label("ended_at"),
                  type_coerce(e.regions, Text).label("regions"), e.peak_pain,
                  type_coerce(e.triggers, Text).label("triggers"), e.notes, e.level)
    if since is not None:
        page = page.where(e.started_at >= since)
    if ids is not None:
        page = page.where(e.id.in_(list(ids)))
    if newest_first:
        page = page.order_by(e.started_at.desc(), e.id.desc())
    else:
        page = page.order_by(e.started_at, e.id)
    if limit is not None:
        page = page.limit(limit).offset(offset)
    rows = session.execute(page).all()
    if not rows:
        return []
    whole = since is None and ids is None and limit is None
    wanted = [r.id for r in rows]
    c = CheckinRow.__table__.c
    counts = select(c.episode_id, func.count(c.id), func.max(c.pain)).group_by(c.episode_id)
    t = TriedRow.__table__.c
    tried_q = select(t.episode_id, t.remedy, t.helped).order_by(t.id)
    if not whole:
        counts = counts.where(c.episode_id.in_(wanted))
        tried_q = tried_q.where(t.episode_id.in_(wanted))
    stats = {episode_id: (n, worst) for episode_id, n, worst in session.execute(counts)}
    tried: dict[int, list[Tried]] = {}
    for episode_id, remedy, helped in session.execute(tried_q):
        tried.setdefault(episode_id, []).append(tried_model(remedy, helped))
    out = []
    build = Episode.model_construct  # rows written through the checked inputs: no re-checking
    for row in rows:
        n, worst = stats.get(row.id, (0, None))
        pains = [p for p in (row.peak_pain, worst) if p is not None]
        out.append(
            build(
                id=row.id,
                uid=row.uid,
                started_at=_when(row.started_at),
                ended_at=_when(row.ended_at),
                regions=list(_json(row.regions) or []),
                peak_pain=row.peak_pain,
                triggers=list(_json(row.triggers) or []),
                tried=tried.get(row.id, []),
                notes=row.notes,
                level=row.level,
                checkin_count=n or 0,
                worst_pain=max(pains) if pains else None,
            )
        )
    return out


def _when(value: Any) -> Any:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _json(value: Any) -> Any:
    import orjson

    return orjson.loads(value) if isinstance(value, str | bytes) else value


def pattern_totals(session: Session) -> Totals:
    """The totals the patterns are made of, counted by the database.

    SQLite: a few aggregate queries over indexed and compact columns (the worst
    pain of each episode through ``ix_checkins_episode_pain``, the factors through
    ``triage.factor_list``), so a long diary is not read episode by episode. Other
    databases: the episodes' facts, counted in Python.
    """
    if session.get_bind().dialect.name != "sqlite":
        return totals_of(list_episodes(session), assessment_factors(session))
    e = EpisodeRow.__table__.c
    c = CheckinRow.__table__.c
    # three queries, each answered from an index (one would read every row)
    count = session.scalar(select(func.count(e.id))) or 0
    first = session.scalar(select(func.min(e.started_at)))
    last = session.scalar(select(func.max(e.started_at)))
    if not count:
        return Totals()
    months, _ = episodes_per_month(session)
    lasted = _lasted_us(session)
    most = select(func.max(c.pain)).where(c.episode_id == e.id).scalar_subquery()
    per_episode = select(
        func.max(func.coalesce(e.peak_pain, -1), func.coalesce(most, -1)).label("worst")
    ).subquery()
    worst = {
        int(value): int(n)
        for value, n in session.execute(
            select(per_episode.c.worst, func.count()).group_by(per_episode.c.worst)
        )
        if value is not None and value >= 0
    }
    triggers: Counter[str] = Counter()
    with_trigger = 0
    for listed, n in session.execute(
        select(type_coerce(e.triggers, Text), func.count()).group_by(e.triggers)
    ):
        names = _json(listed) or []
        with_trigger += n if names else 0
        for name in names:
            triggers[name] += n
    factors, titles, assessed = _factor_totals(session)
    return Totals(
        episodes=int(count),
        first=first,
        last=last,
        months=months,
        **lasted,
        worst=worst,
        triggers=triggers,
        with_trigger=with_trigger,
        remedies=_remedies_in_rank_order(session),
        factors=factors,
        factor_titles=titles,
        assessed=assessed,
    )


def _lasted_us(session: Session) -> dict[str, Any]:
    """How long the episodes that ended lasted (see ``Totals.ended``), counted in SQLite.

    Whole seconds from the date part, microseconds from the fraction SQLAlchemy
    always writes (``YYYY-MM-DD HH:MM:SS.ffffff``): exact, as Python counts them.
    Read through the session's own connection, as plain numbers.
    """
    if sqlite3.sqlite_version_info >= (3, 38):
        seconds = "unixepoch(substr({0}, 1, 19))"
    else:  # julianday counts milliseconds inside: exact to the second once rounded
        seconds = "CAST(round(julianday(substr({0}, 1, 19)) * 86400) AS INTEGER)"
    micro = "CAST(substr({0}, 21) AS INTEGER)"
    lasted = (
        f"({seconds.format('ended_at')} - {seconds.format('started_at')}) * 1000000"
        f" + {micro.format('ended_at')} - {micro.format('started_at')}"
    )
    raw = session.connection().connection.driver_connection
    assert raw is not None
    spans = sorted(
        int(us) for (us,) in raw.execute(
            f"SELECT {lasted} FROM episodes WHERE ended_at IS NOT NULL"
        )
    )
    if not spans:
        return {}
    return {
        "ended": len(spans), "total_us": sum(spans), "longest_us": spans[-1],
        "middle_us": middle(spans),
    }


def _factor_totals(session: Session) -> tuple[Counter[str], dict[str, str], int]:
    """(each factor id -> episodes, its title, how many episodes had an assessment), from
    the assessment each episode started with (its latest, if it has several).

    Counted per distinct ``factor_list``: a diary repeats few combinations. Titles come
    from the latest episode naming each factor; only when one factor has several titles
    are the episodes read in order to find it.
    """
    t = TriageRow.__table__.c
    e = EpisodeRow.__table__.c
    latest = select(func.max(t.id)).where(t.source == "assessment").group_by(t.episode_id)
    groups: list[tuple[list[Any], int]] = []
    by_list = (
        select(type_coerce(t.factor_list, Text), func.count())
        .where(t.id.in_(latest))
        .group_by(t.factor_list)
    )
    for listed, n in session.execute(by_list).all():
        if listed is not None:
            groups.append((_json(listed) or [], int(n)))
            continue
        missing = select(type_coerce(t.factors, Text)).where(
            t.id.in_(latest), t.factor_list.is_(None)
        )  # written around the ORM: counted from the full factors
        groups += [(factor_list_of(_json(found)), 1) for found in session.scalars(missing)]
    counts: Counter[str] = Counter()
    seen: dict[str, set[str]] = {}
    for pairs, n in groups:
        for ident, title in pairs:
            counts[str(ident)] += n
            if title:
                seen.setdefault(str(ident), set()).add(str(title))
    titles = {ident: next(iter(names)) for ident, names in seen.items()}
    if any(len(names) > 1 for names in seen.values()):
        in_order = (
            select(type_coerce(t.factor_list, Text), type_coerce(t.factors, Text))
            .join(EpisodeRow.__table__, e.id == t.episode_id)
            .where(t.id.in_(latest))
            .order_by(e.started_at, e.id)
        )
        for listed, found in session.execute(in_order):
            pairs = _json(listed) if listed is not None else factor_list_of(_json(found))
            titles.update({str(ident): str(title) for ident, title in pairs or [] if title})
    return counts, titles, sum(n for _, n in groups)


def _remedies_in_rank_order(session: Session) -> list[RemedyStat]:
    """Each remedy's counts, in an order that ranks as :func:`.totals.remedy_counts` does.

    "What helped" sorts by its rank and keeps the order first tried between equals:
    that order (a join over every thing tried) is looked up only for remedies that
    tie, which in a long diary is seldom.
    """
    min_tries = load_diary_rules().patterns.min_tries
    t = TriedRow.__table__.c
    query = select(
        t.remedy,
        func.count(t.id),
        func.sum(case((t.helped.is_(True), 1), else_=0)),
        func.sum(case((t.helped.is_(False), 1), else_=0)),
    ).group_by(t.remedy)
    out = []
    for remedy, tried, helped, not_helped in session.execute(query):
        spec = tried_model(remedy, None)
        out.append(
            RemedyStat(
                remedy=remedy, label=spec.label, kind=spec.kind, tried=int(tried),
                helped=int(helped or 0), not_helped=int(not_helped or 0), enough=False, note="",
            )
        )
    keys = Counter(rank_key(r, min_tries) for r in out)
    tied = [r.remedy for r in out if keys[rank_key(r, min_tries)] > 1]
    order: dict[str, int] = {}
    if tied:
        e = EpisodeRow.__table__.c
        # the first time tried: the earliest episode (by start, then number), then the
        # order within it; one sortable text per row (SQLite: fixed-width times)
        key = func.min(
            type_coerce(e.started_at, Text).op("||")(func.printf(" %020d %020d", e.id, t.id))
        )
        first = (
            select(t.remedy)
            .join(EpisodeRow.__table__, e.id == t.episode_id)
            .where(t.remedy.in_(tied))
            .group_by(t.remedy)
            .order_by(key)
        )
        order = {remedy: i for i, remedy in enumerate(session.scalars(first))}
    return sorted(out, key=lambda r: (rank_key(r, min_tries), order.get(r.remedy, 0)))


class BeganRow(NamedTuple):
    """When an episode began and where: all the whole-diary checkpoint rules read."""

    id: int
    started_at: datetime
    regions: list[str]


def began_since(session: Session, since: datetime) -> list[BeganRow]:
    """Episodes begun at or after ``since``, oldest first, as light rows."""
    e = EpisodeRow.__table__.c
    query = (
        select(e.id, type_coerce(e.started_at, Text), type_coerce(e.regions, Text))
        .where(e.started_at >= since)
        .order_by(e.started_at, e.id)
    )
    return [
        BeganRow(ident, _when(started), list(_json(regions) or []))
        for ident, started, regions in session.execute(query)
    ]


class PainPoint(NamedTuple):
    """An episode's worst pain at the time it began: what the chart across episodes plots."""

    id: int
    started_at: datetime
    worst_pain: int | None


def pain_points(session: Session, since: datetime | None = None) -> list[PainPoint]:
    """Each episode begun at or after ``since`` (all if None), oldest first, with its worst
    pain (the worst at the start or at any check-in), as light rows."""
    e = EpisodeRow.__table__.c
    c = CheckinRow.__table__.c
    worst_checkin = (  # through ix_checkins_episode_pain: one index probe per episode
        select(func.max(c.pain)).where(c.episode_id == e.id).scalar_subquery()
    )
    query = select(e.id, type_coerce(e.started_at, Text), e.peak_pain, worst_checkin)
    if since is not None:
        query = query.where(e.started_at >= since)
    out = []
    for ident, started, peak, checked in session.execute(query.order_by(e.started_at, e.id)):
        pains = [p for p in (peak, checked) if p is not None]
        out.append(PainPoint(ident, _when(started), max(pains) if pains else None))
    return out


def count_since(session: Session, since: datetime | None) -> int:
    """How many episodes began at or after ``since`` (all if None)."""
    query = select(func.count(EpisodeRow.id))
    if since is not None:
        query = query.where(EpisodeRow.started_at >= since)
    return session.scalar(query) or 0


def episodes_per_month(session: Session) -> tuple[dict[str, int], date | None]:
    """How many episodes began in each month (YYYY-MM), and the first one's day."""
    e = EpisodeRow.__table__.c
    dialect = session.get_bind().dialect.name
    first = session.scalar(select(func.min(e.started_at)))
    if first is None:
        return {}, None
    if dialect == "sqlite":  # stored as text, YYYY-MM-DD HH:MM:SS.ffffff: its first 7
        month = func.substr(type_coerce(e.started_at, Text), 1, 7)  # (no date parsing)
    elif dialect == "postgresql":
        month = func.to_char(e.started_at, "YYYY-MM")
    else:  # any other database: count the start times here
        counts: dict[str, int] = {}
        for (started,) in session.execute(select(e.started_at)):
            key = started.strftime("%Y-%m")
            counts[key] = counts.get(key, 0) + 1
        return counts, first.date()
    rows = session.execute(select(month, func.count(e.id)).group_by(month))
    return {str(m): int(n) for m, n in rows}, first.date()


def count_episodes(session: Session) -> int:
    """How many episodes the diary holds."""
    return session.scalar(select(func.count(EpisodeRow.id))) or 0


def open_episode_ids(session: Session) -> list[int]:
    """The episodes that have not ended, oldest first."""
    e = EpisodeRow.__table__.c
    query = select(e.id).where(e.ended_at.is_(None)).order_by(e.started_at, e.id)
    return list(session.scalars(query))


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
    """Each episode's contributing factors, from the assessment it started with.

    The stored JSON is read as text and parsed by orjson (several times faster
    than the column's own JSON reading, which a long diary notices).
    """
    t = TriageRow.__table__.c
    query = select(t.episode_id, type_coerce(t.factors, Text)).where(t.source == "assessment")
    rows = session.execute(query)
    return {episode_id: list(_json(factors) or []) for episode_id, factors in rows}


# --- Writing -------------------------------------------------------------------------


def _set_tried(row: EpisodeRow, items: Iterable[TriedIn]) -> None:
    current = {t.remedy: t for t in row.tried}
    for item in items:
        if item.remedy in current:
            current[item.remedy].helped = item.helped
        else:
            row.tried.append(TriedRow(remedy=item.remedy, helped=item.helped))


def triage_row(record: Assessment, *, at: datetime, source: str) -> TriageRow:
    """A triage result to keep: the level and its reasons, and the whole document."""
    document = record.to_dict()
    return TriageRow(
        at=at,
        source=source,
        level=record.level,
        level_title=record.level_title,
        headline=record.headline,
        findings=document["findings"],
        concerns=document["concerns"],
        factors=document["factors"],
        knowledge_version=record.knowledge_version,
        region=record.region,
        document=document,
    )


def create_episode(session: Session, data: EpisodeIn, uid: str | None = None) -> EpisodeDetail:
    """Record a new episode (and its assessment, if it started from one)."""
    row = EpisodeRow(
        uid=uid or new_uid(),
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


def assessment_record(result: Mapping[str, Any]) -> Assessment:
    """An assessment document (``Assessment.to_dict()``) read back and checked."""
    return Assessment.model_validate(dict(result))
