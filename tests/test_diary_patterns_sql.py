"""The patterns counted by the database are the patterns counted from the episodes.

:func:`unknot.diary.patterns.patterns` counts in SQL (aggregates, the compact
``triage.factor_list``); :func:`build_patterns` counts the same episodes in
Python. On any diary, generated here, both give the same answer.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, insert

from unknot.diary.db import open_diary, reading, writing
from unknot.diary.models import CheckinRow, EpisodeRow, TriageRow, TriedRow
from unknot.diary.patterns import build_patterns, patterns
from unknot.diary.repository import assessment_factors, list_episodes

START = datetime(2024, 3, 1, 8, 0)
REMEDIES = ["heat", "ice", "stretching", "nsaid"]
TRIGGERS = ["lifting", "bending", "twisting"]
FACTORS = ["muscle_strain", "dehydration", "prolonged_position"]


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    path: Path = tmp_path_factory.mktemp("patterns") / "diary.sqlite3"
    made = open_diary(f"sqlite:///{path}")
    yield made
    made.dispose()


factor = st.tuples(st.sampled_from(FACTORS), st.sampled_from(["", "A title", "Another title"]))
episode = st.fixed_dictionaries(
    {
        "start": st.integers(0, 3 * 365 * 86400 * 10**6),  # microseconds after START
        "lasted": st.none() | st.integers(0, 20 * 86400 * 10**6),
        "peak": st.none() | st.integers(0, 10),
        "triggers": st.lists(st.sampled_from(TRIGGERS), max_size=2),
        "tried": st.dictionaries(st.sampled_from(REMEDIES), st.none() | st.booleans(), max_size=3),
        "pains": st.lists(st.integers(0, 10), max_size=3),
        # None: no assessment; else each assessment's factors (the latest one counts)
        "assessments": st.lists(st.lists(factor, max_size=3), max_size=2),
        "around_orm": st.booleans(),  # an assessment stored without its factor_list
    }
)


def _store(engine: Engine, episodes: list[dict[str, Any]]) -> None:
    with writing(engine) as session:
        for table in (TriageRow, CheckinRow, TriedRow, EpisodeRow):
            session.query(table).delete()
        for i, e in enumerate(episodes, start=1):
            began = START + timedelta(microseconds=e["start"])
            ended = None if e["lasted"] is None else began + timedelta(microseconds=e["lasted"])
            row = EpisodeRow(
                uid=f"e{i}", started_at=began, ended_at=ended, regions=["lower_back"],
                peak_pain=e["peak"], triggers=e["triggers"], notes="", level=None,
            )
            row.tried = [TriedRow(remedy=r, helped=h) for r, h in e["tried"].items()]
            row.checkins = [
                CheckinRow(uid=f"c{i}-{j}", at=began, pain=p, feeling="same", danger_signs={})
                for j, p in enumerate(e["pains"])
            ]
            session.add(row)
            session.flush()
            for listed in e["assessments"]:
                found = [{"id": ident, "title": title} for ident, title in listed]
                fields = {
                    "episode_id": row.id, "at": began, "source": "assessment", "level": "x",
                    "findings": {}, "concerns": [], "factors": found,
                }
                if e["around_orm"]:
                    session.execute(insert(TriageRow), [fields])  # no factor_list
                else:
                    session.add(TriageRow(**fields))
            session.flush()


@settings(
    max_examples=60, deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(episode, max_size=12))
def test_patterns_counted_in_sql_equal_the_patterns_counted_from_episodes(
    engine: Engine, episodes: list[dict[str, Any]]
) -> None:
    _store(engine, episodes)
    now = START + timedelta(days=4 * 365)
    with reading(engine) as session:
        from_sql = patterns(session, now)
        from_episodes = build_patterns(
            list_episodes(session), assessment_factors(session), now.date()
        )
    assert from_sql == from_episodes
    assert from_sql.episode_count == len(episodes)
